"""The browser-test harness: Playwright (sync API) driving a real Chromium against pytest-django's live server.

Every test in tests/browser/ gets the ``browser`` marker automatically, so
``pytest -m browser`` runs only these and ``pytest -m "not browser"`` skips them.

Which browser
    ``$CHROMIUM_PATH`` if set (it must exist), else Debian's ``/usr/bin/chromium``,
    else ``chromium`` / ``chromium-browser`` on PATH, else Playwright's own
    downloaded browser if there is one. With none of them the tests are skipped,
    except when ``$CI`` is set (CI=true): then they fail, so CI cannot go green
    without having run them.

Fixtures
    ``browser``    the playwright Browser (headless Chromium), one for the session's
                   browser tests: started on first use, stopped after the last browser
                   test of a run (see _BrowserSession for why not a plain session fixture).
    ``page``       a fresh BrowserContext + Page per test, JavaScript on, desktop
                   viewport (1280x900). Its ``base_url`` is the live server, so
                   ``page.goto("/claims/")`` works; requesting it starts ``live_server``
                   and gives the test ``transactional_db`` (data made in the test with
                   the factories is committed, so the server thread sees it, and the
                   test code can read what the server wrote). Default timeout 10 s for
                   actions, navigations and ``expect``.
    ``nojs_page``  the same with ``java_script_enabled=False``, for checking that
                   pages work without scripts (``page.evaluate`` still works there).
    ``browser_problems``
                   the recorder behind ``page`` / ``nojs_page`` (see below). A test that
                   provokes an error on purpose calls ``browser_problems.allow(r"regex")``
                   (matched against the report lines), or checks the recorded lists and
                   calls ``browser_problems.clear()``.
    Use one of ``page`` / ``nojs_page`` per test (they share the recorder); for a
    phone-sized page call ``page.set_viewport_size({"width": 360, "height": 800})``.
    ``live_site_url``
                   requested by ``page`` / ``nojs_page``: sets SITE_URL (the base of canonical
                   links, og: tags and share links, claims/share_meta.py) to the live server's
                   address, so links a page shares lead back to the server under test.

What fails a test on its own (checked after the test body, reported as a failure)
    Listeners are on the context, so popups opened by the page are covered too.
    - a console message of type "error" (this includes the browser's own CSP
      messages for blocked inline styles/scripts in the served HTML, even with
      JavaScript off, and "Failed to load resource" lines);
    - an uncaught page error (exception in a script);
    - a CSP violation: an init script (added with ``context.add_init_script``, so
      not subject to the page's CSP) listens for ``securitypolicyviolation`` events,
      pushes each to ``window.__cspViolations`` and reports it to the harness, so
      violations on pages navigated away from are not lost;
    - a same-origin response with status >= 400 for a static resource (anything
      under STATIC_URL, or any stylesheet/script/image/font/media sub-resource).
      Navigations to a 4xx/5xx document do not count: assert on those yourself.
    The one thing ignored is the browser's own request for /favicon.ico.

Helpers (import them: ``from tests.browser.conftest import assert_no_axe_violations, screenshot``)
    ``assert_no_axe_violations(page, context=None)``
        runs axe-core with the WCAG 2.1 A and AA rules and fails listing each
        violation's id, help text and target nodes.
    ``screenshot(page, name)``
        saves full-page PNGs ``test-artifacts/screenshots/<name>-phone.png``
        (360x800) and ``<name>-desktop.png`` (1280x900), then restores the viewport.

Notes
    - Django runs tests with DEBUG=False, but the staticfiles storage is chosen
      from the DEBUG *environment variable* when settings load (default on:
      plain StaticFilesStorage, no manifest needed). The live server serves
      static files through django.contrib.staticfiles' handler (the finders),
      so no collectstatic is needed.
    - Tests run with the site's real CSP (script-src 'self'; style-src 'self'):
      never loosen it here (no ``bypass_csp``) to make a test pass.
    - Playwright's sync API keeps an asyncio loop "running" in the main thread
      while the browser is open, so DJANGO_ALLOW_ASYNC_UNSAFE=true is set while
      it is (or Django would refuse database access from test code; the tests are
      plain synchronous code) and removed when it stops, before other tests run.
    - pytest-django runs transactional tests (these) after the ordinary
      database tests; the test database is flushed after each of them.
    - Slow parts: logging in (password hashing) ~1 s, a full-page screenshot
      pair ~1-2 s. Keep screenshots to the pages a reviewer needs to see.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.conf import settings

if TYPE_CHECKING:
    from playwright.sync_api import Page

BROWSER_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BROWSER_DIR.parent.parent
SCREENSHOT_DIR = PROJECT_DIR / "test-artifacts" / "screenshots"

TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
NO_BROWSER = "no Chromium found: install Debian's chromium package to run the browser tests"
STATIC_RESOURCE_TYPES = {"stylesheet", "script", "image", "font", "media"}
VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 900}}
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Runs before any of the page's own scripts, in every document of the context.
CSP_LISTENER_JS = """
(() => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    const violation = {
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
      page: document.location.href,
    };
    window.__cspViolations.push(violation);
    if (typeof window.__reportCspViolation === "function") {
      window.__reportCspViolation(violation);
    }
  }, true);
})();
"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)


