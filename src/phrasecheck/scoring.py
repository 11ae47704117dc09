"""Grading a whole transcript: taboo hits, opening, closing and expected responses.

The scorer judges only what the transcript shows. Each expectation of the profile ends as
``met``, ``missed`` or ``not_applicable`` with a reason, and every outcome is in the report:

* an expectation made for another channel (a chat is never asked to thank for "the call") or
  another direction is not applicable;
* the **opening** is the agent's first turns of speech; on a call, line checks (喂，您好，
  听得到吗) do not use up the window, and a transcript whose agent starts mid-way (好的，那…
  with no greeting) has no opening to judge;
* the **closing** is judged only when the conversation reached its end: the agent spoke last,
  or the customer's last turn is a closing remark (好的谢谢，再见). A transcript that ends on the
  customer's open question was cut off;
* a **response** is due after each trigger (a customer's thanks or complaint, an agent going
  off to check or promising a callback); a trigger with no agent turn after it is not held
  against the agent, and thanks in advance (麻烦尽快，谢谢) is not a trigger;
* a transcript without agent speech is ``unscorable``: no score, no pass or fail.

Missing responses and taboo phrases are violations with evidence: the trigger's words, the
turns searched and every phrase that would have done.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from os import PathLike

from phrasecheck.channels import ChannelChoice, choose_channel
from phrasecheck.checker import (
    Checker,
    Found,
    RulesArg,
    as_ruleset,
    ruleset_data,
    ruleset_from_data,
)
from phrasecheck.profile import (
    EXASPERATION,
    PHONE_NUMBER,
    Expectation,
    ScoreProfile,
    load_profile,
)
from phrasecheck.report import REPORT_SCHEMA_VERSION, ScoreReport
from phrasecheck.rules.kinds import KINDS
from phrasecheck.rules.model import Rule, RuleSet, content_hash
from phrasecheck.speech import (
    asks_customer,
    asks_who_next,
    checks_the_line,
    continues_exchange,
    exasperation,
    greets_next,
    in_condition,
    in_question,
    is_closing_remark,
    is_line_check,
    is_request,
    is_sticker,
    is_system_line,
    phone_number,
    shows_speech,
    spoken_words,
)
from phrasecheck.tokenize import Segmenter
from phrasecheck.transcript import Channel, Transcript, parse_channel

ProfileArg = ScoreProfile | str | PathLike[str] | None
_MISSING_KIND = {
    "opening": "missing_opening",
    "closing": "missing_closing",
    "response": "missing_response",
}
_GREETING_IDS = frozenset({"P01", "P02"})
_LATE_START = 10.0  # seconds: a call transcript whose first turn starts later was cut
_NEAR = 12  # characters of speech: a wait this close to a turn's end (or start) is still on


class Scorer:
    """Scores transcripts against a rule set and a score profile.

    ``rules`` is a :class:`Checker` (whose rules and word segmenter are reused), anything a
    Checker accepts as rules, or None for the bundled standard. Build once and reuse: it
    compiles the rules together with the profile's cues.
    """

    def __init__(self, rules: Checker | RulesArg = None, profile: ProfileArg = None) -> None:
        self.profile = profile if isinstance(profile, ScoreProfile) else load_profile(profile)
        base = rules if isinstance(rules, Checker) else None
        ruleset = rules.rules if isinstance(rules, Checker) else as_ruleset(rules)
        unknown = self.profile.unknown_rules_error({rule.id for rule in ruleset})
        if unknown is not None:
            raise unknown
        self.rules = ruleset
        agent_cues, customer_cues = _cues_by_role(self.profile)
        # Agent turns are checked for the rules and the cues said by agents; customer turns only
        # for the cues said by customers (a customer's taboo words are not the agent's fault).
        # Each role's automaton holds only what is looked for in its turns.
        combined = RuleSet([*ruleset, *agent_cues], ruleset.sources)
        # One word segmenter for both roles (and the caller's Checker, when given): its
        # dictionary holds the standard's short wordings, never the cues' (short_vocabulary).
        if base is not None:
            self.checker = Checker._sharing_segmenter(combined, base)
        else:
            self.checker = Checker(combined)
        self.customer_checker = Checker._sharing_segmenter(RuleSet(customer_cues), self.checker)
        self._phrases = {rule.id: rule.phrase for rule in (*ruleset, *self.profile.cues)}
        self._standard = {rule.id for rule in ruleset}
        # What would have met each expectation: one list, shared by every report missing it.
        self._expected = {
            e.id: [{"id": i, "phrase": self._phrases.get(i, i)} for i in e.any_of]
            for e in self.profile.expectations
        }
        self.version = content_hash([ruleset.version, self.profile.version])

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickles as plain data — the rules and the profile as dicts, and the word
        segmenter's vocabulary — so that a spawned worker or a Spark executor rebuilds a
        Scorer that gives identical reports."""
        profile = self.profile.model_dump(mode="json", by_alias=True)
        return (
            _rebuild_scorer,
            (
                ruleset_data(self.rules),
                self.rules.sources,
                profile,
                self.profile.source,
                self.checker._segmenter,
            ),
        )

    def score(
        self, transcript: Transcript | list | dict, channel: Channel | str | None = None
    ) -> ScoreReport:
        """Grade one transcript; ``channel`` is used when the record does not give one.

        ``channel`` is phone, chat or social, or a name exports use for them (call, im,
        weibo…); anything else raises ValueError before any work.
        """
        # One validation of the whole report: far cheaper than a model per violation.
        return ScoreReport.model_validate(self.report_data(transcript, channel))

    def report_data(
        self, transcript: Transcript | list | dict, channel: Channel | str | None = None
    ) -> dict:
        """What :meth:`score` validates into a :class:`ScoreReport`, as plain data: every
        field of the models, in their order, so that it serialises to the report's JSON
        without building the models (the batch path writes millions). Treat it as read-only.
        """
        channel = parse_channel(channel) if channel is not None else None
        transcript = Transcript.coerce(transcript)
        choice = choose_channel(transcript, channel)
        view = _View.build(transcript, choice, self.checker, self.customer_checker)
        deductions = _Deductions(self.profile, self._phrases, self._standard, self._expected)
        violations: list[dict] = []
        polite: list[dict] = []
        tolerated = frozenset(self.profile.taboo.tolerate_line_checks)
        for index in view.agent:
            text = view.text(index)
            for found in view.hits[index]:
                kind = found.rule.kind
                if found.rule.id in tolerated and (
                    greets_next(text, found.end)
                    or checks_the_line(text)
                    or asks_who_next(text, found.end)
                ):
                    continue  # 喂您好，… / 喂，您好，听得到吗？/ 喂，是张先生吗？: tolerated
                if KINDS[kind].violation:
                    violations.append(deductions.taboo(found, index))
                elif kind == "polite":
                    polite.append(
                        {"rule_id": found.rule.id, "turn_index": index, "matched": found.matched}
                    )

        outcomes: list[dict] = []
        for expectation in self.profile.expectations:
            for outcome in _judge(expectation, view):
                outcomes.append(outcome)
                if outcome["status"] == "missed":
                    violations.append(deductions.missing(expectation, outcome))

        scorable = bool(view.agent)
        lost = sum(v["points"] for v in violations)
        score = round(max(0.0, 100.0 - lost), 2) if scorable else None
        fatal = any(v.get("fatal") for v in violations)
        passed = (score >= self.profile.pass_mark and not fatal) if score is not None else None
        turns = transcript.turns
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "transcript_id": transcript.id,
            "agent_id": transcript.agent_id,
            "channel": choice.channel,
            "channel_source": choice.source,
            "channel_reason": choice.reason,
            "direction": view.direction,
            "direction_source": _direction_source(transcript, view.channel),
            "started_at": transcript.started_at,
            "profile": self.profile.name,
            "ruleset": self.version,
            "status": "scored" if scorable else "unscorable",
            "score": score,
            "passed": passed,
            "fatal": fatal,
            "violations": violations,
            "expectations": outcomes,
            "polite": polite,
            "counts": {
                "turns": len(turns),
                "agent_turns": sum(turn.role == "agent" for turn in turns),
                "customer_turns": sum(turn.role == "customer" for turn in turns),
                "taboo": sum(v["kind"] == "taboo" for v in violations),
                "polite": len(polite),
            },
        }


