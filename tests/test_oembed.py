"""oEmbed (https://oembed.com) at /oembed: every case of the spec for our fact-checks and quizzes in both
languages, and the discovery links on their pages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client

from claims import editorial
from claims.demo.loader import load_demo
from claims.models import Claim, Quiz, Status
from claims.translated import url_in_own_language
from tests.factories import (
    ChiefEditorFactory,
    ClaimFactory,
    PublishedClaimFactory,
    QuestionFactory,
    QuizFactory,
    StaffFactory,
    take_quiz,
)
from tests.helpers.shared_data import built_once

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo in both languages, a finished attempt at its quiz, a renamed fact-check, and drafts."""

    def build() -> dict[str, str]:
        load_demo()
        quiz = Quiz.objects.get(language="en")
        attempt = take_quiz(quiz, right=2)
        renamed = PublishedClaimFactory(slug="first-slug")
        renamed.slug = "second-slug"
        editorial.claim_save(
            claim=renamed, sources=list(renamed.sources.all()), by=ChiefEditorFactory(), minor_edit=True
        )
        ClaimFactory(slug="a-draft", status=Status.DRAFT)
        QuestionFactory(quiz=QuizFactory(slug="a-draft-quiz", status=Status.DRAFT))
        return {"token": attempt.token}

    yield from built_once(django_db_blocker, build)


def _oembed(client: Client, url: str | None, **params):
    query = {"url": url, **params} if url is not None else params
    return client.get("/oembed", query)


def _ok(client: Client, url: str, **params) -> dict:
    response = _oembed(client, url, **params)
    assert response.status_code == 200, (url, response.content)
    return json.loads(response.content)


class _Frame(HTMLParser):
    def handle_starttag(self, tag: str, attrs) -> None:
        assert tag == "iframe"
        self.attrs = dict(attrs)


def _frame(answer: dict) -> dict:
    parser = _Frame()
    parser.feed(answer["html"])
    return parser.attrs


def _claims() -> tuple[Claim, Claim]:
    spanish = Claim.objects.published().filter(language="es").order_by("pk").first()
    return spanish.translation_of, spanish


def _quizzes() -> tuple[Quiz, Quiz]:
    spanish = Quiz.objects.get(language="es")
    return spanish.translation_of, spanish


