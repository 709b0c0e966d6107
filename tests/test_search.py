"""Search (claims/search/): stemming, typos, both languages, ranking, highlighting, on SQLite and PostgreSQL.

The fixture's answers are known: each test names the fact-checks a query must find, in order where the
ranking is clear-cut. The same tests run on both databases (CI's PostgreSQL pass), so both agree.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from claims.search import find_published, parse, similar_claims
from claims.search.text import edit_distance, resemblance, stems
from claims.verdicts import Verdict
from tests.factories import ArticleFactory, ClaimFactory, PublishedClaimFactory

pytestmark = pytest.mark.django_db


def published(slug: str, statement: str, *, language: str = "en", **fields) -> Claim:
    return PublishedClaimFactory(slug=slug, statement=statement, language=language, **fields)


@pytest.fixture
def claims(db) -> dict[str, Claim]:
    article = ArticleFactory(status="published")
    made = {
        "apprehensions": published(
            "apprehensions",
            "Mexico made more apprehensions of migrants than ever before.",
            claimant="A Mexican official",
            article=article,
        ),
        "tariffs": published(
            "tariffs",
            "The US threatened tariffs on every Mexican import.",
            claimant="A White House adviser",
            explanation="The threat was reported in May; apprehensions are not part of it.",
            article=article,
        ),
        "visas": published(
            "visas", "Guatemala issued thousands of work visas.", claimant="Kamala Harris", article=article
        ),
        "deportaciones": published(
            "deportaciones",
            "México aumentó las deportaciones de migrantes centroamericanos.",
            claimant="Un funcionario mexicano",
            language="es",
            article=article,
        ),
    }
    ClaimFactory(slug="draft", statement="Apprehensions tripled, says a draft nobody published.")
    return made


def slugs(query: str, language: str = "en") -> list[str]:
    return [claim.slug for claim in find_published(query, language=language).claims]


class TestStemming:
    def test_a_word_finds_its_other_forms(self, claims):
        assert slugs("apprehension") == ["apprehensions", "tariffs"]  # statement first, explanation after
        assert slugs("threatening") == ["tariffs"]

    def test_spanish_words_find_their_other_forms_with_or_without_accents(self, claims):
        assert slugs("deportación", "es") == ["deportaciones"]
        assert slugs("deportacion", "es") == ["deportaciones"]
        assert slugs("México centroamericano", "es") == ["deportaciones"]

    def test_every_word_must_match(self, claims):
        assert slugs("apprehensions tariffs") == ["tariffs"]
        assert slugs("visas border") == []

    def test_stopwords_alone_find_nothing_and_do_not_get_in_the_way(self, claims):
        assert slugs("the of and") == []
        assert slugs("the visas") == ["visas"]

    def test_the_claimant_is_searched(self, claims):
        assert slugs("kamala harris") == ["visas"]

    def test_a_word_being_typed_is_completed_from_the_published_words(self, claims):
        for typed in ("gua", "guatem", "guatemal"):
            assert slugs(typed) == ["visas"], typed
        for typed in ("apprehen", "apprehensi", "apprehensio"):
            assert slugs(typed) == ["apprehensions", "tariffs"], typed
        assert slugs("deportacio", "es") == ["deportaciones"]
        assert slugs("tripl") == []  # only a draft says "tripled"

    def test_words_as_the_databases_could_split_them_differently(self, claims):
        published(
            "covid",
            "The World Health Organization added COVID-19 to the U.S. list, says Łukaszenko at www.cdc.gov.",
            claimant="Me\u0301xico's 3.5 percent",
        )
        for query in (
            "organization",
            "organizations",
            "added",
            "covid-19",
            "19",
            "U.S.",
            "lukaszenko",
            "cdc",
            "mexico",
            "México",
            "3.5",
        ):
            assert "covid" in slugs(query), query  # fmt: skip

    def test_unusual_characters_find_nothing_without_failing(self, claims, client):
        for query in ("\uff9e\uff9e", "⑴", "½", "'", '"', "a:*", "x & y | !z", "(", "NEAR AND OR NOT", "🙂"):
            assert client.get(reverse("claim-index"), {"q": query}).status_code == 200, query
            assert client.get("/api/claims/", {"q": query}).status_code == 200, query

    def test_stopwords_do_not_use_up_the_words_of_a_long_query(self, claims):
        # "a" is a stopword in both languages: nine of them leave room for the words that count.
        assert slugs("a a a a a a a a a guatemala visas") == ["visas"]


class TestTypos:
    def test_one_or_two_typos_in_a_long_word(self, claims):
        assert slugs("aprehensions") == ["apprehensions", "tariffs"]
        assert slugs("apprehnesoins") == ["apprehensions", "tariffs"]
        assert slugs("Gautemala visas") == ["visas"]

    def test_typos_in_spanish(self, claims):
        assert slugs("deportasiones", "es") == ["deportaciones"]

    def test_a_known_word_is_not_corrected(self, claims):
        assert parse("visas").corrections == {}
        assert parse("visaz").corrections == {"visaz": ("visas",)}

    def test_a_word_known_in_another_form_is_not_corrected(self, claims):
        published("reporting", "The reporting errors were fixed.")
        published("deported", "Migrants were deported.")
        search = parse("deporting migrants")  # "deport" is a stem of the index: no typo
        assert search.corrections == {}

    def test_drafts_lend_no_words_to_corrections(self, claims):
        ClaimFactory(slug="embargoed", statement="Embargoed: Zelenskyy resigns tomorrow.")
        assert parse("zelenskyx").corrections == {}
        assert "zelenskyy" not in parse("zelensk").terms[0].stems["en"]

    def test_short_words_are_not_corrected(self, claims):
        assert slugs("vsa") == []

    def test_corrections_cost_one_query_whatever_the_number_of_words(self, claims, django_assert_num_queries):
        with django_assert_num_queries(1):
            search = parse("aprehensions gautemala mexcio tarifs")
        assert set(search.corrections) == {"aprehensions", "gautemala", "mexcio", "tarifs"}


class TestWhatReadersSee:
    def test_only_published_fact_checks_in_the_readers_language(self, claims):
        assert "draft" not in slugs("tripled")

    def test_matches_are_highlighted_and_the_rest_escaped(self, claims):
        Claim.objects.filter(slug="visas").update(statement="<b>Guatemala</b> issued visas & more.")
        call_command("rebuild_search", verbosity=0)
        found = find_published("guatemala visa", language="en")
        assert (
            str(found.search.highlight(found.claims[0].statement, "en"))
            == "&lt;b&gt;<mark>Guatemala</mark>&lt;/b&gt; issued <mark>visas</mark> &amp; more."
        )

    def test_the_index_ranks_highlights_and_counts(self, claims, client):
        response = client.get(reverse("claim-index"), {"q": "aprehension"})
        html = response.content.decode()
        assert response.status_code == 200
        assert html.index("/claims/apprehensions/") < html.index("/claims/tariffs/")
        assert "<mark>apprehensions</mark>" in html
        assert "2 fact-checks match these filters." in html

    def test_a_search_that_finds_nothing_leads_to_the_tip_line_with_the_readers_words(self, claims, client):
        html = client.get(reverse("claim-index"), {"q": "zeppelin & co"}).content.decode()
        assert 'href="/tips/?q=zeppelin+%26+co"' in html
        assert "/tips/?q=" not in client.get(reverse("claim-index"), {"q": "visas"}).content.decode()

    def test_the_index_says_which_words_it_searched_for_instead(self, claims, client):
        html = client.get(reverse("claim-index"), {"q": "gautemala"}).content.decode()
        assert "Also searched for similar words: <mark>guatemala</mark>" in html
        assert "Also searched" not in client.get(reverse("claim-index"), {"q": "guatemala"}).content.decode()

    def test_the_index_combines_search_and_filters(self, claims, client):
        Claim.objects.filter(slug="tariffs").update(verdict=Verdict.FALSE)
        response = client.get(reverse("claim-index"), {"q": "apprehensions", "verdict": "false"})
        assert "/claims/tariffs/" in response.content.decode()
        assert "/claims/apprehensions/" not in response.content.decode()

    def test_the_spanish_index_searches_in_spanish(self, claims, client):
        response = client.get("/es/claims/", {"q": "deportaziones"})
        assert "/es/claims/deportaciones/" in response.content.decode()
        assert "<mark>deportaciones</mark>" in response.content.decode()

    def test_queries_per_search_are_the_same_for_1_and_31_matches(self, claims, client):
        def count(query: str) -> int:
            client.get(reverse("claim-index"), {"q": query})  # the session and the language, once
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("claim-index"), {"q": query}).status_code == 200
            return len(queries)

        published("one", "Guatemala gave visas for apprehensions.")
        few = count("visas aprehensions guatemala")  # one match, then 31 (two pages)
        PublishedClaimFactory.create_batch(30, statement="Guatemala issued visas to apprehensions officers.")
        assert count("visas aprehensions guatemala") == few

    def test_queries_per_search_do_not_grow_with_the_results(self, claims, client, django_assert_max_num_queries):
        # Warm the page once (sessions, language), then count a search with corrections and many words.
        client.get(reverse("claim-index"), {"q": "visas"})
        for query in ("visas", "aprehensions mexcio migrants tarifs"):
            with django_assert_max_num_queries(6):
                assert client.get(reverse("claim-index"), {"q": query}).status_code == 200


class TestKeptInStep:
    def test_a_saved_change_is_found_at_once(self, claims):
        claim = claims["visas"]
        claim.statement = "Honduras issued thousands of work permits."
        claim.save()
        assert slugs("honduras") == ["visas"]
        assert slugs("guatemala") == []

    def test_a_deleted_claim_is_gone(self, claims):
        claims["visas"].delete()
        assert slugs("visas") == []

    def test_rebuild_finds_what_a_bulk_write_bypassed(self, claims):
        Claim.objects.filter(slug="visas").update(statement="Belize issued visas.")
        call_command("rebuild_search", verbosity=0)
        assert slugs("belize") == ["visas"]


class TestTheApi:
    def test_a_search_walked_page_by_page_gives_every_match_once_even_with_equal_ranks(self, claims, client):
        for n in range(4):
            published(f"steel-{n}", "Tariffs on steel imports.")
        expected = slugs("steel")
        assert len(expected) == 4
        seen, url = [], "/api/claims/?q=steel&limit=1"
        while url and len(seen) < 10:
            page = client.get(url).json()
            seen += [item["slug"] for item in page["items"]]
            url = page["next"]
        assert seen == expected


class TestMatchingForEditors:
    def test_similar_statements_of_any_status_come_first(self, claims):
        found = similar_claims("Apprehensions of migrants in Mexico tripled", language="en")
        assert [claim.slug for claim in found][:2] == ["apprehensions", "draft"]

    def test_the_admin_panel_lists_them_for_editors_only(self, claims, client, editor_client):
        url = reverse("admin:claims_claim_similar")
        html = editor_client.get(url, {"statement": "Migrants apprehensions <script>"}).content.decode()
        assert f"/admin/claims/claim/{claims['apprehensions'].pk}/change/" in html
        assert "<script>" not in html
        assert client.get(url, {"statement": "apprehensions"}).status_code == 302  # to the login page
        assert editor_client.get(url, {"exclude": "1 OR 1=1"}).status_code == 400
        assert editor_client.get(url, {"exclude": "²"}).status_code == 400
        nothing = editor_client.get(url, {"statement": "zeppelin"}).content.decode()
        assert "No fact-check has a similar statement." in nothing

    def test_a_long_statement_is_compared_whole(self, claims):
        statement = "It is not true that officials in the region have said this week that Guatemala issued visas"
        assert "visas" in [claim.slug for claim in similar_claims(statement)]

    def test_the_claim_being_edited_is_left_out(self, claims):
        found = similar_claims("Mexico made more apprehensions", exclude=claims["apprehensions"].pk)
        assert "apprehensions" not in [claim.slug for claim in found]


class TestText:
    def test_stems_fold_accents_and_leave_out_stopwords(self):
        assert stems("The apprehensions rose", "en") == ["apprehens", "rose"]
        assert stems("Las deportaciones según más", "es") == ["deport", "segun"]
        assert stems("Łukaszenko, COVID-19, U.S., @joe_biden, Me\u0301xico", "en") == [
            "lukaszenko", "covid", "19", "u", "joe", "biden", "mexico",
        ]  # fmt: skip

    def test_resemblance(self):
        assert resemblance("Mexico must take back migrants", "Mexico must take migrants back now", "en") > 0.8
        assert resemblance("Mexico must take back migrants", "Guatemala issued visas", "en") == 0

    def test_edit_distance_counts_a_swap_once(self):
        assert edit_distance("mexcio", "mexico", 2) == 1
        assert edit_distance("abc", "xyz", 1) == 2  # beyond the limit


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_stores_the_stems_of_each_fact_check_in_its_own_language_weighted_by_field(claims):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_document::text FROM claims_claim WHERE id = %s", [claims["deportaciones"].pk])
        (document,) = cursor.fetchone()
    assert "'deport':3A" in document and "'mexic':1A" in document and "'funcionari':6B" in document
    assert "'las'" not in document
