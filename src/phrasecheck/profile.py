"""Score profiles: which expectations apply, what each costs, what fails a transcript."""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from phrasecheck.resources import bundled_profile_file
from phrasecheck.rules.kinds import kind_of_id
from phrasecheck.rules.model import SEVERITIES, Rule, Severity, content_hash
from phrasecheck.transcript import Channel, Direction
from phrasecheck.yamlfile import DataFileError, line_of, read_yaml, validation_problems

PHONE_NUMBER = "phone_number"  # in met_by_customer: a customer turn gives a phone number
# In trigger: a run of ？！？！ or a why-question ending in ！ — exasperation that normalised
# words cannot show.
EXASPERATION = "exasperation"


class ProfileError(DataFileError):
    """A score profile that cannot be used; every problem names its line and field."""


class TabooPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    points: dict[Severity, Annotated[float, Field(ge=0)]] = Field(
        default={"minor": 5, "major": 10, "critical": 20}
    )
    fatal_severities: list[Severity] = Field(default_factory=lambda: ["critical"])  # type: ignore[arg-type]
    fatal_rules: list[str] = Field(default_factory=list)
    tolerate_line_checks: list[str] = Field(
        default_factory=list,
        description="Taboo rules not held against a turn that only checks the line "
        "(喂，您好，听得到吗？ to a silent caller).",
    )
    repeat_factor: float = Field(default=0.5, ge=0)
    repeat_cap: int = Field(default=3, ge=1)

    @model_validator(mode="after")
    def _every_severity_costs_something(self) -> TabooPolicy:
        missing = [s for s in SEVERITIES if s not in self.points]
        if missing:
            raise ValueError(f"points needs a value for {', '.join(missing)}")
        return self


