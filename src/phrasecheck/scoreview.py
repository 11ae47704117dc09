"""A transcript as the score profile's expectations see it: speech turns, their hits, who
spoke when, and which rule ids each turn holds.

Why a module of its own: every expectation asks the same questions of one transcript (which
turns are speech, which turn holds one of these rules or cues), a batch run asks them of
millions, and the answers are cheapest from indexes built once per transcript. The hits of
each role's turns come from one batch call of the compiled core (``Checker.find_many``), and
each turn's rule ids are a set, so a turn — or a whole role's speech — that holds none of an
expectation's rules is passed over without walking its hits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from phrasecheck.channels import ChannelChoice
from phrasecheck.checker import Checker, Found
from phrasecheck.speech import continues_exchange, is_line_check, shows_speech
from phrasecheck.transcript import Channel, Transcript, Turn

GREETING_IDS = frozenset({"P01", "P02"})
LATE_START = 10.0  # seconds: a call transcript whose first turn starts later was cut
_NONE: frozenset[str] = frozenset()


@dataclass
class View:
    """A transcript as the expectations see it: speech turns, their hits, who spoke when."""

    transcript: Transcript
    channel: Channel
    direction: str | None
    hits: list[list[Found]]
    ids: list[frozenset[str]]  # the rule ids of each turn's hits
    agent: list[int]  # agent turns holding speech (system lines are not speech)
    customer: list[int]
    speech: list[int]  # every turn holding speech, in order
    agent_ids: frozenset[str]  # every rule id found in the agent's speech
    customer_ids: frozenset[str]
    agent_turns: int  # turns of each role, speech or not (the report's counts)
    customer_turns: int
    _mid_way: bool | None = field(default=None, repr=False)
    _openings: dict[int, list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, transcript: Transcript, choice: ChannelChoice, agent: Checker, customer: Checker
    ) -> View:
        return cls.build_many([(transcript, choice)], agent, customer)[0]

    @classmethod
    def build_many(
        cls,
        transcripts: list[tuple[Transcript, ChannelChoice]],
        agent: Checker,
        customer: Checker,
    ) -> list[View]:
        """The views of many transcripts, with one call of the core per role for all of
        their turns: the batch path scores a chunk of transcripts at a time, and the core
        runs faster on many texts at once than interleaved with the scoring (its tables
        stay in the processor's cache). A text's hits do not depend on the others."""
        speeches = [_Speech.of(transcript.turns) for transcript, _ in transcripts]
        # Agent turns are checked for the rules and the agents' cues, customer turns only
        # for the customers' cues.
        agent_found = _found_in(agent, transcripts, speeches, "agent")
        customer_found = _found_in(customer, transcripts, speeches, "customer")
        views = []
        for (transcript, choice), speech in zip(transcripts, speeches, strict=True):
            turns = transcript.turns
            hits: list[list[Found]] = [[] for _ in turns]
            ids = [_NONE] * len(turns)
            agent_ids = _index(agent_found, speech.agent, hits, ids)
            customer_ids = _index(customer_found, speech.customer, hits, ids)
            phone = choice.channel == "phone"
            direction = transcript.direction or ("inbound" if phone else None)
            views.append(
                cls(
                    transcript=transcript,
                    channel=choice.channel,
                    direction=direction if phone else transcript.direction,
                    hits=hits,
                    ids=ids,
                    agent=speech.agent,
                    customer=speech.customer,
                    speech=speech.speech,
                    agent_ids=agent_ids,
                    customer_ids=customer_ids,
                    agent_turns=speech.agent_turns,
                    customer_turns=speech.customer_turns,
                )
            )
        return views

    def text(self, index: int) -> str:
        return self.transcript.turns[index].text

    def quote(self, index: int, found: Found) -> dict:
        return {
            "turn_index": index,
            "role": self.transcript.turns[index].role,
            "rule_id": found.rule.id,
            "start": found.start,
            "end": found.end,
            "text": found.matched,
        }

    def holds(self, index: int, wanted: frozenset[str]) -> bool:
        """True when turn ``index`` holds a hit of one of the ``wanted`` rules or cues."""
        return not self.ids[index].isdisjoint(wanted)

    def first(self, window: list[int], wanted: frozenset[str]) -> dict | None:
        """The first hit of a wanted rule or cue in the window's turns, as a quote."""
        ids = self.ids
        for index in window:
            if ids[index].isdisjoint(wanted):
                continue
            for found in self.hits[index]:
                if found.rule.id in wanted:
                    return self.quote(index, found)
        return None

    def opening(self, turns: int) -> list[int]:
        """The agent's first ``turns`` turns of speech: on a call, line checks (喂，听得到吗)
        do not use up the window; in chat a bare 嗯嗯 or 在的 is the agent's first turn like
        any other. Every opening expectation asks; each window is worked out once (a copy
        is returned, since each goes into the report)."""
        window = self._openings.get(turns)
        if window is None:
            window = self._openings[turns] = self._opening(turns)
        return list(window)

    def _opening(self, turns: int) -> list[int]:
        window: list[int] = []
        counted = 0
        phone = self.channel == "phone"
        for index in self.agent:
            window.append(index)
            if not (phone and is_line_check(self.text(index))):
                counted += 1
                if counted == turns:
                    break
        return window

    def starts_mid_way(self) -> bool:
        """True when the transcript's first speech continues an exchange we do not see.

        The first turn starts with an ellipsis or a continuing word (……对，那还是…) and greets
        nobody, or — on a call, whose recording starts when the agent picks up — the first
        turn starts more than 10 s into the call. Every opening expectation asks; the answer
        is worked out once.
        """
        if self._mid_way is None:
            self._mid_way = self._starts_mid_way()
        return self._mid_way

    def _starts_mid_way(self) -> bool:
        if not self.speech:
            return False
        first = self.speech[0]
        start = self.transcript.turns[first].start
        if self.channel == "phone" and start is not None and start > LATE_START:
            return True
        greeted = not self.ids[first].isdisjoint(GREETING_IDS)
        words = self.channel != "phone"
        return continues_exchange(self.text(first), greeted, words) and not is_line_check(
            self.text(first)
        )


@dataclass
class _Speech:
    """Which turns of a transcript hold speech, by role, and how many turns each role has."""

    agent: list[int]
    customer: list[int]
    speech: list[int]
    agent_turns: int
    customer_turns: int

    @classmethod
    def of(cls, turns: list[Turn]) -> _Speech:
        agent: list[int] = []
        customer: list[int] = []
        speech: list[int] = []
        agent_turns = customer_turns = 0
        for index, turn in enumerate(turns):
            if turn.role == "agent":
                agent_turns += 1
                said = agent
            elif turn.role == "customer":
                customer_turns += 1
                said = customer
            else:
                continue  # a system or bot turn (转人工 notices, an IVR menu) is nobody's speech
            if shows_speech(turn.text):
                said.append(index)
                speech.append(index)
        return cls(agent, customer, speech, agent_turns, customer_turns)


def _found_in(
    checker: Checker,
    transcripts: list[tuple[Transcript, ChannelChoice]],
    speeches: list[_Speech],
    role: str,
) -> Iterator[list[Found]]:
    """The hits of every speech turn of ``role`` in all the transcripts, in order."""
    texts = [
        transcript.turns[index].text
        for (transcript, _), speech in zip(transcripts, speeches, strict=True)
        for index in (speech.agent if role == "agent" else speech.customer)
    ]
    return iter(checker.find_many(texts) if texts else [])


def _index(
    found: Iterator[list[Found]],
    indexes: list[int],
    hits: list[list[Found]],
    ids: list[frozenset[str]],
) -> frozenset[str]:
    """Take the hits of the turns at ``indexes`` from ``found`` into ``hits`` and their rule
    ids into ``ids``; return all their ids."""
    every: set[str] = set()
    for index in indexes:
        turn_hits = next(found)
        if turn_hits:
            hits[index] = turn_hits
            ids[index] = held = frozenset([hit.rule.id for hit in turn_hits])
            every |= held
    return frozenset(every) if every else _NONE
