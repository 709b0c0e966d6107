#!/usr/bin/env python
"""`make bench`: throughput and latency of the production stack, written to docs/benchmarks.md.

For each database (SQLite, then PostgreSQL with Redis when PostgreSQL answers)
it starts the app as `make serve` does, without the nginx in front (gunicorn
with gunicorn.conf.py, whitenoise, DEBUG=0), on a throwaway database with the
demo content, and drives it on loopback with wrk (a separate process, in C) for
a fixed time per scenario:

- GET scenarios: scripts/wrk_report.lua reports p50/p99 and errors, 16 connections;
- posting quiz answers: scripts/wrk_quiz.lua, 16 connections on 16 wrk threads,
  each a reader with its own cookies and CSRF token who loads the quiz intro,
  starts an attempt, answers every question and begins again as a new reader
  (so every attempt counts in the statistics, as a real reader's would);
- two floors, against which the scenarios are compared: a static file of about
  the size of a page, served by whitenoise through the same gunicorn (for the
  pages), and scripts/bench_floor_app.py under the same gunicorn configuration on
  the same kind of database (for the answers: a POST that inserts a row and
  increments a counter in one transaction, and an uncached page with one query).

It is a benchmark, not a test: it reports whether the targets are met and
exits 0 either way, unless a scenario could not run at all.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import stack
from scripts.quizclient import QuizMap, Reader, discover_quiz, result_token

REPO = stack.REPO
WRK_REPORT = REPO / "scripts" / "wrk_report.lua"
WRK_QUIZ = REPO / "scripts" / "wrk_quiz.lua"
FLOOR_APP = "scripts.bench_floor_app:application"
FLOOR_PAGE_PATH = "/floor/"  # scripts/bench_floor_app.py's PAGE_PATH and WRITE_PATH
FLOOR_WRITE_PATH = "/floor/write/"
FLOOR_PATH = "bench/floor-10k.html"
FLOOR_BYTES = 10 * 1024
CONCURRENCY = 16

STATIC_FLOOR = "static file (floor)"
PAGE_FLOOR = "uncached page, one query (floor app)"
WRITE_FLOOR = "insert + counter update (floor app)"
PERMALINK = "claim permalink (cached)"
QUESTION_PAGE = "question page (per reader)"
ANSWERS = "posting answers, saturating"

# Targets on a 2-core machine (see docs/benchmarks.md).
QUESTION_PAGE_MIN_RATIO = 0.3  # of the static floor, on each database
ANSWERS_MIN_RATIO = 0.5  # of the write floor, on PostgreSQL
ANSWER_P99_MAX_MS = 100.0  # wrk's p99 of the readers' requests, on PostgreSQL
PERMALINK_MIN_RATIO = 0.6  # of the static floor, on PostgreSQL + Redis


@dataclass
class Result:
    scenario: str
    path: str
    tool: str
    requests: int  # what the scenario counts: responses for GETs, recorded answers (or floor writes) for POSTs
    seconds: float
    p50_ms: float  # wrk's, over every request the scenario sent
    p99_ms: float
    errors: int
    bytes_per_response: int  # wrk's: headers included, averaged over every request sent
    floor: str = "static"  # compared with the "static" floor or the "write" floor
    # The POST scenarios (scripts/wrk_quiz.lua): every request sent (intro, start and answers for readers),
    # the answers' own percentiles timed in wrk, and the same p99 from gunicorn's access log (time in the app).
    all_requests: int | None = None
    answer_p50_ms: float | None = None
    answer_p99_ms: float | None = None
    server_p99_ms: float | None = None
    error_detail: str = ""

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def all_rps(self) -> float:
        return (self.all_requests if self.all_requests is not None else self.requests) / self.seconds


@dataclass
class Run:
    database: str
    workers: int
    results: list[Result]
    skipped: str = ""
    notes: list[str] = field(default_factory=list)

    def result(self, scenario: str) -> Result | None:
        return next((r for r in self.results if r.scenario == scenario), None)

    def floor_rps(self, kind: str) -> float:
        floor = self.result({"static": STATIC_FLOOR, "write": WRITE_FLOOR}.get(kind, ""))
        return floor.rps if floor else 0.0

    def ratio(self, result: Result) -> float | None:
        floor = self.floor_rps(result.floor)
        return result.rps / floor if floor else None


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


def wrk(
    port: int,
    path: str,
    duration: float,
    *,
    script: Path,
    threads: int,
    headers: dict[str, str] | None = None,
    args: list[str] | None = None,
) -> dict:
    """One wrk run; its script's WRK_JSON line, parsed."""
    command = ["wrk", f"-t{threads}", f"-c{CONCURRENCY}", f"-d{max(1, round(duration))}s", "--timeout", "5s"]
    command += ["-s", str(script)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{stack.HOST}:{port}{path}")
    if args:
        command += ["--", *args]
    # The command is ours: wrk, our script and a loopback URL.
    run = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=False)  # noqa: S603
    if run.returncode != 0 or "WRK_JSON " not in run.stdout:
        raise RuntimeError(f"wrk failed on {path} ({run.returncode}): {run.stdout[-500:]} {run.stderr[-500:]}")
    line = next(line for line in run.stdout.splitlines() if line.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


def run_get(scenario: str, port: int, path: str, seconds: float, headers: dict[str, str] | None = None) -> Result:
    def measure(duration: float) -> dict:
        return wrk(port, path, duration, script=WRK_REPORT, threads=2, headers=headers)

    measure(1.0)  # every worker imports, compiles templates and fills the cache before we measure
    data = measure(seconds)
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


def run_posts(
    scenario: str,
    port: int,
    url_path: str,
    shown_path: str,
    seconds: float,
    args: list[str],
    *,
    floor: str,
    warmup: float,
    log: Path,
    logged: re.Pattern[str],
) -> Result:
    """scripts/wrk_quiz.lua on one connection per wrk thread; `logged` picks the counted POSTs in gunicorn's log."""

    def measure(duration: float) -> dict:
        return wrk(port, url_path, duration, script=WRK_QUIZ, threads=CONCURRENCY, args=args)

    if warmup:
        measure(warmup)
    offset = log.stat().st_size if log.exists() else 0
    data = measure(seconds)
    sockets = data["connect"] + data["read"] + data["write"] + data["timeout"]
    errors = data["bad_status"] + data["unexpected"] + sockets
    detail = ""
    if errors:
        detail = (
            f"{data['bad_status']} outside 2xx/3xx, {data['unexpected']} unexpected 2xx/3xx, {sockets} socket errors"
            f" or timeouts; first: {data['problem'] or 'a socket error'}"
        )
        print(f"    {scenario}: {detail}", file=sys.stderr)

    def ms(microseconds: int) -> float | None:
        return microseconds / 1000 if microseconds >= 0 else None

    return Result(
        scenario=scenario,
        path=shown_path,
        tool=f"wrk + wrk_quiz.lua, {CONCURRENCY} connections",
        requests=data["answers"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
        bytes_per_response=data["bytes"] // max(1, data["requests"]),
        floor=floor,
        all_requests=data["requests"],
        answer_p50_ms=ms(data["answer_p50_us"]),
        answer_p99_ms=ms(data["answer_p99_us"]),
        server_p99_ms=server_p99(log, offset, logged),
        error_detail=detail,
    )


def quiz_args(quiz: QuizMap) -> list[str]:
    """scripts/wrk_quiz.lua's arguments: each question's id and choice ids, in order."""
    return ["quiz", *(f"{q.pk}:{q.field}:{','.join(str(c) for c in q.choices)}" for q in quiz.questions)]


ACCESS_LOG_ANSWER = re.compile(r'"POST /quizzes/[^ ]+/q/\d+/ HTTP/[\d.]+" \d+ \S+ (\d+)ms')
ACCESS_LOG_FLOOR_WRITE = re.compile(rf'"POST {re.escape(FLOOR_WRITE_PATH)} HTTP/[\d.]+" \d+ \S+ (\d+)ms')


def server_p99(log: Path, offset: int, logged: re.Pattern[str]) -> float | None:
    """p99 of the durations of the requests `logged` matches that gunicorn logged after `offset` (format has %(M)s)."""
    with log.open("rb") as handle:
        handle.seek(offset)
        text = handle.read().decode(errors="replace")
    durations = [float(match.group(1)) for match in logged.finditer(text)]
    return percentile(durations, 99) if durations else None


SET_COOKIE = re.compile(r"^\s*([^=;\s]+)=([^;]*)")
MAX_AGE_ZERO = re.compile(r";\s*max-age=0(?!\d)", re.IGNORECASE)


def wrk_jar_problems(port: int, quiz: QuizMap) -> list[str]:
    """Responses of the readers' loop whose cookies scripts/wrk_quiz.lua would not all see.

    wrk hands a script a response's headers as a table keyed by name: of several
    Set-Cookie headers only the last arrives. This walks one reader through the
    script's loop with http.client (which sees every header) and names each
    response where a jar that keeps only the last one would miss a new value.
    """
    jar: dict[str, str] = {}
    problems: list[str] = []
    intro = f"/quizzes/{quiz.slug}/"
    steps: list[tuple[str, str, str | None, bool]] = [
        ("GET", intro, None, False),
        ("POST", f"{intro}start/", "", False),
    ]
    for number, question in enumerate(quiz.questions, start=1):
        form = urlencode({"question": question.pk, question.field: question.choices[0]})
        steps.append(("POST", f"{intro}q/{number}/", form, True))
    for method, path, body, htmx in steps:
        headers = {"Host": f"{stack.HOST}:{port}"}
        if jar:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = jar.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        connection = http.client.HTTPConnection(stack.HOST, port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            raw_cookies = response.headers.get_all("Set-Cookie") or []
        finally:
            connection.close()
        received: list[tuple[str, str | None]] = []  # (name, value), None for a deletion
        for raw in raw_cookies:
            match = SET_COOKIE.match(raw)
            if match:
                value = match.group(2)
                received.append((match.group(1), None if not value or MAX_AGE_ZERO.search(raw) else value))
        for index, (name, value) in enumerate(received[:-1]):
            overridden = any(later == name for later, _ in received[index + 1 :])
            if not overridden and jar.get(name) != value:
                names = ", ".join(n for n, _ in received)
                problems.append(
                    f"{method} {path} ({response.status}) sets {len(received)} cookies ({names}); wrk passes only"
                    f" the last Set-Cookie header to Lua, so scripts/wrk_quiz.lua misses the change to {name}"
                )
        for name, value in received:
            if value is None:
                jar.pop(name, None)
            else:
                jar[name] = value
    return problems


def write_floor_file(static_root: Path) -> None:
    """~10 KB of HTML in STATIC_ROOT before gunicorn starts (whitenoise indexes files at startup)."""
    target = static_root / FLOOR_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    line = "<p>A static file of about the size of a rendered page, served by whitenoise: the floor.</p>\n"
    target.write_text((line * (FLOOR_BYTES // len(line) + 1))[:FLOOR_BYTES])


@contextlib.contextmanager
def serving(env: dict[str, str], *, workers: int, log: Path, app: str | None = None) -> Iterator[stack.Gunicorn]:
    """A started stack.Gunicorn, stopped on leaving; on another port if its own was taken before gunicorn bound it.

    stack.free_port() only finds a port that is free at that moment: with wrk, the app and test suites opening
    connections on loopback, another socket can take it first, and gunicorn then gives up after 5 s.
    """
    for attempt in range(3):
        offset = log.stat().st_size if log.exists() else 0
        server = stack.Gunicorn(env, workers=workers, log=log, app=app)
        try:
            server.start()
            break
        except Exception as error:
            text = log.read_bytes()[offset:].decode(errors="replace") if log.exists() else ""
            if "Connection in use" in text and attempt < 2:
                print(f"    port {server.port} was taken before gunicorn bound it: another port", file=sys.stderr)
                continue
            raise RuntimeError(
                f"gunicorn ({app or 'the app'}) did not start ({error}); its log ends:\n{text[-3000:]}"
            ) from error
    try:
        yield server
    finally:
        server.stop()


def bench_floor_app(env: dict[str, str], database_url: str, workers: int, seconds: float, log: Path) -> list[Result]:
    """scripts/bench_floor_app.py under the app's gunicorn configuration: its page and its write."""
    floor_env = {key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}
    floor_env["DATABASE_URL"] = database_url
    setup = subprocess.run(  # noqa: S603 (our script with a fixed argument)
        [stack.PYTHON, "-m", "scripts.bench_floor_app", "setup"],
        cwd=REPO,
        env=floor_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if setup.returncode != 0:
        raise RuntimeError(f"scripts/bench_floor_app.py setup failed:\n{setup.stdout[-2000:]}\n{setup.stderr[-4000:]}")
    with serving(floor_env, workers=workers, log=log, app=FLOOR_APP) as floor:
        print(f"    {PAGE_FLOOR}: {FLOOR_PAGE_PATH}", flush=True)
        page = run_get(PAGE_FLOOR, floor.port, FLOOR_PAGE_PATH, seconds)
        print(f"    {WRITE_FLOOR}: {FLOOR_WRITE_PATH}", flush=True)
        write = run_posts(
            WRITE_FLOOR,
            floor.port,
            FLOOR_PAGE_PATH,
            f"{FLOOR_WRITE_PATH} (POST)",
            seconds,
            ["floor", FLOOR_WRITE_PATH],
            floor="write",
            warmup=1.0,
            log=log,
            logged=ACCESS_LOG_FLOOR_WRITE,
        )
    return [page, write]


def bench_database(database: str, seconds: float, workdir: Path) -> Run:
    slugs = demo_slugs()
    static_root = workdir / f"static-{database}"
    redis: stack.RedisServer | None = None
    db_names: list[str] = []
    # Workers are not recycled during the run: gunicorn.conf.py restarts each after about 5,000 requests,
    # which the static floor alone reaches within seconds, and a restarted worker spends a second of CPU
    # importing Django and its caches start cold, in whichever scenario happens to be running. Measured
    # in steady state, the scenarios can be compared with each other.
    # Persistent connections (checked before reuse) for the app and the floor app, as production runs.
    extra: dict[str, str] = {"GUNICORN_MAX_REQUESTS": "0", "CONN_MAX_AGE": "60"}
    if database == "sqlite":
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        floor_url = f"sqlite:///{workdir / 'floor.sqlite3'}"
        redis_url = None
    else:
        db_names = [f"factcheck_bench_{os.getpid()}", f"factcheck_floor_{os.getpid()}"]
        database_url = stack.create_database(db_names[0])
        floor_url = stack.create_database(db_names[1])
        redis_url = os.environ.get("BENCH_REDIS_URL")
        if not redis_url:
            redis = stack.RedisServer()
            redis_url = redis.url
    env = stack.production_env(database_url=database_url, redis_url=redis_url, static_root=static_root, **extra)
    workers = int(env.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1)
    gunicorn_log = workdir / f"gunicorn-{database}.log"
    results: list[Result] = []
    notes: list[str] = []
    try:
        with stack.running(*([redis] if redis else [])):
            print(f"  {database}: migrate, collectstatic, load_demo", flush=True)
            stack.prepare_site(env)
            write_floor_file(static_root)
            with serving(env, workers=workers, log=gunicorn_log) as gunicorn:
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
                    (STATIC_FLOOR, f"/static/{FLOOR_PATH}", None),
                    (PERMALINK, f"/claims/{slugs['claim']}/", None),
                    ("index, ?verdict=true (cached)", "/claims/?verdict=true", None),
                    ("article page (cached)", f"/articles/{slugs['article']}/", None),
                    (QUESTION_PAGE, f"/quizzes/{quiz.slug}/q/1/", {"Cookie": cookie}),
                    ("results page", f"/quizzes/{quiz.slug}/results/{token}/", None),
                ]
                for scenario, path, headers in scenarios:
                    print(f"    {scenario}: {path}", flush=True)
                    results.append(run_get(scenario, port, path, seconds, headers))
                for problem in wrk_jar_problems(port, quiz):
                    print(f"    warning: {problem}", file=sys.stderr)
                    notes.append(problem)
                print(f"    {ANSWERS}", flush=True)
                results.append(
                    run_posts(
                        ANSWERS,
                        port,
                        f"/quizzes/{quiz.slug}/",
                        f"/quizzes/{quiz.slug}/q/<n>/ (POST, htmx)",
                        seconds,
                        quiz_args(quiz),
                        floor="write",
                        warmup=1.0,
                        log=gunicorn_log,
                        logged=ACCESS_LOG_ANSWER,
                    )
                )
            floors = bench_floor_app(env, floor_url, workers, seconds, workdir / f"gunicorn-floor-{database}.log")
            results[1:1] = floors  # the floors first, after the static one
    finally:
        for name in db_names:
            stack.drop_database(name)
    label = "SQLite (local-memory cache)" if database == "sqlite" else "PostgreSQL 5432 + Redis (private redis-server)"
    if database != "sqlite" and os.environ.get("BENCH_REDIS_URL"):
        label = "PostgreSQL + Redis (BENCH_REDIS_URL)"
    return Run(database=label, workers=workers, results=results, notes=notes)


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

    def ratio_check(run: Run | None, scenario: str, minimum: float, floor_name: str, where: str) -> None:
        result = run.result(scenario) if run else None
        ratio = run.ratio(result) if run and result else None
        name = f"{scenario.capitalize()} at ≥ {minimum:.0%} of the {floor_name} ({where})"
        if result is None or ratio is None:
            checks.append((name, "not run", None))
        else:
            checks.append((name, f"{ratio:.0%} ({result.rps:.0f}/s)", ratio >= minimum))

    measured = [run for run in runs if not run.skipped]
    for run in measured:
        ratio_check(run, QUESTION_PAGE, QUESTION_PAGE_MIN_RATIO, "static floor", run.database)
    postgres = next((r for r in measured if r.database.startswith("PostgreSQL")), None)
    where = postgres.database if postgres else "PostgreSQL"
    ratio_check(postgres, ANSWERS, ANSWERS_MIN_RATIO, "write floor", where)
    answers = postgres.result(ANSWERS) if postgres else None
    p99_name = (
        f"{ANSWERS.capitalize()}: p99 < {ANSWER_P99_MAX_MS:.0f} ms at {CONCURRENCY} readers, measured by wrk"
        f" over all their requests ({where})"
    )
    if answers is None:
        checks.append((p99_name, "not run", None))
    else:
        measured_text = f"{answers.p99_ms:.1f} ms"
        if answers.answer_p99_ms is not None:
            measured_text += f"; answers alone {answers.answer_p99_ms:.1f} ms"
        if answers.server_p99_ms is not None:
            measured_text += f"; in the app {answers.server_p99_ms:.0f} ms"
        checks.append((p99_name, measured_text, answers.p99_ms < ANSWER_P99_MAX_MS))
    ratio_check(postgres, PERMALINK, PERMALINK_MIN_RATIO, "static floor", where)
    total_errors = sum(r.errors for run in measured for r in run.results)
    with_errors = [f"{r.scenario} ({run.database.split(' ')[0]})" for run in measured for r in run.results if r.errors]
    checks.append(
        (
            "Zero errors in every scenario",
            f"{total_errors} errors" + (f": {', '.join(with_errors)}" if with_errors else ""),
            total_errors == 0 if measured else None,
        )
    )
    return checks


def fmt_ms(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


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
        f"- Server: gunicorn with gunicorn.conf.py (sync workers), whitenoise, DEBUG=0, access log on, "
        "workers not recycled during the run; "
        f"{seconds:g} s per scenario after a 1 s warm-up",
        f"- Load: wrk, {CONCURRENCY} concurrent connections on loopback, generated on the same machine",
        "  (wrk, gunicorn, PostgreSQL and Redis share its CPUs)",
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
            f"{run.workers} gunicorn workers, for the app and for the floor app.",
            "",
            "| Scenario | Path | Load | Bytes | Per second | p50 ms | p99 ms | Errors | vs floor |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in run.results:
            ratio = run.ratio(r)
            versus = f"{ratio:.0%} of {r.floor}" if ratio is not None else "n/a"
            unit = " answers" if r.scenario.startswith("posting answers") else " writes" if r.floor == "write" else ""
            lines.append(
                f"| {r.scenario} | `{r.path}` | {r.tool} | {r.bytes_per_response} | {r.rps:.0f}{unit} | "
                f"{r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} | {versus} |"
            )
        posts = [r for r in run.results if r.all_requests is not None]
        if posts:
            lines += [
                "",
                "The POST scenarios in detail (wrk's percentiles above cover all their requests):",
                "",
                "| Scenario | All requests/s | Answers (writes)/s | Answers' p50 / p99 ms in wrk | "
                "Answers' p99 ms in the app |",
                "|---|---:|---:|---:|---:|",
            ]
            for r in posts:
                lines.append(
                    f"| {r.scenario} | {r.all_rps:.0f} | {r.rps:.0f} | "
                    f"{fmt_ms(r.answer_p50_ms)} / {fmt_ms(r.answer_p99_ms)} | {fmt_ms(r.server_p99_ms, 0)} |"
                )
        for r in run.results:
            if r.error_detail:
                lines += ["", f"Errors in {r.scenario}: {r.error_detail}."]
        for note in run.notes:
            lines += ["", f"Warning: {note}."]
    lines += [
        "",
        "## How to read this",
        "",
        "- Every load comes from wrk (a C program, one process) with 16 connections. The POST scenarios run",
        "  scripts/wrk_quiz.lua on 16 wrk threads, one connection each, so each connection is one browser",
        "  with its own cookie jar and CSRF token (sent as X-CSRFToken). Bytes are per response, headers",
        "  included, averaged over every request of the scenario. Per second is responses for the GET",
        "  scenarios, recorded answers (or floor writes) for the POST scenarios.",
        "- The static floor is a ~10 KB file served by whitenoise through the same gunicorn and middleware:",
        "  what the server costs before Django renders anything. Cached pages come from the page cache",
        "  (local memory per worker on SQLite, Redis on PostgreSQL), so their cost is the middleware, the",
        "  session-less cache lookup and the ETag. Every GET scenario is compared with it.",
        "- The floor app (scripts/bench_floor_app.py) is a minimal Django with the middleware that matters",
        "  here (security, whitenoise, sessions, CSRF, authentication), the same database settings and the",
        "  same gunicorn configuration and worker count, on a throwaway database of the same kind. Its",
        "  uncached page sets the CSRF cookie and renders a small template after one query; its write (one",
        "  GET per connection for the CSRF cookie, then POSTs) inserts a row and increments a counter row",
        "  in one transaction. Answers are compared with the write: the rest of an answer's cost is the",
        "  app's own work (finding the reader's attempt, checking the order, rendering the feedback).",
        "- The question page and the results page are rendered for each request. Readers load the quiz",
        "  intro and start an attempt before every round of answers, then begin again as new readers, on",
        "  the same connections: those requests take time from the answers. Answers per second count only",
        "  the recorded answers (200), and wrk's p50 and p99 for the POST scenarios cover every request of",
        "  the mix (intro GET, start, answers). The detail table gives the answers' own percentiles, timed",
        "  by the script inside wrk, and the same p99 from gunicorn's access log (from the request read to",
        '  the response written: "in the app"); the difference is the wait for a free worker.',
        "- Sync workers answer one request each at a time: with 16 connections and "
        f"{runs[0].workers if runs else '?'} workers, latency includes the wait",
        "  for a free worker. Requests per second are the capacity of this machine for that page alone.",
        "- Saturating readers answer as fast as the server lets them, so their latency is mostly the queue:",
        "  16 connections / requests per second of the mix. A p99 under 100 ms needs well over 160 requests",
        "  per second of the mix from these cores, shared with PostgreSQL, Redis and wrk.",
        "- There is no scenario of readers pausing between answers. wrk's delay() waits after wrk has",
        "  already reopened the connection (sync workers close every connection), and the sync worker that",
        "  accepted it waits for the request meanwhile: with 16 readers pausing 1 s and "
        f"{runs[0].workers if runs else '?'} workers, the",
        "  others queue behind idle connections and wrk's p99 comes out near the pause itself, far above",
        "  the app's own time for an answer. That measures idle connections holding workers (which nginx in",
        "  front prevents in production), not the answers.",
        "- A warning under a database's tables means a response of the readers' loop sets several cookies:",
        "  wrk passes only the last Set-Cookie header of a response to its script, so the readers may lose",
        "  a cookie there (their errors would show it).",
        "- Errors are socket errors, timeouts (over 5 s) and responses with a status of 400 or more; in the",
        "  POST scenarios also any 1xx, and any other 2xx or 3xx than the step expects (200 for a page or an",
        "  answer, 303 for the start).",
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