class Expectation(BaseModel):
    """A polite phrase the agent must say somewhere."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    category: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="QA category it reports under (greeting, closing…); default: the id.",
    )
    where: Literal["opening", "closing", "response"]
    any_of: list[str] = Field(min_length=1, description="Rule or cue ids that satisfy it.")
    turns: int = Field(default=2, ge=0)
    points: float = Field(ge=0)
    severity: Severity = "minor"
    channels: list[Channel] = Field(default_factory=lambda: list(get_args(Channel)))
    directions: list[Direction] = Field(
        default_factory=lambda: list(get_args(Direction)),
        description="Phone calls only: chats and threads have no direction.",
    )
    trigger: list[str] = Field(default_factory=list)
    trigger_role: Literal["agent", "customer"] | None = None
    weak_trigger: list[str] = Field(
        default_factory=list,
        description="Trigger cues that count only outside a question or beside an "
        "exclamation mark: 说好今天送的！ complains, 说好的时间是明天对吧？ asks.",
    )
    answer_before_next: bool = Field(
        default=False,
        description="A customer trigger must be answered before the customer speaks again.",
    )
    skip_after_request: bool = Field(
        default=False,
        description="A trigger that follows a request in its own turn, or is followed by the "
        "customer's next request before the agent answers, does not count: 麻烦尽快，谢谢 is "
        "thanks in advance, and 谢谢 / 那什么时候到？ needs the question answered.",
    )
    skip_if_asking: bool = Field(
        default=False,
        description="An agent trigger in a turn that asks the customer for something does "
        "not count: 请提供订单号，我帮您查一下 waits for the customer, not the reverse.",
    )
    due_after_answer: bool = Field(
        default=False,
        description="With skip_if_asking: the check a turn announces while asking the customer "
        "(请提供订单号，帮您查询) is due once the customer answers, in the agent's next turns "
        "after that answer (the order number arrives: 请稍等 is expected then).",
    )
    pending_if: list[str] = Field(
        default_factory=list,
        description="Customer triggers only: rule or cue ids that, in the agent's turn just "
        "before the trigger or in the agent's reply, show the agent was still working "
        "(正在查询，请稍等 / 谢谢 / 稍等，已为您发送): thanks said then is thanks in advance.",
    )
    same_exchange: bool = Field(
        default=False,
        description="Agent triggers only: an agent turn before the trigger counts only when "
        "the customer did not speak in between (请您耐心稍等 / 现在到哪了？ / 我给您查一下: "
        "that wait was not for this check).",
    )
    met_earlier: bool = Field(
        default=False,
        description="Agent triggers only: an answer anywhere before the trigger meets it "
        "(contact details asked for once do for every later callback promise).",
    )
    skip_if_said: list[str] = Field(
        default_factory=list,
        description="Agent triggers only: rule or cue ids that, in the trigger's own turn, "
        "excuse it (帮您核实下，站点会联系您: the answer comes later, not while the customer "
        "waits in the chat).",
    )
    met_by_customer: list[str] = Field(
        default_factory=list,
        description="Cue ids that also meet it when a customer turn holds them (a customer "
        "who already gave a phone number need not be asked for it).",
    )
    unfinished_if: list[str] = Field(
        default_factory=list,
        description="Closing only: rule or cue ids that, in the agent's last turn, show the "
        "conversation had not ended (the agent went off to check: 稍等，我查一下).",
    )
    message: str = ""

    @property
    def group(self) -> str:
        """The QA category this expectation reports under."""
        return self.category or self.id

    @model_validator(mode="after")
    def _options_fit_where(self) -> Expectation:
        """Options that would do nothing where they are placed are errors, not silence."""
        if not self.channels:
            raise ValueError("channels must name at least one of phone, chat, social")
        misplaced = []
        if self.where != "response":
            misplaced += [
                name
                for name in (
                    "answer_before_next",
                    "skip_after_request",
                    "skip_if_asking",
                    "same_exchange",
                    "met_earlier",
                )
                if getattr(self, name)
            ]
            misplaced += [
                name
                for name in ("met_by_customer", "weak_trigger", "pending_if", "skip_if_said")
                if getattr(self, name)
            ]
        if self.where != "closing" and self.unfinished_if:
            misplaced.append("unfinished_if")
        if self.trigger_role == "agent" and (self.answer_before_next or self.skip_after_request):
            misplaced += ["answer_before_next/skip_after_request (customer triggers only)"]
        if self.trigger_role == "agent" and self.pending_if:
            misplaced.append("pending_if (customer triggers only)")
        if self.trigger_role == "customer" and (
            self.skip_if_asking or self.skip_if_said or self.same_exchange or self.met_earlier
        ):
            misplaced.append(
                "skip_if_asking/skip_if_said/same_exchange/met_earlier (agent triggers only)"
            )
        if misplaced:
            raise ValueError(f"{', '.join(misplaced)} do(es) nothing on a {self.where} expectation")
        if self.due_after_answer and not self.skip_if_asking:
            raise ValueError("due_after_answer needs skip_if_asking: true")
        unknown = sorted(set(self.weak_trigger) - set(self.trigger))
        if unknown:
            raise ValueError(f"weak_trigger {', '.join(unknown)} must also be listed in trigger")
        return self

    @model_validator(mode="after")
    def _responses_have_triggers(self) -> Expectation:
        if self.where == "response" and not (self.trigger and self.trigger_role):
            raise ValueError("a response expectation needs trigger (cue ids) and trigger_role")
        if self.where != "response" and (self.trigger or self.trigger_role):
            raise ValueError(f"trigger only applies to response expectations, not {self.where}")
        if self.where != "response" and self.turns < 1:
            raise ValueError("opening and closing expectations need turns of at least 1")
        return self


class ScoreProfile(BaseModel):
    """Everything that turns hits into a score; loaded from YAML and validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: int = Field(default=1, alias="schema")
    name: str = "custom"
    source: str | None = Field(default=None, exclude=True, description="The file it came from.")
    pass_mark: float = Field(default=80, ge=0, le=100)
    taboo: TabooPolicy = Field(default_factory=TabooPolicy)
    expectations: list[Expectation] = Field(default_factory=list)
    cues: list[Rule] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _cues_are_cue_rules(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("cues"), list):
            cues = [{**c, "kind": "cue"} if isinstance(c, dict) else c for c in data["cues"]]
            data = {**data, "cues": cues}
        return data

    @model_validator(mode="after")
    def _references_exist(self) -> ScoreProfile:
        if self.schema_ != 1:
            raise ValueError(f"schema must be 1, got {self.schema_}")
        cue_ids = [cue.id for cue in self.cues]
        if len(set(cue_ids)) != len(cue_ids):
            raise ValueError("cue ids must be unique")
        ids = [e.id for e in self.expectations]
        if len(set(ids)) != len(ids):
            raise ValueError("expectation ids must be unique")
        for expectation in self.expectations:
            unknown = [c for c in expectation.trigger if c not in cue_ids and c != EXASPERATION]
            unknown += [
                c for c in expectation.met_by_customer if c not in cue_ids and c != PHONE_NUMBER
            ]
            unknown += [c for c in expectation.any_of if _is_cue(c) and c not in cue_ids]
            unknown += [
                c
                for c in (
                    *expectation.unfinished_if,
                    *expectation.pending_if,
                    *expectation.skip_if_said,
                )
                if _is_cue(c) and c not in cue_ids
            ]
            if unknown:
                raise ValueError(
                    f"expectation {expectation.id} names undefined cue(s) {', '.join(unknown)}"
                )
        return self

    @property
    def version(self) -> str:
        """A content hash of the profile (12 hex digits), as :attr:`RuleSet.version`."""
        return content_hash(self.model_dump(mode="json", by_alias=True))

    def rule_ids(self) -> set[str]:
        """Ids of standard rules (not cues) that the profile refers to."""
        ids = {
            r
            for e in self.expectations
            for r in (*e.any_of, *e.unfinished_if, *e.pending_if, *e.skip_if_said)
            if not _is_cue(r)
        }
        return ids | set(self.taboo.fatal_rules) | set(self.taboo.tolerate_line_checks)


    def unknown_rules_error(self, known: set[str]) -> ProfileError | None:
        """The error for rule ids the profile names that are not in ``known``: one problem per
        place, with the line in the profile file (``p.yaml:12: field 'expectations.3.any_of',
        item 2: ...``) when the profile came from one."""
        places: list[tuple[tuple[str | int, ...], str]] = []
        for index, expectation in enumerate(self.expectations):
            for name in ("any_of", "unfinished_if", "pending_if", "skip_if_said"):
                for item, rule_id in enumerate(getattr(expectation, name)):
                    if not _is_cue(rule_id) and rule_id not in known:
                        places.append((("expectations", index, name, item), rule_id))
        for name in ("fatal_rules", "tolerate_line_checks"):
            for item, rule_id in enumerate(getattr(self.taboo, name)):
                if rule_id not in known:
                    places.append((("taboo", name, item), rule_id))
        if not places:
            return None
        document = None
        if self.source is not None and Path(self.source).is_file():
            try:
                document = read_yaml(Path(self.source), ProfileError)[1]
            except ProfileError:
                document = None
        problems = []
        for location, rule_id in places:
            *field, position = location
            where = ".".join(str(part) for part in field)
            line = f"{line_of(document, location)}:" if document is not None else ""
            problems.append(
                f"{line} field '{where}', item {int(position) + 1}: refers to rule {rule_id}, "
                "which is not in the rule set"
            )
        return ProfileError(self.source or self.name, problems)


def _is_cue(rule_id: str) -> bool:
    return kind_of_id(rule_id) == "cue"


def load_profile(path: str | PathLike[str] | None = None) -> ScoreProfile:
    """Load and validate a score profile; with no argument, the bundled default."""
    path = Path(path) if path is not None else bundled_profile_file()
    data, document = read_yaml(path, ProfileError)
    if not isinstance(data, dict):
        raise ProfileError(path, ["1: expected a mapping (schema, name, pass_mark, ...)"])
    try:
        return ScoreProfile.model_validate({**data, "source": str(path)})
    except ValidationError as error:
        raise ProfileError(path, validation_problems(error, document)) from None
