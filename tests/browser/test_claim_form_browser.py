"""The claim form in a browser (issue 14, "Forms that fit on a screen"), at 1280 and 1440 px wide: statement to
bottom line on the first screen, the save bar in view, the counters, the error summary's links, axe.

Screenshots go to test-artifacts/claim-form/ (not committed), with the add form's height in a text file
beside them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PROJECT_DIR, assert_no_axe_violations
from tests.browser.test_admin_browser import log_in, submit
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory

ARTIFACTS = PROJECT_DIR / "test-artifacts" / "claim-form"
WIDTHS = [1280, 1440]


def _shot(page: Page, name: str, *, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def _in_viewport(page: Page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
        }""",
        selector,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_add_form_fits_its_first_screen_and_counts_as_you_type(page: Page, width: int):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page)
    page.goto("/admin/claims/claim/add/")
    page.wait_for_load_state("load")

    # Statement to bottom line on the first screen, and the save bar at its foot, without scrolling.
    _shot(page, f"add-{width}-first-screen")
    assert _in_viewport(page, "#id_statement") and _in_viewport(page, "#id_ruling")
    # ... and not under the save bar.
    assert page.evaluate(
        """() => document.querySelector("#id_ruling").getBoundingClientRect().bottom
                 <= document.querySelector(".save-bar").getBoundingClientRect().top"""
    )
    assert _in_viewport(page, ".save-bar input[name=_save]")
    height = page.evaluate("document.body.scrollHeight")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"height-{width}.txt").write_text(f"add form at {width}x800: document.body.scrollHeight = {height}\n")
    _shot(page, f"add-{width}-first-screen")
    _shot(page, f"add-{width}-full", full_page=True)

    counter = page.locator("#id_statement_counter")
    expect(counter).to_have_text("0 of 280 characters")
    expect(counter).to_have_attribute("aria-live", "polite")
    expect(page.locator("#id_statement")).to_have_attribute("aria-describedby", re.compile("id_statement_counter"))
    page.locator("#id_statement").press_sequentially("Mexico apprehends 1,000 immigrants a day.")
    expect(counter).to_have_text("41 of 280 characters")
    page.locator("#id_ruling").fill("x" * 205)
    ruling_counter = page.locator("#id_ruling_counter")
    expect(ruling_counter).to_have_text("205 of 200 characters: 5 too many. Shorten it.")
    expect(ruling_counter).to_have_class(re.compile("char-counter--over"))

    # Scrolled to the end of the form, the save bar is still in view.
    page.locator("#id_review_note").scroll_into_view_if_needed()
    assert _in_viewport(page, ".save-bar input[name=_save]")
    _shot(page, f"add-{width}-scrolled")
    assert_no_axe_violations(page)


def test_the_error_summary_links_move_focus_to_the_fields(page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    article = ArticleFactory(title="Border crossings hit a record")
    claim = ClaimFactory(article=article, verdict="", statement="S" * 290)
    SourceFactory(claim=claim, quote="not in the article at all")
    log_in(page)
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    page.wait_for_load_state("load")
    expect(page.locator("#id_statement_counter")).to_have_text("290 of 280 characters: 10 too many. Shorten it.")
    submit(page, page.get_by_role("button", name="Save and submit for review"))

    summary = page.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    assert _in_viewport(page, ".error-summary")
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)
    expect(links.nth(0)).to_contain_text("Statement: Shorten the statement to 280 characters or fewer (it has 290)")
    expect(links.nth(1)).to_have_text("Verdict: Choose a verdict.")
    expect(links.nth(2)).to_contain_text("Source 1, Evidence quote: Source 1's quote is not in the article")
    _shot(page, "change-1280-error-summary")
    assert_no_axe_violations(page)

    links.nth(2).click()
    expect(page.locator("#id_sources-0-quote")).to_be_focused()
    _shot(page, "change-1280-focused-quote")
    assert _in_viewport(page, "#id_sources-0-quote")
    links.nth(1).click()
    expect(page.locator("#id_verdict")).to_be_focused()
    links.nth(0).click()
    expect(page.locator("#id_statement")).to_be_focused()
    _shot(page, "change-1280-focused-statement")


def test_the_change_page_passes_axe_at_1440(page: Page):
    page.set_viewport_size({"width": 1440, "height": 900})
    claim = ClaimFactory(slug="a-draft")
    SourceFactory(claim=claim)
    log_in(page)
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    page.wait_for_load_state("load")
    expect(page.locator(".field-slug .help")).to_contain_text("The permalink will be /claims/a-draft/.")
    assert _in_viewport(page, ".save-bar input[name=_save]")
    _shot(page, "change-1440-first-screen")
    assert_no_axe_violations(page)


def test_pick_a_passage_fills_the_quote_with_the_selected_words(page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    article = ArticleFactory(
        title="Border crossings hit a record",
        body="Officials met on Friday.\n\nMexico apprehends about 1,000 immigrants a day, the memo says.",
    )
    claim = ClaimFactory(article=article)
    SourceFactory(claim=claim, quote="typed by hand")
    log_in(page)
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    page.wait_for_load_state("load")
    page.locator("#sources-0").get_by_role("link", name="Pick a passage from the article").click()
    panel = page.locator("#sources-0 .passages")
    expect(panel.locator(".passage")).to_have_count(2)
    panel.get_by_label("Search the paragraphs of “Border crossings hit a record”").fill("memo")
    expect(panel.locator(".passage")).to_have_count(1)
    _shot(page, "change-1280-pick-a-passage")

    # The editor selects words in the paragraph, as with a mouse: the quote becomes exactly those words.
    paragraph = panel.locator(".passage")
    paragraph.evaluate(
        """(p) => {
            const text = p.firstChild, start = p.textContent.indexOf("about 1,000");
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + "about 1,000 immigrants a day".length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            p.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
        }"""
    )
    expect(page.locator("#id_sources-0-quote")).to_have_value("about 1,000 immigrants a day")
    expect(panel.locator(".passages__status")).to_have_text(
        "The evidence quote now holds the words you selected in paragraph 2."
    )
    # Enter in the search box searches; it does not save the claim.
    panel.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/$"))
    assert_no_axe_violations(page)
    submit(page, page.locator(".save-bar input[name=_continue]"))
    assert claim.sources.get().quote == "about 1,000 immigrants a day"
