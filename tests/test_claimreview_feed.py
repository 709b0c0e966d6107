"""The ClaimReview DataFeed (/api/claimreview.json): every published fact-check in both languages, each item
exactly the JSON-LD of its permalink (one function builds both), corrected ones marked, read in constant queries;
and the organisation's IFCN transparency links in that JSON-LD."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import editorial
from claims.demo.loader import load_demo
from claims.editorial import DEMO_AUTHOR, DEMO_REVIEWER
from claims.models import Claim, Status
from claims.translated import url_in_own_language
from tests.factories import ChiefEditorFactory, ClaimFactory, PublishedClaimFactory
from tests.helpers.shared_data import built_once

pytestmark = pytest.mark.django_db

FEED = "/api/claimreview.json"
CORRECTION_NOTE = "We corrected the figure for the number of apprehensions."


def _json_ld(html: str) -> dict:
    return json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])


def _feed(client: Client, **headers) -> dict:
    response = client.get(FEED, **headers)
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo in both languages, one fact-check corrected and one left as a draft."""

    def build() -> dict[str, int]:
        load_demo()
        corrected = Claim.objects.filter(language="en").order_by("pk").first()
        editorial.claim_record_correction(claim=corrected, by=ChiefEditorFactory(), note=CORRECTION_NOTE)
        draft = ClaimFactory(slug="a-draft-fact-check", status=Status.DRAFT)
        return {"corrected": corrected.pk, "draft": draft.pk}

    yield from built_once(django_db_blocker, build)


class TestTheFeed:
    def test_is_json_ld_of_a_data_feed_readable_from_anywhere(self, client, demo):
        response = client.get(FEED, HTTP_ORIGIN="https://partner.example")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/ld+json; charset=utf-8"
        assert response["Access-Control-Allow-Origin"] == "*"
        feed = json.loads(response.content)
        assert feed["@context"] == "https://schema.org"
        assert feed["@type"] == "DataFeed"
        assert feed["url"] == f"{settings.SITE_URL}{FEED}"
        assert {item["@type"] for item in feed["dataFeedElement"]} == {"ClaimReview"}

    def test_lists_every_published_fact_check_in_both_languages_and_no_draft(self, client, demo):
        items = _feed(client)["dataFeedElement"]
        published = Claim.objects.published()
        assert len(items) == published.count() == 28
        assert {item["url"] for item in items} == {settings.SITE_URL + url_in_own_language(c) for c in published}
        assert {item["inLanguage"] for item in items} == {"en", "es"}
        assert not any("a-draft-fact-check" in item["url"] for item in items)

    def test_each_item_is_its_permalinks_json_ld(self, client, demo):
        for item in _feed(client)["dataFeedElement"]:
            page = client.get(item["url"].removeprefix(settings.SITE_URL))
            assert page.status_code == 200, item["url"]
            assert item == _json_ld(page.text), item["url"]

    def test_every_item_has_its_modification_date_and_corrected_ones_are_marked(self, client, demo):
        items = {item["url"]: item for item in _feed(client)["dataFeedElement"]}
        assert all(item["dateModified"] for item in items.values())
        corrected = Claim.objects.get(pk=demo["corrected"])
        item = items[settings.SITE_URL + corrected.get_absolute_url()]
        [correction] = item["correction"]
        assert correction["@type"] == "CorrectionComment"
        assert correction["text"] == CORRECTION_NOTE
        assert correction["url"].startswith(item["url"] + "#correction-")
        assert item["dateModified"] == corrected.updated_at.isoformat()
        # Its translation shows the original's correction too, as its page does.
        translation = Claim.objects.get(translation_of=corrected)
        spanish = items[settings.SITE_URL + url_in_own_language(translation)]
        assert [c["text"] for c in spanish["correction"]] == [CORRECTION_NOTE]
        assert spanish["correction"][0]["inLanguage"] == "en"
        uncorrected = [i for i in items.values() if "correction" not in i]
        assert len(uncorrected) == len(items) - 2

    def test_the_feed_is_dated_by_its_newest_change_and_published_by_us(self, client, demo):
        feed = _feed(client)
        assert feed["dateModified"] == max(item["dateModified"] for item in feed["dataFeedElement"])
        english = next(item for item in feed["dataFeedElement"] if item["inLanguage"] == "en")
        assert feed["publisher"] == english["author"]

    def test_an_unpublished_fact_check_leaves_it_and_moves_its_date(self, client, demo):
        before = _feed(client)
        claim = Claim.objects.get(pk=demo["corrected"])
        editorial.unpublish(obj=Claim.objects.get(translation_of=claim), by=DEMO_REVIEWER)
        after = _feed(client)
        assert len(after["dataFeedElement"]) == len(before["dataFeedElement"]) - 1
        assert after["dateModified"] > before["dateModified"]

    def test_conditional_get_and_cache_headers_like_the_pages(self, client, demo):
        response = client.get(FEED)
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
        again = client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        assert client.head(FEED).status_code == 200

    def test_is_served_in_no_language_prefix_and_never_redirected(self, client, demo):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        assert client.get(FEED).status_code == 200
        assert client.get(f"/es{FEED}").status_code == 404

    def test_post_is_not_allowed(self, client, demo):
        assert client.post(FEED).status_code == 405


