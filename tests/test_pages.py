"""Reader pages: permalinks, the claims index, articles and the home page."""

import datetime
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from claims import editorial
from claims.models import Claim, Correction, Status
from claims.templatetags.datetimes import iso_datetime
from claims.verdicts import SCALE, Verdict
from tests.factories import (
    ArticleFactory,
    ChiefEditorFactory,
    ClaimFactory,
    PublishedClaimFactory,
    PublishedQuizFactory,
    SourceFactory,
    StaffFactory,
    take_quiz,
)

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


class _Head(HTMLParser):
    """Collects <meta>, <link>, JSON-LD blocks and external scripts/styles of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.assets: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "link":
            self.links[attrs.get("rel", "")] = attrs.get("href", "")
            if attrs.get("rel") == "stylesheet":
                self.assets.append(attrs["href"])
        elif tag == "script":
            self._in_ld = attrs.get("type") == "application/ld+json"
            if attrs.get("src"):
                self.assets.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(data)


def _parse(response) -> _Head:
    head = _Head()
    head.feed(response.content.decode())
    return head


@pytest.fixture
def claim():
    article = ArticleFactory(body="Para one.\n\nIt said a quotable sentence here.\n\nPara three.")
    claim = PublishedClaimFactory(
        article=article,
        statement="Mexico apprehends 1,000 people a day.",
        claimant="Christopher Wilson",
        claimant_description="a fellow",
        said_where="in an email",
        verdict=Verdict.MOSTLY_TRUE,
        ruling="Mostly true: the documents say so.",
        source__quote="a quotable sentence",
    )
    SourceFactory(
        claim=claim,
        publisher="Reuters",
        title="Interview",
        url="",
        quote="not from the article",
        quotes_article=False,
        no_link_reason="a recorded interview that was not published",
    )
    return claim


class TestPermalink:
    def test_shows_verdict_statement_ruling_and_numbered_sources(self, client, claim):
        response = client.get(claim.get_absolute_url())
        assert response.status_code == 200
        html = response.text
        assert 'data-verdict="mostly-true"' in html and ">Mostly true<" in html
        assert SCALE["mostly-true"].definition in html
        assert "“Mexico apprehends 1,000 people a day.”" in html
        assert "Christopher Wilson</span>, a fellow, in an email" in html
        assert html.index("The bottom line") < html.index("Sources")
        assert html.count('class="source"') == 2
        assert "(no public link: a recorded interview that was not published)" in html
        assert html.count("Quoted from this source, not from the article.") == 1

    def test_quote_from_the_article_links_to_its_paragraph(self, client, claim):
        html = client.get(claim.get_absolute_url()).text
        assert f'href="{claim.article.get_absolute_url()}#p2"' in html
        assert html.count("See this passage in the article") == 1

    def test_links_to_the_quiz_and_the_article(self, client):
        quiz = PublishedQuizFactory(questions=1)
        claim = quiz.questions.get().claim
        html = client.get(claim.get_absolute_url()).text
        assert quiz.get_absolute_url() in html and claim.article.get_absolute_url() in html

    def test_sharing_meta_tags(self, client, claim):
        head = _parse(client.get(claim.get_absolute_url()))
        url = f"{settings.SITE_URL}{claim.get_absolute_url()}"
        assert head.links["canonical"] == url
        assert head.meta["og:url"] == url
        assert head.meta["og:title"].startswith("Mostly true: “Mexico apprehends")
        assert head.meta["og:description"] == claim.ruling
        assert head.meta["og:image"] == url + "card.png"
        assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
        assert head.meta["twitter:card"] == "summary_large_image"

    def test_one_claim_review_in_json_ld(self, client, claim):
        head = _parse(client.get(claim.get_absolute_url()))
        assert len(head.json_ld) == 1
        review = json.loads(head.json_ld[0])
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == claim.statement
        assert review["url"] == f"{settings.SITE_URL}{claim.get_absolute_url()}"
        assert review["reviewRating"] == {
            "@type": "Rating",
            "alternateName": "Mostly true",
            "ratingValue": 4,
            "bestRating": 5,
            "worstRating": 1,
        }
        assert review["author"]["name"] == settings.SITE_NAME
        assert review["itemReviewed"]["author"]["name"] == "Christopher Wilson"
        assert review["datePublished"] == claim.published_at.date().isoformat()

    def test_claimant_is_a_person_or_an_organisation(self, client, claim):
        review = json.loads(_parse(client.get(claim.get_absolute_url())).json_ld[0])
        assert review["itemReviewed"]["author"]["@type"] == "Person"
        org = PublishedClaimFactory(claimant="BuzzFeed News", claimant_is_organization=True)
        review = json.loads(_parse(client.get(org.get_absolute_url())).json_ld[0])
        assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "BuzzFeed News"}

    def test_unproven_has_no_numeric_rating(self, client):
        claim = PublishedClaimFactory(verdict=Verdict.UNPROVEN)
        review = json.loads(_parse(client.get(claim.get_absolute_url())).json_ld[0])
        assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}

    def test_json_ld_cannot_be_broken_out_of(self, client):
        claim = PublishedClaimFactory(statement="</script><script>alert(1)</script>")
        html = client.get(claim.get_absolute_url()).text
        assert "<script>alert(1)" not in html
        assert json.loads(_parse(client.get(claim.get_absolute_url())).json_ld[0])["claimReviewed"] == claim.statement

    def test_old_slug_redirects_permanently(self, client, claim):
        old = claim.get_absolute_url()
        claim.slug = "a-better-slug"
        editorial.claim_save(claim=claim, sources=list(claim.sources.all()), by=ChiefEditorFactory(), minor_edit=True)
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "/claims/a-better-slug/"

    def test_draft_is_404_to_the_public(self, client):
        claim = ClaimFactory(status=Status.DRAFT)
        assert client.get(claim.get_absolute_url()).status_code == 404

    def test_old_slug_of_a_draft_is_404_too(self, client):
        claim = ClaimFactory(slug="draft-old")
        claim.slug = "draft-new"
        editorial.claim_save(claim=claim, sources=[], by=ChiefEditorFactory())
        assert client.get("/claims/draft-old/").status_code == 404

    def test_editor_sees_a_marked_uncached_unindexed_preview(self, client):
        claim = ClaimFactory(status=Status.DRAFT, statement="A draft statement.")
        client.force_login(StaffFactory())
        response = client.get(claim.get_absolute_url())
        assert response.status_code == 200
        assert "This is a draft: readers cannot see it yet." in response.text
        assert 'content="noindex, nofollow"' in response.text
        assert "no-store" in response["Cache-Control"]
        assert "application/ld+json" not in response.text

    def test_logged_in_non_staff_gets_404_for_a_draft(self, client):
        from tests.factories import UserFactory

        client.force_login(UserFactory())
        assert client.get(ClaimFactory().get_absolute_url()).status_code == 404

    def test_unknown_slug_is_a_readable_404(self, client):
        response = client.get("/claims/no-such-claim/")
        assert response.status_code == 404


class TestIndex:
    @pytest.fixture
    def claims(self):
        article = ArticleFactory(slug="border-story")
        return [
            PublishedClaimFactory(statement="Tariffs were threatened.", verdict=Verdict.TRUE, article=article),
            PublishedClaimFactory(statement="Families were released.", verdict=Verdict.FALSE, claimant="Biden"),
            PublishedClaimFactory(statement="Another true one.", verdict=Verdict.TRUE),
            ClaimFactory(statement="Draft tariffs claim.", verdict=Verdict.TRUE),
        ]

    def _statements(self, response) -> list[str]:
        return [c.statement for c in response.context["page"].object_list]

    def test_lists_published_claims_newest_first(self, client, claims):
        response = client.get(reverse("claim-index"))
        assert self._statements(response) == [
            "Another true one.",
            "Families were released.",
            "Tariffs were threatened.",
        ]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"verdict": "true"}, ["Another true one.", "Tariffs were threatened."]),
            ({"q": "tariffs"}, ["Tariffs were threatened."]),
            ({"q": "biden"}, ["Families were released."]),
            ({"article": "border-story"}, ["Tariffs were threatened."]),
            ({"verdict": "false", "q": "tariffs"}, []),
        ],
    )
    def test_filters_and_search(self, client, claims, params, expected):
        assert self._statements(client.get(reverse("claim-index"), params)) == expected

    def test_filters_are_in_the_form_so_the_url_reproduces_the_page(self, client, claims):
        html = client.get(reverse("claim-index"), {"verdict": "true", "q": "tariffs"}).text
        assert 'value="tariffs"' in html
        assert '<option value="true" selected>' in html

    def test_verdict_chart_counts_the_selection_before_the_verdict_filter(self, client, claims):
        chart = {bar["rating"].key: bar["count"] for bar in client.get(reverse("claim-index")).context["chart"]}
        assert chart["true"] == 2 and chart["false"] == 1 and chart["unproven"] == 0
        filtered = client.get(reverse("claim-index"), {"verdict": "false"}).context["chart"]
        assert {bar["rating"].key: bar["count"] for bar in filtered}["true"] == 2

    def test_htmx_request_gets_only_the_results(self, client, claims):
        response = client.get(reverse("claim-index"), {"q": "tariffs"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert response.text.lstrip().startswith('<div id="results"')
        assert "<html" not in response.text and "<form" not in response.text
        assert "HX-Request" in response["Vary"] and "HX-History-Restore-Request" in response["Vary"]

    def test_boosted_and_history_restore_requests_get_the_whole_page(self, client, claims):
        for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
            response = client.get(reverse("claim-index"), headers={"HX-Request": "true", **extra})
            assert "<html" in response.text

    def test_bad_filter_is_a_clear_400(self, client, claims):
        response = client.get(reverse("claim-index"), {"verdict": "nonsense"})
        assert response.status_code == 400
        assert "These filters could not be applied" in response.text
        assert "Select a valid choice" in response.text

    def test_pagination_with_plain_links_and_load_more(self, client):
        for n in range(25):
            PublishedClaimFactory(statement=f"Claim {n:02d}.")
        first = client.get(reverse("claim-index"))
        assert len(first.context["page"].object_list) == 20
        assert 'href="?page=2" rel="next"' in first.text
        assert 'data-hx-get="?page=2&amp;more=1"' in first.text
        more = client.get(reverse("claim-index"), {"page": "2", "more": "1"}, headers={"HX-Request": "true"})
        assert more.text.lstrip().startswith('<ol class="claim-list" start="21">')
        assert more.text.count('class="claim-item"') == 5
        assert "Load more" not in more.text
        plain = client.get(reverse("claim-index"), {"page": "2"})
        assert plain.status_code == 200 and 'rel="prev"' in plain.text

    def test_nonsense_page_number_falls_back_instead_of_failing(self, client, claims):
        assert client.get(reverse("claim-index"), {"page": "abc"}).status_code == 200
        assert client.get(reverse("claim-index"), {"page": "999"}).status_code == 200


class TestArticle:
    def test_quoted_passages_are_marked_and_linked(self, client, claim):
        html = client.get(claim.article.get_absolute_url()).text
        assert '<p id="p2">It said <a class="passage" href="' + claim.get_absolute_url() + '">' in html
        assert '<mark class="passage__mark">a quotable sentence</mark>' in html
        assert "(fact-checked: Mostly true)" in html

    def test_passages_of_draft_claims_are_not_marked(self, client):
        article = ArticleFactory()
        draft = ClaimFactory(article=article)
        SourceFactory(claim=draft, quote="a quotable sentence")
        html = client.get(article.get_absolute_url()).text
        assert "passage__mark" not in html.split('class="article__body"')[1]

    def test_calls_to_take_its_quiz(self, client):
        quiz = PublishedQuizFactory()
        html = client.get(quiz.article.get_absolute_url()).text
        assert "Take the quiz" in html and quiz.get_absolute_url() in html


class TestHome:
    def test_latest_quiz_and_fact_checks(self, client):
        quiz = PublishedQuizFactory(title="The border quiz")
        draft = ClaimFactory(statement="Not yet published.")
        html = client.get("/").text
        assert "The border quiz" in html
        assert quiz.questions.first().claim.statement in html
        assert draft.statement not in html


class TestBudgets:
    """Query counts are fixed whatever the size of the data; the permalink stays light."""

    def _grow(self, n: int):
        article = ArticleFactory(body="\n\n".join(f"Paragraph {i} with quote {i} inside." for i in range(n)))
        claims = []
        for i in range(n):
            claim = PublishedClaimFactory(article=article, source__quote=f"quote {i} inside")
            for j in range(n):
                SourceFactory(claim=claim, quote=f"extra {j}")
            claims.append(claim)
        PublishedQuizFactory(article=article, questions=2)
        return article, claims[0]

    @pytest.mark.parametrize("url_name", ["home", "claim-index", "claim-detail", "article-detail"])
    def test_query_count_does_not_grow_with_the_data(self, client, django_assert_max_num_queries, url_name):
        counts = []
        for size in (2, 12):
            Claim.objects.all().delete()
            article, claim = self._grow(size)
            kwargs = {"claim-detail": {"slug": claim.slug}, "article-detail": {"slug": article.slug}}.get(url_name, {})
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(url_name, kwargs=kwargs)).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        with django_assert_max_num_queries(5):
            client.get(reverse(url_name, kwargs=kwargs))

    def test_permalink_html_css_and_js_under_60_kb(self, client, claim):
        response = client.get(claim.get_absolute_url())
        total = len(response.content)
        for asset in _parse(response).assets:
            path = finders.find(asset.removeprefix(settings.STATIC_URL))
            assert path, asset
            total += Path(path).stat().st_size
        assert total < 60 * 1024, total


class TestFrontEndRules:
    def test_badge_colours_in_the_stylesheets_match_the_scale(self):
        css = Path(finders.find("css/site.css")).read_text()
        admin_css = Path(finders.find("css/admin.css")).read_text()
        for key, rating in SCALE.items():
            assert re.search(rf"--v-{key}:\s*{rating.colour};", css), key
            assert f".badge--{key} {{ background: {rating.colour}; }}" in admin_css, key

    @pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
    def test_no_inline_script_style_or_handlers(self, template):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/ld+json"' in tag, tag
        assert "<style" not in text
        assert not re.search(r"\sstyle=", text)
        assert not re.search(r"\son[a-z]+=", text)
        assert "hx-on" not in text
        # htmx attributes are spelled data-hx-*, which HTML allows (bare hx-* is invalid HTML).
        assert not re.search(r"[\s\"'](hx-[a-z-]+)=", text)

    def test_time_elements_carry_valid_html_datetimes(self, client, claim):
        Correction.objects.create(claim=claim, note="Fixed.", previous_verdict=claim.verdict, verdict=claim.verdict)
        pages = [claim.get_absolute_url(), reverse("claim-index"), reverse("corrections"), "/"]
        values = [value for url in pages for value in re.findall(r'<time datetime="([^"]*)"', client.get(url).text)]
        assert sum("T" in value for value in values) >= 4, values
        for value in values:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d\d:\d\d)?", value), value

    def test_iso_datetime_filter(self, settings):
        settings.TIME_ZONE = "Europe/Paris"
        moment = datetime.datetime(2026, 1, 2, 8, 39, 10, 607373, tzinfo=datetime.UTC)
        assert iso_datetime(moment) == "2026-01-02T09:39:10+01:00"
        assert iso_datetime(datetime.date(2026, 1, 2)) == "2026-01-02"
        assert iso_datetime(None) == ""

    def test_csp_header_forbids_inline_code(self, client):
        policy = client.get("/")["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy

    def test_pages_make_no_third_party_requests(self, client, claim):
        for url in ["/", "/claims/", claim.get_absolute_url(), claim.article.get_absolute_url()]:
            head = _parse(client.get(url))
            assert all(asset.startswith("/static/") for asset in head.assets), head.assets


class TestMethodology:
    def test_ratings_page_explains_every_verdict(self, client):
        html = client.get(reverse("ratings")).text
        for key, rating in SCALE.items():
            assert f'id="verdict-{key}"' in html
            assert rating.definition in html
        assert "chief editor who did not write it" in html

    def test_every_badge_links_to_the_methodology(self, client, claim):
        for url in [claim.get_absolute_url(), reverse("claim-index"), "/"]:
            html = client.get(url).text
            badges = html.count('class="badge badge--')
            links = len(re.findall(r'<a class="badge-link" href="/about/ratings/#verdict-[a-z-]+"', html))
            assert badges and badges == links, url


class TestShareTags:
    """Every public page has a canonical link and Open Graph/Twitter tags with a share image that loads,
    all on settings.SITE_URL whatever Host the request named (tags: templates/includes/share_meta.html)."""

    SITE = "https://factcheck.example.org"

    @pytest.fixture
    def pages(self, claim, settings):
        settings.SITE_URL = self.SITE
        quiz = PublishedQuizFactory(article=claim.article, questions=2)
        attempt = take_quiz(quiz, right=1)
        return {
            "home": reverse("home"),
            "claim-index": reverse("claim-index"),
            "permalink": claim.get_absolute_url(),
            "article": claim.article.get_absolute_url(),
            "quiz": quiz.get_absolute_url(),
            "results": attempt.get_absolute_url(),
            "ratings": reverse("ratings"),
            "corrections": reverse("corrections"),
        }

    def test_every_public_page_has_canonical_and_share_tags_with_a_loading_image(self, client, pages):
        for name, path in pages.items():
            response = client.get(path, headers={"Host": "127.0.0.1"})
            assert response.status_code == 200, name
            html = response.content.decode()
            assert html.count('rel="canonical"') == 1 and html.count('property="og:image"') == 1, name
            head = _parse(response)
            assert head.links["canonical"] == head.meta["og:url"] == f"{self.SITE}{path}", name
            for key in ("og:title", "og:description", "og:image:alt", "twitter:title", "twitter:description"):
                assert head.meta[key].strip(), (name, key)
            assert head.meta["og:site_name"] == settings.SITE_NAME
            assert head.meta["twitter:card"] == "summary_large_image"
            assert head.meta["twitter:image"] == head.meta["og:image"], name
            assert head.meta["og:image"].startswith(f"{self.SITE}/"), name
            assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
            image = client.get(head.meta["og:image"].removeprefix(self.SITE))
            assert image.status_code == 200 and image["Content-Type"] == "image/png", name

    def test_share_images(self, client, pages):
        images = {name: _parse(client.get(path)).meta["og:image"] for name, path in pages.items()}
        site_card = f"{self.SITE}{reverse('site-card')}"
        assert {images[name] for name in ("home", "claim-index", "ratings", "corrections")} == {site_card}
        assert images["permalink"] == f"{self.SITE}{pages['permalink']}card.png"
        assert images["article"] == f"{self.SITE}{pages['article']}card.png"
        assert images["quiz"] == f"{self.SITE}{pages['quiz']}card.png"
        assert images["results"] == f"{self.SITE}{pages['results']}card.png"

    def test_a_request_naming_another_host_still_gets_the_site_url(self, settings):
        settings.SITE_URL = self.SITE
        settings.ALLOWED_HOSTS = ["*"]
        first = Client(headers={"Host": "evil.example"}).get(reverse("ratings"))
        assert "evil.example" not in first.text
        assert _parse(first).links["canonical"] == f"{self.SITE}{reverse('ratings')}"

    def test_filtered_and_paged_index(self, client, settings):
        settings.SITE_URL = self.SITE
        for n in range(21):
            PublishedClaimFactory(statement=f"Claim {n:02d}.")

        def canonical(params):
            return _parse(client.get(reverse("claim-index"), params)).links["canonical"]

        index = f"{self.SITE}{reverse('claim-index')}"
        assert canonical({}) == canonical({"page": "1"}) == index
        assert canonical({"page": "2"}) == f"{index}?page=2"
        # A filtered selection is a variant of the index, whatever its page.
        assert canonical({"q": "Claim", "page": "2"}) == canonical({"verdict": "nonsense"}) == index

    def test_claim_title_and_image_alt_carry_the_verdict(self, client, claim):
        head = _parse(client.get(claim.get_absolute_url()))
        assert head.meta["og:title"] == "Mostly true: “Mexico apprehends 1,000 people a day.”"
        assert head.meta["og:image:alt"] == "Mostly true: Mexico apprehends 1,000 people a day."
        assert head.meta["og:type"] == "article"
