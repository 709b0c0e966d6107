"""The editorial workflow in a real browser (issue 5): draft, review, approval, publication, correction.

An editor, a chief editor and a reader each have their own browser context
(their own cookies), as three people on three machines would. Editors log in
through the admin's login form; the reader is never logged in. The harness
fails any test whose pages log a console error, throw, violate the CSP or miss
a static file, in any of the three contexts.
"""

from __future__ import annotations

import re

from django.template.defaultfilters import date as format_date
from django.utils import timezone
from playwright.sync_api import Page, expect

from claims.models import Claim, Correction, ReviewAction, Status
from claims.revisions import revisions_of
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_admin_browser import choose_in_autocomplete, log_in_as, messages, submit
from tests.factories import ArticleFactory, ChiefEditorFactory, ClaimFactory, EditorFactory, PublishedClaimFactory

STATEMENT = "The new border wall stopped 90 percent of crossings."
SLUG = "the-new-border-wall-stopped-90-percent-of-crossings"
RULING = "Mostly true: crossings fell by 87 percent where the wall was built, not everywhere."
NEW_RULING = "Half true: crossings fell by 87 percent at one crossing; elsewhere they did not fall."
CORRECTION_NOTE = "We misread the agency's table: the 87 percent fall was at one crossing only."
ARTICLE_TITLE = "The border wall, a year on"
# The article the fact-check is drawn from: its quotes "from the article" must be found in it word for word.
ARTICLE_BODY = (
    "A year after the wall went up, the campaign says it stopped nine crossings in ten.\n\n"
    "The agency's officials say the fall was at the crossing where the wall went up; elsewhere it was flat.\n\n"
    "A senator's aide told us the record says otherwise; the campaign did not answer."
)
AGENCY_TABLE_URL = "https://agency.example/encounters/monthly#table-3"


def review_buttons(page: Page) -> list[str]:
    return page.locator(".review-row input[type=submit]").evaluate_all("inputs => inputs.map(i => i.value)")


def review_box(page: Page):
    return page.locator(".review-status")


def claim_revisions(claim: Claim) -> list:
    """The claim's revisions, newest first (as the revisions page lists them)."""
    return list(revisions_of(claim))


