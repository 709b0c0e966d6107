"""The editors' desk (the admin's front page) and "Your notifications" in a real browser, for a chief editor:
axe at 1280 and 1440 px, screenshots under test-artifacts/desk/ (not committed) for a reviewer to look at."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from claims import editorial
from claims.models import Claim, TipGroup
from claims.verdicts import Verdict
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_admin_browser import log_in_as, submit
from tests.factories import (
    ChiefEditorFactory,
    ClaimFactory,
    EditorFactory,
    PublishedClaimFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "desk"
WIDTHS = (1280, 1440)


def _desk_content(chief, editor) -> None:
    """Something in every section, with long statements as editors write them."""
    other_chief = ChiefEditorFactory(username="browser-chief-2", first_name="Olga", last_name="Ortiz")
    for number in range(7):
        claim = ClaimFactory(
            author=editor,
            statement=f"The minister said unemployment fell by {number + 2} points in a year, the largest fall "
            "since records began in 1976.",
        )
        SourceFactory(claim=claim)
        editorial.submit_for_review(obj=claim, by=editor)
    ClaimFactory(author=chief, statement="Imports of steel doubled last year.")
    sent = ClaimFactory(author=chief, statement="The bridge cost twice its budget, the mayor's office said.")
    SourceFactory(claim=sent)
    editorial.submit_for_review(obj=sent, by=chief)
    editorial.send_back(
        obj=sent, by=other_chief, note="The ruling says “twice”, the source says 1.8 times: say “almost twice”."
    )
    PublishedClaimFactory(author=chief, statement="Half of the city's buses run on electricity.")
    rerated = PublishedClaimFactory(verdict=Verdict.TRUE)
    QuestionFactory(quiz=QuizFactory(title="The budget quiz"), claim=rerated, prompt="How much did the bridge cost?")
    Claim.objects.filter(pk=rerated.pk).update(verdict=Verdict.MOSTLY_FALSE)
    ClaimFactory(translation_of=rerated, language="es", needs_update=True, statement="El puente costó el doble.")
    TipGroup.objects.create(statement="A post says the new tax applies to pensions too.", language="en")


def test_the_desk_of_a_chief_editor(page: Page):
    chief = ChiefEditorFactory(username="browser-chief", first_name="Cleo", last_name="Chief")
    _desk_content(chief, EditorFactory(username="browser-editor", first_name="Eda", last_name="Writer"))
    log_in_as(page, "browser-chief")
    desk = page.get_by_role("region", name="Your desk")
    expect(desk.get_by_role("heading", name=re.compile(r"^Waiting for your review 7$"))).to_be_visible()
    expect(desk.get_by_role("heading", name=re.compile(r"^Sent back to you 1$"))).to_be_visible()
    expect(desk.get_by_text("say “almost twice”")).to_be_visible()
    expect(desk.get_by_text("Sent back by Olga Ortiz")).to_be_visible()
    expect(desk.get_by_role("heading", name=re.compile(r"^Flagged 3$"))).to_be_visible()
    # The app list stays below the desk.
    expect(page.get_by_role("link", name="Claims", exact=True)).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page)
        page.screenshot(path=str(ARTIFACTS / f"desk-chief-{width}.png"), full_page=True)
    # "See all 7 claims" opens the same seven in the claims' list.
    submit(page, desk.get_by_role("link", name="See all 7 claims"))
    expect(page).to_have_url(re.compile(r"/admin/claims/claim/\?desk=waiting$"))
    expect(page.locator("#result_list tbody tr")).to_have_count(7)


def test_your_notifications(page: Page):
    ChiefEditorFactory(username="browser-chief")
    log_in_as(page, "browser-chief")
    submit(page, page.get_by_role("link", name="Your notifications"))
    expect(page.get_by_role("heading", name="Your notifications")).to_be_visible()
    page.get_by_label("Something is submitted for review").uncheck()
    submit(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    expect(page.get_by_label("Something is submitted for review")).not_to_be_checked()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page)
        page.screenshot(path=str(ARTIFACTS / f"notifications-{width}.png"), full_page=True)
