"""What crawlers, chat apps and operators fetch: share cards, the feed, the sitemap, robots.txt, /healthz."""

from __future__ import annotations

import datetime
import io
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFont

from claims import cards, editorial
from claims.models import Claim, ClaimSlugRedirect, Quiz
from claims.verdicts import SCALE, Verdict
from tests.factories import (
    ArticleFactory,
    ChiefEditorFactory,
    ClaimFactory,
    PublishedClaimFactory,
    PublishedQuizFactory,
    QuizFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Primary keys are reused after a test's rollback, so a card cached by one
    # test must not be served to the next.
    cache.clear()
    yield
    cache.clear()


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _pixels_of(png: bytes, hex_colour: str) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = dict((colour, count) for count, colour in image.getcolors(maxcolors=image.width * image.height))
    return colours.get(_rgb(hex_colour), 0)


def _atom_date(entry: ElementTree.Element, name: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}{name}"))


def _card_url(claim: Claim) -> str:
    return reverse("claim-card", kwargs={"slug": claim.slug})


class TestTextHelpers:
    def test_wrap_keeps_every_line_within_the_width_and_every_word(self):
        font = cards.load_font(40)
        text = "The new border agreement will cut the number of irregular crossings by more than eighty per cent."
        lines = cards.wrap_text(text, font, 400)
        assert len(lines) > 2
        assert all(font.getlength(line) <= 400 for line in lines)
        assert " ".join(lines) == text

    def test_wrap_shortens_with_the_given_ellipsis(self):
        font = cards.load_font(40)
        lines = cards.wrap_text("word " * 200, font, 400, max_lines=2, ellipsis="…”")
        assert len(lines) == 2
        assert lines[-1].endswith("word…”")
        assert font.getlength(lines[-1]) <= 400

    def test_wrap_breaks_a_word_longer_than_the_line(self):
        font = cards.load_font(40)
        lines = cards.wrap_text("x" * 100, font, 300)
        assert len(lines) > 1 and "".join(lines) == "x" * 100
        assert all(font.getlength(line) <= 300 for line in lines)

    def test_wrap_of_empty_text_is_empty(self):
        assert cards.wrap_text("  \n ", cards.load_font(20), 300) == []

    def test_missing_fonts_fall_back_to_the_builtin_font(self, monkeypatch):
        monkeypatch.setattr(cards, "REGULAR_FONT_CANDIDATES", ("/nonexistent/font.ttf",))
        monkeypatch.setattr(cards, "BOLD_FONT_CANDIDATES", ("/nonexistent/font-bold.ttf",))
        cards.load_font.cache_clear()
        try:
            font = cards.load_font(30)
            assert "DejaVu" not in str(getattr(font, "path", ""))
            png = cards.render_claim_card(ClaimFactory.build(statement="Still drawn without DejaVu."))
        finally:
            cards.load_font.cache_clear()
        assert Image.open(io.BytesIO(png)).size == (1200, 630)

    def test_dejavu_is_used_when_installed(self):
        font = cards.load_font(30, bold=True)
        assert isinstance(font, ImageFont.FreeTypeFont)
        assert font.getname() == ("DejaVu Sans", "Bold")


class TestClaimCard:
    def test_card_is_a_1200_by_630_png(self, client):
        claim = PublishedClaimFactory()
        response = client.get(_card_url(claim))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert image.format == "PNG"
        assert image.size == (1200, 630)

    @pytest.mark.parametrize("verdict", list(Verdict))
    def test_badge_is_drawn_in_the_verdicts_colour(self, verdict):
        png = cards.render_claim_card(ClaimFactory.build(verdict=verdict))
        own = SCALE[verdict].colour
        # The badge and the side band are solid areas of the rating's colour...
        assert _pixels_of(png, own) > 10_000
        # ...and no other rating's colour appears (Unproven's grey is not on a True card).
        for other in SCALE.values():
            if other.colour != own:
                assert _pixels_of(png, other.colour) < 50, other.label

    def test_cards_differ_by_verdict(self, client):
        true = PublishedClaimFactory(statement="Same words.", verdict=Verdict.TRUE)
        false = PublishedClaimFactory(statement="Same words.", verdict=Verdict.FALSE)
        true_png = client.get(_card_url(true)).content
        false_png = client.get(_card_url(false)).content
        assert true_png != false_png

    def test_long_statements_still_render(self):
        png = cards.render_claim_card(ClaimFactory.build(statement="A very long statement. " * 300, claimant="Y" * 500))
        assert Image.open(io.BytesIO(png)).size == (1200, 630)

    def test_claim_without_verdict_still_renders(self):
        png = cards.render_claim_card(ClaimFactory.build(verdict=""))
        assert Image.open(io.BytesIO(png)).size == (1200, 630)

    def test_card_is_cached_and_redrawn_after_the_claim_changes(self, client):
        claim = PublishedClaimFactory(statement="Crossings fell by half.")
        with mock.patch("claims.views.sharing.render_claim_card", wraps=cards.render_claim_card) as render:
            first = client.get(_card_url(claim))
            again = client.get(_card_url(claim))
            assert render.call_count == 1
            assert again.content == first.content

            claim.statement = "Crossings doubled in the first quarter of the year."
            claim.save()
            changed = client.get(_card_url(claim))
            assert render.call_count == 2
        assert changed.status_code == 200
        assert changed.content != first.content
        assert changed["ETag"] != first["ETag"]

    def test_card_changes_even_when_a_write_skips_save(self, client):
        claim = PublishedClaimFactory(verdict=Verdict.TRUE)
        before = client.get(_card_url(claim))
        Claim.objects.filter(pk=claim.pk).update(verdict=Verdict.FALSE)
        after = client.get(_card_url(claim))
        assert after["ETag"] != before["ETag"]
        assert _pixels_of(after.content, SCALE[Verdict.FALSE].colour) > 10_000

    def test_draft_claims_have_no_card(self, client):
        claim = ClaimFactory()
        assert client.get(_card_url(claim)).status_code == 404

    def test_scheduled_claims_have_no_card_yet(self, client):
        claim = PublishedClaimFactory(published_at=timezone.now() + datetime.timedelta(days=1))
        assert client.get(_card_url(claim)).status_code == 404

    def test_unknown_slug_is_404(self, client):
        assert client.get(reverse("claim-card", kwargs={"slug": "no-such-claim"})).status_code == 404

    def test_old_slug_redirects_to_the_current_card(self, client):
        claim = PublishedClaimFactory(slug="old-name")
        claim.slug = "new-name"
        editorial.claim_save(claim=claim, sources=list(claim.sources.all()), by=ChiefEditorFactory(), minor_edit=True)
        assert ClaimSlugRedirect.objects.filter(old_slug="old-name").exists()
        response = client.get(reverse("claim-card", kwargs={"slug": "old-name"}))
        assert response.status_code == 301
        assert response["Location"] == reverse("claim-card", kwargs={"slug": "new-name"})

    def test_etag_round_trip_answers_304(self, client):
        claim = PublishedClaimFactory()
        first = client.get(_card_url(claim))
        etag = first["ETag"]
        assert etag.startswith('"') and etag.endswith('"')
        cache_control = {part.strip() for part in first["Cache-Control"].split(",")}
        assert cache_control == {"public", "max-age=3600"}

        with mock.patch("claims.views.sharing.render_claim_card") as render:
            cache.clear()  # a 304 must not need the image at all
            not_modified = client.get(_card_url(claim), HTTP_IF_NONE_MATCH=etag)
            render.assert_not_called()
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        assert not_modified["ETag"] == etag
        assert "max-age=3600" in not_modified["Cache-Control"]

        stale = client.get(_card_url(claim), HTTP_IF_NONE_MATCH='"something-else"')
        assert stale.status_code == 200 and stale.content == first.content

    def test_card_refuses_post(self, client):
        claim = PublishedClaimFactory()
        assert client.post(_card_url(claim)).status_code == 405

    def test_card_is_served_when_the_cache_is_down(self, client):
        claim = PublishedClaimFactory()
        with (
            mock.patch("claims.views.sharing.cache.get", side_effect=ConnectionError("redis down")),
            mock.patch("claims.views.sharing.cache.set", side_effect=ConnectionError("redis down")),
        ):
            response = client.get(_card_url(claim))
        assert response.status_code == 200
        assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


class TestTitleCards:
    """The share images of quizzes, articles and the site's own pages (claims/cards.py render_title_card)."""

    def test_quiz_card_is_a_1200_by_630_png_in_the_accent_colour(self, client):
        quiz = PublishedQuizFactory(title="Border facts", questions=1)
        response = client.get(reverse("quiz-card", kwargs={"slug": quiz.slug}))
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
        assert _pixels_of(response.content, cards.ACCENT) > 10_000  # the side band and the "Quiz" label
        assert {part.strip() for part in response["Cache-Control"].split(",")} == {"public", "max-age=3600"}

    def test_quiz_card_is_cached_and_redrawn_when_its_title_changes(self, client):
        quiz = PublishedQuizFactory(title="Border facts", questions=1)
        url = reverse("quiz-card", kwargs={"slug": quiz.slug})
        with mock.patch("claims.views.sharing.render_title_card", wraps=cards.render_title_card) as render:
            first = client.get(url)
            again = client.get(url)
            assert render.call_count == 1 and again.content == first.content
            assert render.call_args.kwargs["label"] == "Quiz" and render.call_args.kwargs["title"] == "Border facts"
            Quiz.objects.filter(pk=quiz.pk).update(title="Border facts, revised")  # even without save()
            changed = client.get(url)
            assert render.call_count == 2
        assert changed.content != first.content and changed["ETag"] != first["ETag"]
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=changed["ETag"])
        assert not_modified.status_code == 304 and not_modified.content == b""

    def test_unpublished_quizzes_and_articles_have_no_card(self, client):
        draft = QuizFactory()
        assert client.get(reverse("quiz-card", kwargs={"slug": draft.slug})).status_code == 404
        assert client.get(reverse("quiz-card", kwargs={"slug": "no-such-quiz"})).status_code == 404
        assert client.get(reverse("article-card", kwargs={"slug": "no-such-article"})).status_code == 404

    def test_article_and_site_cards(self, client):
        article = PublishedClaimFactory().article
        for url in (reverse("article-card", kwargs={"slug": article.slug}), reverse("site-card")):
            response = client.get(url)
            assert response.status_code == 200 and response["Content-Type"] == "image/png", url
            assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
            assert client.post(url).status_code == 405

    def test_long_titles_and_labels_still_render(self):
        png = cards.render_title_card(label="L" * 300, title="A very long title. " * 300, footer="F" * 500)
        assert Image.open(io.BytesIO(png)).size == (1200, 630)


