"""Start and stop the production stack on loopback: nginx, gunicorn, a private redis-server, throwaway databases.

Shared by `make bench` (scripts/bench.py) and the production tests
(tests/production/). Every process is started in its own process group and
stopped by group, so nothing outlives the caller even when gunicorn has
forked workers; every throwaway database is dropped by whoever created it.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
HOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on right now (the kernel's pick); callers retry if they lose the race."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def port_is_open(port: int, host: str = HOST) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def postgres_answers(timeout: float = 2.0) -> bool:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=int(max(1, timeout))) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (c for c in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(c, os.X_OK)), None
    )


def redis_server_binary() -> str | None:
    for candidate in ("/usr/bin/redis-server", "/usr/local/bin/redis-server"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _stop_group(process: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM the process's whole group, then SIGKILL whatever is left after `grace` seconds."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    # Workers may outlive a master that died first: the group id is still the master's pid.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


# PostgreSQL ----------------------------------------------------------------


def create_database(name: str) -> str:
    """Create an empty database `name` (dropping a leftover of the same name) and return its URL."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        # FORCE ends the app's remaining connections, which would otherwise block the drop.
        conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(name)))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def ensure_database(name: str) -> bool:
    """Create `name` if it does not exist; True when it was created."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def set_database_accepts_connections(name: str, allowed: bool) -> None:
    """Refuse (or allow again) new connections to one database only: an outage of just our database."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(
                sql.Identifier(name), sql.SQL("true" if allowed else "false")
            )
        )


def terminate_backends(name: str) -> int:
    """pg_terminate_backend on every connection to database `name` (never another database's); how many."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return sum(1 for (ok,) in rows if ok)


# redis-server ----------------------------------------------------------------


class RedisServer:
    """A private, memory-only redis-server on a loopback port: never the machine's own instance."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self, timeout: float = 10.0) -> None:
        binary = redis_server_binary()
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [binary, "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode} (port {self.port} taken?)")
            if self.ping():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server on port {self.port} did not answer within {timeout} s")

    def ping(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process, grace=5)
            self.process = None


# The app ----------------------------------------------------------------------


def production_env(
    *, database_url: str, redis_url: str | None, static_root: Path, secret_key: str | None = None, **extra: str
) -> dict[str, str]:
    """The environment of a production deployment on loopback (plain HTTP: TLS would end at the proxy)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DEBUG="0",
        SECRET_KEY=secret_key or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(static_root),
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
        # Every simulated reader comes from 127.0.0.1: per-address limits would measure the
        # limiter, not the app. Tests of the limits themselves pass their own values in `extra`.
        QUIZ_ANSWER_RATE="1000000/60",
        QUIZ_START_RATE="1000000/60",
        # Shares of readers from the first reader on, as on a quiz past its first 30 readers: the steady state
        # that the tests compare with the rows and the benchmarks measure.
        QUIZ_MIN_SAMPLE="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    result = subprocess.run(  # noqa: S603 (our manage.py with our arguments)
        [PYTHON, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def prepare_site(env: dict[str, str], *, collectstatic: bool = True) -> None:
    """Tables, static files and the demo content, as a deployment's release step would."""
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    if collectstatic:
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    manage(env, "load_demo", "--verbosity", "0")


