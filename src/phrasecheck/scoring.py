"""Grading a whole transcript: taboo hits, opening, closing and expected responses."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from os import PathLike

from phrasecheck.checker import Checker, Found, RulesArg
from phrasecheck.profile import Expectation, ProfileError, ScoreProfile, load_profile
from phrasecheck.report import ScoreReport
from phrasecheck.rules.model import RuleSet
from phrasecheck.transcript import Transcript

ProfileArg = ScoreProfile | str | PathLike[str] | None
_MISSING_KIND = {
    "opening": "missing_opening",
    "closing": "missing_closing",
    "response": "missing_response",
}


class Scorer:
    """Scores transcripts against a rule set and a score profile.

    Build once and reuse: it compiles the rules together with the profile's cues.
    """

    def __init__(self, rules: RulesArg = None, profile: ProfileArg = None) -> None:
        self.profile = profile if isinstance(profile, ScoreProfile) else load_profile(profile)
        ruleset = rules if isinstance(rules, RuleSet) else Checker(rules).rules
        unknown = sorted(self.profile.rule_ids() - {rule.id for rule in ruleset})
        if unknown:
            raise ProfileError(
                self.profile.source or self.profile.name,
                [f" refers to rules not in the rule set: {', '.join(unknown)}"],
            )
        self.rules = ruleset
        cues = RuleSet(self.profile.cues)
        # Agent turns are checked for everything; customer turns only for cues (a customer's
        # taboo words are not the agent's fault), with a much smaller automaton.
        self.checker = Checker(RuleSet([*ruleset, *cues], ruleset.sources))
        self.customer_checker = Checker._sharing_segmenter(cues, self.checker)
        self._phrases = {rule.id: rule.phrase for rule in ruleset}

    def score(self, transcript: Transcript | list | dict) -> ScoreReport:
        transcript = Transcript.coerce(transcript)
        agent_find, customer_find = self.checker.find, self.customer_checker.find
        hits = [
            agent_find(turn.text) if turn.role == "agent" else customer_find(turn.text)
            for turn in transcript.turns
        ]
        agent = transcript.agent_turn_indexes()
        deductions = _Deductions(self.profile, self._phrases)
        violations: list[dict] = []
        polite: list[dict] = []

        for index in agent:
            for found in hits[index]:
                kind = found.rule.kind
                if kind == "taboo":
                    violations.append(deductions.taboo(found, index))
                elif kind == "polite":
                    polite.append(
                        {"rule_id": found.rule.id, "turn_index": index, "matched": found.matched}
                    )

        if agent:
            said = [frozenset(found.rule.id for found in turn_hits) for turn_hits in hits]
            for expectation in self._applicable(transcript):
                for turn_index, window in self._unmet(expectation, transcript, said, agent):
                    violations.append(deductions.missing(expectation, turn_index, window))
        else:
            violations.append(
                {
                    "kind": "no_agent_speech",
                    "severity": "critical",
                    "points": 100,
                    "fatal": True,
                    "message": "the transcript has no agent turn to grade",
                }
            )

        lost = sum(v["points"] for v in violations)
        score = round(max(0.0, 100.0 - lost), 2)
        fatal = any(v.get("fatal") for v in violations)
        # One validation of the whole report: far cheaper than a model per violation.
        return ScoreReport.model_validate(
            {
                "transcript_id": transcript.id,
                "agent_id": transcript.agent_id,
                "channel": transcript.channel,
                "direction": transcript.direction,
                "profile": self.profile.name,
                "score": score,
                "passed": score >= self.profile.pass_mark and not fatal,
                "fatal": fatal,
                "violations": violations,
                "polite": polite,
                "counts": {
                    "turns": len(transcript.turns),
                    "agent_turns": len(agent),
                    "customer_turns": len(transcript.turns) - len(agent),
                    "taboo": sum(v["kind"] == "taboo" for v in violations),
                    "polite": len(polite),
                },
            }
        )

    def _applicable(self, transcript: Transcript) -> list[Expectation]:
        channel = transcript.channel or "phone"
        direction = transcript.direction or "inbound"
        return [
            e
            for e in self.profile.expectations
            if channel in e.channels and direction in e.directions
        ]

    @staticmethod
    def _unmet(
        expectation: Expectation,
        transcript: Transcript,
        said: list[frozenset[str]],
        agent: list[int],
    ) -> list[tuple[int | None, list[int]]]:
        """(trigger turn, window of agent turns) for every place the expectation is unmet.

        ``said[i]`` holds the rule and cue ids found in turn ``i``.
        """
        wanted = frozenset(expectation.any_of)

        def met(window: list[int]) -> bool:
            return any(not wanted.isdisjoint(said[index]) for index in window)

        if expectation.where == "opening":
            window = agent[: expectation.turns]
            return [] if met(window) else [(None, window)]
        if expectation.where == "closing":
            window = agent[-expectation.turns :]
            return [] if met(window) else [(None, window)]

        triggers = frozenset(expectation.trigger)
        unmet: list[tuple[int | None, list[int]]] = []
        for index, ids in enumerate(said):
            if triggers.isdisjoint(ids) or transcript.turns[index].role != expectation.trigger_role:
                continue
            if expectation.trigger_role == "customer":
                position = bisect_right(agent, index)
                window = agent[position : position + expectation.turns]
                if not window:
                    continue  # the transcript ends before the agent could answer
            else:
                position = bisect_left(agent, index)
                reach = expectation.turns
                window = agent[max(0, position - reach) : position + reach + 1]
            if not met(window):
                unmet.append((index, window))
        return unmet


class _Deductions:
    """Points per violation under the profile's repeat policy."""

    def __init__(self, profile: ScoreProfile, phrases: dict[str, str]) -> None:
        self.profile = profile
        self.phrases = phrases
        self.seen: Counter[str] = Counter()

    def _repeat(self, key: str, base: float) -> tuple[int, float]:
        self.seen[key] += 1
        count = self.seen[key]
        policy = self.profile.taboo
        if count > policy.repeat_cap:
            return count, 0.0
        return count, round(base * policy.repeat_factor ** (count - 1), 2)

    def taboo(self, found: Found, turn_index: int) -> dict:
        policy = self.profile.taboo
        rule = found.rule
        severity = rule.severity or "minor"
        repeat, points = self._repeat(rule.id, policy.points[severity])
        return {
            "kind": "taboo",
            "rule_id": rule.id,
            "turn_index": turn_index,
            "start": found.start,
            "end": found.end,
            "matched": found.matched,
            "severity": severity,
            "points": points,
            "repeat": repeat,
            "fatal": severity in policy.fatal_severities or rule.id in policy.fatal_rules,
            "message": f"服务忌语 {rule.id}「{rule.phrase}」",
            "suggestion": rule.suggestion,
        }

    def missing(self, expectation: Expectation, turn_index: int | None, window: list[int]) -> dict:
        repeat, points = self._repeat(expectation.id, expectation.points)
        return {
            "kind": _MISSING_KIND[expectation.where],
            "rule_id": expectation.any_of[0],
            "expectation": expectation.id,
            "expected": list(expectation.any_of),
            "turn_index": turn_index,
            "turn_range": (window[0], window[-1]) if window else None,
            "severity": expectation.severity,
            "points": points,
            "repeat": repeat,
            "message": expectation.message or f"expected one of {', '.join(expectation.any_of)}",
            "suggestion": self.phrases.get(expectation.any_of[0]),
        }
