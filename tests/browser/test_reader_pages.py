"""The reader pages in a real browser (issue 3): permalinks, the index's filters, the article, accessibility.

Readers arrive on a shared permalink on a phone, then browse the index and the
article. These tests work the pages as they do, with and without JavaScript, on
the demo content (``load_demo()``: 14 published claims, the article and its
quiz) plus factory claims where a test needs more. The harness fails any test
whose pages log a console error, throw, violate the CSP or miss a static file;
every reader page is visited by at least one test (``test_every_reader_page_loads``
follows every link from the home page).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import factory
import pytest
from playwright.sync_api import Locator, Page, expect

from claims.demo.loader import load_demo
from claims.models import Article, Claim
from claims.search import parse
from claims.views.pages import CLAIMS_PER_PAGE
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.factories import PublishedClaimFactory

PHONE = {"width": 360, "height": 800}
PERMALINK_SLUG = "us-officials-discussed-1000-apprehensions-a-day"  # True, with a passage in the article
ARTICLE_SLUG = "us-officials-asked-mexico-to-do-more-on-immigration"
EXTRA_STATEMENTS = factory.Sequence(lambda n: f"Extra statement number {n} on the border.")


@pytest.fixture
def demo(transactional_db):
    """The demo content, committed so that the live server sees it."""
    load_demo()


# Helpers -------------------------------------------------------------------


def published(**filters) -> list[str]:
    """The statements the index should list for these filters, in its order (newest first; with a search, the
    search's ranking: tests/test_search.py checks what it finds)."""
    claims = Claim.objects.published().filter(language="en").newest_first()
    if q := filters.get("q"):
        claims = parse(q).filter(claims)
    if verdict := filters.get("verdict"):
        claims = claims.filter(verdict=verdict)
    return [f"“{statement}”" for statement in claims.values_list("statement", flat=True)]


def listed(page: Page) -> list[str]:
    """The statements the index shows now, top to bottom."""
    return [text.strip() for text in page.locator("#results .claim-item__statement").all_inner_texts()]


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def expect_listed(page: Page, statements: list[str]) -> None:
    """The results show exactly `statements`, in order (waiting for a swap to finish)."""
    expect(page.locator("#results .claim-item__statement")).to_have_text(statements)


def badge_label(badge: Locator) -> str:
    """A badge's visible label, without any screen-reader-only prefix."""
    return badge.evaluate(
        """badge => {
            const label = badge.querySelector('.badge__label').cloneNode(true);
            label.querySelectorAll('.visually-hidden').forEach(hidden => hidden.remove());
            return label.textContent.trim();
        }"""
    )


def mark_document(page: Page) -> None:
    """Leave markers that a full page load would wipe out: on the window, on the form and on the results."""
    page.evaluate(
        """() => {
            window.__marker = 1;
            document.querySelector('form.filters').dataset.marker = '1';
            document.getElementById('results').dataset.marker = '1';
        }"""
    )


def expect_same_document(page: Page, *, results_swapped: bool = True) -> None:
    """No full page load happened since mark_document(); only the results were replaced (if `results_swapped`)."""
    state = page.evaluate(
        """() => ({
            window: window.__marker,
            form: document.querySelector('form.filters').dataset.marker,
            results: document.getElementById('results').dataset.marker,
        })"""
    )
    assert state["window"] == 1, "the page was reloaded"
    assert state["form"] == "1", "the filter form was replaced, not just the results"
    if results_swapped:
        assert state["results"] is None, "the results were not swapped"


def in_viewport(locator: Locator, viewport: dict) -> bool:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and (box["y"] + box["height"] <= viewport["height"])
    )


# The permalink ---------------------------------------------------------------


