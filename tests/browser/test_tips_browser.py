"""The tip line in a real browser (issue 13): a reader searches, finds nothing, sends the claim with an email;
an editor accepts it in the admin and completes the draft, a chief editor approves and publishes it, and the
reader's email is then in the outbox. Reader, editor and chief editor each have their own browser context."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from claims.models import Claim, OutboxEmail, Status, Tip, TipGroup, TipStatus
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_admin_browser import log_in_as, messages, submit
from tests.factories import ChiefEditorFactory, EditorFactory, PublishedClaimFactory

STATEMENT = "The city's new bridge cost twice its budget."
SOURCE_URL = "https://city.example/budget/2026#bridge"


def test_a_reader_sends_a_claim_and_hears_back_when_it_is_published(page, open_page, browser_problems, settings):
    settings.TIP_MIN_FILL_SECONDS = 1
    # The form refused (below) answers 400, which the browser reports as a failed load.
    browser_problems.allow(r"status of 400 .*/tips/#send")
    PublishedClaimFactory(statement="Unemployment fell to its lowest level in fifty years.")
    EditorFactory(username="eda", first_name="Eda", last_name="Writer")
    ChiefEditorFactory(username="cleo", first_name="Cleo", last_name="Chief")

    # The reader searches: a match first, then nothing, and the form takes what they searched for.
    page.goto("/tips/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Has this been checked?")
    search = page.get_by_role("searchbox", name="What was said?")
    search.fill("unemployment")
    expect(page.locator("#results .claim-item")).to_have_count(1)
    search.fill(STATEMENT)
    expect(page.locator("#results")).to_contain_text("We have not found a fact-check")
    expect(page).to_have_url(re.compile(r"/tips/\?q="))
    statement = page.get_by_role("textbox", name="What was said?", exact=True).and_(page.locator("#id_statement"))
    expect(statement).to_have_value(STATEMENT)
    assert_no_axe_violations(page)
    page.locator("#results").get_by_role("link", name=re.compile("Send it to us")).click()
    page.get_by_label("Who said it?").fill("The mayor's office")
    page.get_by_label("Where did you see or hear it?").fill("WhatsApp")
    page.get_by_label("Your email (optional)", exact=True).fill("reader@example.org")
    # Email without the consent box: refused at the box, nothing lost.
    submit(page, page.get_by_role("button", name="Send it to us"))
    expect(page.locator("#id_consent_error")).to_contain_text("Tick the box")
    expect(page.locator("#id_statement")).to_have_value(STATEMENT)
    assert not Tip.objects.exists()
    assert_no_axe_violations(page)
    screenshot(page, "tips-form-error")
    page.get_by_role("checkbox").check()
    page.wait_for_timeout(1100)  # the minimum fill time (a fresh form comes back with the errors)
    submit(page, page.get_by_role("button", name="Send it to us"))
    # The form posts to /tips/#send; the browser keeps that fragment across the redirect.
    expect(page).to_have_url(re.compile(r"/tips/thanks/(#send)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    tip = Tip.objects.get()
    assert (tip.statement, tip.email, tip.language) == (STATEMENT, "reader@example.org", "en")

    # The editor finds it in the queue and accepts it: the new draft opens.
    editor = open_page()
    log_in_as(editor, "eda")
    editor.goto("/admin/claims/tipgroup/")
    editor.get_by_role("link", name=STATEMENT).click()
    expect(editor.locator(".tip-readers")).to_contain_text("r***@example.org")
    expect(editor.locator(".tip-readers")).not_to_contain_text("reader@example.org")
    submit(editor, editor.get_by_role("button", name="Accept"))
    claim = Claim.objects.get(statement=STATEMENT)
    expect(editor).to_have_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/$"))
    assert any("The tip is accepted" in text for text in messages(editor, "success"))
    expect(editor.locator("#id_claimant")).to_have_value("The mayor's office")
    assert TipGroup.objects.get().status == TipStatus.ACCEPTED

    # The editor completes the draft and submits it.
    editor.locator("#id_verdict").select_option(label="Mostly true")
    editor.get_by_label("The bottom line").fill("Mostly true: the bridge cost 1.9 times its budget.")
    editor.locator("#id_sources-0-publisher").fill("City of Example")
    editor.locator("#id_sources-0-title").fill("Budget report 2026")
    editor.locator("#id_sources-0-quote").fill("the bridge cost 1.9 times its approved budget")
    editor.locator("#id_sources-0-position").fill("1")
    editor.locator("#id_sources-0-quotes_article").uncheck()
    editor.locator("#id_sources-0-url").fill(SOURCE_URL)
    submit(editor, editor.get_by_role("button", name="Save and submit for review").first)
    assert Claim.objects.get(pk=claim.pk).status == Status.IN_REVIEW, messages(editor, "error")
    assert not OutboxEmail.objects.filter(key__startswith="tip-answered:").exists()

    # A chief editor approves and publishes it; the reader's email is then in the outbox.
    chief = open_page()
    log_in_as(chief, "cleo")
    chief.goto(f"/admin/claims/claim/{claim.pk}/change/")
    submit(chief, chief.get_by_role("button", name="Approve").first)
    submit(chief, chief.get_by_role("button", name="Publish").first)
    assert Claim.objects.get(pk=claim.pk).status == Status.PUBLISHED, messages(chief, "error")
    row = OutboxEmail.objects.get(key=f"tip-answered:{tip.pk}")
    assert row.to == "reader@example.org" and row.language == "en"
    assert f"/claims/{claim.slug}/" in row.body and row.sent_at is not None  # sent after commit (locmem)

    # The reader now finds it.
    page.goto("/tips/?q=bridge+budget")
    expect(page.locator("#results .claim-item")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Mostly true")


def test_without_javascript_the_search_is_a_plain_get_and_the_form_is_filled_in(nojs_page):
    nojs_page.goto("/tips/")
    nojs_page.get_by_role("searchbox", name="What was said?").fill("Nothing anyone checked")
    submit(nojs_page, nojs_page.get_by_role("button", name="Search"))
    expect(nojs_page).to_have_url(re.compile(r"/tips/\?q=Nothing\+anyone\+checked$"))
    expect(nojs_page.locator("#id_statement")).to_have_value("Nothing anyone checked")
    expect(nojs_page.locator("#results")).to_contain_text("We have not found a fact-check")