class TestFeed:
    def _entries(self, client) -> tuple[ElementTree.Element, list[ElementTree.Element]]:
        response = client.get(reverse("claim-feed"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ElementTree.fromstring(response.content)
        assert root.tag == f"{ATOM}feed"
        return root, root.findall(f"{ATOM}entry")

    def test_feed_lists_published_claims_newest_first(self, client):
        now = timezone.now()
        older = PublishedClaimFactory(
            statement="Older statement.",
            verdict=Verdict.FALSE,
            ruling="False: the <record> & the data disagree.",
            published_at=now - datetime.timedelta(days=2),
        )
        updated = now - datetime.timedelta(hours=1)
        newer = PublishedClaimFactory(
            statement="Newer statement.",
            verdict=Verdict.HALF_TRUE,
            published_at=now - datetime.timedelta(days=1),
            updated_at=updated,
        )
        ClaimFactory(statement="Draft statement.")
        PublishedClaimFactory(statement="Scheduled statement.", published_at=now + datetime.timedelta(days=1))

        _, entries = self._entries(client)
        titles = [entry.findtext(f"{ATOM}title") for entry in entries]
        assert titles == ["Half true: Newer statement.", "False: Older statement."]

        newest, oldest = entries
        assert newest.find(f"{ATOM}link").get("href") == f"http://testserver{newer.get_absolute_url()}"
        assert _atom_date(newest, "updated") == updated
        assert _atom_date(newest, "published") == newer.published_at
        # Without an update, the entry's updated date is its publication date.
        assert _atom_date(oldest, "updated") == older.published_at
        # The ruling is plain text: once the HTML summary is decoded it reads exactly as written.
        summary = oldest.find(f"{ATOM}summary")
        assert summary.get("type") == "html"
        assert summary.text == "False: the &lt;record&gt; &amp; the data disagree."

    def test_entry_ids_survive_a_slug_change(self, client):
        claim = PublishedClaimFactory(slug="before")
        _, (entry,) = self._entries(client)
        entry_id = entry.findtext(f"{ATOM}id")
        claim.slug = "after"
        claim.save()
        _, (entry,) = self._entries(client)
        assert entry.findtext(f"{ATOM}id") == entry_id
        assert entry.find(f"{ATOM}link").get("href").endswith("/claims/after/")

    def test_feed_holds_the_30_newest(self, client):
        now = timezone.now()
        for age in range(32):
            PublishedClaimFactory(statement=f"Claim aged {age}.", published_at=now - datetime.timedelta(hours=age))
        _, entries = self._entries(client)
        assert len(entries) == 30
        assert entries[0].findtext(f"{ATOM}title").endswith("Claim aged 0.")
        assert entries[-1].findtext(f"{ATOM}title").endswith("Claim aged 29.")

    def test_empty_feed_is_valid(self, client):
        root, entries = self._entries(client)
        assert entries == []
        assert root.findtext(f"{ATOM}title")

    @pytest.mark.parametrize("size", [2, 12])
    def test_feed_query_count_is_constant(self, client, django_assert_max_num_queries, size):
        PublishedClaimFactory.create_batch(size)
        with django_assert_max_num_queries(1):
            response = client.get(reverse("claim-feed"))
        assert len(ElementTree.fromstring(response.content).findall(f"{ATOM}entry")) == size


class TestSitemap:
    def _locations(self, client) -> dict[str, str | None]:
        response = client.get(reverse("sitemap"))
        assert response.status_code == 200
        root = ElementTree.fromstring(response.content)
        return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")}

    def test_sitemap_lists_public_pages_only(self, client):
        published = PublishedClaimFactory(
            published_at=timezone.now() - datetime.timedelta(days=3),
            updated_at=timezone.now() - datetime.timedelta(days=1),
        )
        draft = ClaimFactory()
        article_with_only_a_draft = draft.article
        unchecked_article = ArticleFactory()
        quiz = PublishedQuizFactory(questions=1)
        draft_quiz = QuizFactory()

        locations = self._locations(client)

        def url(path: str) -> str:
            return f"http://testserver{path}"

        for page in ("home", "claim-index", "ratings", "corrections"):
            assert url(reverse(page)) in locations, page
        assert url(published.get_absolute_url()) in locations
        assert locations[url(published.get_absolute_url())] == published.updated_at.date().isoformat()
        assert url(draft.get_absolute_url()) not in locations
        assert url(published.article.get_absolute_url()) in locations
        assert url(article_with_only_a_draft.get_absolute_url()) not in locations
        assert url(unchecked_article.get_absolute_url()) not in locations
        assert url(quiz.get_absolute_url()) in locations
        assert url(draft_quiz.get_absolute_url()) not in locations
        # Each article appears once, however many claims check it.
        assert list(locations).count(url(quiz.article.get_absolute_url())) == 1

    def test_claim_lastmod_falls_back_to_publication(self, client):
        claim = PublishedClaimFactory(published_at=timezone.now() - datetime.timedelta(days=5))
        locations = self._locations(client)
        assert locations[f"http://testserver{claim.get_absolute_url()}"] == claim.published_at.date().isoformat()

    @pytest.mark.parametrize("size", [2, 12])
    def test_sitemap_query_count_is_constant(self, client, size):
        for _ in range(size):
            PublishedClaimFactory()
        PublishedQuizFactory.create_batch(size, questions=1)
        with CaptureQueriesContext(connection) as queries:
            locations = self._locations(client)
        # Pages (home, index, ratings, corrections, funding, tips, privacy: in both languages), claims, articles,
        # quizzes.
        assert len(locations) == 7 * 2 + size * 2 + size * 2 + size
        assert {"http://testserver/tips/", "http://testserver/es/privacy/"} <= set(locations)
        # Three per section that touches the database: a count, a page of items, and that page's items' other
        # language versions (for their hreflang alternates).
        assert len(queries) == 9


class TestRobotsAndHealth:
    def test_robots_txt_disallows_admin_and_names_the_sitemap(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert "User-agent: *" in lines
        assert "Disallow: /admin/" in lines
        assert [line for line in lines if line.startswith("Disallow")] == ["Disallow: /admin/"]
        assert "Sitemap: http://testserver/sitemap.xml" in lines

    def test_robots_sitemap_follows_the_request_scheme(self, client):
        response = client.get("/robots.txt", secure=True)
        assert "Sitemap: https://testserver/sitemap.xml" in response.content.decode().splitlines()

    def test_healthz_ok(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok"
        assert response["Content-Type"].startswith("text/plain")
        assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]

    def test_healthz_503_when_the_database_fails(self, client):
        with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused")):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.content == b"database unavailable"
        assert response["Content-Type"].startswith("text/plain")
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_pasted_5000_character_word_costs_a_bounded_number_of_measurements(monkeypatch):
    from claims import cards

    calls = 0
    measure = cards.text_width

    def counting(text, font):
        nonlocal calls
        calls += 1
        return measure(text, font)

    monkeypatch.setattr(cards, "text_width", counting)
    claim = PublishedClaimFactory(statement="https://example.org/" + "x" * 5000)
    png = cards.render_claim_card(claim)
    assert png.startswith(b"\x89PNG")
    assert calls < 3000, calls
