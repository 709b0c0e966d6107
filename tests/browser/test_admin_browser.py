"""The editors' admin in a real browser, under the site's CSP (issue 2: "the admin scenarios work in a browser").

Each test logs in through the login form, then works the pages as an editor
does: typing (so the admin's scripts run), the article autocomplete, the inline
forms, the buttons. Users have the editorial roles they would have (Editor,
Chief editor; see claims/roles.py), not superuser rights. The harness fails any
test whose pages log a console error, throw, violate the CSP or miss a static file.
The whole review path (submit, approve, publish, correct) is in test_editorial_browser.py.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from claims import editorial
from claims.models import Claim, Question, Quiz, Status
from tests.browser.conftest import screenshot
from tests.factories import (
    ArticleFactory,
    ChiefEditorFactory,
    ClaimFactory,
    EditorFactory,
    SourceFactory,
    UserFactory,
)

PASSWORD = "correct horse battery staple"  # the factories' password


def log_in(page: Page, username: str = "browser-editor", factory: type[UserFactory] = EditorFactory):
    """Make a user with `factory` (an Editor by default) and log them in through the admin's login form."""
    user = factory(username=username)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Log in"))
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("link", name="Claims", exact=True)).to_be_visible()
    return user


def log_in_as(page: Page, username: str) -> None:
    """Log an existing user in through the admin's login form."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Log in"))
    expect(page).to_have_url(re.compile(r"/admin/$"))


def choose_in_autocomplete(page: Page, field: str, search: str, option: str) -> None:
    """Pick `option` in the select2 autocomplete widget of `field`, searching for `search`."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).click()


def submit(page: Page, button: Locator) -> None:
    """Click a submit button and wait for the page that answers (the URL alone may not change)."""
    with page.expect_navigation():
        button.click()


def messages(page: Page, level: str) -> list[str]:
    return [text.strip() for text in page.locator(f"ul.messagelist li.{level}").all_inner_texts()]


def test_logging_in_with_a_wrong_password_says_so(page):
    EditorFactory(username="browser-editor")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("browser-editor")
    page.get_by_label("Password").fill("not the password")
    submit(page, page.get_by_role("button", name="Log in"))
    expect(page.locator(".errornote")).to_contain_text("Please enter the correct username and password")
    expect(page).to_have_url(re.compile(r"/admin/login/"))


def test_adding_a_claim_with_two_sources(page):
    article = ArticleFactory(title="Border crossings hit a record")
    ArticleFactory(title="Another article entirely")
    editor = log_in(page)
    page.get_by_role("link", name="Claims", exact=True).click()
    page.get_by_role("link", name="Add claim").click()
    expect(page).to_have_url(re.compile(r"/admin/claims/claim/add/$"))

    # Typed key by key so that the admin's prepopulate.js fills the slug as the editor types; once its scripts
    # have run (a loaded machine in CI once typed ahead of them).
    page.wait_for_load_state("load")
    page.get_by_label("Statement").press_sequentially("Mexico apprehends 1,000 immigrants a day.")
    expect(page.locator("#id_slug")).to_have_value("mexico-apprehends-1000-immigrants-a-day")
    page.locator("#id_claimant").fill("US officials")
    page.locator("#id_verdict").select_option(label="Mostly true")
    page.get_by_label("The bottom line").fill("Mostly true: the documents give an average, not a daily count.")
    choose_in_autocomplete(page, "article", "border", "Border crossings hit a record")
    expect(page.locator("#id_article")).to_have_value(str(article.pk))

    # Both quote other sources than the article: unticked, one with its link, one saying why it has none.
    sources = [
        ("BuzzFeed News", "The report", "an average of 1,000 per day", "https://www.buzzfeednews.com/report", ""),
        ("Reuters", "Interview with officials", "we apprehend about a thousand a day", "", "A phone interview"),
    ]
    for index, (publisher, title, quote, url, no_link_reason) in enumerate(sources):
        page.locator(f"#id_sources-{index}-publisher").fill(publisher)
        page.locator(f"#id_sources-{index}-title").fill(title)
        page.locator(f"#id_sources-{index}-quote").fill(quote)
        page.get_by_label("Quoted from the article").nth(index).uncheck()
        page.locator(f"#id_sources-{index}-url").fill(url)
        page.locator(f"#id_sources-{index}-no_link_reason").fill(no_link_reason)
        page.locator(f"#id_sources-{index}-position").fill(str(index + 1))
    screenshot(page, "admin-claim-add")

    submit(page, page.locator("input[name=_save]").last)

    expect(page).to_have_url(re.compile(r"/admin/claims/claim/$"))
    assert any("was added successfully" in m for m in messages(page, "success")), messages(page, "success")
    row = page.locator("#result_list tbody tr", has_text="Mexico apprehends 1,000 immigrants a day.")
    expect(row).to_have_count(1)
    expect(row.locator(".field-verdict_display [data-verdict=mostly-true]")).to_contain_text("Mostly true")
    expect(row.locator(".field-status")).to_have_text("Draft")
    expect(row.locator(".field-article")).to_have_text("Border crossings hit a record")
    screenshot(page, "admin-claim-changelist")

    claim = Claim.objects.get(slug="mexico-apprehends-1000-immigrants-a-day")
    assert (claim.claimant, claim.verdict, claim.article, claim.status, claim.author) == (
        "US officials",
        "mostly-true",
        article,
        Status.DRAFT,
        editor,
    )
    assert [
        (s.position, s.publisher, s.title, s.quote, s.url, s.no_link_reason, s.quotes_article)
        for s in claim.sources.all()
    ] == [(n, *source, False) for n, source in enumerate(sources, start=1)]