def _rebuild_scorer(
    rules: list[dict],
    sources: tuple[str, ...],
    profile: dict,
    profile_source: str | None,
    segmenter: Segmenter,
) -> Scorer:
    scorer = Scorer(
        ruleset_from_data(rules, sources),
        ScoreProfile.model_validate({**profile, "source": profile_source}),
    )
    # A Scorer built on a Checker uses that Checker's segmenter (its vocabulary has no cue
    # wordings); the copy must cut words exactly as the original did.
    scorer.checker._segmenter = scorer.customer_checker._segmenter = segmenter
    return scorer


@dataclass
class _View:
    """A transcript as the expectations see it: speech turns, their hits, who spoke when."""

    transcript: Transcript
    channel: Channel
    direction: str | None
    hits: list[list[Found]]
    agent: list[int]  # agent turns holding speech (system lines are not speech)
    customer: list[int]
    speech: list[int]  # every turn holding speech, in order

    @classmethod
    def build(
        cls, transcript: Transcript, choice: ChannelChoice, agent: Checker, customer: Checker
    ) -> _View:
        turns = transcript.turns
        # A system or bot turn (转人工 notices, an IVR menu) is nobody's speech.
        spoken = [turn.role != "system" and shows_speech(turn.text) for turn in turns]
        hits = [
            (agent.find(turn.text) if turn.role == "agent" else customer.find(turn.text))
            if said
            else []
            for turn, said in zip(turns, spoken, strict=True)
        ]
        direction = transcript.direction or ("inbound" if choice.channel == "phone" else None)
        return cls(
            transcript=transcript,
            channel=choice.channel,
            direction=direction if choice.channel == "phone" else transcript.direction,
            hits=hits,
            agent=[i for i, turn in enumerate(turns) if turn.role == "agent" and spoken[i]],
            customer=[i for i, turn in enumerate(turns) if turn.role == "customer" and spoken[i]],
            speech=[i for i, said in enumerate(spoken) if said],
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

    def first(self, window: list[int], wanted: frozenset[str]) -> dict | None:
        """The first hit of a wanted rule or cue in the window's turns, as a quote."""
        for index in window:
            for found in self.hits[index]:
                if found.rule.id in wanted:
                    return self.quote(index, found)
        return None

    def starts_mid_way(self) -> bool:
        """True when the transcript's first speech continues an exchange we do not see.

        The first turn starts with an ellipsis or a continuing word (……对，那还是…) and greets
        nobody, or — on a call, whose recording starts when the agent picks up — the first
        turn starts more than 10 s into the call.
        """
        if not self.speech:
            return False
        first = self.speech[0]
        start = self.transcript.turns[first].start
        if self.channel == "phone" and start is not None and start > _LATE_START:
            return True
        greeted = any(found.rule.id in _GREETING_IDS for found in self.hits[first])
        words = self.channel != "phone"
        return continues_exchange(self.text(first), greeted, words) and not is_line_check(
            self.text(first)
        )


def _direction_source(transcript: Transcript, channel: Channel) -> str | None:
    """Where a call's direction came from: the record, or the default (inbound) when it does
    not say. Chats and threads have no direction to grade by."""
    if channel != "phone":
        return None
    return "record" if transcript.direction is not None else "default"


def _cues_by_role(profile: ScoreProfile) -> tuple[list[Rule], list[Rule]]:
    """The profile's cues looked for in agent turns, and those looked for in customer turns."""
    said_by_customers: set[str] = set()
    said_by_agents: set[str] = set()
    for expectation in profile.expectations:
        triggers = set(expectation.trigger)
        if expectation.trigger_role == "customer":
            said_by_customers |= triggers
        else:
            said_by_agents |= triggers
        said_by_customers |= set(expectation.met_by_customer)
        said_by_agents |= set(expectation.any_of) | set(expectation.unfinished_if)
        said_by_agents |= set(expectation.pending_if) | set(expectation.skip_if_said)
    agent = [cue for cue in profile.cues if cue.id in said_by_agents]
    customer = [cue for cue in profile.cues if cue.id in said_by_customers]
    return agent, customer


def _turns(window: list[int]) -> str:
    """1-based turn numbers for people: 第3轮, 第3–5轮."""
    if not window:
        return "无"
    first, last = window[0] + 1, window[-1] + 1
    return f"第{first}轮" if first == last else f"第{first}–{last}轮"


def _outcome(
    expectation: Expectation,
    status: str,
    reason: str,
    window: list[int] | None = None,
    trigger: dict | None = None,
    evidence: dict | None = None,
) -> dict:
    return {
        "expectation": expectation.id,
        "category": expectation.group,
        "where": expectation.where,
        "status": status,
        "reason": reason,
        "trigger": trigger,
        "evidence": evidence,
        "window": window or [],
    }


def _judge(expectation: Expectation, view: _View) -> Iterator[dict]:
    """The outcome(s) of one expectation: one for opening and closing, one per trigger."""
    if not view.agent:
        yield _outcome(expectation, "not_applicable", "no agent speech in the transcript")
        return
    if view.channel not in expectation.channels:
        yield _outcome(expectation, "not_applicable", f"not expected on the {view.channel} channel")
        return
    if view.channel == "phone" and view.direction not in expectation.directions:
        yield _outcome(expectation, "not_applicable", f"not expected on {view.direction} calls")
        return
    wanted = frozenset(expectation.any_of)
    if expectation.where == "opening":
        yield _opening(expectation, view, wanted)
    elif expectation.where == "closing":
        yield _closing(expectation, view, wanted)
    else:
        yield from _responses(expectation, view, wanted)


def _opening(expectation: Expectation, view: _View, wanted: frozenset[str]) -> dict:
    if view.starts_mid_way():
        return _outcome(
            expectation,
            "not_applicable",
            f"the transcript starts mid-way (第{view.speech[0] + 1}轮 continues an exchange)",
        )
    window: list[int] = []
    counted = 0
    # On a call, line checks (喂，听得到吗) do not use up the window; in chat a bare 嗯嗯 or
    # 在的 is the agent's first turn like any other.
    phone = view.channel == "phone"
    for index in view.agent:
        window.append(index)
        if not (phone and is_line_check(view.text(index))):
            counted += 1
            if counted == expectation.turns:
                break
    evidence = view.first(window, wanted)
    if evidence is not None:
        return _outcome(
            expectation,
            "met",
            f"said in 第{evidence['turn_index'] + 1}轮",
            window,
            evidence=evidence,
        )
    return _outcome(
        expectation, "missed", f"not said in the agent's opening ({_turns(window)})", window
    )


def _closing(expectation: Expectation, view: _View, wanted: frozenset[str]) -> dict:
    last = view.speech[-1]
    if last in view.customer and not is_closing_remark(view.text(last)):
        return _outcome(
            expectation,
            "not_applicable",
            f"the transcript ends on the customer (第{last + 1}轮) before the conversation ended",
        )
    busy = frozenset(expectation.unfinished_if)
    if busy and any(found.rule.id in busy for found in view.hits[view.agent[-1]]):
        return _outcome(
            expectation,
            "not_applicable",
            f"the transcript ends while the agent is still working (第{view.agent[-1] + 1}轮)",
        )
    if len(view.agent) < 2:
        return _outcome(
            expectation, "not_applicable", "one agent turn: its opening is all there is to judge"
        )
    # The closing is the agent's last turns after the first: the greeting is not a goodbye.
    window = view.agent[1:][-expectation.turns :]
    evidence = view.first(window, wanted)
    if evidence is not None:
        reason = f"said in 第{evidence['turn_index'] + 1}轮"
        return _outcome(expectation, "met", reason, window, evidence=evidence)
    last = view.agent[-1]
    if last == view.speech[-1] and view.text(last).rstrip().endswith(("?", "？")):
        return _outcome(
            expectation,
            "not_applicable",
            f"the transcript ends on the agent's question (第{last + 1}轮), before the end",
        )
    return _outcome(
        expectation, "missed", f"not said in the agent's closing ({_turns(window)})", window
    )


def _responses(expectation: Expectation, view: _View, wanted: frozenset[str]) -> Iterator[dict]:
    triggers = frozenset(expectation.trigger)
    weak = frozenset(expectation.weak_trigger)
    role_turns = view.customer if expectation.trigger_role == "customer" else view.agent
    given: dict | None = None
    looked = False  # for what the customer gave: only once a trigger goes unanswered
    judged = 0
    last_window: list[int] | None = None
    for index in role_turns:
        hits = view.hits[index]
        if not hits and EXASPERATION not in triggers:
            continue  # nothing found in the turn: no trigger
        text = view.text(index)
        found = _trigger(hits, triggers, weak, text)
        if found is not None:
            trigger = view.quote(index, found)
        elif EXASPERATION in triggers and (marks := exasperation(text)) is not None:
            trigger = {
                "turn_index": index,
                "role": view.transcript.turns[index].role,
                "rule_id": EXASPERATION,
                "start": marks.start(),
                "end": marks.end(),
                "text": marks.group(),
            }
        else:
            continue
        deferred = _after_answer(expectation, view, index, trigger)
        excuse = None if deferred is not None else _excuse(expectation, view, index, trigger)
        if excuse is not None:
            judged += 1
            yield _outcome(expectation, "not_applicable", excuse, trigger=trigger)
            continue
        window = _response_window(expectation, view, index) if deferred is None else deferred
        if not window:
            continue  # the transcript ends before the agent could answer
        if window == last_window:
            continue  # one outburst over several messages: one reply answers it all
        last_window = window
        judged += 1
        answer = view.first(window, wanted)
        if answer is None and expectation.met_earlier:
            answer = view.first([i for i in view.agent if i < window[0]], wanted)
        if answer is None and not looked:
            given, looked = _customer_gave(expectation, view), True
        if answer is not None:
            reason = f"answered in 第{answer['turn_index'] + 1}轮"
            yield _outcome(expectation, "met", reason, window, trigger, answer)
        elif given is not None:
            reason = f"the customer gave it in 第{given['turn_index'] + 1}轮"
            yield _outcome(expectation, "met", reason, window, trigger, given)
        else:
            yield _outcome(
                expectation,
                "missed",
                f"第{index + 1}轮 “{trigger['text']}” not answered in {_turns(window)}",
                window,
                trigger,
            )
    if not judged:
        yield _outcome(expectation, "not_applicable", "nothing in the transcript triggered it")


def _trigger(
    hits: list[Found], triggers: frozenset[str], weak: frozenset[str], text: str
) -> Found | None:
    """The turn's trigger: a strong cue, or a weak one outside a question (说好今天送的！ is a
    complaint, 说好的时间是明天对吧？ is not) or beside an exclamation mark, and never in an
    if-clause (要是有问题太麻烦了 imagines a trouble)."""
    strong = next((f for f in hits if f.rule.id in triggers and f.rule.id not in weak), None)
    if strong is not None:
        return strong
    for found in hits:
        if (
            found.rule.id in weak
            and (not in_question(text, found.start, found.end) or "!" in text or "！" in text)
            and not in_condition(text, found.start)
        ):
            return found
    return None


def _excuse(expectation: Expectation, view: _View, index: int, trigger: dict) -> str | None:
    """Why a trigger (a quote: its words and where they stand) needs no answer, or None."""
    said_words = trigger["text"]
    if expectation.skip_after_request and _moves_on(view, index, trigger):
        return f"第{index + 1}轮 “{said_words}” comes with a request: that needs the answer"
    if expectation.skip_if_asking and asks_customer(view.text(index), trigger["end"]):
        return f"第{index + 1}轮 asks the customer first; the check comes after their answer"
    said = frozenset(expectation.skip_if_said)
    if said and any(hit.rule.id in said for hit in view.hits[index]):
        return f"第{index + 1}轮 says the answer comes later, not while the customer waits"
    pending = frozenset(expectation.pending_if)
    if pending and _still_working(view, index, pending):
        return f"第{index + 1}轮 “{said_words}” comes while the agent is still working"
    return None


def _after_answer(
    expectation: Expectation, view: _View, index: int, trigger: dict
) -> list[int] | None:
    """With ``due_after_answer``, the agent turns where a check announced while asking the
    customer is due: the first ones after the customer's answer (empty when the transcript
    ends before). None when the option is off or the turn asks nothing."""
    if not (
        expectation.due_after_answer
        and asks_customer(view.text(index), trigger["end"])
    ):
        return None
    turns = view.transcript.turns
    # The answer may be a bare order number or a picture: any customer turn, speech or not.
    answer = next(
        (i for i in range(index + 1, len(turns)) if turns[i].role == "customer"), None
    )
    if answer is None:
        return []
    after = view.agent[bisect_right(view.agent, answer) :]
    return after[: expectation.turns + 1]


def _still_working(view: _View, index: int, cues: frozenset[str]) -> bool:
    """True when the agent's turn just before a customer's turn ends on one of ``cues``, or the
    agent's reply starts with one (正在查询，请稍等 / 谢谢 / 稍等，已为您发送): the matter is not
    done. A wait followed by the answer in the same turn (稍等 … 已为您办好 / 谢谢) is over."""
    position = bisect_left(view.agent, index)
    if position > 0:
        before = view.agent[position - 1]
        text = view.text(before)
        if any(
            hit.rule.id in cues and len(spoken_words(text[hit.end :])) <= _NEAR
            for hit in view.hits[before]
        ):
            return True
    if position < len(view.agent):
        reply = view.agent[position]
        text = view.text(reply)
        return any(
            hit.rule.id in cues and len(spoken_words(text[: hit.start])) <= _NEAR
            for hit in view.hits[reply]
        )
    return False


def _moves_on(view: _View, index: int, trigger: dict) -> bool:
    """True when a trigger comes with a request: in its own turn (麻烦尽快，谢谢; 谢谢，麻烦尽快
    发货 — but not 谢谢提醒。那多少钱？, thanks for what was done before a new question), in the
    customer's turn just before it, or in the customer's next turn, sent before the agent
    answered (谢谢 / 那什么时候到？), or the customer sends an order card or a link next."""
    text = view.text(index)
    start, end = trigger["start"], trigger["end"]
    if is_request(text[:start]) or is_request(text[end:], questions=False):
        return True
    turns = view.transcript.turns
    before = _previous_speech(view, index)
    if before is not None and turns[before].role == "customer" and is_request(turns[before].text):
        return True  # 麻烦帮我把赠品加回来 / 谢谢: the thanks goes with the request
    if index + 1 >= len(turns) or turns[index + 1].role != "customer":
        return False
    following = turns[index + 1].text
    if is_system_line(following):
        return not is_sticker(following)  # an order card or a link: on to the next matter
    return not is_closing_remark(following) and is_request(following)


def _previous_speech(view: _View, index: int) -> int | None:
    """The turn of speech just before ``index`` (system lines skipped), if any."""
    position = bisect_left(view.speech, index)
    return view.speech[position - 1] if position > 0 else None


def _response_window(expectation: Expectation, view: _View, index: int) -> list[int]:
    agent = view.agent
    reach = expectation.turns
    if expectation.trigger_role == "agent":
        position = bisect_left(agent, index)
        earlier = agent[max(0, position - reach) : position]
        if expectation.same_exchange:
            # 请您耐心稍等 / 现在到哪了？ / 我给您查询一下: that wait was not for this check.
            customer = view.customer
            here = bisect_left(customer, index)
            earlier = [i for i in earlier if bisect_left(customer, i) == here]
        return earlier + agent[position : position + reach + 1]
    following = agent[bisect_right(agent, index) :][:reach]
    if expectation.answer_before_next and following:
        # The agent's reply is the run of agent turns before the customer speaks again.
        customer = view.customer
        position = bisect_right(customer, following[0])
        if position < len(customer):
            following = [i for i in following if i < customer[position]]
    return following


def _customer_gave(expectation: Expectation, view: _View) -> dict | None:
    """A customer turn holding one of ``met_by_customer`` (a phone number already given)."""
    if not expectation.met_by_customer:
        return None
    found = view.first(view.customer, frozenset(expectation.met_by_customer))
    if found is None and PHONE_NUMBER in expectation.met_by_customer:
        for index in view.customer:
            match = phone_number(view.text(index))
            if match is not None:
                return {
                    "turn_index": index,
                    "role": "customer",
                    "rule_id": PHONE_NUMBER,
                    "start": match.start(),
                    "end": match.end(),
                    "text": match.group(),
                }
    return found


class _Deductions:
    """Points per violation under the profile's repeat policy."""

    def __init__(
        self,
        profile: ScoreProfile,
        phrases: dict[str, str],
        standard: set[str],
        expected: dict[str, list[dict]],
    ) -> None:
        self.profile = profile
        self.phrases = phrases
        self.standard = standard
        self.expected = expected
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
            "category": "rude",
            "rule_id": rule.id,
            "expectation": None,
            "turn_index": turn_index,
            "start": found.start,
            "end": found.end,
            "matched": found.matched,
            "trigger": None,
            "window": [],
            "expected": [],
            "severity": severity,
            "points": points,
            "repeat": repeat,
            "fatal": severity in policy.fatal_severities or rule.id in policy.fatal_rules,
            "message": (
                f"第{turn_index + 1}轮 服务忌语 {rule.id}「{rule.phrase}」：“{found.matched}”"
            ),
            "suggestion": rule.suggestion,
        }

    def missing(self, expectation: Expectation, outcome: dict) -> dict:
        repeat, points = self._repeat(expectation.id, expectation.points)
        trigger = outcome["trigger"]
        window = outcome["window"]
        searched = f"查看了{_turns(window)}坐席发言"
        if trigger is not None:
            said = "客户" if trigger["role"] == "customer" else "坐席"
            where = f"第{trigger['turn_index'] + 1}轮{said}说“{trigger['text']}”，"
        else:
            where = ""
        message = expectation.message or f"expected one of {', '.join(expectation.any_of)}"
        standard = [i for i in expectation.any_of if i in self.standard]
        return {
            "kind": _MISSING_KIND[expectation.where],
            "category": expectation.group,
            "rule_id": None,
            "expectation": expectation.id,
            "turn_index": trigger["turn_index"] if trigger is not None else None,
            "start": None,
            "end": None,
            "matched": None,
            "trigger": trigger,
            "window": window,
            "expected": self.expected[expectation.id],
            "severity": expectation.severity,
            "points": points,
            "repeat": repeat,
            "fatal": False,
            "message": f"{where}{message}（{searched}）",
            "suggestion": self.phrases.get(standard[0]) if standard else None,
        }
