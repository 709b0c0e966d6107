"""Importing an article in a real browser (claims/admin/imports.py), as an editor works it: the saved news page or
pasted text in, the check page where the extraction is corrected, the draft article saved, then the suggested
fact-checks with their reasons, one click to a draft fact-check and one to a draft number-guess question.
Bad input shows a readable error at the field with a 400 and saves nothing; loopback and private addresses are
refused before any connection (no network at all: the page's HTML is pasted). Without JavaScript the flow works
too. axe at 1280 and 1440 px on every page; full-page screenshots under test-artifacts/import/ (not committed).
"""

from __future__ import annotations

import re
import socket
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from claims.imports import fetch
from claims.models import Article, Claim, Question, QuestionKind, Status
from tests.browser.conftest import PROJECT_DIR, assert_no_axe_violations
from tests.browser.test_admin_browser import log_in, messages, submit
from tests.factories import ArticleFactory

ARTIFACTS = PROJECT_DIR / "test-artifacts" / "import"
WIDTHS = (1280, 1440)
PAGE_HTML = (Path(__file__).resolve().parents[1] / "fixtures" / "news_article.html").read_text(encoding="utf-8")
IMPORT_URL = "/admin/claims/article/import/"

TITLE = "Harbour Town Council Votes To Double Ferry Subsidy"
KICKER = "Local government"  # the page's section label, above the headline: not a paragraph of the story
STORY = [
    "Harbour Town's council voted 7 to 2 on Thursday night to raise the yearly subsidy for the island ferry to "
    "$4.2 million, more than double what the service receives now.",
    "“Without the ferry, nearly 3,000 islanders would have no way to reach the hospital in an emergency,” "
    "councillor Ruth Adeyemi said during the debate.",
    "The ferry carried 412,000 passengers last year, the highest number since the route opened in 1987, according "
    "to figures from the operator.",
    "Opponents argued that ticket prices should rise instead. Councillor Tom Briggs said the town's budget could "
    "not absorb the extra cost without cutting library hours.",
    "The new subsidy takes effect in July and will be reviewed after two years, the council said in a statement.",
]
QUOTE_SENTENCE = STORY[1]
RECORD_SENTENCE = STORY[2]

TEXT_TITLE = "City Buses Carried A Record 52 Million Riders Last Year"
TEXT_PARAGRAPHS = [
    "The city's buses carried 52 million riders last year, the most since 1990, according to the transit authority.",
    "“We have never moved more people,” the transit director, Ana Lima, said on Monday.",
    "Fares will stay at $2.50 until the end of next year, the council said.",
]
PASTED_TEXT = "\n\n".join([TEXT_TITLE, *TEXT_PARAGRAPHS]) + "\n"


def _check(page: Page, name: str) -> None:
    """axe, then a full-page screenshot, at each width; the viewport is put back to 1280 px after."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _post(page: Page, button_name: str, *, status: int = 200):
    """Click a submit button; the page that answers must have `status` (after any redirect)."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button_name).click()
    response = navigation.value
    assert response is not None and response.status == status, f"{button_name}: {response and response.status}"
    return response


def _field_row(page: Page, name: str):
    return page.locator(f".form-row:has(#id_{name})")


def _body_paragraphs(value: str) -> list[str]:
    return [block.strip() for block in value.split("\n\n") if block.strip()]


