"""Scheduling a fact-check from its change page in a real browser, as a chief editor: the time field, the
"Scheduled for …" state with "Publish now" and "Cancel schedule", and the desk's "Scheduled" section; axe at
1280 and 1440 px, screenshots under test-artifacts/scheduling/ (not committed) for a reviewer to look at."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from claims import editorial
from claims.models import Claim, Status
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_admin_browser import log_in_as, messages, submit
from tests.factories import ChiefEditorFactory, ClaimFactory, EditorFactory, SourceFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "scheduling"
WIDTHS = (1280, 1440)


# On the change form, axe looks at what scheduling adds: the claim form's own fields are reworked elsewhere
# (its picture autocomplete, select2, has no accessible name: not this page's doing).
REVIEW_PARTS = {"include": [[".review-status"], [".review-row"]]}


def _look(page: Page, name: str, context: dict | None = None) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page, context)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def test_a_chief_editor_schedules_then_cancels(page: Page):
    chief = ChiefEditorFactory(username="browser-chief")
    author = EditorFactory(username="browser-editor")
    claim = ClaimFactory(author=author, statement="Half of the city's buses run on electricity.")
    SourceFactory(claim=claim, position=1)  # as the form numbers them: saving the page changes nothing
    claim = editorial.approve(obj=editorial.submit_for_review(obj=claim, by=author), by=chief)
    log_in_as(page, "browser-chief")
    page.goto(reverse("admin:claims_claim_change", args=[claim.pk]))
    field = page.get_by_label("Publish at (time in UTC)")
    expect(field).to_be_visible()
    _look(page, "approved", REVIEW_PARTS)
    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    field.fill(when.strftime("%Y-%m-%dT%H:%M"))
    submit(page, page.get_by_role("button", name="Schedule", exact=True))
    assert any("is scheduled for" in text for text in messages(page, "success"))
    expect(page.get_by_text(re.compile(r"^Scheduled for .*\(UTC\)\.$"))).to_be_visible()
    expect(page.get_by_role("button", name="Publish now")).to_be_visible()
    _look(page, "scheduled", REVIEW_PARTS)
    assert Claim.objects.get(pk=claim.pk).published_at == when
    page.goto("/admin/")
    desk = page.get_by_role("region", name="Your desk")
    expect(desk.get_by_role("heading", name=re.compile(r"^Scheduled 1$"))).to_be_visible()
    _look(page, "desk")
    page.goto(reverse("admin:claims_claim_change", args=[claim.pk]))
    submit(page, page.get_by_role("button", name="Cancel schedule"))
    assert Claim.objects.get(pk=claim.pk).status == Status.IN_REVIEW
