"""Production settings, checked in a subprocess with a deployment's environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DEBUG="0",
        SECRET_KEY="a-test-only-secret-key-that-is-long-enough-to-pass-the-deploy-check-0123456789",
        ALLOWED_HOSTS="factcheck.example.org",
        CSRF_TRUSTED_ORIGINS="https://factcheck.example.org",
        DATABASE_URL=f"sqlite:///{tmp / 'production.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        PYTHONPATH=str(REPO),
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_check_deploy_reports_nothing(production_env):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off(production_env):
    env = {k: v for k, v in production_env.items() if k != "SECRET_KEY"}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.fixture(scope="module")
def probe(production_env) -> dict:
    result = _run([str(REPO / "tests" / "production" / "probe.py")], production_env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


STRONG_PASSWORD_HASHERS = {"pbkdf2_sha256", "argon2", "scrypt", "bcrypt_sha256"}
WEAK_PASSWORD_HASHERS = {
    "MD5PasswordHasher",
    "UnsaltedMD5PasswordHasher",
    "UnsaltedSHA1PasswordHasher",
    "SHA1PasswordHasher",
}


def test_passwords_are_hashed_with_a_strong_hasher(probe):
    """The in-process tests hash with MD5 for speed (tests/conftest.py): the real settings must not."""
    hashing = probe["password_hashing"]
    assert hashing["default"] in STRONG_PASSWORD_HASHERS, hashing["configured"]
    assert hashing["new_hash_algorithm"] == hashing["default"]
    if hashing["default"] == "pbkdf2_sha256":
        assert hashing["iterations"] >= 600_000  # OWASP's floor for PBKDF2-HMAC-SHA256
    weak = [path for path in hashing["configured"] if path.rsplit(".", 1)[-1] in WEAK_PASSWORD_HASHERS]
    assert not weak, "weak hashers would still verify (and so accept) weak stored hashes"


def test_every_main_page_answers(probe):
    assert {url: page["status"] for url, page in probe["pages"].items()} == dict.fromkeys(probe["pages"], 200)


def test_security_headers_on_every_main_page(probe):
    for url, page in probe["pages"].items():
        headers = {name.lower(): value for name, value in page["headers"].items()}
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert "nonce-" not in csp, f"{url}: cacheable pages must not need a per-response nonce"
        hsts = dict(part.strip().partition("=")[::2] for part in headers["strict-transport-security"].split(";"))
        assert int(hsts["max-age"]) >= 15_552_000, url  # six months
        assert headers["x-content-type-options"] == "nosniff", url
        assert headers["referrer-policy"] in {"strict-origin-when-cross-origin", "no-referrer", "same-origin"}, url
        assert headers["x-frame-options"] == "DENY", url


def test_cookies_are_secure_httponly_and_samesite(probe):
    cookies = probe["session_cookies"]
    assert "quiz_reader" in cookies, "starting a quiz sets the reader cookie"
    assert "sessionid" not in cookies, "a reader costs no session (no row written per visitor)"
    for name, flags in cookies.items():
        assert flags["secure"], name
        assert flags["samesite"] in {"Lax", "Strict"}, name
    assert cookies["quiz_reader"]["httponly"]


def test_plain_http_is_redirected_to_https(probe):
    assert probe["plain_http"]["status"] == 301
    assert probe["plain_http"]["location"].startswith("https://factcheck.example.org/")


def test_static_files_are_hashed_and_compressed(probe, production_env):
    static = Path(production_env["STATIC_ROOT"])
    css = list(static.glob("css/site.*.css"))
    assert css, "the manifest storage writes hashed names"
    assert any(path.with_name(path.name + ".gz").exists() for path in css)
    home = probe["pages"]["/"]
    assert home["status"] == 200
