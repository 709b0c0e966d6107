"""Embeds on a partner's page, in a real browser (issue 12): the frames fit their content, the quiz is played to
the end inside its frame and counted once, with third-party cookies allowed, blocked, and with no cookie at all.

The partner's page is served from a second site: a tiny http.server on another port and host name
(127.0.0.1 when the live server is localhost: a different port alone is the same site, and its frames would
be first-party). It holds the fact-check's and the quiz's snippets as the permalink offers them, with the
resizing script. Each run has a Chromium profile of its own whose cookie settings are its preferences:

- "allowed": third-party cookies allowed (the embed's partitioned cookie and an unpartitioned one are kept);
- "third-party blocked": Chrome's "Block third-party cookies" (what Safari and Firefox do by default):
  an unpartitioned cookie set in the frame is refused; the embed's Partitioned cookie (CHIPS) may be kept;
- "all blocked": no cookie at all for any site: the quiz goes on by the signed token in its forms and links.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Frame, Page, expect

from claims import quiz_services
from claims.demo.loader import load_demo
from claims.embeds import QUIZ_HEIGHT, embed_code
from claims.models import Attempt, Claim, Question, Quiz
from claims.quiz_numbers import plain
from claims.quiz_readers import EMBED_COOKIE_NAME
from tests.browser.conftest import (
    CHROMIUM_ARGS,
    CSP_LISTENER_JS,
    SCREENSHOT_DIR,
    TIMEOUT_MS,
    VIEWPORTS,
    assert_no_axe_violations,
    find_chromium,
)

QUIZ_SLUG = "us-proposals-to-mexico-quiz"
QUIZ_FRAME = 'iframe[src*="/embed/quizzes/"]'
CLAIM_FRAME = 'iframe[src*="/embed/claims/"]'
# Chromium's profile preferences for each run (its cookie controls: 0 allow, 1 block third-party cookies).
COOKIE_SETTINGS = {
    "allowed": {"profile": {"cookie_controls_mode": 0}},
    "third-party blocked": {"profile": {"cookie_controls_mode": 1}},
    "all blocked": {"profile": {"cookie_controls_mode": 1, "default_content_setting_values": {"cookies": 2}}},
}
# An unpartitioned third-party cookie, set from inside the frame: kept only where third-party cookies are allowed.
PROBE_JS = "document.cookie = 'probe=1; Path=/; SameSite=None; Secure'; document.cookie.includes('probe=1')"
FRAME_HEIGHT_JS = "Math.ceil(document.documentElement.getBoundingClientRect().height)"


@pytest.fixture
def quiz(transactional_db) -> Quiz:
    """The demo quiz (12 questions of every kind: true or false, which is right, the six verdicts), committed."""
    load_demo()
    return Quiz.objects.get(slug=QUIZ_SLUG)


@pytest.fixture
def partner_site(live_site_url, quiz, tmp_path) -> Iterator[str]:
    """A partner's page on another site, embedding a fact-check and the quiz with the script: its address."""
    claim = Claim.objects.published().filter(translation_of=None).order_by("pk").first()
    pages = tmp_path / "partner"
    pages.mkdir()
    (pages / "article.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A partner article</title></head>'
        "<body><h1>A partner article</h1><p>What the partner wrote.</p>"
        f"{embed_code(claim).with_script}<p>More of what the partner wrote.</p>{embed_code(quiz).with_script}"
        "<p>The end of the article.</p></body></html>",
        encoding="utf-8",
    )
    (pages / "plain.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Without the script</title></head>'
        f"<body>{embed_code(quiz).without_script}</body></html>",
        encoding="utf-8",
    )
    live_host = urlsplit(live_site_url).hostname
    host = "127.0.0.1" if live_host == "localhost" else "localhost"
    handler = functools.partial(_QuietHandler, directory=str(pages))
    server = http.server.ThreadingHTTPServer((host if host != "localhost" else "127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _browser_with(browser, browser_problems, cookies: str, profile: Path) -> BrowserContext:
    """A Chromium of its own (its profile holds the cookie settings), watched like the harness's pages."""
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(json.dumps(COOKIE_SETTINGS[cookies]))
    executable = find_chromium()
    context = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=executable,
        headless=True,
        args=CHROMIUM_ARGS if executable else CHROMIUM_ARGS[1:],
        viewport=VIEWPORTS["desktop"],
        timeout=30_000,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.expose_binding("__reportCspViolation", browser_problems.on_csp_violation)
    context.add_init_script(CSP_LISTENER_JS)
    context.on("console", browser_problems.on_console)
    context.on("weberror", browser_problems.on_web_error)
    context.on("response", browser_problems.on_response)
    return context


def _frame(page: Page, selector: str) -> Frame:
    frame = page.locator(selector).element_handle().content_frame()
    assert frame is not None
    return frame


def expect_fitted(page: Page, selector: str) -> int:
    """Wait until the frame is as tall as its content (the script resized it); that height."""
    frame = _frame(page, selector)
    outer = inner = 0
    for _ in range(50):
        inner = frame.evaluate(FRAME_HEIGHT_JS)
        outer = page.locator(selector).evaluate("frame => Math.round(frame.getBoundingClientRect().height)")
        if abs(outer - inner) <= 1:
            return outer
        page.wait_for_timeout(100)
    pytest.fail(f"the frame {selector} is {outer}px tall, its content {inner}px", pytrace=False)


def screenshots(page: Page, name: str) -> None:
    """The partner's page as a reader sees it (the viewport: Chromium's full-page captures cut frames short), at
    phone and desktop widths, the quiz's frame in view and fitted after each change of width."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.locator(QUIZ_FRAME).scroll_into_view_if_needed()
        expect_fitted(page, QUIZ_FRAME)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{label}.png"))
    page.set_viewport_size(VIEWPORTS["desktop"])


def pick(question: Question, number: int):
    """Right on every question but each third."""
    choices = list(question.choices.all())
    return next(c for c in choices if c.is_correct == (number % 3 != 0))


def guess(question: Question, number: int) -> str:
    """A number guess, right on every question but each third (the top of the range is far off)."""
    return plain(question.true_value if number % 3 != 0 else question.number_max)


def expect_frame_focus(page: Page, element_id: str) -> None:
    """Wait until quiz.js has moved focus in the quiz's frame (after a swap settles): focusing scrolls the
    partner's page too, which must not happen under a click."""
    _frame(page, QUIZ_FRAME).wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=element_id, timeout=5_000
    )


def play_in_the_frame(page: Page, questions: list[Question], *, screenshot: str = "") -> list[int]:
    """Start the quiz in its frame and answer every question (htmx swaps each step); ends on the result.
    The frame's height after each step; with `screenshot`, the page's screenshots after the first answer."""
    quiz = page.frame_locator(QUIZ_FRAME)
    quiz.get_by_role("button", name="Start the quiz").click()
    heights = []
    for number, question in enumerate(questions, start=1):
        expect(quiz.locator("#progress-label")).to_have_text(f"Question {number} of {len(questions)}")
        if number > 1:
            expect_frame_focus(page, "question")
        heights.append(expect_fitted(page, QUIZ_FRAME))
        if question.is_number:
            quiz.locator("#guess").fill(guess(question, number))
            quiz.get_by_role("button", name="Submit my guess").click()
        else:
            quiz.get_by_role("button", name=pick(question, number).text, exact=True).click()  # one tap answers
        expect(quiz.locator("#feedback-heading")).to_be_visible()
        expect_frame_focus(page, "feedback-heading")
        heights.append(expect_fitted(page, QUIZ_FRAME))
        if screenshot and number == 1:
            screenshots(page, screenshot)
        # Leaving the embed opens a new tab: the fact-check behind the answer.
        link = quiz.locator("#feedback").get_by_role("link", name=re.compile(r"^Read the fact-check"))
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
        if number < len(questions):
            quiz.get_by_role("link", name="Next question").click()
    quiz.get_by_role("link", name="See your score").click()
    expect(quiz.locator("#score")).to_contain_text("You got")
    heights.append(expect_fitted(page, QUIZ_FRAME))
    return heights


@pytest.mark.parametrize("cookies", list(COOKIE_SETTINGS))
def test_a_partner_page_embeds_the_quiz_which_is_played_to_the_end_and_counted_once(
    browser, browser_problems, live_site_url, partner_site, quiz, tmp_path, cookies
):
    questions = quiz_services.quiz_questions(quiz)
    context = _browser_with(browser, browser_problems, cookies, tmp_path / "profile")
    try:
        page = context.new_page()
        page.goto(f"{partner_site}/article.html")
        # The fact-check's card fits its frame, which lost the snippet's fixed height.
        expect(page.frame_locator(CLAIM_FRAME).locator(".badge")).to_be_visible()
        expect_fitted(page, CLAIM_FRAME)
        expect(
            page.frame_locator(CLAIM_FRAME).get_by_role("link", name=re.compile("Read the full fact-check"))
        ).to_have_attribute("target", "_blank")

        page.locator(QUIZ_FRAME).scroll_into_view_if_needed()
        expect(page.frame_locator(QUIZ_FRAME).get_by_role("button", name="Start the quiz")).to_be_visible()
        intro_height = expect_fitted(page, QUIZ_FRAME)
        assert intro_height != QUIZ_HEIGHT

        kept = _frame(page, QUIZ_FRAME).evaluate(PROBE_JS)
        assert kept == (cookies == "allowed"), f"{cookies}: an unpartitioned cookie in the frame was kept: {kept}"

        heights = play_in_the_frame(page, questions, screenshot="embed-partner-page" if cookies == "allowed" else "")
        # It resized as questions were answered: questions and their feedback are not all of one height.
        assert len(set(heights)) > 2, heights

        ours = [c for c in context.cookies() if c["name"] == EMBED_COOKIE_NAME]
        if cookies == "all blocked":
            assert ours == [], ours  # the whole quiz went by the token in its forms and links
        else:
            assert [c.get("partitionKey") for c in ours] == [partner_site.rsplit(":", 1)[0]], ours
    finally:
        context.close()

    attempt = Attempt.objects.get(quiz=quiz)
    assert attempt.is_finished and attempt.counted
    assert (attempt.score, attempt.total) == (sum(n % 3 != 0 for n in range(1, 13)), 12)
    assert all(quiz_services.question_tally(q.pk).answered == 1 for q in questions)


def test_without_the_script_the_frame_keeps_its_height_and_the_embeds_are_accessible(
    page, browser_problems, partner_site, quiz
):
    page.goto(f"{partner_site}/plain.html")
    frame = page.frame_locator(QUIZ_FRAME)
    expect(frame.get_by_role("button", name="Start the quiz")).to_be_visible()
    page.wait_for_timeout(300)
    assert page.locator(QUIZ_FRAME).evaluate("frame => frame.getBoundingClientRect().height") == QUIZ_HEIGHT
    frame.get_by_role("button", name="Start the quiz").click()
    expect(frame.locator("#progress-label")).to_have_text("Question 1 of 12")
    assert page.locator(QUIZ_FRAME).evaluate("frame => frame.getBoundingClientRect().height") == QUIZ_HEIGHT

    # The embeds' own pages, opened on their own, in both colour schemes.
    claim = Claim.objects.published().filter(translation_of=None).order_by("pk").first()
    for path in (f"/embed/claims/{claim.slug}/", f"/embed/quizzes/{QUIZ_SLUG}/", f"/es/embed/claims/{claim.slug}/"):
        page.goto(path)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            assert_no_axe_violations(page)
    page.emulate_media(color_scheme="light")


def test_the_permalinks_embed_box_copies_the_snippet(page, quiz):
    claim = Claim.objects.published().filter(translation_of=None).order_by("pk").first()
    page.goto(claim.get_absolute_url())
    box = page.locator("details.embed-code")
    expect(box.locator("textarea").first).to_be_hidden()  # closed until asked for
    box.locator("summary").click()
    assert_no_axe_violations(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    box.get_by_role("button", name="Copy embed code").first.click()
    expect(box.locator("[data-copy-status]").first).to_have_text("Embed code copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == embed_code(claim).with_script