def test_a_claim_goes_from_draft_through_review_to_readers_and_is_corrected(page, open_page, browser_problems):
    editor = EditorFactory(username="eda", first_name="Eda", last_name="Writer")
    chief = ChiefEditorFactory(username="cleo", first_name="Cleo", last_name="Chief")
    article = ArticleFactory(title=ARTICLE_TITLE, body=ARTICLE_BODY)
    # Not in review: the chief's "In review" filter must leave these out.
    ClaimFactory(statement="Another editor's draft.", author=editor)
    PublishedClaimFactory(statement="An older published claim.")

    # The editor drafts the claim with two sources and submits it for review.
    log_in_as(page, "eda")
    page.goto("/admin/claims/claim/add/")
    page.get_by_label("Statement").press_sequentially(STATEMENT)
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    page.locator("#id_claimant").fill("A campaign spokesperson")
    page.locator("#id_verdict").select_option(label="Mostly true")
    page.get_by_label("The bottom line").fill(RULING)
    choose_in_autocomplete(page, "article", "wall", ARTICLE_TITLE)
    # The agency's table is another source (not the article): unticked, with its link. The interview is quoted
    # from the article, as typed here (straight quotes; the matching allows it).
    sources = [
        ("Border Agency", "Monthly encounters, table 3", "encounters fell by 87 percent at the crossing"),
        ("Example News", "Interview with the agency", "the fall was at the crossing where the wall went up"),
    ]
    for index, (publisher, title, quote) in enumerate(sources):
        page.locator(f"#id_sources-{index}-publisher").fill(publisher)
        page.locator(f"#id_sources-{index}-title").fill(title)
        page.locator(f"#id_sources-{index}-quote").fill(quote)
        page.locator(f"#id_sources-{index}-position").fill(str(index + 1))
        expect(page.locator(f"#id_sources-{index}-quotes_article")).to_be_checked()  # the default
    page.locator("#id_sources-0-quotes_article").uncheck()
    page.locator("#id_sources-0-url").fill(AGENCY_TABLE_URL)
    assert review_buttons(page) == ["Save and submit for review"]
    submit(page, page.get_by_role("button", name="Save and submit for review"))

    claim = Claim.objects.get(slug=SLUG)
    expect(page).to_have_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/$"))
    assert f"“{claim}” is submitted for review." in messages(page, "success"), messages(page, "success")
    expect(review_box(page)).to_contain_text("Status: In review.")
    expect(review_box(page)).to_contain_text("Written by Eda Writer.")
    expect(review_box(page)).to_contain_text("Approvals since it was submitted: 0 of 1 needed.")
    # An editor can neither approve nor publish (nor send back): no such buttons.
    assert review_buttons(page) == ["Make a quiz question from it"], review_buttons(page)
    for label in ("Approve", "Publish", "Send back with the note"):
        expect(page.get_by_role("button", name=label)).to_have_count(0)
    assert (claim.status, claim.author, claim.sources.count()) == (Status.IN_REVIEW, editor, 2)
    assert [(s.quotes_article, s.url) for s in claim.sources.all()] == [(False, AGENCY_TABLE_URL), (True, "")]
    # The form says where the article quote was found, and that the other source's quote is not checked.
    expect(page.locator("#sources-0 .field-found_in_article .readonly")).to_have_text(
        "Quotes another source: not checked against the article."
    )
    expect(page.locator("#sources-1 .field-found_in_article .readonly")).to_have_text(
        f"Found in paragraph 2 of “{ARTICLE_TITLE}”."
    )
    # Nor through the changelist's bulk actions.
    page.goto("/admin/claims/claim/")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert "Submit selected claims for review" in actions, actions
    assert not [a for a in actions if a.startswith(("Approve", "Publish", "Unpublish"))], actions

    # The reader cannot see it yet.
    reader = open_page()
    response = reader.goto(f"/claims/{SLUG}/")
    assert response.status == 404
    expect(reader.locator("body")).not_to_contain_text(STATEMENT)
    # Chromium logs the document's own 404 as a console error: expected here, and only for this address.
    browser_problems.allow(rf"status of 404 .*\[{re.escape(reader.url)}:")

    # The chief editor finds it in the review queue.
    chief_page = open_page()
    log_in_as(chief_page, "cleo")
    chief_page.goto("/admin/claims/claim/")
    submit(chief_page, chief_page.locator("#changelist-filter").get_by_role("link", name="In review", exact=True))
    expect(chief_page).to_have_url(re.compile(r"[?&]status__exact=in_review"))
    rows = chief_page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row.locator(".field-short_statement")).to_have_text(STATEMENT)
    expect(row.locator(".field-status")).to_have_text("In review")
    expect(row.locator(".field-author_name")).to_have_text("Eda Writer")
    waiting = row.locator(".field-waiting_since time")
    # A valid HTML date-time: in the site's time zone, to the second (HTML refuses microseconds).
    expect(waiting).to_have_attribute("datetime", timezone.localtime(claim.submitted_at).isoformat(timespec="seconds"))
    expect(waiting).to_have_text(f"{timezone.localtime(claim.submitted_at):%d %b %Y, %H:%M}")
    expect(chief_page.locator("#result_list thead")).to_contain_text("Waiting since")
    submit(chief_page, row.get_by_role("link", name=STATEMENT))

    # ... opens it, approves it, publishes it; the buttons keep the queue's filter for the way back.
    queue_filter = "_changelist_filters=status__exact%3Din_review"
    in_the_queue = re.compile(rf"/admin/claims/claim/{claim.pk}/change/\?{queue_filter}$")
    expect(chief_page).to_have_url(in_the_queue)
    # Publishing is offered only once the approvals it needs are in, or with the approval that completes them.
    assert review_buttons(chief_page) == [
        "Approve",
        "Approve and publish",
        "Send back with the note",
        "Make a quiz question from it",
    ], review_buttons(chief_page)
    expect(review_box(chief_page)).to_contain_text("Submitted for review by Eda Writer")
    tools = chief_page.locator(".object-tools a")
    expect(tools).to_have_text(
        ["The article's suggested fact-checks", "Revisions", "Preview as readers will see it", "History"]
    )
    expect(tools.nth(2)).to_have_attribute("href", f"/claims/{SLUG}/")
    screenshot(chief_page, "editorial-admin-in-review")
    submit(chief_page, chief_page.get_by_role("button", name="Approve", exact=True))
    assert f"“{claim}” is approved." in messages(chief_page, "success"), messages(chief_page, "success")
    expect(review_box(chief_page)).to_contain_text("Approvals since it was submitted: 1 of 1 needed.")
    expect(review_box(chief_page)).to_contain_text("Approved by Cleo Chief")
    expect(chief_page.get_by_role("button", name="Approve")).to_have_count(0)  # approved already: nothing to add
    # Approved: publishing now, or at a time (the schedule's own control, with its time field, comes last).
    assert review_buttons(chief_page) == [
        "Send back with the note",
        "Publish",
        "Make a quiz question from it",
        "Schedule",
    ], review_buttons(chief_page)
    expect(chief_page).to_have_url(in_the_queue)
    submit(chief_page, chief_page.get_by_role("button", name="Publish"))
    assert f"“{claim}” is published." in messages(chief_page, "success"), messages(chief_page, "success")
    expect(chief_page.locator(".fieldBox.field-status .readonly")).to_have_text("Published")
    expect(review_box(chief_page)).to_contain_text("Approved by Cleo Chief.")
    assert review_buttons(chief_page) == ["Unpublish", "Make a quiz question from it"], review_buttons(chief_page)
    expect(tools).to_have_text(["Revisions", "View on site", "History"])
    expect(tools.nth(1)).to_have_attribute("href", re.compile(rf"^/admin/r/\d+/{claim.pk}/$"))
    expect(chief_page).to_have_url(in_the_queue)
    claim.refresh_from_db()
    assert (claim.status, claim.author, claim.editor) == (Status.PUBLISHED, editor, chief)

    # The reader reads it on its permalink.
    reader.goto(f"/claims/{SLUG}/")
    expect(reader.locator("#claim-statement")).to_have_text(f"Claim: “{STATEMENT}”")
    expect(reader.locator(".claim__verdict [data-verdict]")).to_have_attribute("data-verdict", "mostly-true")
    expect(reader.locator(".claim__verdict .badge__label")).to_have_text("Verdict: Mostly true")
    expect(reader.locator(".bottom-line")).to_contain_text(RULING)
    expect(reader.locator(".claim__credits")).to_contain_text("Fact-check by Eda Writer · edited by Cleo Chief")
    expect(reader.locator(".sources .source")).to_have_count(2)
    agency, interview = reader.locator(".sources .source").nth(0), reader.locator(".sources .source").nth(1)
    expect(agency.get_by_role("link", name="Monthly encounters, table 3")).to_have_attribute("href", AGENCY_TABLE_URL)
    expect(agency.locator(".source__kind")).to_have_text("Quoted from this source, not from the article.")
    expect(agency.get_by_role("link", name="See this passage in the article")).to_have_count(0)
    expect(interview.locator(".source__kind")).to_have_count(0)
    expect(interview.get_by_role("link", name="See this passage in the article")).to_have_attribute(
        "href", re.compile(rf"^{re.escape(article.get_absolute_url())}")
    )
    expect(reader.locator(".corrections")).to_have_count(0)

    # The chief editor changes the verdict and the bottom line: refused without a correction note, kept with one.
    chief_page.locator("#id_verdict").select_option(label="Half true")
    chief_page.get_by_label("The bottom line").fill(NEW_RULING)
    submit(chief_page, chief_page.locator("input[name=_continue]").last)
    expect(chief_page.locator(".errornote")).to_be_visible()
    expect(chief_page.locator(".field-correction_note .errorlist")).to_contain_text(
        "Explain the change for readers: a published verdict or bottom line changes only with a correction note."
    )
    # What the chief changed is still on the form, and nothing was saved.
    expect(chief_page.locator("#id_verdict")).to_have_value("half-true")
    expect(chief_page.get_by_label("The bottom line")).to_have_value(NEW_RULING)
    claim.refresh_from_db()
    assert (claim.verdict, claim.ruling, claim.corrections.count()) == ("mostly-true", RULING, 0)
    chief_page.locator("#id_correction_note").fill(CORRECTION_NOTE)
    submit(chief_page, chief_page.locator("input[name=_continue]").last)
    assert any("was changed successfully" in m for m in messages(chief_page, "success")), messages(
        chief_page, "success"
    )
    expect(chief_page.locator("#id_verdict")).to_have_value("half-true")
    correction = Correction.objects.get(claim=claim)
    assert (correction.previous_verdict, correction.verdict, correction.previous_ruling) == (
        "mostly-true",
        "half-true",
        RULING,
    )
    assert (correction.note, correction.by) == (CORRECTION_NOTE, chief)
    corrected_on = format_date(timezone.localtime(correction.created_at), "j F Y")

    # The reader reloads and sees the correction, then finds it on /corrections/.
    reader.reload()
    expect(reader.locator(".claim__verdict .badge__label")).to_have_text("Verdict: Half true")
    expect(reader.locator(".bottom-line")).to_contain_text(NEW_RULING)
    box = reader.locator(f"#correction-{correction.pk}")
    expect(box).to_contain_text(f"Correction, {corrected_on}:")
    expect(box).to_contain_text(CORRECTION_NOTE)
    expect(box).to_contain_text("Previously rated: Verdict: Mostly true")
    expect(box.locator("[data-verdict]")).to_have_attribute("data-verdict", "mostly-true")
    expect(reader.locator(".claim__credits")).to_contain_text(f"Updated {corrected_on}")
    for scheme in ("light", "dark"):
        reader.emulate_media(color_scheme=scheme)
        assert_no_axe_violations(reader)
    reader.emulate_media(color_scheme="light")
    screenshot(reader, "editorial-corrected-permalink")

    reader.goto("/corrections/")
    item = reader.locator(".corrections-list .correction", has_text=STATEMENT)
    expect(item).to_have_count(1)
    expect(item).to_contain_text(corrected_on)
    expect(item).to_contain_text(CORRECTION_NOTE)
    expect(item.locator(".correction__verdicts")).to_contain_text("Verdict changed from Verdict: Mostly true")
    expect(item.locator(".correction__verdicts [data-verdict]")).to_have_count(2)
    expect(item.get_by_role("link", name=f"“{STATEMENT}”")).to_have_attribute(
        "href", f"/claims/{SLUG}/#correction-{correction.pk}"
    )
    for scheme in ("light", "dark"):
        reader.emulate_media(color_scheme=scheme)
        assert_no_axe_violations(reader)
    # The methodology page, which every verdict badge links to.
    reader.locator(".correction__verdicts .badge-link").first.click()
    expect(reader).to_have_url(re.compile(r"/about/ratings/#verdict-mostly-true$"))
    for scheme in ("light", "dark"):
        reader.emulate_media(color_scheme=scheme)
        assert_no_axe_violations(reader)

    # The revisions: every step, and the change of verdict in the comparison.
    chief_page.get_by_role("link", name="Revisions").click()
    expect(chief_page).to_have_url(re.compile(rf"/admin/claims/claim/{claim.pk}/revisions/$"))
    revisions = chief_page.locator("#content-main table tbody tr")
    expect(revisions).to_have_count(4)
    whats = [text.strip() for text in revisions.locator("td:nth-child(3)").all_inner_texts()]
    whos = [text.strip() for text in revisions.locator("td:nth-child(2)").all_inner_texts()]
    assert whats == ["Edited", "Published", "Submitted for review", "Created"], whats
    assert whos == ["Cleo Chief", "Cleo Chief", "Eda Writer", "Eda Writer"], whos
    expect(revisions.first.locator("td:nth-child(4)")).to_have_text("ruling, verdict")
    expect(chief_page.locator("ol.breadcrumbs li[aria-current=page]")).to_have_text("Revisions")
    submit(chief_page, revisions.first.get_by_role("link", name="with the one before"))
    edited, published = claim_revisions(claim)[:2]
    expect(chief_page.locator("#content-main h2").first).to_have_text(
        f"Comparing {format_date(timezone.localtime(published.at), 'j M Y, H:i:s')} "
        f"with {format_date(timezone.localtime(edited.at), 'j M Y, H:i:s')}"
    )
    comparison = chief_page.locator("#content-main table").first
    changed = comparison.locator("tbody tr", has=chief_page.locator("th strong", has_text="(changed)"))
    expect(changed.locator("th")).to_have_text(["verdict (changed)", "ruling (changed)"])  # and nothing else
    expect(changed.first.locator("td")).to_have_text(["Mostly true", "Half true"])
    expect(changed.nth(1).locator("td")).to_have_text([RULING, NEW_RULING])
    screenshot(chief_page, "editorial-admin-revisions")
    for other in (reader, chief_page):  # the harness itself collects from `page` only
        browser_problems.collect_from(other)