def find_chromium() -> str | None:
    """The system Chromium to use, or None (then Playwright's own browser is tried)."""
    override = os.environ.get("CHROMIUM_PATH", "").strip()
    if override:
        found = shutil.which(override)
        if not found:
            pytest.fail(f"CHROMIUM_PATH={override!r} is not an executable file", pytrace=False)
        return found
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _no_browser(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{NO_BROWSER} (CI is set, so the browser tests must run). {reason}".strip(), pytrace=False)
    pytest.skip(f"{NO_BROWSER}. {reason}".strip())


class _BrowserSession:
    """One Chromium shared by consecutive browser tests.

    Playwright's sync API keeps an asyncio loop "running" in the main thread while it is started.
    Django then refuses database access from test code (SynchronousOnlyOperation) unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set, and async_to_sync would refuse to run at all. So the browser
    is started on first use with that variable set, and stopped (the variable restored) as soon as
    the next test is not a browser test: nothing of it leaks into the rest of the suite, e.g. into
    `manage.py check --deploy` run in a subprocess, which rejects that variable.
    """

    def __init__(self) -> None:
        self.playwright = None
        self.browser = None
        self.unavailable: str | None = None
        self._saved_env: str | None = None

    def get(self):
        if self.unavailable:
            _no_browser(self.unavailable)
        if self.browser is None:
            self._start()
        return self.browser

    def _start(self) -> None:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import expect, sync_playwright

        expect.set_options(timeout=TIMEOUT_MS)
        executable = find_chromium()
        self._saved_env = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self.playwright = sync_playwright().start()
        try:
            if executable:
                self.browser = self.playwright.chromium.launch(
                    executable_path=executable, headless=True, args=CHROMIUM_ARGS, timeout=30_000
                )
            else:
                # Playwright's own browser, if one was downloaded on this machine ("--headless" is implied).
                self.browser = self.playwright.chromium.launch(headless=True, args=CHROMIUM_ARGS[1:], timeout=30_000)
        except PlaywrightError as error:
            self.stop()
            if executable:
                raise  # a Chromium exists but does not start: that is a real failure
            first_line = (str(error).strip().splitlines() or [""])[0]
            self.unavailable = f"(Playwright's own browser is not installed either: {first_line})"
            _no_browser(self.unavailable)

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None
            if self._saved_env is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._saved_env


_browser_session = _BrowserSession()


@pytest.fixture
def browser():
    """The shared headless Chromium (the system one, else Playwright's own); started on first use."""
    return _browser_session.get()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """Stop the browser after the last of a run of browser tests (see _BrowserSession)."""
    result = yield
    if _browser_session.browser is not None and (nextitem is None or not _is_browser_test(nextitem)):
        _browser_session.stop()
    return result


def _is_browser_test(item: pytest.Item) -> bool:
    return item.path.is_relative_to(BROWSER_DIR)


@dataclass
class BrowserProblems:
    """What went wrong in the browser during one test; any of it fails the test."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)
    _seen_violations: list[dict] = field(default_factory=list, repr=False)

    def allow(self, pattern: str) -> None:
        """Do not fail on problems whose description matches `pattern` (a regex), e.g. an expected 404."""
        self.allowed.append(re.compile(pattern))

    def clear(self) -> None:
        """Forget everything recorded so far (for tests that provoke problems on purpose and checked them)."""
        for entries in (self.console_errors, self.page_errors, self.csp_violations, self.bad_responses):
            entries.clear()

    # Event handlers --------------------------------------------------------

    def on_console(self, message) -> None:
        if message.type == "error":
            where = message.location or {}
            if urlsplit(where.get("url", "")).path == "/favicon.ico":
                return  # the browser asks for it on its own; no page of ours links it
            self.console_errors.append(f"{message.text}  [{where.get('url', '')}:{where.get('lineNumber', '')}]")

    def on_web_error(self, web_error) -> None:
        error = web_error.error
        where = web_error.page.url if web_error.page else ""
        self.page_errors.append(f"{error.name}: {error.message} on {where}\n{error.stack or ''}".strip())

    def on_csp_violation(self, source, violation: dict) -> None:
        self._add_violation(violation)

    def _add_violation(self, violation: dict) -> None:
        if violation not in self._seen_violations:
            self._seen_violations.append(violation)
            self.csp_violations.append(violation)

    def on_response(self, response) -> None:
        if response.status < 400:
            return
        url = urlsplit(response.url)
        if f"{url.scheme}://{url.netloc}" != self.origin:
            return
        resource_type = response.request.resource_type
        if url.path.startswith(settings.STATIC_URL) or resource_type in STATIC_RESOURCE_TYPES:
            self.bad_responses.append(f"{response.status} {resource_type} {response.url}")

    # Reporting -------------------------------------------------------------

    def collect_from(self, page) -> None:
        """Pick up violations recorded in the current document that were not reported yet."""
        if page.is_closed():
            return
        try:
            in_page = page.evaluate("window.__cspViolations || []")
        except Exception:  # JavaScript disabled, or the page is gone
            return
        for violation in in_page:
            self._add_violation(violation)

    def report(self) -> str:
        sections = [
            ("console errors", self.console_errors),
            ("page errors", self.page_errors),
            (
                "CSP violations",
                [
                    f"{v.get('directive')} blocked {v.get('blocked')!r} on {v.get('page')} "
                    f"(source {v.get('source')}:{v.get('line')}, sample {v.get('sample')!r})"
                    for v in self.csp_violations
                ],
            ),
            ("failed static resources", self.bad_responses),
        ]
        lines = []
        for title, entries in sections:
            entries = [e for e in entries if not any(p.search(e) for p in self.allowed)]
            if entries:
                lines.append(f"{title}:")
                lines.extend(f"  - {entry}" for entry in entries)
        return "\n".join(lines)


@pytest.fixture
def browser_problems(live_server) -> BrowserProblems:
    return BrowserProblems(origin=live_server.url)


def _open_page(browser, live_server, problems: BrowserProblems, **context_options) -> Iterator:
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS["desktop"], **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.expose_binding("__reportCspViolation", problems.on_csp_violation)
    context.add_init_script(CSP_LISTENER_JS)
    # Listening on the context, not the page, also covers popups (e.g. the admin's "add another" windows).
    context.on("console", problems.on_console)
    context.on("weberror", problems.on_web_error)
    context.on("response", problems.on_response)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def live_site_url(live_server, settings) -> str:
    """SITE_URL is the live server's address for the test (pytest-django's `settings` restores it after)."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def page(browser, live_server, browser_problems, live_site_url):
    """A new page (in its own context) on the live server, with JavaScript."""
    yield from _open_page(browser, live_server, browser_problems)


