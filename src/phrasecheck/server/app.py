"""The HTTP application: check drafts, score transcripts, list the rules in force.

``create_app(config)`` builds a FastAPI app around a :class:`ServiceHolder`. Results are the
library's own models serialised by pydantic-core straight to bytes (no second validation on
the way out); the work runs in a bounded thread pool under a deadline so that the event loop
keeps answering health checks while a big batch runs.
"""

from __future__ import annotations

import hmac
import os
import signal
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal, TypeVar, get_args

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from phrasecheck import __version__
from phrasecheck.models import CheckResult
from phrasecheck.report import ScoreReport
from phrasecheck.rules.model import Rule
from phrasecheck.server.jsonlog import AccessLog
from phrasecheck.server.operations import (
    INLINE_MAX_CHARS,
    JSON,
    REQUEST_ID_KEY,
    SERVICE_KEY,
    SURROGATE,
    Operations,
)
from phrasecheck.server.problems import (
    PROBLEM_MEDIA_TYPE,
    Limits,
    Problem,
    ProblemError,
    from_validation_errors,
    text_too_long,
    timed_out,
    too_many,
)
from phrasecheck.server.reload import (
    Service,
    ServiceConfig,
    ServiceHolder,
    build_service,
    freeze_long_lived,
)
from phrasecheck.transcript import Transcript

CONFIG_ENV = "PHRASECHECK_SERVER_CONFIG"
_RESULTS = TypeAdapter(list[CheckResult])
T = TypeVar("T")


def _channel_type() -> Any:
    """The Transcript model's channel values, so ``?channel=`` accepts exactly those."""
    annotation = Transcript.model_fields["channel"].annotation
    values = [arg for arg in get_args(annotation) if arg is not type(None)]
    literal_values = [v for arg in values for v in (get_args(arg) or (arg,))]
    return Literal[tuple(literal_values)]  # type: ignore[valid-type]


ChannelValue = _channel_type()