def test_a_chief_editor_cannot_approve_their_own_claim(page):
    chief = ChiefEditorFactory(username="cleo", first_name="Cleo", last_name="Chief")
    ArticleFactory(title=ARTICLE_TITLE, body=ARTICLE_BODY)
    log_in_as(page, "cleo")
    page.goto("/admin/claims/claim/add/")
    page.get_by_label("Statement").press_sequentially("A claim the chief wrote.")
    page.locator("#id_claimant").fill("A senator")
    page.locator("#id_verdict").select_option(label="False")
    page.get_by_label("The bottom line").fill("False: the record says otherwise.")
    choose_in_autocomplete(page, "article", "wall", ARTICLE_TITLE)
    page.locator("#id_sources-0-publisher").fill("Example News")
    page.locator("#id_sources-0-title").fill("The record")
    page.locator("#id_sources-0-quote").fill("the record says otherwise")
    page.locator("#id_sources-0-position").fill("1")
    submit(page, page.get_by_role("button", name="Save and submit for review"))

    claim = Claim.objects.get(slug="a-claim-the-chief-wrote")
    assert (claim.status, claim.author) == (Status.IN_REVIEW, chief)
    expect(review_box(page)).to_contain_text("Written by Cleo Chief.")
    # Sending back is offered; approving and publishing are not (and are refused when forced, see below).
    assert review_buttons(page) == ["Send back with the note", "Make a quiz question from it"]
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)

    # A crafted POST of the same form, with the CSRF token the form holds, plus `_approve`.
    fields = page.evaluate("() => Object.fromEntries(new FormData(document.getElementById('claim_form')))")
    assert fields["csrfmiddlewaretoken"]
    response = page.request.post(f"/admin/claims/claim/{claim.pk}/change/", form={**fields, "_approve": "Approve"})
    assert response.ok and response.url.endswith(f"/admin/claims/claim/{claim.pk}/change/"), response.url
    assert (
        "“A claim the chief wrote.” was not approved. You wrote this claim, so another chief editor must approve it."
        in response.text()
    )
    assert not claim.review_events.filter(action=ReviewAction.APPROVED).exists()

    # And with no approval from another chief editor, a crafted publish is refused too.
    response = page.request.post(f"/admin/claims/claim/{claim.pk}/change/", form={**fields, "_publish": "Publish"})
    assert (
        "“A claim the chief wrote.” was not published. It needs 1 approval(s) from a chief editor other than its "
        "author, given after its last edit, before it is published; it has 0." in response.text()
    )
    claim.refresh_from_db()
    assert (claim.status, claim.editor) == (Status.IN_REVIEW, None)
