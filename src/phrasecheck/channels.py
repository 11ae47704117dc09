"""Which channel a transcript came from, and how we know.

A phone call, a one-to-one chat and a public reply thread are graded by different
expectations: a chat never names the centre or thanks for "the call", and a Weibo reply has no
closing. Most real exports carry no channel field, so the channel comes from, in order:

1. the record's own ``channel`` field (source ``record``);
2. the caller's choice, ``phrasecheck score --channel`` or ``Scorer.score(..., channel=)``
   (source ``option``);
3. evidence in the transcript (source ``inferred``):

   * turns carrying ``start``/``end`` times are a call (speech has timestamps, chat does not);
   * an agent's words that only a call has: 来电, 喂 as an address, 听得到/听得见/听不清, 通话;
   * at most two agent turns answering a thread, with 私信, 微博, @, 评论 or 转发 in them, is a
     public reply thread;

4. otherwise ``chat`` (source ``default``): online chat is what most text exports hold, and its
   expectations are the mildest, so a wrong guess costs the agent least.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from phrasecheck.normalize import normalize
from phrasecheck.report import ChannelSource as Source
from phrasecheck.transcript import Channel, Transcript

_CALL_WORDS = re.compile(r"来电|通话|听得到|听得见|听不到|听不见|听不清|信号不好|挂断|挂机|回拨")
_ADDRESS_WEI = re.compile(r"(?:^|[\s，,。！!？?、])喂(?=$|[\s，,。！!？?、喂]|您好|你好)")
_THREAD_WORDS = re.compile(r"私信|微博|评论|转发|@\S|超话|博文|留言区")


class ChannelChoice(NamedTuple):
    channel: Channel
    source: Source
    reason: str


def choose_channel(transcript: Transcript, option: Channel | None = None) -> ChannelChoice:
    """The channel to grade ``transcript`` by, where it came from and why."""
    if transcript.channel is not None:
        return ChannelChoice(transcript.channel, "record", "the record's channel field")
    if option is not None:
        return ChannelChoice(option, "option", "given by the caller (--channel)")
    return infer_channel(transcript)


def infer_channel(transcript: Transcript) -> ChannelChoice:
    """The channel the transcript's own evidence points to, or ``chat`` by default."""
    turns = [turn for turn in transcript.turns if turn.role != "system"]
    if transcript.direction == "outbound":
        return ChannelChoice("phone", "inferred", "an outbound contact is a call")
    if any(turn.start is not None or turn.end is not None for turn in turns):
        return ChannelChoice("phone", "inferred", "turns carry call timestamps (start/end)")
    agent_texts = [turn.text for turn in turns if turn.role == "agent"]
    for text in agent_texts:
        if _CALL_WORDS.search(normalize(text)):
            return ChannelChoice("phone", "inferred", "the agent uses words only a call has")
        if _ADDRESS_WEI.search(text.strip()):
            return ChannelChoice("phone", "inferred", "the agent answers with 喂")
    thread_like = 1 <= len(agent_texts) <= 2 and bool(turns) and turns[0].role == "customer"
    if thread_like and any(_THREAD_WORDS.search(text) for text in agent_texts):
        return ChannelChoice("social", "inferred", "one or two replies pointing to a thread")
    return ChannelChoice("chat", "default", "no sign of a call or a public thread")
