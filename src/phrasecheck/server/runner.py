"""Running the app under uvicorn: one process, or several behind uvicorn's supervisor.

With one worker, SIGHUP reloads the rules inside the process (see ``reload.py``). With
several, the supervisor gets SIGHUP: it validates the new files itself first and, only if they
load, replaces the workers one at a time, each new one ready before an old one stops, so some
worker always answers; a bad file is logged and nothing is replaced.
"""

from __future__ import annotations

import os

import uvicorn
from uvicorn.supervisors import Multiprocess

from phrasecheck.server.app import CONFIG_ENV
from phrasecheck.server.jsonlog import LOG_CONFIG, log_event
from phrasecheck.server.reload import ServiceConfig, build_checker

GRACEFUL_SHUTDOWN_S = 30  # in-flight requests get this long to finish after SIGTERM
WORKER_START_S = 60


def serve(
    config: ServiceConfig, host: str = "127.0.0.1", port: int = 8000, workers: int = 1
) -> int:
    """Serve until SIGINT/SIGTERM; returns the process exit status."""
    if workers > 1:
        config = config.model_copy(update={"supervisor_pid": os.getpid()})
    os.environ[CONFIG_ENV] = config.model_dump_json()
    server_config = uvicorn.Config(
        "phrasecheck.server.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # ours is JSON, with the request id
        log_config=LOG_CONFIG,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        # A new worker compiles the rules and loads the segmenter before it is ready: seconds
        # on a busy machine, more than uvicorn's default 5 s wait during a rolling restart.
        timeout_worker_healthcheck=WORKER_START_S,
        server_header=False,
    )
    server = uvicorn.Server(server_config)
    if workers > 1:
        sock = server_config.bind_socket()
        _ValidatingSupervisor(server_config, sockets=[sock], service_config=config).run()
        return 0
    server.run()
    return 0 if server.started else 3


class _ValidatingSupervisor(Multiprocess):
    """uvicorn's supervisor, but a reload first proves the new files load."""

    def __init__(self, *args, service_config: ServiceConfig, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.service_config = service_config

    def handle_hup(self) -> None:
        from phrasecheck.scoring import Scorer

        rules = self.service_config.rules
        try:
            checker = build_checker(self.service_config)
            Scorer(checker.rules, self.service_config.profile)
        except Exception as error:
            log_event(
                "reload_failed", error=str(error), rules=rules, profile=self.service_config.profile
            )
            return
        version = checker.rules.version
        log_event("reload_started", workers=len(self.processes), rules_version=version)
        before = {process.pid for process in self.processes}
        self.restart_all()  # one at a time; stops at a worker that does not come up
        kept = [process.pid for process in self.processes if process.pid in before]
        if kept:
            log_event("reload_failed", error="a new worker did not start in time", kept=kept)
        else:
            log_event("reloaded", rules_version=version, workers=len(self.processes))