def test_a_shared_permalink_shows_the_verdict_and_the_bottom_line_on_a_phone_without_scrolling(page, demo):
    """Every demo permalink, opened cold at 360x800: badge, statement and bottom line, all above the fold."""
    page.set_viewport_size(PHONE)
    claims = list(Claim.objects.published().filter(language="en").order_by("slug"))
    assert len(claims) == 14
    too_low = []
    for claim in claims:
        response = page.goto(f"/claims/{claim.slug}/")
        assert response.status == 200
        assert page.evaluate("window.scrollY") == 0

        badge = page.locator(".claim__verdict .badge")
        expect(badge).to_have_attribute("data-verdict", claim.verdict)
        assert badge_label(badge) == claim.get_verdict_display()
        expect(page.locator("h1.claim__statement")).to_have_text(f"Claim: “{claim.statement}”")
        bottom_line = page.locator(".bottom-line")
        expect(bottom_line.get_by_role("heading", name="The bottom line")).to_be_visible()
        expect(bottom_line.locator("p")).to_have_text(claim.ruling)

        for name, element in (("badge", badge), ("bottom line", bottom_line)):
            if not in_viewport(element, PHONE):
                too_low.append(f"{claim.slug}: the {name} at {element.bounding_box()}")
        # Nothing sticks out sideways at 360 px.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], claim.slug
    assert not too_low, "not visible without scrolling at 360x800:\n" + "\n".join(too_low)


