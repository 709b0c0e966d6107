"""The harness itself: it must notice what it promises to notice, or the other browser tests prove nothing."""

import pytest

from tests.browser.conftest import assert_no_axe_violations


def test_the_site_csp_is_enforced_and_violations_are_recorded(page, browser_problems):
    response = page.goto("/admin/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Markup added by a script, with an inline style and an inline event handler: the CSP blocks both.
    page.evaluate(
        """document.body.insertAdjacentHTML("beforeend",
            '<div id="styled" style="color: rgb(255, 0, 0)">x</div><img src="data:," onload="1">')"""
    )
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.eval_on_selector("#styled", "el => getComputedStyle(el).color") != "rgb(255, 0, 0)"
    directives = {v["directive"] for v in browser_problems.csp_violations}
    assert {"style-src-attr", "script-src-attr"} <= directives, browser_problems.csp_violations
    assert "CSP violations:" in browser_problems.report()
    browser_problems.clear()


def test_violations_on_a_page_navigated_away_from_are_kept(page, browser_problems):
    page.goto("/admin/login/")
    page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>')""")
    page.wait_for_function("window.__cspViolations.length >= 1")
    page.goto("/admin/login/?again")
    browser_problems.collect_from(page)
    assert [v["directive"] for v in browser_problems.csp_violations] == ["style-src-attr"]
    assert "/admin/login/ " in browser_problems.report()
    browser_problems.clear()


def test_console_errors_page_errors_and_missing_static_files_are_recorded(page, browser_problems):
    page.goto("/admin/login/")
    page.evaluate(
        """() => {
            console.error("deliberate console error");
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = "/static/no-such-file.css";
            document.head.append(link);
            setTimeout(() => { throw new Error("deliberate page error"); });
        }"""
    )
    page.wait_for_function("() => [...document.styleSheets].length > 0")
    page.wait_for_timeout(300)
    report = browser_problems.report()
    assert "deliberate console error" in report
    assert "deliberate page error" in report
    assert "404 stylesheet" in report and "/static/no-such-file.css" in report
    browser_problems.allow("deliberate|no-such-file")
    assert browser_problems.report() == ""


def test_static_files_load(page):
    page.goto("/admin/login/")
    # The admin's stylesheet was served (no 404: the harness would fail the test) and applied.
    assert page.evaluate("[...document.styleSheets].some(s => s.href && s.href.includes('/static/admin/css/'))")
    assert page.eval_on_selector("#header", "el => getComputedStyle(el).display") == "flex"


def test_pages_without_javascript(nojs_page):
    nojs_page.goto("/admin/login/")
    assert nojs_page.evaluate("1 + 1") == 2  # evaluate still works: only the page's own scripts are off
    assert nojs_page.locator("#id_username").is_visible()


def test_axe_passes_a_clean_page_and_lists_the_violations_of_a_broken_one(page):
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Clean</title></head>'
        "<body><main><h1>Clean</h1><p>Nothing wrong here.</p></main></body></html>"
    )
    assert_no_axe_violations(page)
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Broken</title></head>'
        '<body><main><h1>Broken</h1><img src="data:," id="no-alt"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_no_axe_violations(page)
    assert "image-alt" in str(failure.value) and "#no-alt" in str(failure.value)


def test_axe_runs_under_the_site_csp_without_violating_it(page):
    """axe-core is injected through the DevTools protocol, so it runs on our pages without loosening the CSP."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/admin/login/")
    results = Axe().run(page)
    assert "violations" in results.response
    # (The Django admin's own axe results are not ours to fix; the harness checks that axe caused no CSP error.)