def _grow(size: int) -> None:
    """`size` published fact-checks, each with a published Spanish translation and a correction."""
    chief = ChiefEditorFactory()
    for n in range(size):
        claim = PublishedClaimFactory(slug=f"grown-{size}-{n}")
        editorial.claim_record_correction(claim=claim, by=chief, note=f"Correction {n}.")
        translation = editorial.translation_start(original=claim, language="es", by=DEMO_AUTHOR)
        translation.statement, translation.ruling = f"Afirmación {n}.", "Verdadero. El registro lo muestra."
        translation.explanation = "La explicación."
        quotes = {source.pk: "una frase citable" for source in claim.sources.all()}
        translation = editorial.translation_save(translation=translation, quotes=quotes, by=DEMO_AUTHOR)
        translation = editorial.submit_for_review(obj=translation, by=DEMO_AUTHOR)
        translation = editorial.approve(obj=translation, by=DEMO_REVIEWER)
        editorial.publish(obj=translation, by=DEMO_REVIEWER)


def test_the_feed_costs_the_same_queries_whatever_its_size(client):
    counts = []
    for size in (2, 8):
        Claim.objects.filter(translation_of__isnull=False).delete()
        Claim.objects.all().delete()
        _grow(size)
        assert Claim.objects.published().count() == 2 * size
        with CaptureQueriesContext(connection) as queries:
            assert len(_feed(client)["dataFeedElement"]) == 2 * size
        counts.append(len(queries))
        client.get(FEED)  # cached for the content version: no query at all
    assert counts[0] == counts[1] <= 3, counts


def test_the_permalink_and_the_feed_come_from_one_function(client):
    claim = PublishedClaimFactory(slug="one-function")
    page = _json_ld(client.get(claim.get_absolute_url()).text)
    [item] = [i for i in _feed(client)["dataFeedElement"] if i["url"].endswith("/claims/one-function/")]
    assert item == page
    assert item["author"]["@type"] == "NewsMediaOrganization"


class TestTransparencyLinks:
    def test_the_author_names_our_policies_and_funding_pages_in_its_language(self, client, demo):
        items = _feed(client)["dataFeedElement"]
        english = next(item for item in items if item["inLanguage"] == "en")
        spanish = next(item for item in items if item["inLanguage"] == "es")
        site = settings.SITE_URL
        assert english["author"] == {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "url": site,
            "verificationFactCheckingPolicy": f"{site}/about/ratings/",
            "correctionsPolicy": f"{site}/corrections/",
            "ownershipFundingInfo": f"{site}/about/funding/",
        }
        assert spanish["author"]["ownershipFundingInfo"] == f"{site}/es/about/funding/"
        assert spanish["author"]["verificationFactCheckingPolicy"] == f"{site}/es/about/ratings/"

    def test_every_linked_policy_page_answers(self, client, demo):
        author = _feed(client)["dataFeedElement"][0]["author"]
        for key in ("verificationFactCheckingPolicy", "correctionsPolicy", "ownershipFundingInfo"):
            assert client.get(author[key].removeprefix(settings.SITE_URL)).status_code == 200, key

    def test_the_permalink_carries_them_too(self, client, demo):
        claim = Claim.objects.published().filter(language="es").first()
        review = _json_ld(client.get(url_in_own_language(claim)).text)
        assert review["author"]["ownershipFundingInfo"] == f"{settings.SITE_URL}/es/about/funding/"