def test_copy_link_puts_the_permalink_on_the_clipboard(page, demo, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    url = f"{live_server.url}/claims/{PERMALINK_SLUG}/"
    page.goto(url)
    assert page.evaluate("window.isSecureContext"), f"{live_server.url} is not a secure context"

    copy = page.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()
    status = page.locator(".share-row [data-share-status]")
    expect(status).to_have_text("")
    copy.click()
    expect(status).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    # The status is a live region, so screen readers hear it.
    expect(status).to_have_attribute("role", "status")


def test_the_permalink_without_javascript_shows_everything_and_plain_share_links(nojs_page, demo, live_server):
    page = nojs_page
    claim = Claim.objects.get(slug=PERMALINK_SLUG)
    url = f"{live_server.url}/claims/{claim.slug}/"
    page.goto(url)

    badge = page.locator(".claim__verdict .badge")
    expect(badge).to_have_attribute("data-verdict", "true")
    assert badge_label(badge) == "True"
    expect(page.locator("h1.claim__statement")).to_have_text(f"Claim: “{claim.statement}”")
    expect(page.locator(".bottom-line p")).to_have_text(claim.ruling)
    expect(page.locator(".claim__attribution")).to_contain_text(claim.claimant)
    expect(page.get_by_role("heading", name="Explanation")).to_be_visible()
    sources = list(claim.sources.order_by("position"))
    expect(page.locator("ol.sources > li")).to_have_count(len(sources))
    expect(page.locator(".source__quote")).to_have_text([source.quote for source in sources])
    expect(page.get_by_role("link", name=f"Read the article: {claim.article.title}")).to_be_visible()

    # The script-only buttons stay hidden; the share links are ordinary links with the permalink in them.
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(page.get_by_role("button", name="Share…")).to_be_hidden()
    share = page.locator(".share-row")
    title = claim.statement if len(claim.statement) <= 120 else claim.statement[:119] + "…"
    expected = {
        "Email": ("mailto:", "", {"subject": [title], "body": [url]}),
        "Post on X": ("https://x.com", "/intent/post", {"text": [title], "url": [url]}),
        "Share on Facebook": ("https://www.facebook.com", "/sharer/sharer.php", {"u": [url]}),
    }
    for name, (start, path, query) in expected.items():
        link = share.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        href = link.get_attribute("href")
        assert href.startswith(start), href
        parts = urlsplit(href)
        assert parts.path == path and parse_qs(parts.query) == query, href
        assert link.get_attribute("target") is None and link.get_attribute("onclick") is None


# The index, with JavaScript ------------------------------------------------------


def test_a_misspelt_search_finds_the_fact_checks_as_the_reader_types_and_marks_the_matches(page, demo):
    page.goto("/claims/")
    mark_document(page)
    page.get_by_label("Search", exact=True).press_sequentially("aprehensions", delay=30)
    expected = published(q="apprehensions")
    assert expected
    expect_listed(page, expected)
    expect(page.locator("#results .claim-item__statement mark").first).to_have_text(re.compile("^apprehensions$", re.I))
    expect(page.locator(".results__corrections")).to_contain_text("apprehensions")
    expect(page).to_have_url(re.compile(r"[?&]q=aprehensions(&|$)"))
    expect_same_document(page)
    assert_no_axe_violations(page)


def test_filtering_and_searching_the_index_swaps_the_results_and_keeps_the_history(page, demo):
    page.goto("/claims/")
    expect_listed(page, published())
    live_region = page.locator("#live-region")
    expect(live_region).to_have_text("")
    mark_document(page)

    # A verdict: only the results change, the URL is pushed and the count announced.
    page.get_by_label("Verdict", exact=True).select_option(label="Unproven")
    expect(page).to_have_url(re.compile(r"/claims/\?.*verdict=unproven"))
    unproven = published(verdict="unproven")
    assert len(unproven) == 2
    expect_listed(page, unproven)
    expect(page.locator("#results .badge")).to_have_count(2)
    for badge in page.locator("#results .badge").all():
        expect(badge).to_have_attribute("data-verdict", "unproven")
    expect(live_region).to_have_text("2 fact-checks found")
    expect(page.locator(".results__count")).to_have_text("2 fact-checks match these filters.")
    expect_same_document(page)

    # Search, typed key by key: one request after the typing stops (debounced), then the results and URL follow.
    page.get_by_label("Verdict", exact=True).select_option(label="Any verdict")
    expect_listed(page, published())
    mark_document(page)
    requests = []
    page.on("request", lambda request: request.headers.get("hx-request") and requests.append(request.url))
    page.get_by_label("Search", exact=True).press_sequentially("Mexico", delay=40)
    mexico = published(q="Mexico")
    assert 0 < len(mexico) < 14
    expect_listed(page, mexico)
    expect(page).to_have_url(re.compile(r"[?&]q=Mexico(&|$)"))
    assert query_of(page)["q"] == ["Mexico"]
    expect(live_region).to_have_text(f"{len(mexico)} fact-checks found")
    expect_same_document(page)
    assert len(requests) == 1, f"expected one debounced request for six keystrokes, got {requests}"

    # Both filters together.
    page.get_by_label("Verdict", exact=True).select_option(label="True")
    both = published(q="Mexico", verdict="true")
    expect_listed(page, both)
    expect(page).to_have_url(re.compile(r"verdict=true"))
    assert query_of(page)["q"] == ["Mexico"]
    expect(live_region).to_have_text(f"{len(both)} fact-check{'' if len(both) == 1 else 's'} found")

    # Back: the previous filter (search only), with its results and the form's values.
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=Mexico"))
    assert "verdict" not in query_of(page)  # parse_qs leaves out the blank ones
    expect_listed(page, mexico)
    expect(page.get_by_label("Search", exact=True)).to_have_value("Mexico")
    expect(page.get_by_label("Verdict", exact=True)).to_have_value("")

    # Back again, to the verdict-only filter.
    page.go_back()  # the "Any verdict" step
    expect_listed(page, published())
    page.go_back()
    expect(page).to_have_url(re.compile(r"verdict=unproven"))
    expect_listed(page, unproven)
    expect(page.get_by_label("Verdict", exact=True)).to_have_value("unproven")
    expect(page.get_by_label("Search", exact=True)).to_have_value("")

    # And forward again.
    page.go_forward()
    expect_listed(page, published())
    page.go_forward()
    expect_listed(page, mexico)
    expect(page.get_by_label("Search", exact=True)).to_have_value("Mexico")


def test_load_more_appends_the_next_page_without_a_full_load(page, demo):
    PublishedClaimFactory.create_batch(25, statement=EXTRA_STATEMENTS)
    total = published()
    assert len(total) == 39 and CLAIMS_PER_PAGE == 20
    page.goto("/claims/")
    expect_listed(page, total[:20])
    expect(page.locator(".pager__pages")).to_contain_text("Page 1 of 2")
    mark_document(page)
    url = page.url

    # Keyboard: Enter on the focused link.
    page.get_by_role("link", name="Load more").focus()
    page.keyboard.press("Enter")
    expect_listed(page, total)
    expect_same_document(page, results_swapped=False)
    # The link is gone; focus goes to the first new fact-check, not back to the top of the page.
    expect(page.locator("#results .claim-item__statement").nth(20)).to_be_focused()
    assert page.url == url  # "Load more" is not a new address
    # The numbering carries on: the second list starts at 21.
    expect(page.locator("#results ol.claim-list")).to_have_count(2)
    expect(page.locator("#results ol.claim-list").nth(1)).to_have_attribute("start", "21")
    # The last page has no "Load more" and no second pager.
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)
    expect(page.locator("#results .pager")).to_have_count(1)
    expect(page.locator(".pager__pages")).to_contain_text("Page 2 of 2")


