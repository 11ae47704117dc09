"""The HTTP service, tested as a chat tool meets it: the real ``phrasecheck serve`` process on
a free loopback port, driven over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

ROOT = Path(__file__).resolve().parents[1]
BASE_TEXT = "您好，请问有什么可以帮您？急什么，我帮您查一下，师傅下午两点上门。"  # 33 characters
pytestmark = pytest.mark.slow
# uvicorn finishes its graceful shutdown, then re-raises SIGTERM so that a supervisor sees how
# the process ended: -15 is a clean stop on a signal.
STOPPED = (0, -signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``phrasecheck serve`` in a subprocess; its JSON-lines log goes to a file."""

    def __init__(self, tmp: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"server-{self.port}.log"
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        command = [sys.executable, "-m", "phrasecheck.cli", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, *args],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        self.client = httpx.Client(base_url=self.url, timeout=30)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited {self.process.returncode}: {self.log()}")
            try:
                if self.client.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready in 60 s: {self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8")

    def log_records(self) -> list[dict]:
        # A worker may be half-way through writing its last line: read only whole lines.
        whole = self.log().rpartition("\n")[0]
        return [json.loads(line) for line in whole.splitlines() if line.startswith("{")]

    def wait_for_event(self, event: str, count: int = 1, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [r for r in self.log_records() if r.get("event") == event]
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no {event!r} in the log: {self.log()}")

    def stop(self) -> int:
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server with small limits, so every limit can be crossed cheaply."""
    running = Server(
        tmp_path_factory.mktemp("server"),
        "--max-body", "65536", "--max-text", "500", "--max-batch", "20", "--max-turns", "50",
    )  # fmt: skip
    yield running
    running.stop()


def post(server: Server, path: str, body, **kwargs) -> httpx.Response:
    return server.client.post(path, json=body, **kwargs)


def assert_problem(response: httpx.Response, status: int, kind: str, field: str | None) -> dict:
    """An RFC 9457 problem: its media type, members, status and offending field."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == f"urn:phrasecheck:problem:{kind}"
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    assert problem.get("field") == field
    assert "Traceback" not in response.text
    assert problem["request_id"] == response.headers["x-request-id"]
    return problem


# --- endpoints -------------------------------------------------------------------------------


def test_check_one_text_returns_the_librarys_result(server, checker):
    text = "急什么，我在查了"
    response = post(server, "/v1/check", {"text": text})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == json.loads(checker.check(text).model_dump_json())
    assert response.json()["hits"][0]["rule_id"] == "T25"
    assert response.headers["x-phrasecheck-ruleset"] == checker.rules.version


def test_short_and_long_single_texts_agree_with_the_library(server, checker):
    """Short drafts are answered on a fast path, long ones through the app: same JSON."""
    for text in ("你問我，我問誰？", "急什么" + "，" * 250 + "你问我我问谁", "喂，说。" * 100):
        response = server.client.post(
            "/v1/check",
            json={"text": text},
            headers={"content-type": "application/json; charset=utf-8"},
        )
        assert response.status_code == 200
        assert response.json() == json.loads(checker.check(text).model_dump_json())
        assert response.headers["x-phrasecheck-ruleset"] == checker.rules.version


def test_batch_results_come_back_in_order(server, checker):
    texts = [
        "急什么，我在查了",
        "您好，请问有什么可以帮您？",
        "今天天气不错",
        "你問我，我問誰？",
        "",
    ]
    response = post(server, "/v1/check", {"texts": texts})
    assert response.status_code == 200
    results = response.json()
    assert [r["text"] for r in results] == texts
    assert [[h["rule_id"] for h in r["hits"]] for r in results] == [
        checker.check(t).rule_ids for t in texts
    ]
    assert results[0]["hits"][0]["rule_id"] == "T25" and results[3]["hits"][0]["rule_id"] == "T15"


def test_score_one_transcript_with_channel_from_the_query(server, checker):
    from phrasecheck.transcript import Transcript

    call = {
        "id": "chat-7",
        "turns": [
            {"role": "坐席", "text": "您好，请问有什么可以帮您？"},
            {"role": "客户", "text": "我家漏水了，都第三次了！"},
            {"role": "坐席", "text": "急什么，我帮您查一下。"},
        ],
    }
    response = post(server, "/v1/score?channel=chat", call)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["transcript_id"] == "chat-7"
    assert report["channel"] == "chat"
    assert any(v["kind"] == "taboo" and v["rule_id"] == "T25" for v in report["violations"])
    # The same as the library's report on the record with that channel.
    library = checker.score(Transcript.model_validate(call), channel="chat")
    assert report == json.loads(library.model_dump_json())
    assert response.headers["x-phrasecheck-profile"] == library_profile_version()
    # A record that states its channel keeps it; a plain list of turns is a transcript too.
    assert (
        post(server, "/v1/score?channel=chat", {**call, "channel": "phone"}).json()["channel"]
        == "phone"
    )
    listed = post(server, "/v1/score", call["turns"])
    assert listed.status_code == 200 and listed.json()["counts"]["turns"] == 3


def library_profile_version() -> str:
    from phrasecheck.profile import load_profile

    return load_profile().version


def test_rules_lists_ids_phrases_severities_and_the_version(server, checker):
    response = server.client.get("/v1/rules")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == checker.rules.version == response.headers["x-phrasecheck-ruleset"]
    assert body["count"] == len(body["rules"]) == len(checker.rules)
    t25 = next(rule for rule in body["rules"] if rule["id"] == "T25")
    assert t25["phrase"] == "急什么" and t25["severity"] == "major" and t25["kind"] == "taboo"


def test_health_readiness_openapi_and_docs(server, checker):
    assert server.client.get("/healthz").json() == {"status": "ok"}
    ready = server.client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["rules_version"] == checker.rules.version
    schema = server.client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/score", "/v1/rules", "/healthz", "/readyz"} <= set(schema["paths"])
    assert "/admin/reload" not in schema["paths"]  # off unless a token is configured
    request = schema["components"]["schemas"]["CheckRequest"]["properties"]
    assert request["text"]["maxLength"] == 500 and request["texts"]["maxItems"] == 20
    assert "swagger" in server.client.get("/docs").text.lower()


def test_every_response_carries_a_request_id_and_the_version(server, checker):
    given = server.client.get("/healthz", headers={"X-Request-ID": "tool-42.a"})
    assert given.headers["x-request-id"] == "tool-42.a"
    made = server.client.get("/nowhere")
    assert len(made.headers["x-request-id"]) == 32
    assert made.headers["x-phrasecheck-ruleset"] == checker.rules.version
    assert_problem(made, 404, "http-404", None)
    # A header that is not a sane token is replaced, not echoed into the logs.
    odd = server.client.get("/healthz", headers={"X-Request-ID": "a b\tc"})
    assert odd.headers["x-request-id"] != "a b\tc"


def test_access_log_is_json_lines_with_the_request_id(server):
    server.client.post("/v1/check", json={"text": "您好"}, headers={"X-Request-ID": "log-me-1"})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [r for r in server.log_records() if r.get("request_id") == "log-me-1"]
        if lines:
            break
        time.sleep(0.05)
    (line,) = lines
    assert line["event"] == "access" and line["method"] == "POST" and line["path"] == "/v1/check"
    assert line["status"] == 200 and line["ms"] >= 0 and line["bytes_out"] > 0


# --- limits and errors -----------------------------------------------------------------------


def test_body_too_large_is_413(server):
    big = {"text": "好" * 30_000}  # 90 kB of UTF-8 > 64 KiB
    assert_problem(post(server, "/v1/check", big), 413, "body-too-large", "body")
    # Without Content-Length (chunked), the limit holds by counting.
    chunks = iter([json.dumps(big).encode()[i : i + 8192] for i in range(0, 90_100, 8192)])
    chunked = server.client.post(
        "/v1/check", content=chunks, headers={"content-type": "application/json"}
    )
    assert_problem(chunked, 413, "body-too-large", "body")


def test_text_too_long_names_the_text(server):
    problem = assert_problem(
        post(server, "/v1/check", {"text": "好" * 501}), 422, "text-too-long", "text"
    )
    assert "501" in problem["detail"] and "500" in problem["detail"]
    batch = {"texts": ["您好", "好" * 501]}
    assert_problem(post(server, "/v1/check", batch), 422, "text-too-long", "texts.1")
    turns = [{"role": "agent", "text": "您好"}, {"role": "agent", "text": "好" * 501}]
    assert_problem(
        post(server, "/v1/score", {"turns": turns}), 422, "text-too-long", "turns.1.text"
    )


def test_batch_too_big_and_too_many_turns(server):
    assert_problem(
        post(server, "/v1/check", {"texts": ["您好"] * 21}), 422, "batch-too-large", "texts"
    )
    turns = [{"role": "agent", "text": "您好"}] * 51
    assert_problem(post(server, "/v1/score", {"turns": turns}), 422, "too-many-turns", "turns")


def test_malformed_json_is_400(server):
    for raw in (b'{"text": "unterminated', b"", b"\xff\xfe{", b'{"text": "a"} trailing'):
        response = server.client.post(
            "/v1/check", content=raw, headers={"content-type": "application/json"}
        )
        assert 400 <= response.status_code < 500, (raw, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert "Traceback" not in response.text
    problem = assert_problem(
        server.client.post(
            "/v1/check", content=b'{"text": ', headers={"content-type": "application/json"}
        ),
        400,
        "malformed-json",
        "body",
    )
    assert "character" in problem["detail"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/check", {"text": 42}, "text"),
        ("/v1/check", {"texts": "not a list"}, "texts"),
        ("/v1/check", {"texts": ["ok", None]}, "texts.1"),
        ("/v1/check", {"txt": "typo"}, "txt"),
        ("/v1/check", [1, 2], "body"),
        ("/v1/score", {"turns": "nope"}, "turns"),
        ("/v1/score", {"turns": [{"role": "agent"}]}, "turns.0.text"),
        ("/v1/score", {"turns": [{"role": "agent", "text": "您好", "start": -1}]}, "turns.0.start"),
        ("/v1/score", 7, "body"),
    ],
)
def test_wrong_types_name_the_field(server, path, body, field):
    problem = assert_problem(post(server, path, body), 422, "invalid-request", field)
    assert problem["errors"][0]["field"] == field


def test_both_or_neither_of_text_and_texts(server):
    assert_problem(post(server, "/v1/check", {}), 422, "invalid-request", "body")
    both = assert_problem(
        post(server, "/v1/check", {"text": "a", "texts": ["b"]}), 422, "invalid-request", "body"
    )
    assert "exactly one" in both["detail"]


def test_unknown_role_names_the_turn(server):
    turns = [{"role": "坐席", "text": "您好"}, {"role": "主持人", "text": "欢迎收听"}]
    problem = assert_problem(
        post(server, "/v1/score", {"turns": turns}), 422, "invalid-request", "turns.1.role"
    )
    assert "主持人" in problem["detail"]


def test_unknown_channel_names_the_query_parameter(server):
    from typing import get_args

    from phrasecheck.transcript import Transcript

    problem = assert_problem(
        post(server, "/v1/score?channel=fax", [{"role": "agent", "text": "您好"}]),
        422,
        "invalid-request",
        "?channel",
    )
    channels = [v for arg in get_args(Transcript.model_fields["channel"].annotation)
                for v in get_args(arg)]  # fmt: skip
    assert all(repr(channel) in problem["detail"] for channel in channels)


def test_hostile_input_never_crashes_the_worker(server):
    """Lone surrogates, control characters, deep nesting, wrong methods and media types."""
    cases = [
        ("post", "/v1/check", b'{"text": "\\ud800\\u6025\\u4ec0\\u4e48"}', "application/json"),
        ("post", "/v1/check", b'{"texts": ["\\udfff", "\\u0000\\u200b"]}', "application/json"),
        ("post", "/v1/check", b"[" * 5000 + b"]" * 5000, "application/json"),
        ("post", "/v1/check", b'{"text": "a"}', "text/plain"),
        (
            "post",
            "/v1/score",
            b'{"turns": [{"role": "agent", "text": "\\ud83d"}]}',
            "application/json",
        ),
        ("put", "/v1/check", b"{}", "application/json"),
        ("post", "/v1/check", b'{"text": 1e999}', "application/json"),
    ]
    for method, path, raw, media_type in cases:
        response = server.client.request(
            method, path, content=raw, headers={"content-type": media_type}
        )
        assert response.status_code < 500, (raw[:40], response.status_code, response.text)
        assert "Traceback" not in response.text
    surrogate = server.client.post(
        "/v1/check",
        content=json.dumps({"text": "\ud800急什么"}).encode(),  # ASCII escapes, as JS sends
        headers={"content-type": "application/json"},
    )
    assert surrogate.status_code == 200
    assert surrogate.json()["text"] == "\ufffd急什么"  # one for one: offsets hold
    assert surrogate.json()["hits"][0]["start"] == 1
    assert server.client.get("/healthz").status_code == 200
    assert server.process.poll() is None


def test_a_client_that_hangs_up_mid_body_costs_nothing(server):
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(
                b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\nX-Request-ID: gone-1\r\n\r\n" + b'{"text": "'
            )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        gone = [r for r in server.log_records() if r.get("request_id") == "gone-1"]
        if len(gone) == 5:
            break
        time.sleep(0.05)
    assert len(gone) == 5 and {r["status"] for r in gone} == {0}  # logged, never answered
    assert server.client.get("/healthz").status_code == 200
    assert server.process.poll() is None


def test_a_request_that_runs_too_long_is_cut_off(tmp_path):
    slow = Server(tmp_path, "--timeout", "0.2", "--max-body", str(16 << 20), "--max-batch", "3000")
    try:
        started = time.monotonic()
        texts = [f"{i}：{BASE_TEXT * 30}" for i in range(3000)]  # over 1 s even with the core
        response = post(slow, "/v1/check", {"texts": texts})
        elapsed = time.monotonic() - started
        problem = assert_problem(response, 503, "timeout", None)
        assert "0.2 s" in problem["detail"]
        assert elapsed < 2.0, elapsed
        # The server is still there and answers at once.
        assert post(slow, "/v1/check", {"text": "急什么"}).json()["hits"][0]["rule_id"] == "T25"
    finally:
        assert slow.stop() in STOPPED


# --- reload ----------------------------------------------------------------------------------

NEW_RULE = """
  - id: T31
    phrase: 爱咋咋地
    category: dismissive
    severity: major
    forms: [爱咋咋地, 爱咋咋的]
    suggestion: 请您放心，我们一定帮您处理好。
"""


@pytest.fixture
def rule_dir(tmp_path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    for name in ("forbidden_phrases.yaml", "polite_phrases.yaml"):
        shutil.copy(ROOT / "data" / name, folder / name)
    return folder


def found(server: Server, text: str) -> tuple[list[str], str]:
    response = post(server, "/v1/check", {"text": text})
    assert response.status_code == 200, response.text
    return [h["rule_id"] for h in response.json()["hits"]], response.headers[
        "x-phrasecheck-ruleset"
    ]


class Hammer:
    """Requests in a loop on another thread, so that any refused or failed one is seen."""

    def __init__(self, server: Server) -> None:
        self.url = server.url
        self.statuses: list[int] = []
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            for _ in range(100_000):  # bounded; stopped long before
                if self.stop.is_set():
                    return
                try:
                    response = client.post("/v1/check", json={"text": "急什么"})
                    self.statuses.append(response.status_code)
                except httpx.TransportError as error:
                    self.errors.append(repr(error))
                time.sleep(0.005)

    def finish(self, resets_allowed: float = 0.0) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        assert self.statuses and set(self.statuses) == {200}  # never a refusal or a 5xx
        assert len(self.errors) <= resets_allowed * len(self.statuses), self.errors[:3]


def test_sighup_reloads_good_rules_and_refuses_bad_ones(rule_dir):
    token = "s3cret-token"
    running = Server(
        rule_dir.parent, "--no-standard", "--rules", str(rule_dir), "--admin-token-env", "PC_TEST_TOKEN",
        env={"PC_TEST_TOKEN": token},
    )  # fmt: skip
    try:
        ids, old_version = found(running, "爱咋咋地，急什么")
        assert ids == ["T25"]
        hammer = Hammer(running)
        taboo = rule_dir / "forbidden_phrases.yaml"
        good = taboo.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_RULE
        taboo.write_text(good, encoding="utf-8")
        running.process.send_signal(signal.SIGHUP)
        reloaded = running.wait_for_event("reloaded")[-1]
        ids, new_version = found(running, "爱咋咋地，急什么")
        assert ids == ["T31", "T25"] and new_version != old_version
        assert reloaded["rules_version"] == new_version
        assert running.client.get("/v1/rules").json()["count"] == 51

        # A bad file: refused with its line and field, and the rules in force keep serving.
        taboo.write_text(
            good.replace("severity: major\n    forms: [爱咋", "severity: fatal\n    forms: [爱咋"),
            encoding="utf-8",
        )
        running.process.send_signal(signal.SIGHUP)
        failure = running.wait_for_event("reload_failed")[-1]
        assert "T31" in failure["error"] and "severity" in failure["error"]
        assert failure["kept_rules_version"] == new_version
        assert found(running, "爱咋咋地，急什么") == (["T31", "T25"], new_version)
        hammer.finish()  # no request failed or was refused while the rules changed

        # The admin call: refused without the token, and reports a bad file as a problem.
        assert_problem(running.client.post("/admin/reload"), 401, "unauthorized", None)
        auth = {"Authorization": f"Bearer {token}"}
        rejected = assert_problem(
            running.client.post("/admin/reload", headers=auth), 422, "reload-rejected", None
        )
        assert "old rules keep serving" in rejected["detail"] and "T31" in rejected["detail"]
        taboo.write_text(good.replace("爱咋咋地, 爱咋咋的", "爱咋咋地"), encoding="utf-8")
        answer = running.client.post("/admin/reload", headers=auth)
        assert answer.status_code == 200 and answer.json()["status"] == "reloaded"
        assert answer.json()["rules_version"] not in (old_version, new_version)
        assert found(running, "爱咋咋地")[1] == answer.json()["rules_version"]
    finally:
        assert running.stop() in STOPPED


def test_sighup_with_several_workers_replaces_them_only_for_good_rules(rule_dir):
    running = Server(
        rule_dir.parent, "--no-standard", "--rules", str(rule_dir), "--workers", "2",
        "--admin-token-env", "PC_TEST_TOKEN", env={"PC_TEST_TOKEN": "tok"},
    )  # fmt: skip
    try:
        _, old_version = found(running, "急什么")
        taboo = rule_dir / "forbidden_phrases.yaml"
        original = taboo.read_text(encoding="utf-8")
        taboo.write_text(
            original.replace("severity: major", "severity: fatal", 1), encoding="utf-8"
        )
        running.process.send_signal(signal.SIGHUP)
        assert "severity" in running.wait_for_event("reload_failed")[-1]["error"]
        assert found(running, "急什么") == (["T25"], old_version)

        taboo.write_text(original.rstrip("\n") + "\n" + NEW_RULE, encoding="utf-8")
        hammer = Hammer(running)
        running.process.send_signal(signal.SIGHUP)
        running.wait_for_event("reload_started")
        done = running.wait_for_event("reloaded", timeout=150)[-1]  # both workers replaced
        versions = {found(running, "爱咋咋地")[1] for _ in range(20)}
        assert versions == {done["rules_version"]} and old_version not in versions
        assert found(running, "爱咋咋地")[0] == ["T31"]
        # A retiring worker closes its idle keep-alive connections; a request sent on one at
        # that instant is reset (uvicorn's rolling restart measures ~0.02%). Allow 1%.
        hammer.finish(resets_allowed=0.01)

        # The admin call asks the supervisor, which replaces every worker the same way.
        taboo.write_text(original, encoding="utf-8")
        asked = running.client.post("/admin/reload", headers={"Authorization": "Bearer tok"})
        assert asked.status_code == 202 and asked.json()["status"] == "requested"
        again = running.wait_for_event("reloaded", count=2, timeout=150)[-1]
        assert again["rules_version"] == old_version
        assert {found(running, "爱咋咋地")[1] for _ in range(20)} == {old_version}
    finally:
        assert running.stop() in STOPPED


# --- shutdown --------------------------------------------------------------------------------


def test_sigterm_finishes_the_requests_in_flight(tmp_path):
    running = Server(
        tmp_path, "--max-body", str(96 << 20), "--max-batch", "30000", "--timeout", "120"
    )
    # Enough work to take about 3 s on this machine with this engine, timed on a sample first.
    sample = [f"{i}：{BASE_TEXT * 30}" for i in range(200)]
    started = time.monotonic()
    assert running.client.post("/v1/check", json={"texts": sample}, timeout=60).status_code == 200
    per_text = (time.monotonic() - started) / len(sample)
    count = min(30000, max(1200, int(3.0 / per_text)))
    texts = [f"{i}：{BASE_TEXT * 30}" for i in range(count)]
    outcome: dict = {}

    def send() -> None:
        with httpx.Client(base_url=running.url, timeout=60) as client:
            outcome["response"] = client.post("/v1/check", json={"texts": texts})
            outcome["answered"] = time.monotonic()

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(1.0)  # the batch has arrived and is being checked
    running.process.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    sender.join(timeout=120)
    code = running.process.wait(timeout=60)
    response = outcome["response"]
    assert response.status_code == 200
    results = response.json()
    assert [r["text"] for r in results] == texts  # complete and in order
    assert outcome["answered"] > signalled  # it was in flight when the signal came
    assert code in STOPPED
    with pytest.raises(httpx.TransportError):  # and it takes no new connection
        httpx.get(running.url + "/healthz", timeout=2)
    log = running.log()
    running.stop()
    assert "Finished server process" in log


def test_bad_rule_file_at_start_exits_2_with_file_and_line(rule_dir):
    taboo = rule_dir / "forbidden_phrases.yaml"
    taboo.write_text(
        taboo.read_text(encoding="utf-8").replace("severity: major", "severity: fatal", 1),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "phrasecheck.cli", "serve", "--port", str(free_port()),
         "--no-standard", "--rules", str(rule_dir)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "forbidden_phrases.yaml:" in result.stderr and "severity" in result.stderr


# --- the API against its own schema ----------------------------------------------------------


def test_schemathesis_finds_no_server_error_and_no_schema_violation(server):
    """Property-based requests from /openapi.json: valid ones must succeed, invalid ones be
    refused with a documented 4xx, and every response must match the schema."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, Phase, given, settings

    # pydantic accepts some values the schema does not state (an integer id, "1.5" for a
    # number, 坐席 for a role): deliberate leniency, so "invalid data must be rejected" is off;
    # no 5xx, status codes, media types and response schemas are all checked.
    config = schemathesis.Config.from_dict(
        {"checks": {"negative_data_rejection": {"enabled": False}}}
    )
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json", config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {"POST /v1/check", "POST /v1/score", "GET /v1/rules"}
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
    ran = 0
    for operation in operations:
        for mode in modes if operation.method.upper() == "POST" else modes[:1]:

            @settings(
                max_examples=60,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                nonlocal ran
                ran += 1
                case.call_and_validate()

            run()
    assert ran >= 100
    assert server.process.poll() is None


# --- the README's client in another language -------------------------------------------------


def test_the_readme_node_client_prints_what_it_says(server, checker, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## HTTP service for chat tools", 1)[1].split("\n## ", 1)[0]
    code = section.split("```js\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "check.mjs"
    script.write_text(code, encoding="utf-8")
    expected = [
        line[3:] for line in code.splitlines() if line.startswith("// ") and "node" not in line
    ]
    env = {**os.environ, "PHRASECHECK_URL": server.url}
    done = subprocess.run(
        [node, str(script), "急什么，我在查了"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert printed[0] == expected[0]
    assert printed[1] == f"rules {checker.rules.version}"  # the README shows an example hash
    # An error is reported from the problem body, naming the field.
    failed = subprocess.run(
        [node, str(script), "好" * 501], capture_output=True, text=True, env=env, timeout=60
    )
    assert failed.returncode == 2
    assert "422 Text too long" in failed.stderr and "(field text)" in failed.stderr
