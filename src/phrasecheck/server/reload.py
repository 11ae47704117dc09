"""The rules in force, and replacing them without dropping a request.

A :class:`Service` is everything one request needs — checker, scorer, versions — built and
warmed up before it is published. :class:`ServiceHolder` keeps the current one; a reload builds
a new one off the event loop and swaps it in with a single assignment, so a request sees either
the old rules or the new ones, never a mix. A file that fails to load is logged and the old
rules go on serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import threading
import time
from dataclasses import dataclass, field

import anyio
from pydantic import BaseModel, ConfigDict, Field

from phrasecheck.checker import Checker
from phrasecheck.scoring import Scorer
from phrasecheck.server.jsonlog import log_event
from phrasecheck.server.problems import Limits


class ServiceConfig(BaseModel):
    """How to build the service: rule and profile files, limits, operations.

    Serialised as JSON into the environment for uvicorn's worker processes.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: list[str] = Field(
        default_factory=list, description="Rule files or folders added to the standard."
    )
    packs: list[str] = Field(default_factory=list, description="Bundled rule packs to add.")
    standard: bool = Field(default=True, description="False: leave the bundled standard out.")
    profile: str | None = None
    limits: Limits = Field(default_factory=Limits)
    access_log: bool = True
    admin_token: str | None = Field(
        default=None, description="Enables POST /admin/reload for holders of this token."
    )
    supervisor_pid: int | None = Field(
        default=None, description="With several workers: the process that reloads them all."
    )


@dataclass(frozen=True)
class Service:
    """One immutable generation of the rules in force."""

    checker: Checker
    scorer: Scorer
    rules_version: str
    profile_version: str
    rules_json: bytes
    loaded_at: float = field(default_factory=time.time)

    @property
    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"x-phrasecheck-ruleset", self.rules_version.encode()),
            (b"x-phrasecheck-profile", self.profile_version.encode()),
        ]


def build_checker(config: ServiceConfig) -> Checker:
    """The rules in force, as the CLI's --rules, --pack and --no-standard choose them."""
    return Checker(list(config.rules), packs=list(config.packs), standard=config.standard)


def build_service(config: ServiceConfig) -> Service:
    """Load, validate, compile and warm up; raises DataFileError (or ValueError) if unusable."""
    checker = build_checker(config)
    scorer = Scorer(checker, config.profile)  # shares the checker's segmenter
    checker.warm_up()
    scorer.checker.warm_up()
    rules = [rule.model_dump(mode="json") for rule in checker.rules]
    version = checker.rules.version
    payload = {"version": version, "count": len(rules), "rules": rules}
    return Service(
        checker=checker,
        scorer=scorer,
        rules_version=version,
        profile_version=scorer.profile.version,
        rules_json=json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
    )


def freeze_long_lived() -> None:
    """Collect once, then keep everything alive now out of the garbage collector's sight.

    The compiled rules and the segmenter's dictionary are ~300,000 objects that live as long
    as the process; a full collection walks them all (~125 ms here), and would stall every
    request in flight whenever one happens. ``gc.freeze`` spares them from then on. Called at
    start-up and after each reload, when the previous generation has been dropped.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class ServiceHolder:
    """The current :class:`Service`; readers take ``holder.current`` once per request."""

    def __init__(self, config: ServiceConfig, service: Service | None = None) -> None:
        self.config = config
        self.current: Service | None = service
        self._lock = threading.Lock()  # one reload at a time, from a signal or the admin call
        self._tasks: set[asyncio.Task] = set()

    @property
    def ready(self) -> bool:
        return self.current is not None

    def reload_now(self) -> Service:
        """Build a new generation from the configured files and publish it, or raise."""
        with self._lock:
            started = time.perf_counter()
            try:
                service = build_service(self.config)
            except Exception as error:
                log_event(
                    "reload_failed",
                    error=str(error),
                    rules=self.config.rules,
                    profile=self.config.profile,
                    kept_rules_version=self.current.rules_version if self.current else None,
                )
                raise
            previous = self.current
            self.current = service  # the atomic swap: one reference assignment
            previous_version = previous.rules_version if previous else None
            del previous
            freeze_long_lived()  # the old generation goes, the new one is set aside
            log_event(
                "reloaded",
                rules_version=service.rules_version,
                profile_version=service.profile_version,
                previous_rules_version=previous_version,
                seconds=round(time.perf_counter() - started, 3),
            )
            return service

    async def reload(self) -> Service:
        """:meth:`reload_now` in a worker thread: compiling must not stall the requests."""
        return await anyio.to_thread.run_sync(self.reload_now)

    def on_sighup(self) -> None:
        """Signal handler (runs on the event loop): start a reload, never raise."""

        async def run() -> None:
            # A failure is already logged with its reason; the old rules serve on.
            with contextlib.suppress(Exception):
                await self.reload()

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)  # the loop keeps only a weak reference to a task
        task.add_done_callback(self._tasks.discard)