def test_import_the_saved_news_page_correct_it_and_save_a_draft(page: Page):
    editor = log_in(page)
    page.goto("/admin/claims/article/")
    submit(page, page.get_by_role("link", name="Import an article"))
    expect(page).to_have_url(re.compile(rf"{IMPORT_URL}$"))
    expect(page.get_by_role("heading", name="Import an article")).to_be_visible()
    _check(page, "import")

    page.get_by_label("Or the page's HTML").fill(PAGE_HTML)
    _post(page, "Find the article")

    # The check page shows what was found, for the editor to correct; nothing is saved yet.
    expect(page.get_by_role("heading", name="Check the imported article")).to_be_visible()
    expect(page.get_by_label("Title:", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label("Byline")).to_have_value("Maria Okafor")
    expect(page.get_by_label("Publisher")).to_have_value("The Coastal Ledger")
    expect(page.get_by_label("Publication date")).to_have_value("2026-03-14")
    expect(page.get_by_label("Canonical URL")).to_have_value(
        "https://www.coastal-ledger.example/news/2026/03/ferry-subsidy-vote"
    )
    body = page.get_by_label("Body")
    found = _body_paragraphs(body.input_value())
    for paragraph in STORY:
        assert paragraph in found, f"not on the check page: {paragraph}"
    for noise in ("Advertisement", "Subscribe", "Related stories", "All rights reserved"):
        assert noise not in body.input_value()
    assert Article.objects.count() == 0
    # Laid out as the admin's forms are: each label above its field, the body wide enough to read an article in.
    title_label, title_box = (
        page.locator("label[for=id_title]").bounding_box(),
        page.locator("#id_title").bounding_box(),
    )
    assert title_label and title_box and title_label["y"] + title_label["height"] <= title_box["y"]
    body_box = body.bounding_box()
    assert body_box and body_box["width"] >= 600, body_box
    _check(page, "check")

    # The editor corrects the title, and drops the section label the extractor took for a paragraph.
    page.get_by_label("Title:", exact=True).fill("Harbour Town council votes to double the ferry subsidy")
    body.fill("\n\n".join(p for p in found if p != KICKER))
    _post(page, "Save as a draft article")

    article = Article.objects.get()
    assert article.status == Status.DRAFT and article.published_at is None
    assert article.title == "Harbour Town council votes to double the ferry subsidy"
    assert article.paragraphs == STORY
    assert (article.byline, article.publisher, str(article.published_on)) == (
        "Maria Okafor",
        "The Coastal Ledger",
        "2026-03-14",
    )
    assert article.url == "https://www.coastal-ledger.example/news/2026/03/ferry-subsidy-vote"
    assert article.author == editor

    # The save lands on the draft article, whose suggested fact-checks are one click away.
    expect(page).to_have_url(re.compile(rf"/admin/claims/article/{article.pk}/change/$"))
    assert any("saved as a draft" in message for message in messages(page, "success"))
    submit(page, page.get_by_role("link", name="Suggested fact-checks"))
    expect(page).to_have_url(re.compile(rf"/admin/claims/article/{article.pk}/suggestions/$"))
    expect(page.locator(".import-suggestion blockquote").first).to_have_text(QUOTE_SENTENCE)


def test_import_pasted_text_with_a_correction_after_an_error(page: Page, browser_problems):
    log_in(page)
    page.goto(IMPORT_URL)
    page.get_by_label("Or the article's text").fill(PASTED_TEXT)
    _post(page, "Find the article")

    expect(page.get_by_label("Title:", exact=True)).to_have_value(TEXT_TITLE)
    expect(page.get_by_label("Byline")).to_have_value("")  # plain text names no author: nothing is guessed
    expect(page.get_by_label("Canonical URL")).to_have_value("")
    assert _body_paragraphs(page.get_by_label("Body").input_value()) == TEXT_PARAGRAPHS

    # The editor empties the title by mistake: the error is at the field, the rest is kept, nothing is saved.
    browser_problems.allow(rf"status of 400 .*{IMPORT_URL}")  # the page itself; asserted here
    page.get_by_label("Title:", exact=True).fill("")
    page.get_by_label("Byline").fill("Sam Reporter")
    _post(page, "Save as a draft article", status=400)
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved: correct the errors below.")
    expect(_field_row(page, "title").locator(".errorlist")).to_have_text("This field is required.")
    expect(page.get_by_label("Title:", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title:", exact=True)).to_have_accessible_description("This field is required.")
    expect(page.get_by_label("Byline")).to_have_value("Sam Reporter")
    assert _body_paragraphs(page.get_by_label("Body").input_value()) == TEXT_PARAGRAPHS
    assert Article.objects.count() == 0
    _check(page, "check-error")

    page.get_by_label("Title:", exact=True).fill(TEXT_TITLE)
    _post(page, "Save as a draft article")
    article = Article.objects.get()
    assert (article.status, article.title, article.byline) == (Status.DRAFT, TEXT_TITLE, "Sam Reporter")
    assert article.paragraphs == TEXT_PARAGRAPHS
    expect(page).to_have_url(re.compile(rf"/admin/claims/article/{article.pk}/change/$"))


@pytest.fixture
def ferry_article(transactional_db) -> Article:
    """The saved news page's story as a draft article, as the import above saves it."""
    return ArticleFactory(
        status=Status.DRAFT,
        title=TITLE,
        slug="ferry-subsidy",
        publisher="The Coastal Ledger",
        byline="Maria Okafor",
        body="\n\n".join(STORY),
    )


def test_suggestions_show_their_reasons_and_draft_a_claim_and_a_number_guess(page: Page, ferry_article: Article):
    editor = log_in(page)
    page.goto(f"/admin/claims/article/{ferry_article.pk}/suggestions/")
    expect(page.get_by_role("heading", name=f"Suggested fact-checks for “{TITLE}”")).to_be_visible()

    suggestions = page.locator(".import-suggestion")
    expect(suggestions.first.locator("blockquote")).to_have_text(QUOTE_SENTENCE)  # best first
    quote = suggestions.filter(has_text="nearly 3,000 islanders")
    for reason in (
        "It gives a figure: “3,000”.",
        "It quotes someone directly.",
        "It says who said it: “said”.",
        "It names who made the claim: Councillor Ruth Adeyemi.",
    ):
        expect(quote.get_by_role("listitem").filter(has_text=reason)).to_have_count(1)
    record = suggestions.filter(has_text="412,000 passengers")
    for reason in ("It gives a figure: “412,000”.", "It compares: “highest”.", "It says who said it: “according to”."):
        expect(record.get_by_role("listitem").filter(has_text=reason)).to_have_count(1)
    # The sentence reads as the page's main text, not as small print.
    sentence_size = suggestions.first.locator("blockquote").evaluate("q => parseFloat(getComputedStyle(q).fontSize)")
    reason_size = suggestions.first.get_by_role("listitem").first.evaluate(
        "li => parseFloat(getComputedStyle(li).fontSize)"
    )
    assert sentence_size >= reason_size, (sentence_size, reason_size)
    _check(page, "suggestions")

    # One click: a draft fact-check, its evidence quote the sentence word for word, its claimant filled in.
    with page.expect_navigation():
        quote.get_by_role("button", name="Draft a fact-check from it").click()
    claim = Claim.objects.get()
    expect(page).to_have_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/$"))
    assert (claim.status, claim.author, claim.article) == (Status.DRAFT, editor, ferry_article)
    assert claim.statement == QUOTE_SENTENCE
    assert claim.claimant == "Councillor Ruth Adeyemi"
    source = claim.sources.get()
    assert source.quote == QUOTE_SENTENCE and source.quote in ferry_article.body and source.quotes_article
    assert ferry_article.paragraph_containing(source.quote) == 2
    expect(page.locator("#id_claimant")).to_have_value("Councillor Ruth Adeyemi")
    expect(page.locator("#id_sources-0-quote")).to_have_value(QUOTE_SENTENCE)
    assert any("made from the article's sentence" in message for message in messages(page, "success"))

    # One click on a figure: a number-guess question in a draft quiz, with the figure as its true value.
    page.goto(f"/admin/claims/article/{ferry_article.pk}/suggestions/")
    with page.expect_navigation():
        suggestions.filter(has_text="412,000 passengers").get_by_role(
            "button", name="Draft a number-guess question on “412,000 passengers”"
        ).click()
    question = Question.objects.get()
    expect(page).to_have_url(re.compile(rf"/admin/claims/quiz/{question.quiz_id}/change/$"))
    assert question.kind == QuestionKind.NUMBER
    assert question.true_value == Decimal(412_000)
    assert question.value_quote == "412,000 passengers" and question.number_unit == "passengers"
    assert question.number_min is not None and question.number_max is not None
    assert question.number_min <= question.true_value <= question.number_max
    assert question.quiz.status == Status.DRAFT
    assert question.claim is not None and question.claim.sources.get().quote == RECORD_SENTENCE
    assert any("draft number-guess question" in message for message in messages(page, "success"))


@pytest.fixture
def no_connections(monkeypatch) -> list[tuple[str, int]]:
    """The fetcher may not open any connection; a resolver that knows one intranet name, and no other new name."""
    opened: list[tuple[str, int]] = []

    def open_socket(address, port, timeout):
        opened.append((address, port))
        raise AssertionError(f"the fetcher connected to {address}:{port}")

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "intranet.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(fetch, "open_socket", open_socket)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return opened


def test_bad_input_is_a_readable_400_at_the_field_and_saves_nothing(
    page: Page, browser_problems, live_server, no_connections
):
    log_in(page)
    browser_problems.allow(rf"status of 400 .*{IMPORT_URL}")  # the pages themselves; each asserted here
    page.goto(IMPORT_URL)

    _post(page, "Find the article", status=400)
    expect(page.get_by_role("alert")).to_have_text(
        "Give exactly one of these: the web address, the page's HTML, or the article's text."
    )
    _check(page, "import-error-empty")

    port = live_server.url.rsplit(":", 1)[1]
    refused = [
        f"http://127.0.0.1:{port}/admin/",  # this very server
        "http://10.0.0.5/",
        "http://169.254.169.254/latest/meta-data/",
        "http://intranet.example/",  # a name that resolves to a private address
    ]
    for url in refused:
        page.get_by_label("The article's web address").fill(url)
        _post(page, "Find the article", status=400)
        row = _field_row(page, "url")
        expect(row.locator(".errorlist")).to_contain_text("is not on the public internet")
        expect(row.locator(".errorlist")).to_contain_text("only public pages can be imported")
        expect(page.get_by_label("The article's web address")).to_have_value(url)
        address = page.get_by_label("The article's web address")
        expect(address).to_have_attribute("aria-invalid", "true")
        # A screen reader reads the error with the field, as well as the help text.
        expect(address).to_have_accessible_description(re.compile(r"only public http:// .* is not on the public"))
        expect(page.get_by_role("heading", name="Check the imported article")).to_have_count(0)
    _check(page, "import-error-url")

    page.get_by_label("The article's web address").fill("file:///etc/passwd")
    _post(page, "Find the article", status=400)
    expect(_field_row(page, "url").locator(".errorlist")).to_have_text(
        "Only web addresses starting with http:// or https:// can be imported."
    )
    assert no_connections == []
    assert Article.objects.count() == 0


def test_without_javascript_text_to_draft_article_to_draft_claim(nojs_page: Page):
    page = nojs_page
    log_in(page)
    page.goto("/admin/claims/article/")
    submit(page, page.get_by_role("link", name="Import an article"))
    page.get_by_label("Or the article's text").fill(PASTED_TEXT)
    _post(page, "Find the article")
    expect(page.get_by_label("Title:", exact=True)).to_have_value(TEXT_TITLE)
    _post(page, "Save as a draft article")
    article = Article.objects.get()
    assert article.status == Status.DRAFT and article.paragraphs == TEXT_PARAGRAPHS

    submit(page, page.get_by_role("link", name="Suggested fact-checks"))
    sentence = TEXT_PARAGRAPHS[1]
    item = page.locator(".import-suggestion").filter(has_text="We have never moved more people")
    expect(item.get_by_role("listitem").filter(has_text="It quotes someone directly.")).to_have_count(1)
    with page.expect_navigation():
        item.get_by_role("button", name="Draft a fact-check from it").click()
    claim = Claim.objects.get()
    expect(page).to_have_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/$"))
    assert claim.status == Status.DRAFT and claim.article == article
    assert claim.sources.get().quote == sentence
    assert claim.claimant == "The transit director"
