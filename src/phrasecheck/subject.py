"""Who says a wording: the agent of itself, someone else, or nobody (a hedge or a condition).

不知道 is dismissive when the agent says it of itself (这个我不知道, 不知道。), not when it is
said of a third party (住户们可能还不知道, 师傅说他不知道), nor in a condition (如果不知道户号),
nor as a hedge that opens an indirect question (不知道是不是网络的原因, 不知道您现在方便吗), nor
when the agent narrates what it did not know then (之前我们不知道这个情况). Rules marked
``first_person`` are decided here from the words before the hit in its clause, with the
segmenter's part-of-speech tags, instead of a list of every subject one could think of.

The walk goes back from the hit, word by word, within the clause: adverbs and time words
(可能 还 也 都 大概 并 根本 目前…) are passed over, as are 自己 and 这边/那边; a reporting verb
(说, 讲, 表示) is passed over too, so that its own subject decides (师傅说不知道). The first
other word decides: 我/我们/咱们 is the speaker; a personal pronoun, a person's name or a noun
for a person (…员 …户 …主 邻居 孩子) is a third party; a noun owned by a pronoun (他们部门,
我们公司) belongs to that pronoun; asking whether (您是不是不知道…) is a question, not a
brush-off; anything else (a verb, an interjection, a thing fronted as the topic: 电话不知道)
leaves the speaker as the implied subject.
"""

from __future__ import annotations

import re
from typing import Literal

Verdict = Literal["said", "third party", "hypothetical", "hedge", "narration"]


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# 小妹 / 妹子 are how e-commerce chat agents name themselves (小妹这边不太清楚哦); 小二 is not
# here, as 商家小二 is the seller's agent.
SPEAKER = frozenset(
    {"我", "我们", "咱", "咱们", "俺", "俺们", "本人", "我这边", "我们这边", "小妹", "妹子"}
)
PERSONAL_PRONOUNS = _words(
    "他 她 它 他们 她们 它们 你 您 你们 您们 大家 别人 人家 有人 谁 对方 各位 大伙 大伙儿 "
    "其他人 其他 其它 旁人 某人 他人 任何人 没人 没有人"
)
# Nouns whose last character names a person (住户, 业主, 快递员, 邻居, 师傅, 阿姨, 同学…) or
# a body of people (物流公司, 业委会, 工程部, 派出所, 供电局, 银行).
PERSON_SUFFIXES = frozenset(
    "人们户主客员工师傅生士友居长姨姐哥弟妹爷奶妈爸叔婆孩警卫属导宝娃司局部会站厂行商处所院队组"
)
PERSON_WORDS = _words(
    "人 孩子 儿子 女儿 同事 司机 保安 保洁 快递 领导 老板 前台 家里 商家 卖家 厂家 店家 店铺"
)
# Passed over on the way back to the subject.
TRANSPARENT = _words(
    "可能 大概 也许 或许 应该 好像 似乎 肯定 一定 确实 真的 其实 根本 压根 完全 暂时 目前 现在 "
    "还 也 都 并 就 又 真 自己 本身 这边 那边 那里 这里 那儿 这儿 还是 估计 恐怕 多半 "
    "一般 通常 往往 经常 常常 大多 多数 大部分 基本 基本上 普遍 一直 从来 向来 始终 总是 仍然 "
    "依然 未必 不一定 全都 全 都还 也都 还都 压根儿 确确实实"
)
REPORTING = _words("说 讲 表示 反映 称 回答 回复 告诉 说过 讲过 说了")
CONDITIONALS = _words("如果 要是 假如 万一 若 若是 倘若 假设 假使 只要 一旦 如")
# Before the hit: asking whether someone does not know (您是不是不知道密码) is a question to the
# customer, not the agent's brush-off, unless the agent names itself (我是不是不知道).
ASKING_WHETHER = _words("是不是 是否 会不会 难道 莫非")
PAST = _words("之前 以前 当时 那时 那时候 原来 起初 一开始 刚才 本来 事先 当初 早先")
_TRANSPARENT_TAGS = ("d", "t", "m")  # adverbs (d, ad), time words, quantities (大多)
_PERSON_TAGS = ("nr",)  # person names (jieba tags 师傅, 阿姨 so too)

