"""Limits a client may not exceed, and RFC 9457 problem details for every error.

A chat tool written in Go or Java should be able to tell what it did wrong from the body alone:
every error is ``application/problem+json`` with ``type``, ``title``, ``status``, ``detail`` and,
where one field is at fault, ``field`` (dotted, e.g. ``turns.3.role``). No error ever carries a
stack trace.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_PREFIX = "urn:phrasecheck:problem:"


class Limits(BaseModel):
    """What one request may ask for; every limit is a server option."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_body_bytes: int = Field(default=1 << 20, ge=1, description="Request body, in bytes.")
    max_text_chars: int = Field(default=10_000, ge=1, description="One text or turn.")
    max_batch: int = Field(default=256, ge=1, description="Texts in one batch check.")
    max_turns: int = Field(default=2_000, ge=1, description="Turns in one transcript.")
    timeout_s: float = Field(default=10.0, gt=0, description="Work on one request, seconds.")


class Problem(BaseModel):
    """An RFC 9457 problem details object, as every error response carries it."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request.")
    field: str | None = Field(default=None, description="The offending field, dotted.")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Every problem found, when there is more than one."
    )
    request_id: str | None = None


class ProblemError(Exception):
    """Raised anywhere in a request to answer with a problem instead of a result."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        field: str | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.problem = Problem(
            type=_TYPE_PREFIX + slug,
            title=title,
            status=status,
            detail=detail,
            field=field,
            errors=errors,
        )


def body_too_large(limit: int) -> ProblemError:
    return ProblemError(
        413,
        "body-too-large",
        "Request body too large",
        f"the request body exceeds the limit of {limit} bytes",
        field="body",
    )


def text_too_long(field: str, length: int, limit: int) -> ProblemError:
    return ProblemError(
        422,
        "text-too-long",
        "Text too long",
        f"{field} has {length} characters; the limit is {limit}",
        field=field,
    )


def too_many(field: str, count: int, limit: int, what: str) -> ProblemError:
    return ProblemError(
        422,
        "batch-too-large" if field == "texts" else "too-many-turns",
        f"Too many {what}",
        f"{field} has {count} {what}; the limit is {limit}",
        field=field,
    )


def timed_out(seconds: float) -> ProblemError:
    return ProblemError(
        503,
        "timeout",
        "Request timed out",
        f"the work took longer than the limit of {seconds:g} s and was stopped; "
        "send fewer or shorter texts",
    )


def from_validation_errors(errors: list[Any]) -> ProblemError:
    """A problem naming the first offending field of a request that did not validate.

    pydantic/FastAPI locations start with where the value came from (``body``, ``query``);
    that part is kept only when nothing more precise is known.
    """
    described = [_describe(error) for error in errors]
    first = described[0]
    if first["type"] == "json_invalid":
        return ProblemError(
            400,
            "malformed-json",
            "Malformed JSON",
            f"the body is not valid JSON: {first['message']} at character {first['position']}",
            field="body",
        )
    detail = "; ".join(f"{item['field']}: {item['message']}" for item in described)
    return ProblemError(
        422,
        "invalid-request",
        "Invalid request",
        detail,
        field=first["field"],
        errors=[{"field": item["field"], "message": item["message"]} for item in described],
    )


def _describe(error: Any) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ())]
    source = location[0] if location else "body"
    inner = location[1:]
    # Turn/union wrappers (e.g. 'function-before[...]') are pydantic's, not the client's.
    inner = [part for part in inner if not part.startswith(("function-", "json-or-python"))]
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if error.get("type") == "json_invalid":
        context = error.get("ctx") or {}
        position = location[1] if len(location) > 1 else "?"
        return {
            "type": "json_invalid",
            "field": "body",
            "message": context.get("error", message),
            "position": position,
        }
    if source == "query" and inner:
        field = "?" + ".".join(inner)
    else:
        field = ".".join(inner) if inner else source
    return {"type": error.get("type"), "field": field, "message": message}