class CheckRequest(BaseModel):
    """One draft (``text``) or several (``texts``), never both.

    The schema says so (``oneOf``) and states the server's limits (``maxLength``,
    ``maxItems``), so that a client generated from it sends only what is accepted.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["texts"]}]},
    )

    text: str | None = Field(default=None, description="One utterance to check.")
    texts: list[str] | None = Field(
        default=None, description="Several utterances; the results come back in this order."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> CheckRequest:
        if (self.text is None) == (self.texts is None):
            raise ValueError("give exactly one of 'text' (a string) or 'texts' (a list)")
        return self


class RulesResponse(BaseModel):
    version: str = Field(description="Content hash of the rules in force (12 hex digits).")
    count: int
    rules: list[Rule]


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "starting"]
    rules_version: str | None = None
    profile_version: str | None = None
    loaded_at: float | None = Field(default=None, description="Unix time the rules were loaded.")


class Reloaded(BaseModel):
    status: Literal["reloaded", "requested"]
    rules_version: str | None = None
    profile_version: str | None = None


def _problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response:
    return Response(
        problem.model_dump_json(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


_ERROR_DOC = {"model": Problem, "description": "A problem (RFC 9457)"}
POST_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**_ERROR_DOC, "description": "Malformed JSON"},
    413: {**_ERROR_DOC, "description": "Body too large"},
    422: {
        **_ERROR_DOC,
        "description": "Invalid request: a wrong type, a text or batch over "
        "its limit, an unknown role; `field` names it",
    },
    503: {**_ERROR_DOC, "description": "Timed out, or not ready"},
}


def _no_telemetry() -> dict[str, Any]:
    """Newer FastAPI asks OpenTelemetry on every request whether it is configured (~20 µs,
    most of a short check's cost): off here, as the service logs its own requests."""
    import inspect

    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    return {}


_NO_TELEMETRY = _no_telemetry()


def create_app(config: ServiceConfig | None = None, service: Service | None = None) -> FastAPI:
    """The application for ``config``; the rules are built at start-up unless given."""
    config = config or ServiceConfig()
    holder = ServiceHolder(config, service)
    limits = config.limits
    limiter = anyio.CapacityLimiter(4)
    access_lines = AccessLog()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if holder.current is None:
            # A bad rule file at start-up fails the start: better than serving nothing.
            holder.current = await anyio.to_thread.run_sync(build_service, config)
        freeze_long_lived()
        if hasattr(signal, "SIGHUP"):
            import asyncio

            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, holder.on_sighup)
        yield
        access_lines.flush()  # after the requests in flight have finished

    app = FastAPI(
        title="phrasecheck",
        version=__version__,
        description="Check Chinese customer-service drafts and score transcripts against the "
        "service standard. Every response carries `X-Phrasecheck-Ruleset` (the rules' "
        "content hash) and `X-Request-ID`.",
        lifespan=lifespan,
        **_NO_TELEMETRY,
    )
    app.state.holder = holder

    async def run(work: Callable[[], T]) -> T:
        """``work`` in the thread pool, cut off at the request deadline."""
        try:
            with anyio.fail_after(limits.timeout_s):
                return await anyio.to_thread.run_sync(work, limiter=limiter, abandon_on_cancel=True)
        except TimeoutError:
            raise timed_out(limits.timeout_s) from None

    @app.post(
        "/v1/check",
        response_model=CheckResult | list[CheckResult],
        responses=POST_ERRORS,
        summary="Check one draft, or several in order",
    )
    async def check(request: Request, body: CheckRequest) -> Response:
        service = _service(request)
        single = body.texts is None
        texts = [body.text or ""] if single else list(body.texts or [])
        if len(texts) > limits.max_batch:
            raise too_many("texts", len(texts), limits.max_batch, "texts")
        for index, text in enumerate(texts):
            if len(text) > limits.max_text_chars:
                field = "text" if single else f"texts.{index}"
                raise text_too_long(field, len(text), limits.max_text_chars)
        texts = [SURROGATE.sub("\ufffd", t) if SURROGATE.search(t) else t for t in texts]
        checker = service.checker
        if single and len(texts[0]) <= INLINE_MAX_CHARS:
            # A short draft takes tens of microseconds, less than the hop to a worker thread
            # and back; checked on the loop, it holds the loop a few ms at worst.
            return Response(checker.check(texts[0]).model_dump_json(), media_type=JSON)
        deadline = time.monotonic() + limits.timeout_s

        def work() -> list[CheckResult]:
            results = []
            for text in texts:
                if time.monotonic() > deadline:  # the thread stops too, not only the wait
                    raise TimeoutError
                results.append(checker.check(text))
            return results

        results = await run(work)  # a TimeoutError from the loop above becomes a problem too
        content = results[0].model_dump_json() if single else _RESULTS.dump_json(results)
        return Response(content, media_type=JSON)

    @app.post(
        "/v1/score",
        response_model=ScoreReport,
        responses=POST_ERRORS,
        summary="Score one transcript",
    )
    async def score(
        request: Request,
        transcript: Transcript,
        channel: Annotated[
            ChannelValue | None,  # type: ignore[valid-type]
            Query(description="The channel for a transcript that does not state one."),
        ] = None,
    ) -> Response:
        service = _service(request)
        if len(transcript.turns) > limits.max_turns:
            raise too_many("turns", len(transcript.turns), limits.max_turns, "turns")
        for index, turn in enumerate(transcript.turns):
            if len(turn.text) > limits.max_text_chars:
                raise text_too_long(f"turns.{index}.text", len(turn.text), limits.max_text_chars)
        scorer = service.scorer

        def work() -> ScoreReport:
            # The channel option applies when the record does not state one, as on the CLI.
            return scorer.score(transcript, channel=channel)

        report = await run(work)
        return Response(report.model_dump_json(), media_type=JSON)

    @app.get("/v1/rules", response_model=RulesResponse, summary="The rules in force")
    async def rules(request: Request) -> Response:
        return Response(_service(request).rules_json, media_type=JSON)

    @app.get("/healthz", response_model=Health, summary="The process is alive")
    async def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type=JSON)

    @app.get(
        "/readyz",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "Not ready yet"}},
        summary="Rules compiled and segmenter warm",
    )
    async def readyz() -> Response:
        current = holder.current
        if current is None:
            return Response(Readiness(status="starting").model_dump_json(), 503, media_type=JSON)
        ready = Readiness(
            status="ready",
            rules_version=current.rules_version,
            profile_version=current.profile_version,
            loaded_at=current.loaded_at,
        )
        return Response(ready.model_dump_json(), media_type=JSON)

    if config.admin_token:
        token = config.admin_token

        @app.post(
            "/admin/reload",
            response_model=Reloaded,
            responses={401: _ERROR_DOC, 422: {**_ERROR_DOC, "description": "Rejected"}},
            summary="Reload the rule and profile files (needs the admin token)",
        )
        async def admin_reload(request: Request) -> Response:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                raise ProblemError(
                    401, "unauthorized", "Unauthorized", "send Authorization: Bearer <token>"
                )
            if config.supervisor_pid:  # several workers: the supervisor replaces them all
                os.kill(config.supervisor_pid, signal.SIGHUP)
                return Response(
                    Reloaded(status="requested").model_dump_json(), 202, media_type=JSON
                )
            try:
                service = await holder.reload()
            except Exception as error:
                raise ProblemError(
                    422,
                    "reload-rejected",
                    "Reload rejected",
                    f"the old rules keep serving: {error}",
                ) from None
            answer = Reloaded(
                status="reloaded",
                rules_version=service.rules_version,
                profile_version=service.profile_version,
            )
            return Response(answer.model_dump_json(), media_type=JSON)

    _install_error_handlers(app)
    _finish_openapi(app, limits)
    app.add_middleware(
        Operations,
        holder=holder,
        limits=limits,
        access_log=config.access_log,
        access_lines=access_lines,
    )
    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call; the CLI puts the config in the env."""
    raw = os.environ.get(CONFIG_ENV)
    return create_app(ServiceConfig.model_validate_json(raw) if raw else ServiceConfig())


def _service(request: Request) -> Service:
    service = request.scope.get(SERVICE_KEY)
    if service is None:
        raise ProblemError(503, "not-ready", "Not ready", "the rules are still loading")
    return service


def _install_error_handlers(app: FastAPI) -> None:
    def answer(request: Request, error: ProblemError) -> Response:
        problem = error.problem.model_copy(update={"request_id": request.scope.get(REQUEST_ID_KEY)})
        return _problem_response(problem)

    async def on_problem(request: Request, error: Exception) -> Response:
        assert isinstance(error, ProblemError)
        return answer(request, error)

    async def on_validation(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return answer(request, from_validation_errors(list(error.errors())))

    async def on_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        status = error.status_code
        problem = ProblemError(status, f"http-{status}", _reason(status), str(error.detail))
        return answer(request, problem)

    async def on_anything(request: Request, error: Exception) -> Response:
        # Never a stack trace to the client; the server log has it (uvicorn logs it).
        return answer(
            request,
            ProblemError(
                500, "internal", "Internal error", "the server failed on this request; see its log"
            ),
        )

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_anything)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _finish_openapi(app: FastAPI, limits: Limits) -> None:
    """The schema states this server's limits, and documents errors as problem+json."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = original()
        request = schema["components"]["schemas"]["CheckRequest"]["properties"]
        text = {"type": "string", "maxLength": limits.max_text_chars}
        request["text"] = {**text, "description": request["text"]["description"]}
        request["texts"] = {
            "type": "array",
            "items": text,
            "maxItems": limits.max_batch,
            "description": request["texts"]["description"],
        }
        # A transcript may also be a plain list of turns, as everywhere in the library.
        score_body = schema["paths"]["/v1/score"]["post"]["requestBody"]["content"][JSON]
        score_body["schema"] = {
            "anyOf": [
                {"$ref": "#/components/schemas/Transcript"},
                {"type": "array", "items": {"$ref": "#/components/schemas/Turn"}},
            ]
        }
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    # readyz answers 503 with its own JSON; everything else with a problem.
                    if str(status)[0] in "45" and "Problem" in str(content.get(JSON)):
                        content[PROBLEM_MEDIA_TYPE] = content.pop(JSON)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