@pytest.fixture
def nojs_page(browser, live_server, browser_problems, live_site_url):
    """A new page (in its own context) on the live server, with JavaScript disabled."""
    yield from _open_page(browser, live_server, browser_problems, java_script_enabled=False)


@pytest.fixture
def open_page(browser, live_server, browser_problems, live_site_url) -> Iterator[Callable[[], Page]]:
    """Opens more pages, each in a context of its own (cookies apart: another person), watched like ``page``."""
    opened = []

    def open_one() -> Page:
        pages = _open_page(browser, live_server, browser_problems)
        opened.append(pages)
        return next(pages)

    yield open_one
    for pages in opened:
        pages.close()  # closes the context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """After a passing test body, fail it if its page saw console errors, page errors, CSP violations or 404s."""
    result = yield
    funcargs = getattr(item, "funcargs", {})
    problems = funcargs.get("browser_problems")
    if problems is not None:
        for name in ("page", "nojs_page"):
            if name in funcargs:
                problems.collect_from(funcargs[name])
        report = problems.report()
        if report:
            pytest.fail(f"The browser reported problems during the test:\n{report}", pytrace=False)
    return result


def assert_no_axe_violations(page, context: str | list | dict | None = None) -> None:
    """Fail when axe-core finds WCAG 2.1 A/AA violations on the page (or inside `context`)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context, options=AXE_OPTIONS)
    violations = results.response["violations"]
    if violations:
        lines = [f"{len(violations)} axe violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
            lines.append(f"  {violation.get('helpUrl', '')}")
            for node in violation["nodes"]:
                lines.append(f"    at {', '.join(map(str, node['target']))}: {node.get('html', '')[:200]}")
        pytest.fail("\n".join(lines), pytrace=False)


def screenshot(page, name: str) -> list[Path]:
    """Save full-page screenshots of `page` at phone and desktop widths; returns the files written."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    paths = []
    try:
        for label, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            path = SCREENSHOT_DIR / f"{name}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
    finally:
        if original:
            page.set_viewport_size(original)
    return paths