# The index, without JavaScript ------------------------------------------------


def test_without_javascript_the_filter_form_is_a_plain_get_with_the_same_results(nojs_page, demo):
    page = nojs_page
    page.goto("/claims/")
    expect_listed(page, published())

    page.get_by_label("Search", exact=True).fill("Mexico")
    page.get_by_label("Verdict", exact=True).select_option(label="True")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert query_of(page) == {"q": ["Mexico"], "verdict": ["true"]}  # the empty article is left blank
    expect_listed(page, published(q="Mexico", verdict="true"))
    expect(page.get_by_label("Search", exact=True)).to_have_value("Mexico")
    expect(page.get_by_label("Verdict", exact=True)).to_have_value("true")

    # Enter in the search box submits too.
    page.get_by_label("Search", exact=True).fill("Clouthier")
    page.get_by_label("Verdict", exact=True).select_option(label="Any verdict")
    with page.expect_navigation():
        page.get_by_label("Search", exact=True).press("Enter")
    expect_listed(page, published(q="Clouthier"))
    assert len(listed(page)) == 1

    # Nothing found: says so, with a way out.
    page.goto("/claims/?q=zeppelin+blimp")  # words no fact-check has, nor any within a typo
    expect(page.locator("#results .empty")).to_contain_text("No fact-checks match.")
    expect(page.get_by_role("link", name="Send it to us")).to_have_attribute("href", "/tips/?q=zeppelin+blimp")
    page.get_by_role("link", name="Clear the filters").click()
    expect(page).to_have_url(re.compile(r"/claims/$"))
    expect_listed(page, published())


def test_without_javascript_the_pagination_links_work_and_keep_the_filters(nojs_page, demo):
    page = nojs_page
    PublishedClaimFactory.create_batch(25, statement=EXTRA_STATEMENTS)
    every_true = published(verdict="true")
    assert len(every_true) == 36

    page.goto("/claims/?verdict=true")
    expect_listed(page, every_true[:20])
    expect(page.locator(".pager__pages")).to_contain_text("Page 1 of 2")
    # "Load more" is a plain link to the next page too.
    expect(page.get_by_role("link", name="Load more")).to_have_attribute("href", "?verdict=true&page=2")

    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"/claims/\?verdict=true&page=2$"))
    expect_listed(page, every_true[20:])
    expect(page.locator("#results ol.claim-list")).to_have_attribute("start", "21")
    expect(page.get_by_label("Verdict", exact=True)).to_have_value("true")
    expect(page.get_by_role("link", name="Next page")).to_have_count(0)

    page.get_by_role("link", name="Previous page").click()
    expect(page).to_have_url(re.compile(r"/claims/\?verdict=true&page=1$"))
    expect_listed(page, every_true[:20])

    page.get_by_role("link", name="Load more").click()
    expect(page).to_have_url(re.compile(r"/claims/\?verdict=true&page=2$"))
    expect_listed(page, every_true[20:])


# The article -------------------------------------------------------------------


