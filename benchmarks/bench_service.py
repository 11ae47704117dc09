"""Single-draft checks over HTTP (``phrasecheck serve``) against the same checks in-process.

Why: a chat tool calls the service once per draft, so what matters is requests per second and
the tail latency at many concurrent connections, and how much of the in-process speed the
HTTP layer costs. The server runs as its own process (``phrasecheck serve``) on a loopback
port; the load comes from another process: a lean asyncio HTTP/1.1 client (keep-alive, one
request in flight per connection) so that the client costs as little of the shared cores as
possible. Every request is bounded: ``--requests`` in all, after ``--warmup``.

    python benchmarks/bench_service.py [--requests 20000] [--connections 32] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import corpus  # benchmarks/corpus.py: the script's folder is on sys.path

HERE = Path(__file__).resolve().parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- the load client (runs in its own process) -----------------------------------------------


def _request(body: bytes | None) -> bytes:
    if body is None:  # the stack's ceiling: the cheapest endpoint
        return b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    return (
        b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


async def _connection(port: int, bodies: list, latencies: list[float], errors: list[str]):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for body in bodies:
            request = _request(body)
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            payload = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(head.split(b"\r\n", 1)[0].decode() + " " + payload[:200].decode())
    finally:
        writer.close()


async def _load(
    port: int, texts: list[str], connections: int, health: bool = False
) -> tuple[float, list[float], list]:
    bodies: list = [
        None if health else json.dumps({"text": t}, ensure_ascii=False).encode() for t in texts
    ]
    shares = [bodies[i::connections] for i in range(connections)]
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(_connection(port, share, latencies, errors) for share in shares))
    return time.perf_counter() - started, latencies, errors


def client_main(port: int, requests: int, warmup: int, connections: int, health: bool) -> None:
    """Entry point of the client process: prints one JSON line of results."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    texts = corpus.utterances(requests + warmup, seed=13)
    asyncio.run(_load(port, texts[:warmup], connections, health))
    seconds, latencies, errors = asyncio.run(_load(port, texts[warmup:], connections, health))
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "seconds": seconds,
                "rps": len(latencies) / seconds,
                "p50_ms": percentile(latencies, 0.50) * 1000,
                "p90_ms": percentile(latencies, 0.90) * 1000,
                "p99_ms": percentile(latencies, 0.99) * 1000,
                "max_ms": max(latencies) * 1000,
                "errors": len(errors),
                "first_error": errors[0] if errors else None,
            }
        )
    )


# --- the server, and the in-process baseline -------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workers: int, access_log: bool) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "phrasecheck.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    command += [] if access_log else ["--no-access-log"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        raise SystemExit("the server did not become ready in 60 s")
    if workers > 1:
        time.sleep(3)  # readyz answered from one worker; let the others finish starting
    return server, port


def in_process(texts: list[str]) -> dict:
    """The same single checks, one after another in this process: the ceiling per core."""
    from phrasecheck import Checker

    checker = Checker()
    checker.warm_up()
    for text in texts[:1000]:
        checker.check(text)
    latencies = []
    started = time.perf_counter()
    for text in texts:
        t0 = time.perf_counter()
        checker.check(text).model_dump_json()  # a result as the service sends it
        latencies.append(time.perf_counter() - t0)
    seconds = time.perf_counter() - started
    return {
        "rps": len(texts) / seconds,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


def run_client(port: int, args: argparse.Namespace, health: bool = False) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--client", str(port)]
    command += ["--health"] if health else []
    command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
    command += ["--connections", str(args.connections)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="Runs per configuration.")
    parser.add_argument("--access-log", action="store_true", help="Keep the JSON access log on.")
    parser.add_argument("--client", type=int, help=argparse.SUPPRESS)  # internal: the load process
    parser.add_argument("--health", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(args.client, args.requests, args.warmup, args.connections, args.health)
        return

    texts = corpus.utterances(args.requests, seed=13)
    print(
        f"bench_service: {datetime.now():%Y-%m-%d %H:%M}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores; {args.requests:,} single-text checks per run after "
        f"{args.warmup:,} warm-up, {args.connections} connections, median of {args.repeat} runs"
    )
    print(
        f"mean utterance {sum(map(len, texts)) / len(texts):.1f} characters; server access log "
        f"{'on' if args.access_log else 'off'}"
    )
    local = [in_process(texts) for _ in range(args.repeat)]
    local_rps = statistics.median(r["rps"] for r in local)
    print(
        f"{'check in-process, 1 thread':28s}{local_rps:>10,.0f}/s  "
        f"p50 {statistics.median(r['p50_ms'] for r in local):.3f} ms  "
        f"p99 {statistics.median(r['p99_ms'] for r in local):.3f} ms"
    )
    for workers in args.workers:
        server, port = start_server(workers, args.access_log)
        try:
            # Alternate the two loads so that the machine's noise hits both alike.
            checks, health = [], []
            for _ in range(args.repeat):
                checks.append(run_client(port, args))
                health.append(run_client(port, args, health=True))
        finally:
            server.terminate()
            server.wait(timeout=60)
        plural = "s" if workers > 1 else ""
        report(f"POST /v1/check, {workers} worker{plural}", checks, local_rps)
        report(f"GET /healthz, {workers} worker{plural}", health, local_rps)
    print("HTTP latencies are per request at the client, queueing included.")


def report(label: str, runs: list[dict], local_rps: float) -> None:
    errors = sum(r["errors"] for r in runs)
    rps = statistics.median(r["rps"] for r in runs)
    each = ", ".join(f"{r['rps']:,.0f}/s p99 {r['p99_ms']:.1f}" for r in runs)
    print(
        f"{label:28s}{rps:>10,.0f}/s  p50 {statistics.median(r['p50_ms'] for r in runs):.2f} ms"
        f"  p99 {statistics.median(r['p99_ms'] for r in runs):.2f} ms  (runs: {each})"
        f"  {rps / local_rps:.0%} of in-process; errors {errors}"
        + (f": {runs[0]['first_error']}" if errors else "")
    )


if __name__ == "__main__":
    main()