# After the hit, in its clause: an indirect whether-question (是不是, 有没有, 方不方便, 是否,
# 清楚了没有, a question particle) makes 不知道 a hedge whoever the subject; an indirect wh-question
# (什么时候, 谁, 怎么样) does so only when no speaker is named (不知道师傅修得怎么样 is a hedge,
# 我不知道他什么时候来 a statement).
_WHETHER = re.compile(r"(.)[不没]\1|是否|能否|可否|与否|.[吗呢]|了没有?")
# Right after the hit: "(even) not knowing is fine" reassures the customer (不知道也没关系).
_NO_MATTER = re.compile(r"(也|都|)(没关系|不要紧|没事|没问题|不碍事|无所谓)")
_WH = re.compile(r"谁|什么|啥|哪|怎|咋|多少|几|为何|如何|为什么")


def who_says(
    tagged: tuple[tuple[str, str], ...],
    start: int,
    end: int,
    clause: tuple[int, int],
    text: str,
) -> tuple[Verdict, str]:
    """Decide a first-person hit ``[start, end)`` of ``text`` (normalized), with a reason.

    ``tagged`` is the segmenter's (word, tag) list for ``text``; ``clause`` the normalized span
    of the hit's clause.
    """
    low, high = clause
    after = text[end:high]
    if "的话" in after:
        return "hypothetical", "a condition (…的话)"
    if _NO_MATTER.match(after):
        return "hypothetical", "a concession (不知道也没关系)"
    before = _words_before(tagged, start, low)
    if any(word in CONDITIONALS for word, _ in before):
        return "hypothetical", "a condition (如果…)"
    if any(word in PAST for word, _ in before):
        return "narration", "narrates what was not known then (之前…)"
    subject = _subject(before)
    if subject not in SPEAKER and any(word in ASKING_WHETHER for word, _ in before):
        return "hedge", "asks whether someone does not know (是不是不知道…)"
    if _WHETHER.search(after):
        return "hedge", "opens an indirect question (不知道是不是…)"
    if subject is None and _WH.search(after):
        return "hedge", "opens an indirect question (不知道…什么/怎么…)"
    if subject is not None and subject not in SPEAKER:
        return "third party", f"said of someone else ({subject})"
    return "said", "said by the speaker of itself"


def _words_before(
    tagged: tuple[tuple[str, str], ...], start: int, low: int
) -> list[tuple[str, str]]:
    """The tagged words lying wholly in ``[low, start)``."""
    words = []
    position = 0
    for word, flag in tagged:
        after = position + len(word)
        if position >= low and after <= start:
            words.append((word, flag))
        if after > start:
            break
        position = after
    return words


def _subject(before: list[tuple[str, str]]) -> str | None:
    """The subject of the hit, walking back; None when none is named."""
    index = len(before) - 1
    while index >= 0:
        word, flag = before[index]
        if word in SPEAKER:
            return word
        if word == "们" and index > 0:  # 住户/们: a plural of persons
            return before[index - 1][0] + word
        if _is_person(word, flag):
            return word
        if flag.startswith("n") and index > 0:
            owner = before[index - 1][0]  # 他们部门, 我们公司: the pronoun says whose
            if owner in SPEAKER or owner in PERSONAL_PRONOUNS:
                return owner
        if (
            word in TRANSPARENT
            or word in ASKING_WHETHER
            or word in REPORTING
            or flag.startswith(_TRANSPARENT_TAGS)
            or flag == "ad"
        ):
            index -= 1
            continue
        return None
    return None


def _is_person(word: str, flag: str) -> bool:
    if word in PERSONAL_PRONOUNS or word in PERSON_WORDS or flag.startswith(_PERSON_TAGS):
        return True
    return len(word) >= 2 and word[-1] in PERSON_SUFFIXES and flag[:1] in ("n", "v", "z")
