"""The public JSON API under /api/ (claims/api/): what it serves is what its OpenAPI document says.

Every answer checked here is validated against the document the API itself serves at /api/schema/
(tests/helpers/openapi.py), and the document against the OpenAPI 3.1 specification. The demo content (both
languages) is built once for the module; tests that need drafts, corrections or many claims add their own.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import get_args

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from claims import editorial
from claims.api.schemas import MAX_LIMIT, LanguageCode, VerdictKey
from claims.demo.loader import load_demo
from claims.editorial import DEMO_AUTHOR, DEMO_REVIEWER
from claims.models import (
    Article,
    ChoiceTranslation,
    Claim,
    ClaimSlugRedirect,
    Correction,
    QuestionTranslation,
    Quiz,
    Status,
)
from claims.verdicts import Verdict
from tests.factories import ArticleFactory, ClaimFactory, PublishedClaimFactory, QuestionFactory, QuizFactory
from tests.helpers.openapi import Served
from tests.helpers.shared_data import built_once

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
ENDPOINTS = ["/api/", "/api/claims/", "/api/articles/", "/api/quizzes/", "/api/corrections/"]
LISTS = ["/api/claims/", "/api/articles/", "/api/quizzes/", "/api/corrections/"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content: an article, 14 fact-checks and a quiz, each fact-check and the quiz also in Spanish."""
    yield from built_once(django_db_blocker, load_demo)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Most tests make many requests; TestRateLimit puts a small limit back."""
    settings.API_RATE = "100000/60"


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def served(client) -> Served:
    document = json.loads(client.get("/api/schema/").content)
    return Served(document)


def get(client: Client, served: Served, url: str, **headers):
    """GET `url` (absolute on SITE_URL, or a path) and check the answer against the served schema."""
    response = client.get(url.removeprefix(SITE), headers=headers)
    served.check(response)
    return response


def data(client: Client, served: Served, url: str) -> dict:
    response = get(client, served, url)
    assert response.status_code == 200, (url, response.content[:300])
    return json.loads(response.content)


def walk(client: Client, served: Served, url: str) -> list[dict]:
    """Every item of a list, following `next` to the last page."""
    items: list[dict] = []
    while url:
        page = data(client, served, url)
        items += page["items"]
        assert (page["next"] is None) == (page["next_cursor"] is None)
        url = page["next"]
    return items


def _spanish_claim(original: Claim, *, publish: bool = True) -> Claim:
    translation = editorial.translation_start(original=original, language="es", by=DEMO_AUTHOR)
    translation.statement, translation.ruling = "Una afirmación en español.", "Falso. Los registros lo muestran."
    translation.explanation = "La explicación."
    quotes = {source.pk: "una frase citable" for source in original.sources.all()}
    translation = editorial.translation_save(translation=translation, quotes=quotes, by=DEMO_AUTHOR)
    if not publish:
        return translation
    translation = editorial.submit_for_review(obj=translation, by=DEMO_AUTHOR)
    translation = editorial.approve(obj=translation, by=DEMO_REVIEWER)
    return editorial.publish(obj=translation, by=DEMO_REVIEWER)


class TestTheSchema:
    def test_is_valid_openapi_3_1(self, served):
        assert served.document["openapi"].startswith("3.1.")
        validate_openapi(served.document, cls=OpenAPIV31SpecValidator)

    def test_lists_every_endpoint_read_only(self, served):
        assert set(served.document["paths"]) == {
            *ENDPOINTS,
            "/api/claims/{slug}/",
            "/api/articles/{slug}/",
            "/api/quizzes/{slug}/",
        }
        for path, operations in served.document["paths"].items():
            assert set(operations) == {"get"}, path

    def test_names_the_site_languages_and_verdicts(self, served):
        assert set(get_args(LanguageCode)) == {code for code, _name in settings.LANGUAGES}
        assert list(get_args(VerdictKey)) == list(Verdict.values)
        parameters = {p["name"]: p for p in served.document["paths"]["/api/claims/"]["get"]["parameters"]}
        assert parameters["lang"]["schema"]["enum"] == ["en", "es"]
        assert parameters["limit"]["schema"]["maximum"] == MAX_LIMIT

    def test_is_served_with_an_etag_and_cors(self, client):
        response = client.get("/api/schema/")
        assert response["Content-Type"].startswith("application/json")
        assert response["Access-Control-Allow-Origin"] == "*" and response.has_header("ETag")
        assert client.get("/api/schema/", headers={"If-None-Match": response["ETag"]}).status_code == 304


class TestEveryEndpoint:
    def test_answers_as_the_schema_says_in_both_languages(self, demo, client, served):
        """Every list in both languages to its end, every item's detail and each version's, and the errors."""
        index = data(client, served, "/api/")
        assert index["schema_url"] == f"{SITE}/api/schema/" and index["docs"] == f"{SITE}/api/docs/"
        claim = Claim.objects.published().filter(language="en").first()
        Correction.objects.create(claim=claim, note="The figure was wrong.", previous_verdict="true", verdict="false")
        details = set()
        for language in ("en", "es"):
            for name in ("claims", "articles", "quizzes"):
                for item in walk(client, served, f"{index[name]}?lang={language}&limit=5"):
                    assert item["language"] in ("en", language)
                    details.add(item["api_url"])
        for item in walk(client, served, index["corrections"]):
            details.add(item["claim"]["api_url"])
        versions = set()
        for url in details:
            versions |= {version["api_url"] for version in data(client, served, url).get("translations", [])}
        for url in versions - details:
            data(client, served, url)
        for url in ["/api/claims/no-such-claim/", "/api/articles/no-such-article/", "/api/quizzes/no-such-quiz/"]:
            assert get(client, served, url).status_code == 404
        for url in LISTS:
            assert get(client, served, f"{url}?limit=0").status_code == 400
        assert {template for template, status in served.checked if status == 200} == set(served.document["paths"])
        assert {(t, s) for t, s in served.checked if s >= 400} >= {
            *((path, 400) for path in LISTS),
            ("/api/claims/{slug}/", 404),
            ("/api/articles/{slug}/", 404),
            ("/api/quizzes/{slug}/", 404),
        }

    def test_a_fact_check_says_everything_its_permalink_does(self, demo, client, served):
        original = Claim.objects.published().filter(language="en", translations__isnull=False).first()
        spanish = original.translations.get()
        Correction.objects.create(
            claim=original, note="The figure was wrong.", previous_verdict="true", verdict="false"
        )
        english = data(client, served, f"/api/claims/{original.slug}/")
        assert english["statement"] == original.statement and english["ruling"] == original.ruling
        assert english["url"] == f"{SITE}/claims/{original.slug}/"
        assert english["verdict"]["key"] == original.verdict
        assert english["verdict"]["label"] == str(Verdict(original.verdict).label)
        assert [s["quote"] for s in english["sources"]] == [s.quote for s in original.sources.all()]
        assert all(s["quote_translation"] is None for s in english["sources"])
        [correction] = english["corrections"]
        assert correction["verdict_changed"] and correction["previous_verdict"]["label"] == "True"
        assert correction["url"] == f"{SITE}/claims/{original.slug}/#correction-{correction['id']}"
        assert english["translations"] == [
            {"language": "en", "slug": original.slug, "url": english["url"], "api_url": english["api_url"]},
            {
                "language": "es",
                "slug": spanish.slug,
                "url": f"{SITE}/es/claims/{spanish.slug}/",
                "api_url": f"{SITE}/api/claims/{spanish.slug}/",
            },
        ]
        translated = data(client, served, f"/api/claims/{spanish.slug}/")
        assert translated["language"] == "es" and translated["statement"] == spanish.statement
        assert translated["url"] == f"{SITE}/es/claims/{spanish.slug}/"
        # Spanish words for the verdict; the original's quotes, verbatim in English, with our translation.
        assert translated["verdict"]["label"] != english["verdict"]["label"]
        assert translated["verdict"]["rating_value"] == english["verdict"]["rating_value"]
        assert [s["quote"] for s in translated["sources"]] == [s["quote"] for s in english["sources"]]
        assert all(s["quote_language"] == "en" and s["quote_translation"] for s in translated["sources"])
        assert translated["corrections"] == english["corrections"]
        assert translated["translations"] == english["translations"]

    def test_unproven_has_no_rating_value(self, demo, client, served):
        claim = Claim.objects.published().filter(verdict=Verdict.UNPROVEN, language="en").first()
        verdict = data(client, served, f"/api/claims/{claim.slug}/")["verdict"]
        assert verdict == {"key": "unproven", "label": "Unproven", "rating_value": None}

    def test_an_article_lists_its_fact_checks_and_quiz(self, demo, client, served):
        article = Article.objects.published().get(translation_of__isnull=True)
        answer = data(client, served, f"/api/articles/{article.slug}/")
        assert answer["paragraphs"] == article.paragraphs
        drawn = Claim.objects.published().filter(article=article, language="en")
        assert {c["slug"] for c in answer["claims"]} == set(drawn.values_list("slug", flat=True))
        assert answer["quiz"]["slug"] == Quiz.objects.published().get(language="en").slug

    def test_an_old_slug_moves_for_good(self, demo, client, served):
        claim = Claim.objects.published().filter(language="en").first()
        ClaimSlugRedirect.objects.create(old_slug="an-old-slug", claim=claim)
        response = get(client, served, "/api/claims/an-old-slug/")
        assert response.status_code == 301
        assert response["Location"] == f"{SITE}/api/claims/{claim.slug}/"
        assert response["Access-Control-Allow-Origin"] == "*"


class TestLanguages:
    def test_lists_show_each_item_once_in_the_language_asked_for(self, demo, client, served):
        for name, model in (("claims", Claim), ("quizzes", Quiz), ("articles", Article)):
            for language in ("en", "es"):
                items = walk(client, served, f"/api/{name}/?lang={language}")
                expected = model.objects.published().in_language(language)
                assert sorted(i["slug"] for i in items) == sorted(expected.values_list("slug", flat=True))
        spanish = walk(client, served, "/api/claims/?lang=es")
        assert spanish and all(item["language"] == "es" for item in spanish)  # the demo translates every one
        assert all(item["url"].startswith(f"{SITE}/es/claims/") for item in spanish)
        labels = {str(label) for label in Verdict.labels}
        assert not {item["verdict"]["label"] for item in spanish} & labels
        english = walk(client, served, "/api/claims/")
        assert all(item["language"] == "en" and item["verdict"]["label"] in labels for item in english)

    def test_an_untranslated_item_is_listed_in_its_own_language(self, demo, client, served):
        claim = PublishedClaimFactory(statement="Only said in English.")
        items = walk(client, served, "/api/claims/?lang=es")
        [listed] = [item for item in items if item["slug"] == claim.slug]
        assert listed["language"] == "en" and listed["url"] == f"{SITE}/claims/{claim.slug}/"

    def test_the_filters_work_as_the_index_does(self, demo, client, served):
        for language, prefix in (("en", ""), ("es", "/es")):
            for query in ("verdict=false", "q=Mexico", "q=México", "verdict=true&q=border", "q=nothing-matches"):
                page = client.get(f"{prefix}/claims/?{query}").content.decode()
                shown = re.findall(r'class="claim-item__statement" href="(?:/es)?/claims/([\w-]+)/"', page)
                listed = walk(client, served, f"/api/claims/?lang={language}&{query}")
                assert [item["slug"] for item in listed] == shown, (language, query)
        article = Article.objects.published().get()
        everything = walk(client, served, "/api/claims/?lang=es")
        assert walk(client, served, f"/api/claims/?lang=es&article={article.slug}") == everything

    def test_a_translated_quiz_asks_in_its_words(self, demo, client, served):
        spanish = Quiz.objects.published().get(language="es")
        answer = data(client, served, f"/api/quizzes/{spanish.slug}/")
        questions = list(spanish.original.questions.prefetch_related("choices"))
        words = dict(QuestionTranslation.objects.filter(quiz=spanish).values_list("question_id", "prompt"))
        choices = dict(ChoiceTranslation.objects.filter(quiz=spanish).values_list("choice_id", "text"))
        assert [q["prompt"] for q in answer["questions"]] == [words[q.pk] for q in questions]
        assert [[c["text"] for c in q["choices"]] for q in answer["questions"]] == [
            [choices.get(c.pk, c.text) for c in q.choices.all()] for q in questions
        ]
        assert answer["question_count"] == len(questions)
        [listed] = data(client, served, "/api/quizzes/?lang=es")["items"]
        assert listed["slug"] == spanish.slug and listed["question_count"] == len(questions)


class TestNoAnswerLeaks:
    def test_a_quiz_never_says_which_choice_is_right(self, demo, client, served):
        for quiz in Quiz.objects.published():
            answer = data(client, served, f"/api/quizzes/{quiz.slug}/")
            text = json.dumps(answer, ensure_ascii=False)
            for question in answer["questions"]:
                assert set(question) == {"number", "kind", "prompt", "choices", "guess"}
                assert all(set(choice) == {"text"} for choice in question["choices"])
                assert question["guess"] is None or set(question["guess"]) == {"min", "max", "step", "unit"}
            assert not re.search(r"correct|right|explanation|claim|score|share", ",".join(_keys(answer)))
            for question in quiz.original.questions.all():
                # The explanation and the backing fact-check would give the answer away.
                assert question.explanation not in text
                assert not question.claim or question.claim.slug not in text
                assert not question.is_number or question.value_quote not in text
                for translated in QuestionTranslation.objects.filter(question=question):
                    assert translated.explanation not in text

    def test_the_choices_are_in_the_order_readers_see_whichever_is_right(self, client, served):
        quiz = QuizFactory(status=Status.PUBLISHED, published_at=timezone.now())
        QuestionFactory(quiz=quiz, choices=[("Right", True), ("Wrong", False)])
        QuestionFactory(quiz=quiz, choices=[("Wrong", False), ("Right", True)])
        answer = data(client, served, f"/api/quizzes/{quiz.slug}/")
        assert [[c["text"] for c in q["choices"]] for q in answer["questions"]] == [
            ["Right", "Wrong"],
            ["Wrong", "Right"],
        ]


def _keys(value) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(key for item in value.values() for key in _keys(item))]
    if isinstance(value, list):
        return [key for item in value for key in _keys(item)]
    return []


class TestDrafts:
    def test_never_appear(self, demo, client, served):
        article = Article.objects.published().get()
        hidden = [
            ClaimFactory(article=article, statement="A draft about the border."),
            ClaimFactory(article=article, status=Status.IN_REVIEW, statement="In review about the border."),
            PublishedClaimFactory(
                article=article, published_at=timezone.now() + timedelta(days=1), statement="Tomorrow's."
            ),
        ]
        for claim in hidden:
            Correction.objects.create(claim=claim, note="Never shown.", previous_verdict="true", verdict="false")
        original = PublishedClaimFactory(article=article)
        draft_translation = _spanish_claim(original, publish=False)
        draft_article = ArticleFactory(status=Status.DRAFT, published_at=None)
        draft_quiz = QuizFactory(article=article)
        QuestionFactory(quiz=draft_quiz)
        hidden_slugs = {c.slug for c in [*hidden, draft_translation]} | {draft_article.slug, draft_quiz.slug}

        seen = set()
        for language in ("en", "es"):
            for name in ("claims", "articles", "quizzes"):
                seen |= {i["slug"] for i in walk(client, served, f"/api/{name}/?lang={language}")}
        corrections = walk(client, served, "/api/corrections/")
        seen |= {c["claim"]["slug"] for c in corrections}
        seen |= {v["slug"] for v in data(client, served, f"/api/claims/{original.slug}/")["translations"]}
        seen |= {c["slug"] for c in data(client, served, f"/api/articles/{article.slug}/")["claims"]}
        assert not seen & hidden_slugs
        assert "Never shown." not in json.dumps(corrections)
        # Listed in Spanish as its original, until its translation is published.
        assert original.slug in {i["slug"] for i in walk(client, served, "/api/claims/?lang=es")}
        for kind, slug in [
            *(("claims", c.slug) for c in [*hidden, draft_translation]),
            ("articles", draft_article.slug),
            ("quizzes", draft_quiz.slug),
        ]:
            response = get(client, served, f"/api/{kind}/{slug}/")
            assert response.status_code == 404, slug
            assert json.loads(response.content)["detail"][0]["parameter"] is None

    def test_an_unpublished_fact_check_disappears_on_the_next_request(self, client, served):
        claim = PublishedClaimFactory()
        assert data(client, served, "/api/claims/")["items"][0]["slug"] == claim.slug
        assert get(client, served, f"/api/claims/{claim.slug}/").status_code == 200
        editorial.unpublish(obj=claim, by=DEMO_REVIEWER)
        assert claim.slug not in {item["slug"] for item in walk(client, served, "/api/claims/")}
        assert get(client, served, f"/api/claims/{claim.slug}/").status_code == 404


@pytest.fixture
def many_claims(demo):
    """200 published fact-checks more, in threes that share a publication moment (the cursor must tell them
    apart), every fourth with a Spanish translation, on a second article."""
    article = ArticleFactory()
    start = timezone.now() - timedelta(days=1)
    claims = []
    for number in range(200):
        moment = start - timedelta(minutes=number // 3)
        verdict = list(Verdict.values)[number % 6]
        claim = PublishedClaimFactory(article=article, published_at=moment, verdict=verdict)
        claims.append(claim)
        if number % 4 == 0:
            ClaimFactory(
                article=article,
                slug=f"{claim.slug}-es",
                language="es",
                translation_of=claim,
                verdict=verdict,
                status=Status.PUBLISHED,
                published_at=moment,
            )
    return article


class TestPagination:
    @pytest.mark.parametrize(
        ("query", "queries"),
        [
            # One query a page: the claims with their articles, each in its language's version (in_language).
            ("lang=en", 1),
            ("lang=es", 1),
            ("lang=es&verdict=false", 1),
        ],
    )
    def test_to_the_end_with_the_same_queries_on_every_page(self, many_claims, client, served, query, queries):
        expected = list(
            Claim.objects.published()
            .in_language(query.split("&")[0].split("=")[1])
            .filter(**({"verdict": "false"} if "verdict" in query else {}))
            .order_by("-published_at", "-id")
            .values_list("slug", flat=True)
        )
        assert len(expected) > 30
        url, seen, counts = f"/api/claims/?{query}&limit=7", [], []
        while url:
            with CaptureQueriesContext(connection) as captured:
                page = data(client, served, url)
            counts.append(len(captured))
            seen += [item["slug"] for item in page["items"]]
            url = page["next"]
        assert seen == expected  # newest first, none skipped, none twice
        assert counts == [queries] * len(counts), counts

    def test_filtered_by_article(self, many_claims, client, served):
        url = f"/api/claims/?article={many_claims.slug}&limit=50"
        counts, seen = [], []
        while url:
            with CaptureQueriesContext(connection) as captured:
                page = data(client, served, url)
            counts.append(len(captured))
            seen += page["items"]
            url = page["next"]
        assert len(seen) == 200 and len(counts) == 4
        # The form's lookup of the article (its queryset, then the slug) and the page.
        assert counts == [3] * 4, counts

    @pytest.mark.parametrize("path", ["/api/articles/", "/api/quizzes/", "/api/corrections/"])
    def test_every_list_pages_with_one_query(self, many_claims, client, served, path):
        claims = Claim.objects.published()[:12]
        for claim in claims:
            Correction.objects.create(claim=claim, note="Fixed.", previous_verdict=claim.verdict, verdict="false")
        for number in range(3):
            quiz = QuizFactory(status=Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=number))
            QuestionFactory(quiz=quiz)
        url, counts, items = f"{path}?limit=2", [], []
        while url:
            with CaptureQueriesContext(connection) as captured:
                page = data(client, served, url)
            counts.append(len(captured))
            items += page["items"]
            url = page["next"]
        assert len(counts) >= 2 and counts == [1] * len(counts), counts
        assert len({json.dumps(item, sort_keys=True) for item in items}) == len(items)

    def test_the_next_address_keeps_the_parameters_as_read(self, many_claims, client, served):
        page = data(client, served, "/api/claims/?limit=5&verdict=&tracking=x&lang=es&q=Statement")
        assert page["next"].startswith(f"{SITE}/api/claims/?limit=5&lang=es&q=Statement&cursor=")
        assert page["next"].endswith(f"cursor={page['next_cursor']}")

    def test_a_page_limit_has_a_maximum(self, many_claims, client, served):
        assert len(data(client, served, f"/api/claims/?limit={MAX_LIMIT}")["items"]) == MAX_LIMIT
        response = get(client, served, f"/api/claims/?limit={MAX_LIMIT + 1}")
        assert response.status_code == 400


class TestDetailQueries:
    """A detail costs the same number of queries however many sources, corrections or questions it has."""

    def test_a_fact_check(self, client, served):
        small = PublishedClaimFactory()
        big = PublishedClaimFactory()
        for number in range(5):
            big.sources.create(position=number + 2, publisher="P", title="T", quote="a quotable sentence")
            Correction.objects.create(claim=big, note="Fixed.", previous_verdict="true", verdict="false")
        counts = []
        for claim in (small, big):
            with CaptureQueriesContext(connection) as captured:
                data(client, served, f"/api/claims/{claim.slug}/")
            counts.append(len(captured))
        # The claim with its article, its sources, its corrections, its published translations.
        assert counts == [4, 4], counts

    def test_a_quiz(self, demo, client, served):
        small = QuizFactory(status=Status.PUBLISHED, published_at=timezone.now())
        QuestionFactory(quiz=small)
        counts = []
        spanish = Quiz.objects.published().get(language="es")
        for quiz in (small, spanish.original, spanish):
            with CaptureQueriesContext(connection) as captured:
                data(client, served, f"/api/quizzes/{quiz.slug}/")
            counts.append(len(captured))
        # The quiz, its questions, their choices, its versions; a translation's words: two more.
        assert counts == [4, 4, 6], counts

    def test_an_article(self, demo, client, served):
        article = Article.objects.published().get()
        small = ArticleFactory()
        counts = []
        for slug in (small.slug, article.slug):
            with CaptureQueriesContext(connection) as captured:
                data(client, served, f"/api/articles/{slug}/")
            counts.append(len(captured))
        assert counts[0] <= counts[1] <= 6, counts


def _forged(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


BAD_PARAMETERS = [
    ("/api/claims/", "verdict=maybe", "verdict"),
    ("/api/claims/", "verdict=True", "verdict"),
    ("/api/claims/", "article=no-such-article", "article"),
    ("/api/claims/", "article=" + "a" * 101, "article"),
    ("/api/claims/", "q=" + "x" * 201, "q"),
    ("/api/claims/", "q=%00", "q"),
    *(
        (path, query, parameter)
        for path in LISTS
        for query, parameter in [
            ("limit=0", "limit"),
            (f"limit={MAX_LIMIT + 1}", "limit"),
            ("limit=ten", "limit"),
            ("limit=1.5", "limit"),
            ("cursor=not-a-cursor!", "cursor"),
            ("cursor=" + _forged(["yesterday", 1]), "cursor"),
            ("cursor=" + _forged(["2026-01-01T00:00:00", 1]), "cursor"),  # no time zone
            ("cursor=" + _forged(["2026-01-01T00:00:00+00:00", -1]), "cursor"),
            ("cursor=" + _forged(["2026-01-01T00:00:00+00:00", 2**64]), "cursor"),
            ("cursor=" + _forged(["0001-01-01T00:00:00+14:00", 1]), "cursor"),
            ("cursor=" + _forged({"p": 1}), "cursor"),
            ("cursor=" + "A" * 201, "cursor"),
        ]
    ),
    *((path, "lang=fr", "lang") for path in ["/api/claims/", "/api/articles/", "/api/quizzes/"]),
]


class TestBadParameters:
    @pytest.mark.parametrize(("path", "query", "parameter"), BAD_PARAMETERS)
    def test_a_400_names_the_parameter(self, client, served, path, query, parameter):
        response = get(client, served, f"{path}?{query}")
        assert response.status_code == 400, response.content
        problems = json.loads(response.content)["detail"]
        assert [p["parameter"] for p in problems] == [parameter]
        assert problems[0]["message"].endswith("."), problems
        assert response["Access-Control-Allow-Origin"] == "*"

    def test_every_problem_at_once(self, client, served):
        response = get(client, served, "/api/claims/?limit=0&lang=fr&verdict=maybe")
        problems = json.loads(response.content)["detail"]
        assert {p["parameter"] for p in problems} == {"limit", "lang", "verdict"}
        assert {p["message"] for p in problems} >= {"Give a number of at least 1.", "Give one of: en, es."}

    def test_messages_in_the_language_asked_for(self, client, served):
        response = get(client, served, "/api/claims/?lang=es&limit=0")
        assert json.loads(response.content)["detail"] == [
            {"parameter": "limit", "message": "Indica un número igual o mayor que 1."}
        ]
        assert response["Content-Language"] == "es"

    def test_empty_values_are_left_out_and_unknown_parameters_ignored(self, client, served):
        response = get(client, served, "/api/claims/?verdict=&article=&q=&cursor=&limit=&lang=&utm_source=x")
        assert response.status_code == 200

    def test_an_address_with_nothing_is_a_json_404(self, client, served):
        for url in ["/api/no-such-endpoint/", "/api/claims/a/b/"]:
            response = client.get(url)
            assert response.status_code == 404 and response["Content-Type"] == "application/json"
            assert json.loads(response.content) == {
                "detail": [{"parameter": None, "message": "There is nothing at this address."}]
            }
            assert response["Access-Control-Allow-Origin"] == "*"

    def test_other_methods_are_refused_before_the_view(self, client):
        for method in ("post", "put", "delete", "patch"):
            response = getattr(client, method)("/api/claims/")
            assert response.status_code == 405 and response["Allow"] == "GET, HEAD, OPTIONS", method


class TestHttp:
    def test_cors_for_any_origin(self, demo, client, served):
        response = get(client, served, "/api/claims/", Origin="https://partner.example")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]
        assert "Access-Control-Allow-Credentials" not in response

    def test_a_preflight_is_answered_without_running_a_view(self, client, django_assert_num_queries):
        with django_assert_num_queries(0):
            response = client.options(
                "/api/claims/",
                headers={
                    "Origin": "https://partner.example",
                    "Access-Control-Request-Method": "GET",
                    "Access-Control-Request-Headers": "if-none-match",
                },
            )
        assert response.status_code == 200 and response.content == b""
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
        assert "If-None-Match" in response["Access-Control-Allow-Headers"]
        assert response["Allow"] == "GET, HEAD, OPTIONS"

    def test_etag_and_conditional_get(self, demo, client, served):
        for url in [*ENDPOINTS, f"/api/claims/{Claim.objects.published().first().slug}/"]:
            first = get(client, served, url)
            assert first["Cache-Control"] == f"public, max-age={60}"
            again = get(client, served, url, **{"If-None-Match": first["ETag"]})
            assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
            assert again["Access-Control-Allow-Origin"] == "*"
            assert get(client, served, url, **{"If-None-Match": '"other"'}).status_code == 200

    def test_an_edit_changes_the_etag_at_once(self, demo, client, served):
        before = get(client, served, "/api/claims/")
        PublishedClaimFactory(statement="Just published.")
        after = get(client, served, "/api/claims/", **{"If-None-Match": before["ETag"]})
        assert after.status_code == 200 and after["ETag"] != before["ETag"]
        assert json.loads(after.content)["items"][0]["statement"] == "Just published."

    def test_a_repeated_request_is_served_from_the_cache(self, demo, client, served, django_assert_num_queries):
        first = get(client, served, "/api/claims/?lang=es")
        with django_assert_num_queries(0):
            again = get(client, served, "/api/claims/?lang=es")
        assert again.content == first.content and again["ETag"] == first["ETag"]

    def test_head_answers_like_get(self, demo, client):
        get_response = client.get("/api/claims/")
        head = client.head("/api/claims/")
        assert head.status_code == 200 and head.content == b"" and head["ETag"] == get_response["ETag"]

    def test_errors_are_not_cached_for_browsers(self, client):
        response = client.get("/api/claims/no-such-claim/")
        assert "public" not in response.get("Cache-Control", "")


class TestRateLimit:
    def test_past_the_limit_a_json_429_with_retry_after(self, settings, client, served):
        settings.API_RATE = "3/60"
        cache.clear()  # the schema's request, under the fixtures' limit, counted too
        for _ in range(3):
            assert get(client, served, "/api/claims/").status_code == 200
        response = get(client, served, "/api/claims/")
        assert response.status_code == 429
        assert 0 < int(response["Retry-After"]) <= 60
        assert response["Access-Control-Allow-Origin"] == "*"
        [problem] = json.loads(response.content)["detail"]
        assert problem["parameter"] is None and "Try again in" in problem["message"]
        # A preflight is not counted, and is still answered.
        assert client.options("/api/claims/").status_code == 200

    def test_per_client_address(self, settings, served):
        settings.API_RATE = "1/60"
        one, other = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
        assert one.get("/api/").status_code == 200
        assert one.get("/api/").status_code == 429
        assert other.get("/api/").status_code == 200


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str | None] = []
        self.inline: list[str] = []
        self.stylesheets: list[str] = []
        self.styled: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values.get("src"))
            self._in_script = True
        if tag == "style" or "style" in values or any(name.startswith("on") for name in values):
            self.styled.append(tag)
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)


class TestDocs:
    def test_the_docs_page_works_under_the_sites_csp(self, client):
        response = client.get("/api/docs/")
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assets = _Assets()
        assets.feed(response.content.decode())
        assert assets.scripts and assets.stylesheets
        assert not assets.inline and not assets.styled
        for url in [*assets.scripts, *assets.stylesheets]:
            assert url and url.startswith(settings.STATIC_URL), url
            assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        assert any(url.endswith("swagger-ui-bundle.js") for url in assets.scripts)
        schema_url = re.search(r'data-schema-url="([^"]+)"', response.content.decode())[1]
        assert client.get(schema_url)["Content-Type"].startswith("application/json")

    def test_swagger_ui_loads_nothing_from_elsewhere(self):
        """The bundle's one network use besides the schema is swagger.io's validator badge: turned off."""
        script = Path(finders.find("js/api-docs.js")).read_text()
        assert "validatorUrl: null" in script
        assert "SwaggerUIStandalonePreset" not in script  # its top bar's logo has an inline <style>
