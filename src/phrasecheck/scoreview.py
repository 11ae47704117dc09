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

from dataclasses import dataclass, field

from phrasecheck.channels import ChannelChoice
from phrasecheck.checker import Checker, Found
from phrasecheck.speech import continues_exchange, is_line_check, shows_speech
from phrasecheck.transcript import Channel, Transcript

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
        turns = transcript.turns
        agent_speech: list[int] = []
        customer_speech: list[int] = []
        speech: list[int] = []
        agent_turns = customer_turns = 0
        for index, turn in enumerate(turns):
            if turn.role == "agent":
                agent_turns += 1
                said = agent_speech
            elif turn.role == "customer":
                customer_turns += 1
                said = customer_speech
            else:
                continue  # a system or bot turn (转人工 notices, an IVR menu) is nobody's speech
            if shows_speech(turn.text):
                said.append(index)
                speech.append(index)
        hits: list[list[Found]] = [[] for _ in turns]
        ids = [_NONE] * len(turns)
        # Agent turns are checked for the rules and the agents' cues, customer turns only
        # for the customers' cues: one call of the core per role.
        agent_ids = _find(agent, turns, agent_speech, hits, ids)
        customer_ids = _find(customer, turns, customer_speech, hits, ids)
        direction = transcript.direction or ("inbound" if choice.channel == "phone" else None)
        return cls(
            transcript=transcript,
            channel=choice.channel,
            direction=direction if choice.channel == "phone" else transcript.direction,
            hits=hits,
            ids=ids,
            agent=agent_speech,
            customer=customer_speech,
            speech=speech,
            agent_ids=agent_ids,
            customer_ids=customer_ids,
            agent_turns=agent_turns,
            customer_turns=customer_turns,
        )

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


def _find(
    checker: Checker,
    turns: list,
    indexes: list[int],
    hits: list[list[Found]],
    ids: list[frozenset[str]],
) -> frozenset[str]:
    """Fill in the hits and rule ids of the turns at ``indexes``; return all their ids."""
    if not indexes:
        return _NONE
    found = checker.find_many([turns[index].text for index in indexes])
    every: set[str] = set()
    for index, turn_hits in zip(indexes, found, strict=True):
        if turn_hits:
            hits[index] = turn_hits
            ids[index] = held = frozenset([hit.rule.id for hit in turn_hits])
            every |= held
    return frozenset(every)