def test_writing_a_statement_lists_the_fact_checks_already_written_on_it(page):
    ClaimFactory(slug="apprehensions", statement="Mexico apprehends about 1,000 immigrants a day.")
    ClaimFactory(slug="tariffs", statement="The US threatened tariffs on goods from Mexico.")
    log_in(page)
    page.goto("/admin/claims/claim/add/")
    page.wait_for_load_state("load")
    panel = page.locator("#similar-fact-checks")
    expect(panel).to_contain_text("As you write the statement")
    expect(panel).to_have_attribute("aria-live", "polite")

    page.get_by_label("Statement").press_sequentially("Immigrants apprehended in Mexico each day", delay=20)
    expect(panel.get_by_role("link")).to_have_count(2)
    expect(panel.get_by_role("link").first).to_have_text("Mexico apprehends about 1,000 immigrants a day.")
    panel.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/admin/claims/claim/\d+/change/$"))
    # On a saved claim's page, its own statement's look-alikes, without the claim itself.
    expect(page.locator("#similar-fact-checks").get_by_role("link")).to_have_text(
        ["The US threatened tariffs on goods from Mexico."]
    )


def test_submitting_for_review_without_sources_keeps_a_draft_and_says_why(page):
    claim = ClaimFactory(statement="Nobody has sourced this yet.")
    log_in(page)
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    submit(page, page.get_by_role("button", name="Save and submit for review"))

    # The form is shown again with the reason on it, before anything is saved (no redirect, no message).
    expect(page).to_have_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/$"))
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#claim_form .errorlist.nonfield")).to_have_text(
        "Add at least one source with its evidence quote."
    )
    expect(page.locator("#sources-group .errorlist.nonform")).to_have_text(
        "Nothing was saved: fix the problems marked on this page."
    )
    assert messages(page, "error") == [] and messages(page, "success") == []
    expect(page.locator(".fieldBox.field-status .readonly")).to_have_text("Draft")
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT
    assert claim.submitted_at is None

    # With a source quoted from its article, word for word, it goes to review; the form says where the quote is.
    page.locator("#id_sources-0-publisher").fill("Example News")
    page.locator("#id_sources-0-title").fill("The article")
    page.locator("#id_sources-0-quote").fill("a quotable sentence")
    expect(page.locator("#id_sources-0-quotes_article")).to_be_checked()
    page.locator("#id_sources-0-position").fill("1")
    submit(page, page.get_by_role("button", name="Save and submit for review"))
    expect(page).to_have_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/$"))
    assert f"“{claim}” is submitted for review." in messages(page, "success"), messages(page, "success")
    expect(page.locator("#sources-0 .field-found_in_article .readonly")).to_have_text(
        f"Found in paragraph 2 of “{claim.article.title}”."
    )
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


