"""Public pages are served from the shared cache, revalidate with ETags, and never go stale after an edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PublishedClaimFactory, SourceFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return PublishedClaimFactory(ruling="The first ruling.")


def test_second_anonymous_read_runs_no_query(client, claim, django_assert_num_queries):
    first = client.get(claim.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(claim.get_absolute_url())
    assert second.content == first.content


def test_cache_control_for_a_cdn_and_an_etag(client, claim):
    response = client.get(claim.get_absolute_url())
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert response["ETag"].startswith('"')


def test_conditional_get_answers_304(client, claim):
    etag = client.get(claim.get_absolute_url())["ETag"]
    response = client.get(claim.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize(
    "edit",
    [
        lambda claim: setattr(claim, "ruling", "The corrected ruling.") or claim.save(),
        lambda claim: SourceFactory(claim=claim, quote="The corrected ruling."),
        lambda claim: [source.save() for source in claim.sources.all() if setattr(source, "quote", "x") is None],
    ],
    ids=["claim saved", "source added", "source edited"],
)
def test_an_edit_is_visible_on_the_next_read(client, claim, edit):
    before = client.get(claim.get_absolute_url())
    edit(claim)
    after = client.get(claim.get_absolute_url())
    assert after.content != before.content
    assert after["ETag"] != before["ETag"]


def test_index_and_article_are_invalidated_by_a_claim_edit(client, claim):
    client.get(reverse("claim-index"))
    client.get(claim.article.get_absolute_url())
    claim.statement = "An edited statement."
    claim.save()
    assert "An edited statement." in client.get(reverse("claim-index")).text
    assert client.get(reverse("home")).text.count("An edited statement.") == 1


def test_htmx_partial_and_full_page_are_cached_apart(client, claim):
    partial = client.get(reverse("claim-index"), headers={"HX-Request": "true"})
    full = client.get(reverse("claim-index"))
    assert "<html" not in partial.text and "<html" in full.text
    assert "HX-Request" in full["Vary"]


def test_editors_never_get_or_fill_the_shared_cache(client, claim):
    editor = StaffFactory()
    client.force_login(editor)
    response = client.get(claim.get_absolute_url())
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    client.logout()
    # Nothing the editor saw was stored: the first anonymous read renders the page itself.
    with CaptureQueriesContext(connection) as queries:
        public = client.get(claim.get_absolute_url())
    assert len(queries) > 0
    assert "public" in public["Cache-Control"]


def test_a_boosted_request_cannot_poison_the_partial(client, claim):
    boosted = client.get(
        reverse("claim-index"), {"verdict": "true"}, headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert "<html" in boosted.text
    partial = client.get(reverse("claim-index"), {"verdict": "true"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert "HX-Boosted" in partial["Vary"]


def test_unknown_parameters_do_not_fill_the_cache(client, claim, django_assert_num_queries):
    url = reverse("claim-index")
    client.get(url, {"utm_source": "x"})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"utm_source": "x"}).status_code == 200
    assert len(queries) > 0, "rendered afresh: nothing was stored for an unknown parameter"
    client.get(url, {"verdict": "true", "page": "1"})
    with django_assert_num_queries(0):
        client.get(url, {"page": "1", "verdict": "true"})  # the same page, parameters in another order


def test_a_failed_version_bump_still_invalidates(client, claim, monkeypatch):
    from django.core.cache import cache

    from claims import caching

    client.get(claim.get_absolute_url())
    monkeypatch.setattr(cache, "incr", lambda *args, **kwargs: 0)  # what the resilient cache returns on failure
    claim.ruling = "Changed while the cache stumbled."
    claim.save()
    assert "Changed while the cache stumbled." in client.get(claim.get_absolute_url()).text
    assert caching.content_version() > 0


def test_a_value_containing_ampersand_cannot_spell_another_pages_key(client, claim):
    # Unencoded, the search "&verdict=true" and the filter verdict=true both read "q=&verdict=true".
    crafted = client.get(reverse("claim-index"), {"q": "&verdict=true"})
    assert crafted.context["page"].paginator.count == 0
    honest = client.get(reverse("claim-index"), {"q": "", "verdict": "true"})
    assert honest.context is not None, "rendered for its own key, not served the crafted page"
    assert honest.context["page"].paginator.count == 1
