"""Transcripts: who said what, in order, with the call's metadata."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from phrasecheck.textsafety import scrub, scrub_all

# system: lines nobody in the conversation said (a bot, an IVR, an export's notices). They are
# kept in the transcript, so turn numbers stay as exported, but they are not speech to judge.
Role = Literal["agent", "customer", "system"]
Channel = Literal["phone", "chat", "social"]
Direction = Literal["inbound", "outbound"]

# Names exports use for the channels, folded to the three the profile grades by.
CHANNEL_ALIASES: dict[str, Channel] = {
    "phone": "phone",
    "call": "phone",
    "voice": "phone",
    "telephone": "phone",
    "电话": "phone",
    "热线": "phone",
    "chat": "chat",
    "im": "chat",
    "online": "chat",
    "web": "chat",
    "app": "chat",
    "在线": "chat",
    "在线客服": "chat",
    "wechat": "chat",
    "微信": "chat",
    "email": "chat",
    "social": "social",
    "weibo": "social",
    "微博": "social",
    "review": "social",
    "comment": "social",
}

ROLE_LABELS: dict[str, Role] = {
    "agent": "agent",
    "customer": "customer",
    "坐席": "agent",
    "座席": "agent",
    "客服": "agent",
    "客服人员": "agent",
    "话务员": "agent",
    "staff": "agent",
    "客户": "customer",
    "用户": "customer",
    "业主": "customer",
    "顾客": "customer",
    "来电人": "customer",
    "caller": "customer",
    "user": "customer",
    "system": "system",
    "bot": "system",
    "robot": "system",
    "ivr": "system",
    "系统": "system",
    "系统消息": "system",
    "机器人": "system",
    "智能客服": "system",
    "自动回复": "system",
}


def parse_channel(name: str) -> Channel:
    """A channel name or an export's alias (call, im, weibo, 微信…) as phone, chat or social."""
    channel = CHANNEL_ALIASES.get(name.strip().lower()) if isinstance(name, str) else None
    if channel is None:
        raise ValueError(f"unknown channel {name!r}; use phone, chat or social")
    return channel


def parse_role(label: str) -> Role:
    """Map a role label (agent/customer or a common Chinese label) to a role."""
    if type(label) is str and label in ROLE_LABELS:  # as written: every turn of most exports
        return ROLE_LABELS[label]  # the labels are stripped and lower case already
    role = ROLE_LABELS.get(label.strip().lower()) if isinstance(label, str) else None
    if role is None:
        known = "agent, customer, system, 坐席, 客服, 客户, 用户, 业主, 系统, 机器人"
        raise ValueError(f"unknown role {label!r}; use one of {known}")
    return role


class Turn(BaseModel):
    """One turn of speech or one chat message."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    role: Role
    text: str
    start: float | None = Field(default=None, ge=0, description="Seconds from the call start.")
    end: float | None = Field(default=None, ge=0)

    @field_validator("role", mode="before")
    @classmethod
    def _known_role(cls, value: Any) -> Role:
        return parse_role(value)

    @field_validator("text")
    @classmethod
    def _valid_unicode(cls, text: str) -> str:
        """Lone surrogates (from a ``\\ud800`` JSON escape) become U+FFFD, one for one, so
        offsets still hold and every report can be written as UTF-8."""
        return scrub(text)


class Transcript(BaseModel):
    """A call or chat: ordered turns plus what is known about it.

    A plain list of ``{"role": ..., "text": ...}`` dicts is accepted wherever a transcript is.
    ``channel`` is phone, chat or social (common export names such as ``call`` or ``weibo``
    are accepted); when it is missing the scorer infers it (:mod:`phrasecheck.channels`).
    ``direction`` matters for phone calls only; a call that does not say is inbound.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = "transcript"
    agent_id: str | None = None
    channel: Channel | None = None
    direction: Direction | None = None
    started_at: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    turns: list[Turn] = Field(description="Required: an object without turns is no transcript.")

    @model_validator(mode="before")
    @classmethod
    def _accept_a_list_of_turns(cls, value: Any) -> Any:
        if isinstance(value, list):
            return {"turns": value}
        if isinstance(value, dict) and "turns" not in value and _is_a_report(value):
            raise ValueError(
                "this is a phrasecheck report, not a transcript (it has schema_version and "
                "transcript_id, score or error, but no turns)"
            )
        return value

    @field_validator("id", "agent_id", mode="before")
    @classmethod
    def _ids_as_text(cls, value: Any) -> Any:
        value = str(value) if isinstance(value, int) else value
        return scrub(value) if isinstance(value, str) else value

    @field_validator("started_at", "metadata", mode="before")
    @classmethod
    def _writable_text(cls, value: Any) -> Any:
        """Lone surrogates become U+FFFD here too, so every report can be written."""
        return scrub_all(value)

    @field_validator("channel", mode="before")
    @classmethod
    def _channel_alias(cls, value: Any) -> Any:
        if isinstance(value, str):
            folded = value.strip().lower()
            if not folded:
                return None
            return CHANNEL_ALIASES.get(folded, value)
        return value

    @field_validator("direction", mode="before")
    @classmethod
    def _direction_case(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip().lower() or None
        return value

    @classmethod
    def coerce(cls, value: Transcript | list | dict) -> Transcript:
        return value if isinstance(value, Transcript) else cls.model_validate(value)

    def agent_turn_indexes(self) -> list[int]:
        return [index for index, turn in enumerate(self.turns) if turn.role == "agent"]


def _is_a_report(data: dict[str, Any]) -> bool:
    """phrasecheck's own output (a ScoreReport or an error record) fed back as input."""
    return "schema_version" in data and bool({"transcript_id", "score", "error"} & data.keys())