def test_a_question_with_two_correct_choices_is_refused_on_the_form(page):
    ArticleFactory(title="Border crossings hit a record")
    log_in(page)
    page.goto("/admin/claims/quiz/add/")
    page.get_by_label("Title").press_sequentially("Border quiz")
    expect(page.locator("#id_slug")).to_have_value("border-quiz")
    choose_in_autocomplete(page, "article", "border", "Border crossings hit a record")

    page.locator("#id_questions-0-prompt").fill("How many a day?")
    page.locator("#id_questions-0-choice_1").fill("100")
    page.locator("#id_questions-0-correct_1").check()
    page.locator("#id_questions-0-choice_2").fill("1,000")
    page.locator("#id_questions-0-correct_2").check()
    submit(page, page.locator("input[name=_save]").last)

    expect(page).to_have_url(re.compile(r"/admin/claims/quiz/add/$"))
    expect(page.locator(".errornote")).to_be_visible()
    question = page.locator("#questions-0")
    expect(question.locator(".errorlist.nonfield")).to_contain_text("mark exactly one choice as correct (2 marked)")
    # What the editor typed is still there to fix.
    expect(page.locator("#id_questions-0-choice_2")).to_have_value("1,000")
    expect(page.locator("#id_questions-0-correct_2")).to_be_checked()
    assert Quiz.objects.count() == 0 and Question.objects.count() == 0


def test_publish_selected_claims_publishes_the_ready_ones_and_reports_the_rest(page):
    # Ready: written by an editor, submitted for review and approved by another chief editor.
    author = EditorFactory(username="author")
    ready = ClaimFactory(statement="A ready claim.", author=author)
    SourceFactory(claim=ready)
    editorial.submit_for_review(obj=ready, by=author)
    editorial.approve(obj=ready, by=ChiefEditorFactory(username="approver"))
    incomplete = ClaimFactory(statement="A claim with no sources.", author=author)
    log_in(page, "browser-chief", ChiefEditorFactory)
    page.goto("/admin/claims/claim/")

    page.locator("#action-toggle").check()  # the admin's actions.js selects every row
    expect(page.locator(".action-counter")).to_have_text("2 of 2 selected")
    page.locator("select[name=action]").select_option(label="Publish selected claims")
    submit(page, page.get_by_role("button", name="Run"))  # "Go" before Django 6.1

    expect(page).to_have_url(re.compile(r"/admin/claims/claim/$"))
    assert "Published: 1 of 2." in messages(page, "success")
    warnings = messages(page, "warning")
    assert warnings == [
        "“A claim with no sources.” was not published. "
        "This claim must be submitted for review and approved before it is published."
    ], warnings
    expect(page.locator("#result_list tbody tr", has_text="A ready claim.").locator(".field-status")).to_have_text(
        "Published"
    )
    expect(
        page.locator("#result_list tbody tr", has_text="A claim with no sources.").locator(".field-status")
    ).to_have_text("Draft")
    ready.refresh_from_db()
    incomplete.refresh_from_db()
    assert (ready.status, incomplete.status) == (Status.PUBLISHED, Status.DRAFT)
    assert ready.editor.username == "approver"


def test_the_admin_widgets_work_under_the_csp(page):
    """The admin's own scripts (calendar, inlines, related-object popup, sidebar) under script-src/style-src 'self'."""
    log_in(page)
    page.goto("/admin/claims/claim/add/")

    # Date shortcuts and the calendar (DateTimeShortcuts.js).
    page.locator(".fieldBox.field-said_on").get_by_role("button", name=re.compile("^Today")).click()
    expect(page.locator("#id_said_on")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    page.locator(".fieldBox.field-said_on .date-icon").click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".calendarbox").first).to_be_hidden()

    # Inline formsets (inlines.js): a third source form, then removed again.
    page.get_by_role("button", name="Add another Source").click()
    expect(page.locator("#id_sources-TOTAL_FORMS")).to_have_value("3")
    expect(page.locator("#id_sources-2-publisher")).to_be_visible()
    page.locator("#sources-2 .inline-deletelink").click()
    expect(page.locator("#id_sources-TOTAL_FORMS")).to_have_value("2")

    # The "+" next to the article opens the add form in a popup; saving it selects the new article here.
    with page.expect_popup() as popup_info:
        page.locator("#add_id_article").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.get_by_label("Title").press_sequentially("Made in a popup")
    expect(popup.locator("#id_slug")).to_have_value("made-in-a-popup")
    popup.locator("#id_body").fill("Text of the article.")
    popup.locator("#id_publisher").fill("Example News")
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").last.click()
    expect(page.locator(".field-article .select2-selection__rendered")).to_have_text(re.compile("Made in a popup"))

    # The sidebar's filter box and collapse toggle (nav_sidebar.js).
    page.goto("/admin/claims/claim/")
    page.locator("#nav-filter").fill("quiz")
    expect(page.locator("#nav-sidebar").get_by_role("link", name="Quizzes")).to_be_visible()
    expect(page.locator("#nav-sidebar").get_by_role("link", name="Claims", exact=True)).to_be_hidden()
    page.locator("#toggle-nav-sidebar").click()
    expect(page.locator("#nav-sidebar")).to_be_hidden()
