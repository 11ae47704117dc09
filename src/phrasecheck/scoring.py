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
from collections.abc import Iterator, Sequence
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
from phrasecheck.failures import as_exception, recoverable
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
from phrasecheck.scoreview import View
from phrasecheck.speech import (
    asks_customer,
    asks_who_next,
    checks_the_line,
    exasperation,
    greets_next,
    in_condition,
    in_question,
    is_closing_remark,
    is_request,
    is_sticker,
    is_system_line,
    phone_number,
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
        self._expecting = [
            _Expecting.of(e, self._phrases, self._standard) for e in self.profile.expectations
        ]
        self._tolerated = frozenset(self.profile.taboo.tolerate_line_checks)
        # What each hit of an agent turn is to the report: a violation, polite, or neither.
        self._hit_kinds = {
            rule.id: "violation" if KINDS[rule.kind].violation else rule.kind for rule in combined
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
        transcript, choice = self._prepare(transcript, channel)
        view = View.build(transcript, choice, self.checker, self.customer_checker)
        return self._report(transcript, choice, view)

    def report_data_many(
        self, transcripts: Sequence[Transcript | list | dict], channel: Channel | str | None = None
    ) -> list[dict | Exception]:
        """:meth:`report_data` of each transcript, in order, or the exception it raised for
        that transcript. The matcher is called once per role for all of them: the batch
        path scores its records a chunk at a time."""
        results: list[dict | Exception] = []
        prepared: list[tuple[int, tuple[Transcript, ChannelChoice]]] = []
        for item in transcripts:
            try:
                prepared.append((len(results), self._prepare(item, channel)))
                results.append({})  # filled in below
            except Exception as error:
                results.append(error)
        try:
            views = View.build_many(
                [item for _, item in prepared], self.checker, self.customer_checker
            )
        except BaseException as error:  # one transcript broke the matcher: each on its own
            if not recoverable(error):
                raise
            return [self._report_or_error(item, channel) for item in transcripts]
        for (position, (transcript, choice)), view in zip(prepared, views, strict=True):
            try:
                results[position] = self._report(transcript, choice, view)
            except BaseException as error:
                if not recoverable(error):
                    raise
                results[position] = as_exception(error)
        return results

    def _report_or_error(
        self, transcript: Transcript | list | dict, channel: Channel | str | None
    ) -> dict | Exception:
        try:
            return self.report_data(transcript, channel)
        except BaseException as error:  # a core panic too (failures.py)
            if not recoverable(error):
                raise
            return as_exception(error)

    def _prepare(
        self, transcript: Transcript | list | dict, channel: Channel | str | None
    ) -> tuple[Transcript, ChannelChoice]:
        """The transcript validated, and the channel it is graded by."""
        channel = parse_channel(channel) if channel is not None else None
        transcript = Transcript.coerce(transcript)
        return transcript, choose_channel(transcript, channel)

    def _report(self, transcript: Transcript, choice: ChannelChoice, view: View) -> dict:
        """The report's plain data of a transcript seen through ``view``."""
        deductions = _Deductions(self.profile)
        violations: list[dict] = []
        polite: list[dict] = []
        tolerated, hit_kinds, hits = self._tolerated, self._hit_kinds, view.hits
        for index in view.agent:
            for found in hits[index]:
                rule_id = found.rule.id
                if rule_id in tolerated:
                    text = view.text(index)
                    if (
                        greets_next(text, found.end)
                        or checks_the_line(text)
                        or asks_who_next(text, found.end)
                    ):
                        continue  # 喂您好，… / 喂，您好，听得到吗？/ 喂，是张先生吗？: tolerated
                kind = hit_kinds[rule_id]
                if kind == "violation":
                    violations.append(deductions.taboo(found, index))
                elif kind == "polite":
                    polite.append(
                        {"rule_id": rule_id, "turn_index": index, "matched": found.matched}
                    )

        outcomes: list[dict] = []
        for expecting in self._expecting:
            for outcome in _judge(expecting, view):
                outcomes.append(outcome)
                if outcome["status"] == "missed":
                    violations.append(deductions.missing(expecting, outcome))

        scorable = bool(view.agent)
        lost = sum([v["points"] for v in violations])
        score = round(max(0.0, 100.0 - lost), 2) if scorable else None
        fatal = any([v["fatal"] for v in violations])
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
                "agent_turns": view.agent_turns,
                "customer_turns": view.customer_turns,
                "taboo": [v["kind"] for v in violations].count("taboo"),
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


@dataclass(frozen=True)
class _Expecting:
    """An expectation with its id lists as sets and its fixed report texts.

    Made once per Scorer: every transcript (and every trigger in it) used to build the same
    sets and texts again.
    """

    expectation: Expectation
    id: str
    group: str
    where: str
    any_of: frozenset[str]
    trigger: frozenset[str]
    weak_trigger: frozenset[str]
    strong_trigger: frozenset[str]
    exasperation: bool  # the trigger includes an exasperated outburst (no cue: a pattern)
    unfinished_if: frozenset[str]
    skip_if_said: frozenset[str]
    pending_if: frozenset[str]
    met_by_customer: frozenset[str]
    excusable: bool  # a trigger may need no answer (skip_… or pending_if)
    missing_kind: str
    message: str
    suggestion: str | None
    expected: list[dict]  # what would have met it: one list, shared by every report missing it

    @classmethod
    def of(
        cls, expectation: Expectation, phrases: dict[str, str], standard: set[str]
    ) -> _Expecting:
        first_standard = next((i for i in expectation.any_of if i in standard), None)
        return cls(
            expectation=expectation,
            id=expectation.id,
            group=expectation.group,
            where=expectation.where,
            any_of=frozenset(expectation.any_of),
            trigger=frozenset(expectation.trigger),
            weak_trigger=frozenset(expectation.weak_trigger),
            strong_trigger=frozenset(expectation.trigger) - frozenset(expectation.weak_trigger),
            exasperation=EXASPERATION in expectation.trigger,
            unfinished_if=frozenset(expectation.unfinished_if),
            skip_if_said=frozenset(expectation.skip_if_said),
            pending_if=frozenset(expectation.pending_if),
            met_by_customer=frozenset(expectation.met_by_customer),
            excusable=bool(
                expectation.skip_after_request
                or expectation.skip_if_asking
                or expectation.skip_if_said
                or expectation.pending_if
            ),
            missing_kind=_MISSING_KIND[expectation.where],
            message=expectation.message or f"expected one of {', '.join(expectation.any_of)}",
            suggestion=phrases.get(first_standard) if first_standard is not None else None,
            expected=[{"id": i, "phrase": phrases.get(i, i)} for i in expectation.any_of],
        )


def _outcome(
    expecting: _Expecting,
    status: str,
    reason: str,
    window: list[int] | None = None,
    trigger: dict | None = None,
    evidence: dict | None = None,
) -> dict:
    return {
        "expectation": expecting.id,
        "category": expecting.group,
        "where": expecting.where,
        "status": status,
        "reason": reason,
        "trigger": trigger,
        "evidence": evidence,
        "window": window or [],
    }


def _judge(expecting: _Expecting, view: View) -> Iterator[dict]:
    """The outcome(s) of one expectation: one for opening and closing, one per trigger."""
    expectation = expecting.expectation
    if not view.agent:
        yield _outcome(expecting, "not_applicable", "no agent speech in the transcript")
        return
    if view.channel not in expectation.channels:
        yield _outcome(expecting, "not_applicable", f"not expected on the {view.channel} channel")
        return
    if view.channel == "phone" and view.direction not in expectation.directions:
        yield _outcome(expecting, "not_applicable", f"not expected on {view.direction} calls")
        return
    if expecting.where == "opening":
        yield _opening(expecting, view)
    elif expecting.where == "closing":
        yield _closing(expecting, view)
    else:
        yield from _responses(expecting, view)


def _opening(expecting: _Expecting, view: View) -> dict:
    if view.starts_mid_way():
        return _outcome(
            expecting,
            "not_applicable",
            f"the transcript starts mid-way (第{view.speech[0] + 1}轮 continues an exchange)",
        )
    window = view.opening(expecting.expectation.turns)
    evidence = view.first(window, expecting.any_of)
    if evidence is not None:
        return _outcome(
            expecting,
            "met",
            f"said in 第{evidence['turn_index'] + 1}轮",
            window,
            evidence=evidence,
        )
    return _outcome(
        expecting, "missed", f"not said in the agent's opening ({_turns(window)})", window
    )


def _closing(expecting: _Expecting, view: View) -> dict:
    last = view.speech[-1]
    if last in view.customer and not is_closing_remark(view.text(last)):
        return _outcome(
            expecting,
            "not_applicable",
            f"the transcript ends on the customer (第{last + 1}轮) before the conversation ended",
        )
    if view.holds(view.agent[-1], expecting.unfinished_if):
        return _outcome(
            expecting,
            "not_applicable",
            f"the transcript ends while the agent is still working (第{view.agent[-1] + 1}轮)",
        )
    if len(view.agent) < 2:
        return _outcome(
            expecting, "not_applicable", "one agent turn: its opening is all there is to judge"
        )
    # The closing is the agent's last turns after the first: the greeting is not a goodbye.
    window = view.agent[1:][-expecting.expectation.turns :]
    evidence = view.first(window, expecting.any_of)
    if evidence is not None:
        reason = f"said in 第{evidence['turn_index'] + 1}轮"
        return _outcome(expecting, "met", reason, window, evidence=evidence)
    last = view.agent[-1]
    if last == view.speech[-1] and view.text(last).rstrip().endswith(("?", "？")):
        return _outcome(
            expecting,
            "not_applicable",
            f"the transcript ends on the agent's question (第{last + 1}轮), before the end",
        )
    return _outcome(
        expecting, "missed", f"not said in the agent's closing ({_turns(window)})", window
    )


def _responses(expecting: _Expecting, view: View) -> Iterator[dict]:
    triggers = expecting.trigger
    outbursts = expecting.exasperation  # looked for in every turn, hits or not
    expectation = expecting.expectation
    if expectation.trigger_role == "customer":
        role_turns, role_ids = view.customer, view.customer_ids
    else:
        role_turns, role_ids = view.agent, view.agent_ids
    if not outbursts and role_ids.isdisjoint(triggers):
        # No turn of the role holds a trigger cue: most expectations in most transcripts.
        yield _outcome(expecting, "not_applicable", "nothing in the transcript triggered it")
        return
    given: dict | None = None
    looked = False  # for what the customer gave: only once a trigger goes unanswered
    judged = 0
    last_window: list[int] | None = None
    ids, hits, turns = view.ids, view.hits, view.transcript.turns
    for index in role_turns:
        cued = not ids[index].isdisjoint(triggers)
        if not cued and not outbursts:
            continue  # no trigger cue in the turn
        text = turns[index].text
        found = _trigger(hits[index], expecting, text) if cued else None
        if found is not None:
            trigger = view.quote(index, found)
        elif outbursts and (marks := exasperation(text)) is not None:
            trigger = {
                "turn_index": index,
                "role": turns[index].role,
                "rule_id": EXASPERATION,
                "start": marks.start(),
                "end": marks.end(),
                "text": marks.group(),
            }
        else:
            continue
        deferred = _after_answer(expectation, view, index, trigger)
        excuse = (
            _excuse(expecting, view, index, trigger, asking=deferred is None)
            if expecting.excusable
            else None
        )
        if excuse is not None:
            judged += 1
            yield _outcome(expecting, "not_applicable", excuse, trigger=trigger)
            continue
        window = _response_window(expectation, view, index) if deferred is None else deferred
        if not window:
            continue  # the transcript ends before the agent could answer
        if window == last_window:
            continue  # one outburst over several messages: one reply answers it all
        last_window = window
        judged += 1
        answer = view.first(window, expecting.any_of)
        if answer is None and expectation.met_earlier:
            answer = view.first([i for i in view.agent if i < window[0]], expecting.any_of)
        if answer is None and not looked:
            given, looked = _customer_gave(expecting, view), True
        if answer is not None:
            reason = f"answered in 第{answer['turn_index'] + 1}轮"
            yield _outcome(expecting, "met", reason, window, trigger, answer)
        elif given is not None:
            reason = f"the customer gave it in 第{given['turn_index'] + 1}轮"
            yield _outcome(expecting, "met", reason, window, trigger, given)
        else:
            yield _outcome(
                expecting,
                "missed",
                f"第{index + 1}轮 “{trigger['text']}” not answered in {_turns(window)}",
                window,
                trigger,
            )
    if not judged:
        yield _outcome(expecting, "not_applicable", "nothing in the transcript triggered it")


def _trigger(hits: list[Found], expecting: _Expecting, text: str) -> Found | None:
    """The turn's trigger: a strong cue, or a weak one outside a question (说好今天送的！ is a
    complaint, 说好的时间是明天对吧？ is not) or beside an exclamation mark, and never in an
    if-clause (要是有问题太麻烦了 imagines a trouble)."""
    strong = expecting.strong_trigger
    for found in hits:
        if found.rule.id in strong:
            return found
    weak = expecting.weak_trigger
    if not weak:
        return None
    for found in hits:
        if (
            found.rule.id in weak
            and (not in_question(text, found.start, found.end) or "!" in text or "！" in text)
            and not in_condition(text, found.start)
        ):
            return found
    return None


def _excuse(
    expecting: _Expecting, view: View, index: int, trigger: dict, asking: bool = True
) -> str | None:
    """Why a trigger (a quote: its words and where they stand) needs no answer, or None.
    ``asking=False``: asking the customer first is no excuse (``due_after_answer``)."""
    expectation = expecting.expectation
    said_words = trigger["text"]
    if expectation.skip_after_request and _moves_on(view, index, trigger):
        return f"第{index + 1}轮 “{said_words}” comes with a request: that needs the answer"
    if (
        asking
        and expectation.skip_if_asking
        and asks_customer(view.text(index), trigger["end"])
    ):
        return f"第{index + 1}轮 asks the customer first; the check comes after their answer"
    if view.holds(index, expecting.skip_if_said):
        return f"第{index + 1}轮 says the answer comes later, not while the customer waits"
    pending = expecting.pending_if
    if pending and _still_working(view, index, pending):
        return f"第{index + 1}轮 “{said_words}” comes while the agent is still working"
    return None


def _after_answer(
    expectation: Expectation, view: View, index: int, trigger: dict
) -> list[int] | None:
    """With ``due_after_answer``, the agent turns where a check announced while asking the
    customer is due: its own turn (请提供订单号，请稍等，帮您查询 announces the wait at once) and
    the first ones after the customer's answer (none when the transcript ends before it).
    None when the option is off or the turn asks nothing."""
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
    return [index, *after[: expectation.turns + 1]]


def _still_working(view: View, index: int, cues: frozenset[str]) -> bool:
    """True when the agent's turn just before a customer's turn ends on one of ``cues``, or the
    agent's reply starts with one (正在查询，请稍等 / 谢谢 / 稍等，已为您发送): the matter is not
    done. A wait followed by the answer in the same turn (稍等 … 已为您办好 / 谢谢) is over."""
    position = bisect_left(view.agent, index)
    if position > 0:
        before = view.agent[position - 1]
        if view.holds(before, cues):
            text = view.text(before)
            if any(
                hit.rule.id in cues and len(spoken_words(text[hit.end :])) <= _NEAR
                for hit in view.hits[before]
            ):
                return True
    if position < len(view.agent):
        reply = view.agent[position]
        if not view.holds(reply, cues):
            return False
        text = view.text(reply)
        return any(
            hit.rule.id in cues and len(spoken_words(text[: hit.start])) <= _NEAR
            for hit in view.hits[reply]
        )
    return False


def _moves_on(view: View, index: int, trigger: dict) -> bool:
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


def _previous_speech(view: View, index: int) -> int | None:
    """The turn of speech just before ``index`` (system lines skipped), if any."""
    position = bisect_left(view.speech, index)
    return view.speech[position - 1] if position > 0 else None


def _response_window(expectation: Expectation, view: View, index: int) -> list[int]:
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


def _customer_gave(expecting: _Expecting, view: View) -> dict | None:
    """A customer turn holding one of ``met_by_customer`` (a phone number already given)."""
    wanted = expecting.met_by_customer
    if not wanted:
        return None
    found = None if view.customer_ids.isdisjoint(wanted) else view.first(view.customer, wanted)
    if found is None and PHONE_NUMBER in wanted:
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

    def __init__(self, profile: ScoreProfile) -> None:
        self.profile = profile
        self.seen: dict[str, int] = {}

    def _repeat(self, key: str, base: float) -> tuple[int, float]:
        count = self.seen[key] = self.seen.get(key, 0) + 1
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

    def missing(self, expecting: _Expecting, outcome: dict) -> dict:
        repeat, points = self._repeat(expecting.id, expecting.expectation.points)
        trigger = outcome["trigger"]
        window = outcome["window"]
        searched = f"查看了{_turns(window)}坐席发言"
        if trigger is not None:
            said = "客户" if trigger["role"] == "customer" else "坐席"
            where = f"第{trigger['turn_index'] + 1}轮{said}说“{trigger['text']}”，"
        else:
            where = ""
        return {
            "kind": expecting.missing_kind,
            "category": expecting.group,
            "rule_id": None,
            "expectation": expecting.id,
            "turn_index": trigger["turn_index"] if trigger is not None else None,
            "start": None,
            "end": None,
            "matched": None,
            "trigger": trigger,
            "window": window,
            "expected": expecting.expected,
            "severity": expecting.expectation.severity,
            "points": points,
            "repeat": repeat,
            "fatal": False,
            "message": f"{where}{expecting.message}（{searched}）",
            "suggestion": expecting.suggestion,
        }