class TestAnswers:
    def test_a_claim_permalink_gets_a_rich_answer_with_its_embed(self, client, demo):
        english, _spanish = _claims()
        response = _oembed(client, SITE + english.get_absolute_url(), format="json")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Access-Control-Allow-Origin"] == "*"
        answer = json.loads(response.content)
        assert answer["version"] == "1.0" and answer["type"] == "rich"
        assert answer["provider_name"] == settings.SITE_NAME
        assert answer["provider_url"] == f"{SITE}/"
        assert answer["title"].startswith(f"{english.rating.label}: “")
        assert (answer["width"], answer["height"]) == (640, 420)
        assert isinstance(answer["cache_age"], int) and answer["cache_age"] > 0
        assert answer["thumbnail_url"] == f"{SITE}/claims/{english.slug}/card.png"
        assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (1200, 630)
        frame = _frame(answer)
        assert frame["src"] == f"{SITE}/embed/claims/{english.slug}/"
        assert (frame["width"], frame["height"]) == ("640", "420")
        assert frame["title"] == f"Fact-check: “{english.statement}”" and frame["lang"] == "en"
        # The embed and the card it names are really there.
        assert client.get(frame["src"].removeprefix(SITE)).status_code == 200
        assert client.get(answer["thumbnail_url"].removeprefix(SITE)).status_code == 200

    def test_format_is_optional(self, client, demo):
        english, _spanish = _claims()
        assert _ok(client, SITE + english.get_absolute_url())["type"] == "rich"

    def test_the_address_language_decides_the_embed(self, client, demo):
        english, spanish = _claims()
        answer = _ok(client, SITE + url_in_own_language(spanish))
        assert _frame(answer)["src"] == f"{SITE}/es/embed/claims/{spanish.slug}/"
        assert _frame(answer)["lang"] == "es"
        assert answer["provider_url"] == f"{SITE}/es/"
        assert answer["thumbnail_url"] == f"{SITE}/es/claims/{spanish.slug}/card.png"
        assert spanish.statement[:40] in answer["title"] and english.statement[:40] not in answer["title"]
        # Another version's address in a language: that language's version, as the page would redirect.
        moved = {f"/es/claims/{english.slug}/": f"/es/embed/claims/{spanish.slug}/"}
        moved[f"/claims/{spanish.slug}/"] = f"/embed/claims/{english.slug}/"
        for page, embed in moved.items():
            assert _frame(_ok(client, SITE + page))["src"] == SITE + embed

    def test_an_untranslated_claim_under_the_spanish_prefix_is_the_original_in_the_spanish_embed(self, client, demo):
        claim = Claim.objects.get(slug="second-slug")
        answer = _ok(client, f"{SITE}/es/claims/second-slug/")
        assert _frame(answer)["src"] == f"{SITE}/es/embed/claims/second-slug/"
        assert _frame(answer)["lang"] == "en" and claim.statement in _frame(answer)["title"]

    @pytest.mark.parametrize("language", ["en", "es"])
    def test_every_quiz_page_gets_its_quiz(self, client, demo, language):
        english, spanish = _quizzes()
        quiz = english if language == "en" else spanish
        prefix = "" if language == "en" else "/es"
        pages = [
            f"/quizzes/{quiz.slug}/",
            f"/quizzes/{quiz.slug}/q/1/",
            f"/quizzes/{quiz.slug}/q/{english.questions.count()}/",
            f"/quizzes/{quiz.slug}/results/{demo['token']}/",
            f"/quizzes/{english.slug}/",  # the other version's address: this language's version
        ]
        for page in pages:
            answer = _ok(client, f"{SITE}{prefix}{page}")
            assert _frame(answer)["src"] == f"{SITE}{prefix}/embed/quizzes/{quiz.slug}/", page
            assert answer["title"] == quiz.title
            assert (answer["width"], answer["height"]) == (640, 640)
            assert answer["thumbnail_url"] == f"{SITE}{prefix}/quizzes/{quiz.slug}/card.png"
        assert client.get(_frame(answer)["src"].removeprefix(SITE)).status_code == 200

    def test_an_old_slug_and_a_missing_slash_and_a_query_still_find_the_claim(self, client, demo):
        for url in (f"{SITE}/claims/first-slug/", f"{SITE}/claims/second-slug", f"{SITE}/claims/second-slug/?utm=x#y"):
            assert _frame(_ok(client, url))["src"] == f"{SITE}/embed/claims/second-slug/", url

    def test_head_conditional_get_and_no_redirect_to_a_readers_language(self, client, demo):
        english, _spanish = _claims()
        url = SITE + english.get_absolute_url()
        response = _oembed(client, url)
        assert "public" in response["Cache-Control"]
        assert client.get("/oembed", {"url": url}, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        assert client.head("/oembed", {"url": url}).status_code == 200
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        assert json.loads(_oembed(client, url).content) == json.loads(response.content)
        assert client.post("/oembed", {"url": url}).status_code == 405


class TestSize:
    def _answer(self, client, **limits) -> dict:
        english, _spanish = _claims()
        answer = _ok(client, SITE + english.get_absolute_url(), **limits)
        frame = _frame(answer)
        assert (frame["width"], frame["height"]) == (str(answer["width"]), str(answer["height"]))
        return answer

    def test_the_frame_is_made_narrower_and_shorter_to_fit(self, client, demo):
        answer = self._answer(client, maxwidth="300")
        assert (answer["width"], answer["height"]) == (300, 420)
        answer = self._answer(client, maxheight="200")
        assert (answer["width"], answer["height"]) == (640, 200)
        answer = self._answer(client, maxwidth="320", maxheight="240")
        assert (answer["width"], answer["height"]) == (320, 240)

    def test_limits_larger_than_the_frame_leave_it_as_it_is(self, client, demo):
        answer = self._answer(client, maxwidth="4000", maxheight="4000")
        assert (answer["width"], answer["height"]) == (640, 420)
        assert answer["thumbnail_width"] == 1200

    def test_the_thumbnail_must_fit_too_or_is_left_out(self, client, demo):
        for limits in ({"maxwidth": "1199"}, {"maxheight": "629"}, {"maxwidth": "600", "maxheight": "400"}):
            answer = self._answer(client, **limits)
            assert not {"thumbnail_url", "thumbnail_width", "thumbnail_height"} & answer.keys(), limits
        assert "thumbnail_url" in self._answer(client, maxwidth="1200", maxheight="630")

    @pytest.mark.parametrize("value", ["0", "-5", "abc", "3.5", "٣٠٠", "1e3"])
    def test_a_limit_that_is_not_a_number_of_pixels_is_a_bad_request(self, client, demo, value):
        english, _spanish = _claims()
        for name in ("maxwidth", "maxheight"):
            response = _oembed(client, SITE + english.get_absolute_url(), **{name: value})
            assert response.status_code == 400
            assert json.loads(response.content)["parameter"] == name
            assert name in json.loads(response.content)["error"]


class TestErrors:
    def test_xml_is_not_implemented(self, client, demo):
        english, _spanish = _claims()
        for fmt in ("xml", "yaml"):
            response = _oembed(client, SITE + english.get_absolute_url(), format=fmt)
            assert response.status_code == 501
            assert response["Access-Control-Allow-Origin"] == "*"

    def test_a_missing_url_is_a_bad_request_that_says_so(self, client, demo):
        for response in (_oembed(client, None), _oembed(client, "")):
            assert response.status_code == 400
            body = json.loads(response.content)
            assert body["parameter"] == "url" and "url parameter is missing" in body["error"]

    @pytest.mark.parametrize(
        "url", ["not an address", "/claims/x/", "http://[::1", "ftp://127.0.0.1:8000/claims/x/", "http://h:99999/x/"]
    )
    def test_an_unparseable_url_is_a_bad_request_that_says_so(self, client, demo, url):
        response = _oembed(client, url)
        assert response.status_code == 400
        assert "not an absolute http or https address" in json.loads(response.content)["error"]

    def test_unknown_addresses_are_not_found(self, client, demo):
        english, _spanish = _quizzes()
        for path in (
            "/claims/no-such-claim/",
            "/about/ratings/",
            "/",
            "/claims/",
            f"/quizzes/{english.slug}/q/99/",
            f"/quizzes/{english.slug}/q/0/",
            f"/quizzes/{english.slug}/results/no-such-token/",
            f"/quizzes/{english.slug}/card.png",
            f"/quizzes/{english.slug}/start/",
            "/fr/claims/x/",
        ):
            response = _oembed(client, SITE + path)
            assert response.status_code == 404, path
            assert response["Access-Control-Allow-Origin"] == "*"

    def test_another_host_scheme_or_port_is_not_ours(self, client, demo):
        english, _spanish = _claims()
        path = english.get_absolute_url()
        assert SITE == "http://127.0.0.1:8000"
        for site in ("http://evil.example", "https://127.0.0.1:8000", "http://127.0.0.1:8001", "http://localhost:8000"):
            assert _oembed(client, site + path).status_code == 404, site

    def test_the_site_address_is_the_configured_one(self, client, demo, settings):
        english, _spanish = _claims()
        settings.SITE_URL = "https://checks.example"
        answer = _ok(client, f"https://CHECKS.example:443{english.get_absolute_url()}")
        assert _frame(answer)["src"] == f"https://checks.example/embed/claims/{english.slug}/"
        assert _oembed(client, f"http://checks.example{english.get_absolute_url()}").status_code == 404

    def test_unpublished_work_has_no_embed_even_for_an_editor(self, client, demo):
        client.force_login(StaffFactory())
        for path in ("/claims/a-draft/", "/quizzes/a-draft-quiz/"):
            assert client.get(path).status_code == 200  # the editor's preview
        for path in ("/claims/a-draft/", "/quizzes/a-draft-quiz/", "/quizzes/a-draft-quiz/q/1/"):
            assert _oembed(client, SITE + path).status_code == 404, path

    def test_an_unpublished_claim_loses_its_embed(self, client, demo):
        _english, spanish = _claims()
        url = SITE + url_in_own_language(spanish)
        assert _oembed(client, url).status_code == 200
        editorial.unpublish(obj=spanish, by=ChiefEditorFactory())
        assert _oembed(client, url).status_code == 404


def _discovery(html: str) -> list[str]:
    links = re.findall(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)" title="[^"]+">', html)
    return [link.replace("&amp;", "&") for link in links]


class TestDiscovery:
    def test_permalinks_and_quiz_intros_point_to_their_answer(self, client, demo):
        english, spanish = _claims()
        english_quiz, spanish_quiz = _quizzes()
        pages = {
            english.get_absolute_url(): f"/embed/claims/{english.slug}/",
            url_in_own_language(spanish): f"/es/embed/claims/{spanish.slug}/",
            english_quiz.get_absolute_url(): f"/embed/quizzes/{english_quiz.slug}/",
            url_in_own_language(spanish_quiz): f"/es/embed/quizzes/{spanish_quiz.slug}/",
        }
        for path, embed in pages.items():
            [href] = _discovery(client.get(path).text)
            assert href.startswith(f"{SITE}/oembed?url=")
            assert href.endswith("&format=json")
            response = client.get(href.removeprefix(SITE))
            assert response.status_code == 200, path
            assert _frame(json.loads(response.content))["src"] == SITE + embed

    def test_the_discovery_link_names_the_canonical_address_and_nothing_else(self, client, demo):
        english, _spanish = _claims()
        [href] = _discovery(client.get(english.get_absolute_url()).text)
        page = quote(f"{SITE}/claims/{english.slug}/", safe="")
        assert href == f"{SITE}/oembed?url={page}&format=json"

    def test_previews_carry_none(self, client, demo):
        client.force_login(StaffFactory())
        for path in ("/claims/a-draft/", "/quizzes/a-draft-quiz/"):
            response = client.get(path)
            assert response.status_code == 200 and "Preview" in response.text
            assert _discovery(response.text) == [], path
