"""The service's ASGI middleware: what every request gets, and the short-draft fast path.

Request id, version headers, the body limit and the JSON access line are the same for every
endpoint, errors included, so they live here rather than in each route. Written against ASGI
directly (not BaseHTTPMiddleware) because it runs on every request.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from phrasecheck.models import CheckResult
from phrasecheck.server.jsonlog import AccessLog
from phrasecheck.server.problems import (
    PROBLEM_MEDIA_TYPE,
    Limits,
    Problem,
    ProblemError,
    body_too_large,
)
from phrasecheck.server.reload import Service, ServiceHolder

JSON = "application/json"
INLINE_MAX_CHARS = 200  # single texts up to this long are checked without a thread hop
SERVICE_KEY = "phrasecheck.service"  # scope keys: the generation of rules this request uses
REQUEST_ID_KEY = "phrasecheck.request_id"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
SURROGATE = re.compile("[\ud800-\udfff]")
_RESULT_SERIALIZER = CheckResult.__pydantic_serializer__


class Operations:
    """ASGI middleware: request id, version headers, body limit and a JSON access log.

    Written against ASGI directly (not BaseHTTPMiddleware) because it runs on every request.
    The body is read here, up to the limit, so an oversized one is refused before any parsing.
    """

    def __init__(
        self,
        app: ASGIApp,
        holder: ServiceHolder,
        limits: Limits,
        access_log: bool,
        access_lines: AccessLog,
    ):
        self.app = app
        self.holder = holder
        self.max_body = limits.max_body_bytes
        self.access_log = access_log
        self.inline_chars = min(INLINE_MAX_CHARS, limits.max_text_chars)
        self.lines = access_lines

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        service = self.holder.current
        scope[REQUEST_ID_KEY] = request_id
        scope[SERVICE_KEY] = service
        extra = [(b"x-request-id", request_id.encode())]
        if service is not None:
            extra += service.headers
        outcome = {"status": 0, "bytes": 0}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                message["headers"] = [*message.get("headers", []), *extra]
            elif message["type"] == "http.response.body":
                outcome["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            try:
                body = await self._read_body(scope, receive)
            except _ClientGone:
                return  # nobody to answer; the access line records status 0
            if body is None:
                problem = body_too_large(self.max_body).problem
                await _send_problem(send_with_headers, problem, request_id)
            elif (content := self._fast_check(scope, body, service)) is not None:
                await _send_json(send_with_headers, content)
            else:
                await self.app(scope, _replay(body, receive), send_with_headers)
        except Exception:  # pragma: no cover - the app's handlers answer first
            if outcome["status"] == 0:
                failure = ProblemError(500, "internal", "Internal error", "see the server log")
                await _send_problem(send_with_headers, failure.problem, request_id)
            raise
        finally:
            if self.access_log:
                self._log(scope, request_id, outcome, started, service)

    def _fast_check(self, scope: Scope, body: bytes, service: Service | None) -> bytes | None:
        """The result of the common request — one short, well-formed draft — or None.

        A chat tool's typical call is ``{"text": "<a short draft>"}``. Answering it here skips
        the framework's routing, dependency solving and second validation of the body, which
        cost several times the check itself; anything else (a batch, a long text, any error)
        goes the documented way through the app, so every error still gets its problem.
        """
        if service is None or scope["method"] != "POST" or scope["path"] != "/v1/check":
            return None
        if not _is_json(scope):
            return None
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # the app answers these with a problem
            return None
        if type(data) is not dict or len(data) != 1:
            return None
        text = data.get("text")
        if type(text) is not str or len(text) > self.inline_chars or SURROGATE.search(text):
            return None
        return _RESULT_SERIALIZER.to_json(service.checker.check(text))

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or None when it is over the limit (by header or by counting)."""
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    if int(value) > self.max_body:
                        return None
                except ValueError:
                    pass
                break
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                raise _ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _log(
        self, scope: Scope, request_id: str, outcome: dict, started: float, service: Service | None
    ) -> None:
        client = scope.get("client")
        self.lines.add(
            {
                "ts": round(time.time(), 3),
                "event": "access",
                "request_id": request_id,
                "method": scope["method"],
                "path": scope["path"],
                "query": scope.get("query_string", b"").decode("latin-1") or None,
                "status": outcome["status"],
                "bytes_out": outcome["bytes"],
                "ms": round((time.perf_counter() - started) * 1000, 2),
                "client": f"{client[0]}:{client[1]}" if client else None,
                "rules_version": service.rules_version if service else None,
            }
        )


class _ClientGone(Exception):
    """The client disconnected before sending its whole body."""


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media_type = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json"
    return False


async def _send_json(send: Callable[[Message], Awaitable[None]], content: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-length", str(len(content)).encode()),
                (b"content-type", JSON.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})


def _request_id(scope: Scope) -> str:
    """The client's X-Request-ID when it is a sane token, else a new one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            given = value.decode("latin-1")
            if _REQUEST_ID.fullmatch(given):
                return given
            break
    return os.urandom(16).hex()  # as random as uuid4().hex, a fifth of the cost


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the body already read, then waits for a disconnect."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send_problem(
    send: Callable[[Message], Awaitable[None]], problem: Problem, request_id: str
) -> None:
    body = (
        problem.model_copy(update={"request_id": request_id})
        .model_dump_json(exclude_none=True)
        .encode()
    )
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
