"""Every public page is valid HTML, by the Nu HTML Checker (vnu.jar, the W3C validator's engine).

The pages are rendered from the demo content (plus a correction), written to a temporary folder and
checked in ONE run of vnu.jar (one JVM start, a few seconds). vnu-jar is pinned to an exact version in
package.json and package-lock.json at the repository root; when node_modules/ lacks that version this
test installs it with `npm ci` (scripts off: vnu-jar's install script would download a Java runtime,
and we use the machine's `java`). Without java or npm (or without the network, on a fresh clone) the
test is skipped locally, and fails when CI is set: CI cannot go green without having checked the pages.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from claims import editorial
from claims.editorial.actors import DEMO_REVIEWER
from claims.models import Article, Attempt, Claim, Quiz
from claims.verdicts import Verdict

PROJECT_DIR = Path(__file__).resolve().parent.parent
PACKAGE_LOCK = PROJECT_DIR / "package-lock.json"
VNU_PACKAGE = PROJECT_DIR / "node_modules" / "vnu-jar"
VNU_JAR = VNU_PACKAGE / "build" / "dist" / "vnu.jar"
NPM_CI = ["ci", "--ignore-scripts", "--no-audit", "--no-fund"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"Cannot check the HTML (CI is set, so it must be checked): {reason}", pytrace=False)
    pytest.skip(f"HTML validity not checked: {reason}")


def _pinned_version() -> str:
    return json.loads(PACKAGE_LOCK.read_text())["packages"]["node_modules/vnu-jar"]["version"]


def _installed_version() -> str | None:
    try:
        return json.loads((VNU_PACKAGE / "package.json").read_text())["version"] if VNU_JAR.exists() else None
    except (OSError, ValueError, KeyError):
        return None


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """`npm ci` empties node_modules/ first: two test runs in one checkout must not install at once."""
    name = hashlib.sha256(str(PROJECT_DIR).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"factcheck-vnu-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_vnu() -> Path:
    """The pinned vnu.jar, installed by `npm ci` if missing or another version; skip (fail in CI) if it cannot be."""
    if shutil.which("java") is None:
        _unavailable("`java` is not on PATH (the Nu HTML Checker needs Java 17 or newer)")
    pinned = _pinned_version()
    if _installed_version() == pinned:
        return VNU_JAR
    npm = shutil.which("npm")
    if npm is None:
        _unavailable(f"vnu-jar {pinned} is not in node_modules/ and `npm` is not on PATH to install it")
    with _install_lock():
        if _installed_version() != pinned:
            try:
                done = subprocess.run(
                    [npm, *NPM_CI], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600, check=False
                )
            except subprocess.TimeoutExpired:
                _unavailable(f"`npm {' '.join(NPM_CI)}` took more than 10 minutes")
            if done.returncode != 0:
                _unavailable(f"`npm {' '.join(NPM_CI)}` failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    if _installed_version() != pinned:
        _unavailable(f"`npm ci` did not install vnu-jar {pinned} at {VNU_JAR}")
    return VNU_JAR


# The schema's evaluation recurses deeply: with the default 1 MB stack vnu sometimes stops with a
# StackOverflowError. C1-only compilation and no language detection (a warning, never an error) take
# the run from about 10 s to about 3.
JAVA_OPTIONS = ["-Xss8m", "-XX:TieredStopAtLevel=1"]
VNU_OPTIONS = ["--errors-only", "--no-langdetect", "--exit-zero-always", "--format", "json"]


def run_vnu(jar: Path, files: list[Path]) -> list[dict]:
    """vnu's error messages for `files`, all checked in one run; fails if the checker itself fails."""
    command = ["java", *JAVA_OPTIONS, "-jar", str(jar), *VNU_OPTIONS, *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    try:
        messages = json.loads(done.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(
            f"vnu.jar did not answer in JSON (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}",
            pytrace=False,
        )
    return [message for message in messages if message.get("type") in {"error", "non-document-error"}]


def _page_of(message: dict) -> str:
    return Path(message.get("url", "").removeprefix("file:")).stem


def describe(messages: list[dict]) -> str:
    lines = []
    for message in messages:
        where = f"{_page_of(message) or '?'}.html:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
        lines.append(f"- {where}: {message.get('message', '')}")
        extract = " ".join(message.get("extract", "").split())
        if extract:
            lines.append(f"    {extract[:200]}")
    return "\n".join(lines)


def _html(response, status: int = 200) -> str:
    assert response.status_code == status, f"{response.request['PATH_INFO']} answered {response.status_code}"
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def render_public_pages(settings) -> dict[str, str]:
    """name -> the HTML of each kind of page a reader (or a crawler) can see, from the demo content."""
    call_command("load_demo", verbosity=0)
    claim = Claim.objects.published().filter(sources__isnull=False).distinct().order_by("pk").first()
    sources = list(claim.sources.order_by("position", "id"))
    claim.verdict = Verdict.HALF_TRUE if claim.verdict != Verdict.HALF_TRUE else Verdict.MOSTLY_TRUE
    editorial.claim_save(
        claim=claim,
        sources=sources,
        by=DEMO_REVIEWER,
        correction_note="We re-rated this claim: see https://example.org/report.\n\nA second paragraph.",
    )
    article = Article.objects.published().get()
    quiz = Quiz.objects.published().get(translation_of=None)
    spanish_quiz = Quiz.objects.published().get(translation_of=quiz)
    spanish_claim = Claim.objects.published().filter(translation_of__isnull=False).order_by("pk").first()
    pages: dict[str, str] = {}
    reader, other = Client(), Client()

    pages["home"] = _html(reader.get(reverse("home")))
    pages["index"] = _html(reader.get(reverse("claim-index")))
    pages["index-filtered"] = _html(reader.get(reverse("claim-index"), {"verdict": "false", "q": "a", "page": "1"}))
    pages["index-no-match"] = _html(reader.get(reverse("claim-index"), {"q": "no claim says this"}))
    pages["index-search"] = _html(reader.get(reverse("claim-index"), {"q": "aprehensions mexico"}))
    assert "<mark>" in pages["index-search"], "the search page checked is one with highlighted matches"
    pages["index-bad-filter"] = _html(reader.get(reverse("claim-index"), {"verdict": "nonsense"}), status=400)
    pages["permalink"] = _html(reader.get(claim.get_absolute_url()))
    pages["article"] = _html(reader.get(article.get_absolute_url()))
    pages["ratings"] = _html(reader.get(reverse("ratings")))
    pages["corrections"] = _html(reader.get(reverse("corrections")))
    pages["funding"] = _html(reader.get(reverse("funding")))
    # The tip line: the search, a search that finds nothing (the form filled in), one that finds, the form
    # refused with its errors at the fields, the htmx results; thanks and privacy.
    pages["tips"] = _html(reader.get(reverse("tips")))
    pages["tips-no-match"] = _html(reader.get(reverse("tips"), {"q": "no claim says this"}))
    pages["tips-match"] = _html(reader.get(reverse("tips"), {"q": claim.statement.split()[0]}))
    tip = {"statement": "", "email": "not an address", "website": "", "started": ""}
    pages["tips-refused"] = _html(reader.post(reverse("tips"), tip), status=400)
    pages["tips-thanks"] = _html(reader.get(reverse("tips-thanks")))
    pages["privacy"] = _html(reader.get(reverse("privacy")))
    pages["quiz-intro"] = _html(reader.get(quiz.get_absolute_url()))
    with translation.override("es"):
        pages["home-es"] = _html(reader.get(reverse("home")))
        pages["index-es"] = _html(reader.get(reverse("claim-index")))
        pages["permalink-es"] = _html(reader.get(spanish_claim.get_absolute_url()))
        pages["article-es"] = _html(reader.get(article.get_absolute_url()))
        pages["quiz-intro-es"] = _html(reader.get(spanish_quiz.get_absolute_url()))
        pages["funding-es"] = _html(reader.get(reverse("funding")))
        pages["tips-es"] = _html(reader.get(reverse("tips")))
        pages["tips-no-match-es"] = _html(reader.get(reverse("tips"), {"q": "nada dice esto"}))
        pages["tips-thanks-es"] = _html(reader.get(reverse("tips-thanks")))
        pages["privacy-es"] = _html(reader.get(reverse("privacy")))

    start = reverse("quiz-start", args=[quiz.slug])
    first = reader.post(start)
    assert first.status_code == 303
    pages["question"] = _html(reader.get(first["Location"]))
    pages["question-unanswered-error"] = _html(reader.post(first["Location"], {"question": "", "choice": ""}), 400)
    pages["quiz-intro-in-progress"] = _html(reader.get(quiz.get_absolute_url()))
    # Shares of readers, their bars and the histogram of guesses show from the first reader on.
    settings.QUIZ_MIN_SAMPLE = 1
    for number, question in enumerate(quiz.questions.order_by("position"), start=1):
        url = reverse("quiz-question", args=[quiz.slug, number])
        kind = "guess" if question.is_number else "choice"
        if f"question-{kind}" not in pages:
            pages[f"question-{kind}"] = _html(reader.get(url))
            pages[f"question-no-{kind}"] = _html(reader.post(url, {"question": question.pk, kind: ""}))
        if question.is_number:
            answer = question.true_value if number % 2 else question.number_max
        else:
            answer = question.choices.order_by("-is_correct", "pk")[number % 2].pk
        assert reader.post(url, {"question": question.pk, kind: answer}).status_code == 303
        if f"{kind}-revealed" not in pages:
            pages[f"{kind}-revealed"] = _html(reader.get(url))
    pages["answer-revealed-last"] = _html(reader.get(url))
    attempt = Attempt.objects.finished().get()
    pages["results"] = _html(reader.get(attempt.get_absolute_url()))
    pages["results-shared"] = _html(other.get(attempt.get_absolute_url()))
    pages["quiz-intro-finished"] = _html(reader.get(quiz.get_absolute_url()))
    with translation.override("es"):
        # The same reader in Spanish: the answers given in English, in Spanish words.
        pages["answer-revealed-es"] = _html(reader.get(reverse("quiz-question", args=[spanish_quiz.slug, 1])))
        pages["results-es"] = _html(reader.get(reverse("quiz-result", args=[spanish_quiz.slug, attempt.token])))

    # The embeds (claims/views/embeds.py): the card, and the quiz played in its frame with the reader's token.
    pages["embed-claim"] = _html(other.get(reverse("embed-claim-detail", args=[claim.slug])))
    with translation.override("es"):
        pages["embed-claim-es"] = _html(other.get(reverse("embed-claim-detail", args=[spanish_claim.slug])))
    framed = Client()
    intro = _html(framed.get(reverse("embed-quiz-detail", args=[quiz.slug])))
    pages["embed-quiz-intro"] = intro
    token = re.search(r'name="reader" value="([^"]+)"', intro)[1]
    ours = {"Origin": "http://testserver"}
    started = framed.post(reverse("embed-quiz-start", args=[quiz.slug]), {"reader": token}, headers=ours)
    pages["embed-question"] = _html(framed.get(started["Location"]))
    first = quiz.questions.order_by("position").first()
    answered = framed.post(
        reverse("embed-quiz-question", args=[quiz.slug, 1]),
        {
            "reader": token,
            "question": first.pk,
            **({"guess": "900"} if first.is_number else {"choice": first.choices.first().pk}),
        },
        headers=ours,
    )
    pages["embed-answer-revealed"] = _html(framed.get(answered["Location"]))
    pages["embed-results"] = _html(other.get(reverse("embed-quiz-result", args=[quiz.slug, attempt.token])))
    refused = framed.post(reverse("embed-quiz-start", args=[quiz.slug]), {"reader": "x"}, headers=ours)
    pages["embed-refused"] = _html(refused, status=403)

    pages["404"] = _html(other.get("/no-such-page/"), status=404)
    pages["404-quiz"] = _html(other.get(reverse("quiz-detail", args=["no-such-quiz"])), status=404)
    pages["404-question"] = _html(reader.get(reverse("quiz-question", args=[quiz.slug, 999])), status=404)
    settings.QUIZ_START_RATE = "0/600"
    pages["429"] = _html(other.post(start), status=429)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = other.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    pages["lockout"] = _html(locked, status=429)
    outage = {"SITE_NAME": settings.SITE_NAME, "message": "Back soon.", "retry_url": "/"}
    pages["503"] = render_to_string("503.html", outage)
    pages["500"] = render_to_string("500.html")
    return pages


# A page with a known error, checked in the same run: proof that the checker is checking.
CANARY = "_canary"
CANARY_HTML = '<!doctype html><html lang="en"><head><title>x</title></head><body><p hx-get="/">x</p></body></html>'


@pytest.mark.django_db
def test_every_public_page_is_valid_html(settings, tmp_path):
    jar = ensure_vnu()
    pages = render_public_pages(settings)
    files = []
    for name, html in {**pages, CANARY: CANARY_HTML}.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    messages = run_vnu(jar, files)
    canary = [message for message in messages if _page_of(message) == CANARY]
    assert any("hx-get" in message.get("message", "") for message in canary), (
        f"vnu did not report the canary page's invalid attribute: is it checking? {messages[:5]}"
    )
    errors = [message for message in messages if _page_of(message) != CANARY]
    if errors:
        per_page: dict[str, int] = {}
        for message in errors:
            per_page[_page_of(message)] = per_page.get(_page_of(message), 0) + 1
        summary = ", ".join(f"{page}: {count}" for page, count in sorted(per_page.items()))
        pytest.fail(
            f"The Nu HTML Checker found {len(errors)} error(s) in {len(per_page)} of {len(pages)} pages ({summary}):\n"
            f"{describe(errors)}",
            pytrace=False,
        )
