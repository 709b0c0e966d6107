#!/usr/bin/env python
"""`make bench`: throughput and latency of the production stack, written to docs/benchmarks.md.

For each database (SQLite, then PostgreSQL with Redis when PostgreSQL answers)
it starts what `make serve` starts (gunicorn with gunicorn.conf.py, whitenoise,
DEBUG=0) on a throwaway database with the demo content, and drives it on
loopback for a fixed time per scenario:

- GET scenarios with wrk (a separate process; scripts/wrk_report.lua reports
  p50/p99 and errors), 16 connections;
- posting quiz answers with 16 simulated readers (scripts/quizclient.py),
  each with its own session and CSRF token, starting a new attempt in a fresh
  session when one is finished (so every attempt counts in the statistics,
  as a real reader's would);
- the floor: a static file of about the size of a page, served by whitenoise
  through the same gunicorn, against which every page is compared.

It is a benchmark, not a test: it reports whether the targets are met and
exits 0 either way, unless a scenario could not run at all.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import stack
from scripts.quizclient import QuizMap, Reader, discover_quiz, is_answer_recorded, result_token

REPO = stack.REPO
WRK_SCRIPT = REPO / "scripts" / "wrk_report.lua"
FLOOR_PATH = "bench/floor-10k.html"
FLOOR_BYTES = 10 * 1024
CONCURRENCY = 16
THINK_SECONDS = 1.0  # a reader glancing at the feedback before the next question (most take longer)

# Targets on a 2-core machine (see docs/benchmarks.md).
PERMALINK_MIN_RATIO = 0.5
ANSWER_P99_MAX_MS = 100.0


@dataclass
class Result:
    scenario: str
    path: str
    tool: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    bytes_per_response: int
    # For the answers: the same percentile from gunicorn's access log, i.e. time spent in the app,
    # without the load generator's own scheduling and connection set-up on the shared CPUs.
    server_p99_ms: float | None = None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Run:
    database: str
    workers: int
    results: list[Result]
    skipped: str = ""

    def result(self, scenario: str) -> Result | None:
        return next((r for r in self.results if r.scenario == scenario), None)

    @property
    def floor(self) -> float:
        static = self.result("static file (floor)")
        return static.rps if static else 0.0


def demo_slugs() -> dict[str, str]:
    content = json.loads((REPO / "claims" / "demo" / "content.json").read_text())
    return {
        "claim": content["claims"][0]["slug"],
        "article": content["article"]["slug"],
        "quiz": content["quiz"]["slug"],
    }


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def run_wrk(
    scenario: str, port: int, path: str, seconds: float, headers: dict[str, str] | None = None, warmup: float = 1.0
) -> Result:
    def wrk(duration: float) -> dict:
        command = ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{max(1, round(duration))}s", "--timeout", "5s"]
        command += ["-s", str(WRK_SCRIPT)]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://{stack.HOST}:{port}{path}")
        # The command is ours: wrk and a loopback URL.
        run = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=False)  # noqa: S603
        if run.returncode != 0 or "WRK_JSON " not in run.stdout:
            raise RuntimeError(f"wrk failed on {path} ({run.returncode}): {run.stdout[-500:]} {run.stderr[-500:]}")
        output = run.stdout
        line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
        return json.loads(line.removeprefix("WRK_JSON "))

    if warmup:
        wrk(warmup)  # every worker imports, compiles templates and fills the cache before we measure
    data = wrk(seconds)
    errors = data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"]
    return Result(
        scenario=scenario,
        path=path,
        tool=f"wrk, {CONCURRENCY} connections",
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
        bytes_per_response=data["bytes"] // max(1, data["requests"]),
    )


def run_answers(port: int, quiz: QuizMap, seconds: float, think: float = 0.0) -> Result:
    """16 readers answering in a closed loop: each waits for its answer (and `think` seconds) before the next.

    With no think time the readers saturate the server, and latency is mostly the
    wait for a free worker (Little's law: 16 readers / throughput). With think
    time they behave like people reading the feedback between questions.
    """
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    sizes: list[int] = []

    def reader_loop(index: int) -> None:
        number_of_attempts = 0
        while time.monotonic() < deadline:
            # A fresh browser per attempt: a reader's first attempts are the ones counted, as in real use.
            reader = Reader(stack.HOST, port)
            started = reader.start(quiz.slug)
            if started.status != 303:
                with lock:
                    errors.append(f"start: {started.status} {started.error}")
                continue
            number_of_attempts += 1
            for number, question in enumerate(quiz.questions, start=1):
                if time.monotonic() >= deadline:
                    return
                choice = question.choices[(index + number + number_of_attempts) % len(question.choices)]
                reply = reader.answer(quiz.slug, number, question, choice)
                with lock:
                    if is_answer_recorded(reply):
                        latencies.append(reply.seconds)
                        sizes.append(len(reply.body.encode()))
                    else:
                        errors.append(f"answer {number}: {reply.status} {reply.error}")
                if think:
                    time.sleep(think)

    started = time.monotonic()
    threads = [threading.Thread(target=reader_loop, args=(i,), daemon=True) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.monotonic() - started
    if errors:
        print(f"    first errors: {errors[:3]}", file=sys.stderr)
    return Result(
        scenario=f"posting answers, {think:g} s between answers" if think else "posting answers, saturating",
        path=f"/quizzes/{quiz.slug}/q/<n>/ (POST, htmx)",
        tool=f"Python, {CONCURRENCY} readers",
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        errors=len(errors),
        bytes_per_response=int(statistics.mean(sizes)) if sizes else 0,
    )


ACCESS_LOG_ANSWER = re.compile(r'"POST /quizzes/[^ ]+/q/\d+/ HTTP/[\d.]+" \d+ \S+ (\d+)ms')


def server_answer_p99(log: Path, offset: int) -> float | None:
    """p99 of the answer POSTs' durations that gunicorn logged after `offset` (its access log format has %(M)s)."""
    with log.open("rb") as handle:
        handle.seek(offset)
        text = handle.read().decode(errors="replace")
    durations = [float(match.group(1)) for match in ACCESS_LOG_ANSWER.finditer(text)]
    return percentile(durations, 99) if durations else None


def write_floor_file(static_root: Path) -> None:
    """~10 KB of HTML in STATIC_ROOT before gunicorn starts (whitenoise indexes files at startup)."""
    target = static_root / FLOOR_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    line = "<p>A static file of about the size of a rendered page, served by whitenoise: the floor.</p>\n"
    target.write_text((line * (FLOOR_BYTES // len(line) + 1))[:FLOOR_BYTES])


def bench_database(database: str, seconds: float, workdir: Path) -> Run:
    slugs = demo_slugs()
    static_root = workdir / f"static-{database}"
    redis: stack.RedisServer | None = None
    db_name = ""
    extra: dict[str, str] = {}
    if database == "sqlite":
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        redis_url = None
    else:
        db_name = f"factcheck_bench_{os.getpid()}"
        database_url = stack.create_database(db_name)
        redis_url = os.environ.get("BENCH_REDIS_URL")
        if not redis_url:
            redis = stack.RedisServer()
            redis_url = redis.url
        # Persistent connections with health checks, as docs/deploy.md recommends for PostgreSQL.
        extra["CONN_MAX_AGE"] = "60"
    env = stack.production_env(database_url=database_url, redis_url=redis_url, static_root=static_root, **extra)
    workers = int(env.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1)
    gunicorn_log = workdir / f"gunicorn-{database}.log"
    gunicorn = stack.Gunicorn(env, workers=workers, log=gunicorn_log)
    results: list[Result] = []
    try:
        with stack.running(*([redis] if redis else [])):
            print(f"  {database}: migrate, collectstatic, load_demo", flush=True)
            stack.prepare_site(env)
            write_floor_file(static_root)
            with stack.running(gunicorn):
                port = gunicorn.port
                quiz = discover_quiz(stack.HOST, port, slugs["quiz"])
                # A finished attempt to show (discover_quiz finished one) and a reader in the middle of one.
                finisher = Reader(stack.HOST, port)
                finisher.start(quiz.slug)
                token = ""
                for number, question in enumerate(quiz.questions, start=1):
                    reply = finisher.answer(quiz.slug, number, question, question.choices[0])
                    if number == quiz.total:
                        token = result_token(reply) or ""
                questioner = Reader(stack.HOST, port)
                questioner.start(quiz.slug)
                cookie = "; ".join(f"{k}={v}" for k, v in questioner.cookies.items())
                scenarios: list[tuple[str, str, dict[str, str] | None]] = [
                    ("static file (floor)", f"/static/{FLOOR_PATH}", None),
                    ("claim permalink (cached)", f"/claims/{slugs['claim']}/", None),
                    ("index, ?verdict=true (cached)", "/claims/?verdict=true", None),
                    ("article page (cached)", f"/articles/{slugs['article']}/", None),
                    ("question page (per reader)", f"/quizzes/{quiz.slug}/q/1/", {"Cookie": cookie}),
                    ("results page", f"/quizzes/{quiz.slug}/results/{token}/", None),
                ]
                for scenario, path, headers in scenarios:
                    print(f"    {scenario}: {path}", flush=True)
                    results.append(run_wrk(scenario, port, path, seconds, headers))
                print("    posting answers", flush=True)
                for think in (0.0, THINK_SECONDS):
                    offset = gunicorn_log.stat().st_size if gunicorn_log.exists() else 0
                    result = run_answers(port, quiz, seconds, think=think)
                    result.server_p99_ms = server_answer_p99(gunicorn_log, offset)
                    results.append(result)
    finally:
        gunicorn.stop()
        if db_name:
            stack.drop_database(db_name)
    label = "SQLite (local-memory cache)" if database == "sqlite" else "PostgreSQL 5432 + Redis (private redis-server)"
    if database != "sqlite" and os.environ.get("BENCH_REDIS_URL"):
        label = "PostgreSQL + Redis (BENCH_REDIS_URL)"
    return Run(database=label, workers=workers, results=results)


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def postgres_version() -> str:
    import psycopg

    with contextlib.suppress(psycopg.Error), psycopg.connect(stack.PG_ADMIN_URL, connect_timeout=2) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return row[0] if row else "?"
    return "?"


def code_version() -> str:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)  # noqa: S603, S607
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no")
    return f"{commit} with uncommitted changes" if changed else commit


def targets(runs: list[Run]) -> list[tuple[str, str, bool | None]]:
    checks: list[tuple[str, str, bool | None]] = []
    for run in runs:
        if run.skipped:
            continue
        permalink = run.result("claim permalink (cached)")
        if permalink and run.floor:
            ratio = permalink.rps / run.floor
            checks.append(
                (
                    f"Cached permalink at ≥ {PERMALINK_MIN_RATIO:.0%} of the static floor ({run.database})",
                    f"{ratio:.0%}",
                    ratio >= PERMALINK_MIN_RATIO,
                )
            )
    postgres = next((r for r in runs if r.database.startswith("PostgreSQL") and not r.skipped), None)
    for scenario in ("posting answers, saturating", f"posting answers, {THINK_SECONDS:g} s between answers"):
        answers = postgres.result(scenario) if postgres else None
        checks.append(
            (
                f"{scenario.capitalize()}: p99 < {ANSWER_P99_MAX_MS:.0f} ms at {CONCURRENCY} concurrent readers"
                " on PostgreSQL",
                (
                    f"{answers.p99_ms:.1f} ms ({answers.rps:.0f} answers/s)"
                    + (f"; in the app {answers.server_p99_ms:.0f} ms" if answers.server_p99_ms is not None else "")
                )
                if answers
                else "not run",
                answers.p99_ms < ANSWER_P99_MAX_MS if answers else None,
            )
        )
    total_errors = sum(r.errors for run in runs for r in run.results)
    checks.append(("Zero errors in every scenario", f"{total_errors} errors", total_errors == 0))
    return checks


def report(runs: list[Run], seconds: float, load: tuple[float, float]) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py); every run overwrites this file. Numbers from one machine",
        "are comparable with each other, not with another machine's.",
        "",
        f"- Date: {now}",
        f"- Machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, {platform.system()} {platform.release()}",
        f"- Code: commit {code_version()}; Python {platform.python_version()}, PostgreSQL {postgres_version()}",
        f"- Server: gunicorn with gunicorn.conf.py (sync workers), whitenoise, DEBUG=0, access log on; "
        f"{seconds:.0f} s per scenario after a 1 s warm-up",
        f"- Load: {CONCURRENCY} concurrent connections or readers on loopback, generated on the same machine",
        "  (the load tools, gunicorn, PostgreSQL and Redis share its CPUs)",
        f"- Load average (1 min) before the run {load[0]:.1f}, after it {load[1]:.1f}: anything else running on the",
        "  machine (a test suite, a browser) takes CPU from the server and lowers every number below",
        "",
        "## Targets",
        "",
        "| Target | Measured | Met |",
        "|---|---|---|",
    ]
    for name, measured, met in targets(runs):
        lines.append(f"| {name} | {measured} | {'yes' if met else 'no' if met is False else 'not run'} |")
    for run in runs:
        lines += ["", f"## {run.database}", ""]
        if run.skipped:
            lines.append(f"Skipped: {run.skipped}")
            continue
        lines += [
            f"{run.workers} gunicorn workers.",
            "",
            "| Scenario | Path | Load | Bytes | Requests/s | p50 ms | p99 ms | Errors | vs static |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in run.results:
            ratio = f"{r.rps / run.floor:.0%}" if run.floor else "n/a"
            lines.append(
                f"| {r.scenario} | `{r.path}` | {r.tool} | {r.bytes_per_response} | {r.rps:.0f} | "
                f"{r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} | {ratio} |"
            )
    lines += [
        "",
        "## How to read this",
        "",
        "- Bytes are per response, headers included (wrk) or the body alone (answers).",
        "- The static floor is a ~10 KB file served by whitenoise through the same gunicorn and middleware:",
        "  what the server costs before Django renders anything. Cached pages come from the page cache",
        "  (local memory per worker on SQLite, Redis on PostgreSQL), so their cost is the middleware, the",
        "  session-less cache lookup and the ETag.",
        "- The question page, the results page and the answers are rendered for each request. Every 12",
        "  answers a reader also loads the quiz intro and starts an attempt; those requests are not counted",
        "  in the answers' rate but do load the server.",
        "- Sync workers answer one request each at a time: with 16 connections and "
        f"{runs[0].workers if runs else '?'} workers, latency includes the wait",
        "  for a free worker. Requests per second are the capacity of this machine for that page alone.",
        "- Saturating readers answer as fast as the server lets them, so their latency is the queue:",
        "  16 readers / answers per second. A p99 under 100 ms at 16 saturating readers would need",
        "  about 160 answers/s from 2 cores shared with PostgreSQL and the load generator. Readers who",
        f"  pause {THINK_SECONDS:g} s between answers (still far faster than people) measure the answer's own latency.",
        '- "In the app" is the p99 of the same answers from gunicorn\'s access log: from the request read to',
        "  the response written. The difference from the readers' p99 is time outside the app: the Python",
        "  load generator's 16 threads and connection set-up competing for the same 2 cores.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: `make bench` installs it (apt-get install -y wrk).", file=sys.stderr)
        return 2
    runs: list[Run] = []
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as workdir:
        for database in args.databases.split(","):
            print(f"Benchmarking on {database}", flush=True)
            if database == "postgres" and not stack.postgres_answers():
                runs.append(Run("PostgreSQL + Redis", 0, [], skipped="PostgreSQL at 127.0.0.1:5432 did not answer."))
                continue
            if database == "postgres" and not os.environ.get("BENCH_REDIS_URL") and not stack.redis_server_binary():
                runs.append(Run("PostgreSQL + Redis", 0, [], skipped="redis-server is not installed."))
                continue
            runs.append(bench_database(database, args.seconds, Path(workdir)))
    text = report(runs, args.seconds, (load_before, os.getloadavg()[0]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    print(f"Wrote {args.out} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