def test_the_articles_highlighted_passages_link_to_their_claims(page, demo):
    article = Article.objects.get(slug=ARTICLE_SLUG)
    page.goto(f"/articles/{article.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)

    passages = page.locator(".article__body a.passage")
    count = passages.count()
    assert count >= 10, count
    published_slugs = set(Claim.objects.published().filter(language="en").values_list("slug", flat=True))
    linked = set()
    for passage in passages.all():
        href = passage.get_attribute("href")
        match = re.fullmatch(r"/claims/([\w-]+)/", href or "")
        assert match and match.group(1) in published_slugs, href
        linked.add(match.group(1))
        expect(passage.locator("mark.passage__mark")).to_be_visible()
        # Screen readers hear which verdict a passage leads to.
        expect(passage).to_have_accessible_name(re.compile(r"\(fact-checked: .+\)$"))
    # Every demo claim quotes the article, so every one is reachable from it.
    assert linked == published_slugs

    # Following a passage opens its claim.
    first = passages.first
    slug = re.fullmatch(r"/claims/([\w-]+)/", first.get_attribute("href")).group(1)
    first.click()
    expect(page).to_have_url(re.compile(rf"/claims/{slug}/$"))
    expect(page.locator("h1.claim__statement")).to_contain_text(Claim.objects.get(slug=slug).statement)


def test_see_this_passage_in_the_article_lands_on_the_paragraph(page, demo):
    claim = Claim.objects.get(slug=PERMALINK_SLUG)
    page.set_viewport_size(PHONE)
    page.goto(f"/claims/{claim.slug}/")
    source = page.locator("ol.sources > li", has=page.get_by_role("link", name="See this passage in the article")).first
    quote = source.locator(".source__quote").inner_text().strip()
    link = source.get_by_role("link", name="See this passage in the article")
    link.click()

    expect(page).to_have_url(re.compile(rf"/articles/{claim.article.slug}/#p\d+$"))
    anchor = urlsplit(page.url).fragment
    paragraph = page.locator(f"#{anchor}")
    expect(paragraph).to_contain_text(quote)
    assert page.evaluate("document.querySelector(':target').id") == anchor
    # The browser scrolled down to it.
    expect(paragraph).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0


# Every page, accessibility and screenshots --------------------------------------------


def test_every_reader_page_loads(page, demo, live_server):
    """Follow every same-site link from the home page to the reader pages (home, the index and its pages, the
    permalinks, the articles, the methodology and corrections pages): the harness checks each for console
    errors, CSP violations and missing static files."""
    PublishedClaimFactory.create_batch(7, statement=EXTRA_STATEMENTS)  # 21 claims: the index has a second page
    seen, queue = set(), ["/"]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        for href in page.locator("a[href]").evaluate_all("links => links.map(a => a.href)"):
            url = urlsplit(href)
            if f"{url.scheme}://{url.netloc}" != live_server.url:
                continue  # mailto:, share links, sources elsewhere
            target = url.path + (f"?{url.query}" if url.query else "")
            if re.match(r"^/(claims/|articles/|about/|corrections/|$)", url.path) and target not in seen:
                queue.append(target)
    paths = {urlsplit(p).path for p in seen}
    assert {"/", "/claims/", f"/articles/{ARTICLE_SLUG}/", "/about/ratings/", "/corrections/"} <= paths
    assert {
        f"/claims/{slug}/" for slug in Claim.objects.published().filter(language="en").values_list("slug", flat=True)
    } <= paths
    assert "/claims/?page=2" in seen


READER_PAGES = {
    "home": "/",
    "index": "/claims/",
    "permalink": f"/claims/{PERMALINK_SLUG}/",
    "article": f"/articles/{ARTICLE_SLUG}/",
    "tips": "/tips/",
    "tips-no-match": "/tips/?q=no+claim+says+this",
    "tips-thanks": "/tips/thanks/",
    "privacy": "/privacy/",
    "tips-es": "/es/tips/",
    "privacy-es": "/es/privacy/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reader_pages_have_no_axe_violations(page, demo, scheme):
    """WCAG 2.1 A and AA on each reader page, in the light and the dark theme; with screenshots of each."""
    page.emulate_media(color_scheme=scheme)
    for name, path in READER_PAGES.items():
        page.goto(path)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        assert_no_axe_violations(page)
        screenshot(page, f"reader-{name}" + ("-dark" if scheme == "dark" else ""))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_index_states_have_no_axe_violations(page, browser_problems, demo, scheme):
    """The index after htmx swaps: filtered, empty, and after "Load more"."""
    PublishedClaimFactory.create_batch(25, statement=EXTRA_STATEMENTS)
    page.emulate_media(color_scheme=scheme)
    page.goto("/claims/")
    page.get_by_role("link", name="Load more").click()
    expect(page.locator("#results ol.claim-list")).to_have_count(2)
    assert_no_axe_violations(page)
    page.get_by_label("Verdict", exact=True).select_option(label="Unproven")
    expect(page.locator("#results .claim-item")).to_have_count(2)
    assert_no_axe_violations(page)
    page.get_by_label("Search", exact=True).fill("zeppelin blimp")
    expect(page.locator("#results .empty")).to_be_visible()
    assert_no_axe_violations(page)
    browser_problems.allow(r"status of 400 .*verdict=nonsense")  # the document itself; asserted below
    response = page.goto("/claims/?verdict=nonsense")  # a bad filter answers 400 with an explanation
    assert response.status == 400
    expect(page.locator(".form-error")).to_be_visible()
    assert_no_axe_violations(page)