def http_get(port: int, path: str, timeout: float = 2.0) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_for_health(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            status, body = http_get(port, "/healthz")
            if status == 200:
                return
            last = f"{status} {body[:200]}"
        except OSError as error:
            last = str(error)
        time.sleep(0.1)
    raise TimeoutError(f"/healthz on port {port} did not answer 200 within {timeout} s: {last}")


class Gunicorn:
    """gunicorn -c gunicorn.conf.py on a loopback port, as `make serve` runs it.

    `app` ("module:callable") serves another WSGI app with the same configuration (gunicorn.conf.py's
    wsgi_app otherwise); it must answer GET /healthz with 200.
    """

    def __init__(
        self,
        env: dict[str, str],
        *,
        port: int | None = None,
        workers: int = 2,
        log: Path | None = None,
        to_terminal: bool = False,
        app: str | None = None,
    ):
        self.port = port or free_port()
        self.app = app
        self.env = {**env, "BIND": f"{HOST}:{self.port}", "WEB_CONCURRENCY": str(workers)}
        self.log_path = log
        self.to_terminal = to_terminal  # our stdout and stderr (`make serve`), rather than `log` or nothing
        self.process: subprocess.Popen | None = None
        self._log_file: BinaryIO | int | None = None  # a file, subprocess.DEVNULL, or nothing yet

    def start(self, timeout: float = 30.0) -> None:
        if not self.to_terminal:
            self._log_file = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", *([self.app] if self.app else [])],
            cwd=REPO,
            env=self.env,
            stdout=self._log_file,
            stderr=None if self.to_terminal else subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_health(self.port, timeout)
        except Exception:
            self.stop()
            raise

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (no psutil)."""
        if self.process is None:
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command may contain spaces and parentheses: fields after the last ")" are fixed.
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                children.append(int(entry.name))
        return sorted(children)

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process, grace=15)
            self.process = None
        if self._log_file is not None and not isinstance(self._log_file, int):  # not nothing, not DEVNULL
            self._log_file.close()
        self._log_file = None


# nginx in front ------------------------------------------------------------------

NGINX_TEMPLATE = REPO / "deploy" / "nginx.conf.template"


def render_nginx_conf(
    *,
    listen: str,
    upstream: str,
    prefix: Path,
    static_root: Path,
    media_root: Path | None = None,
    user: str | None = None,
    worker_processes: str = "auto",
    template: Path = NGINX_TEMPLATE,
) -> str:
    """deploy/nginx.conf.template with its @@NAME@@ placeholders filled in (MEDIA_ROOT: the settings' default
    unless given)."""
    values = {
        "LISTEN": listen,
        "UPSTREAM": upstream,
        "PREFIX": str(prefix.resolve()),
        "STATIC_ROOT": str(Path(static_root).resolve()).rstrip("/"),
        "MEDIA_ROOT": str(Path(media_root or os.environ.get("MEDIA_ROOT") or REPO / "media").resolve()).rstrip("/"),
        "USER": user or getpass.getuser(),
        "WORKER_PROCESSES": worker_processes,
    }
    text = template.read_text()
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    left = sorted(set(re.findall(r"@@[A-Z_]+@@", text)))
    if left:
        raise ValueError(f"{template}: no value for {', '.join(left)}")
    return text


class Nginx:
    """nginx -p <dir> -g 'daemon off;' on a loopback port, in front of a gunicorn bind address.

    Its own prefix (config, pid, logs, temp files) in `directory`; a child in its own process group,
    stopped by group like everything else here.
    """

    def __init__(
        self,
        *,
        upstream: str,
        static_root: Path,
        directory: Path,
        port: int | None = None,
        workers: int = 1,
        media_root: Path | None = None,
    ) -> None:
        self.port = port or free_port()
        self.upstream = upstream
        self.static_root = static_root
        self.media_root = media_root
        self.directory = Path(directory)
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self._log_file: BinaryIO | None = None

    @property
    def conf_path(self) -> Path:
        return self.directory / "nginx.conf"

    def log(self) -> str:
        parts = [p.read_text(errors="replace")[-4000:] for p in (self.directory / "error.log",) if p.exists()]
        return "\n".join(parts)

    def start(self, timeout: float = 15.0) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.conf_path.write_text(
            render_nginx_conf(
                listen=f"{HOST}:{self.port}",
                upstream=self.upstream,
                prefix=self.directory,
                static_root=self.static_root,
                media_root=self.media_root,
                worker_processes=str(self.workers),
            )
        )
        self._log_file = open(self.directory / "stderr.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [binary, "-p", str(self.directory), "-c", str(self.conf_path), "-g", "daemon off;"],
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                stderr = (self.directory / "stderr.log").read_text(errors="replace")[-2000:]
                self.stop()
                raise RuntimeError(f"nginx exited with code {code}: {stderr} {self.log()}")
            if port_is_open(self.port):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx on port {self.port} did not listen within {timeout} s")

    def stop(self) -> None:
        if self.process is not None:
            # SIGTERM is nginx's fast shutdown; the group holds its workers too.
            _stop_group(self.process, grace=10)
            self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


class Fronted:
    """A gunicorn with nginx in front, as a host runs them: `port` is nginx's, `app.port` gunicorn's."""

    def __init__(
        self, env: dict[str, str], *, directory: Path, workers: int = 2, log: Path | None = None, nginx_workers: int = 1
    ) -> None:
        # Behind this nginx alone, the client is the last address of X-Forwarded-For.
        env = {"TRUSTED_PROXY_COUNT": "1", **env}
        self.app = Gunicorn(env, workers=workers, log=log)
        self.nginx = Nginx(
            upstream=f"{HOST}:{self.app.port}",
            static_root=Path(env["STATIC_ROOT"]),
            media_root=Path(env["MEDIA_ROOT"]) if env.get("MEDIA_ROOT") else None,
            directory=directory,
            workers=nginx_workers,
        )

    @property
    def port(self) -> int:
        return self.nginx.port

    def worker_pids(self) -> list[int]:
        """gunicorn's workers (nginx's are not the app's)."""
        return self.app.worker_pids()

    def start(self, timeout: float = 30.0) -> None:
        self.app.start(timeout)
        try:
            self.nginx.start()
            wait_for_health(self.port, timeout)
        except Exception:
            self.stop()
            raise

    def stop(self) -> None:
        self.nginx.stop()
        self.app.stop()


@contextlib.contextmanager
def running(*servers: Gunicorn | RedisServer | Nginx | Fronted) -> Iterator[None]:
    """Start the servers in order; stop every one that started, in reverse, whatever happens."""
    started: list[Gunicorn | RedisServer | Nginx | Fronted] = []
    try:
        for server in servers:
            started.append(server)
            server.start()
        yield
    finally:
        for server in reversed(started):
            server.stop()


def serve(port: int, upstream: str) -> int:
    """`make serve` (scripts/serve.sh): gunicorn on `upstream`, nginx on `port` in front, until Ctrl-C or SIGTERM.

    The environment (DEBUG=0, DATABASE_URL, ...) is the caller's; the site is already migrated and collected.
    """
    app_host, _, app_port = upstream.rpartition(":")
    if app_host not in {HOST, "localhost"}:
        raise SystemExit(f"gunicorn must listen on loopback behind nginx, not {upstream}")
    workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1)
    static_root = Path(os.environ.get("STATIC_ROOT") or REPO / "staticfiles")

    def stop_on_sigterm(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop_on_sigterm)
    with tempfile.TemporaryDirectory(prefix="factcheck-nginx-") as directory:
        app = Gunicorn(dict(os.environ), port=int(app_port), workers=workers, to_terminal=True)
        nginx = Nginx(
            upstream=f"{HOST}:{app.port}", static_root=static_root, directory=Path(directory), port=port, workers=2
        )
        try:
            with running(app, nginx):
                print(f"nginx on http://localhost:{port}/ (logs in {directory}), gunicorn on {HOST}:{app.port}")
                while all(p is not None and p.poll() is None for p in (app.process, nginx.process)):
                    time.sleep(0.5)
                print("gunicorn or nginx exited: stopping", file=sys.stderr)
                return 1
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="nginx on --port in front of gunicorn on --upstream")
    serve_parser.add_argument("--port", type=int, required=True)
    serve_parser.add_argument("--upstream", required=True, help="gunicorn's bind address, 127.0.0.1:<port>")
    arguments = parser.parse_args()
    sys.exit(serve(arguments.port, arguments.upstream))
