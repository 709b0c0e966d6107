"""Embeds (issue 12): the framable fact-check card and quiz, their headers, links, and the quiz without cookies.

A browser that blocks third-party cookies sends the framed quiz none: `CookielessClient` is such a browser
(it forgets every cookie it is given), and takes the embedded quiz to the end with the signed reader token
that the embed's forms and links carry. Tokens that were altered, expired or made for another quiz, forms
without one, and forms posted from another site are refused with a 403 and change nothing.
"""

from __future__ import annotations

import gzip
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from claims.demo.loader import load_demo
from claims.embeds import embed_code, is_embed_path
from claims.models import Answer, Attempt, Claim, Quiz, ScoreTally
from claims.quiz_readers import EMBED_COOKIE_NAME, READER_FIELD, read_token, token_for
from tests.factories import ChiefEditorFactory, PublishedClaimFactory, PublishedQuizFactory, take_quiz
from tests.helpers.shared_data import built_once

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
# What a browser sends with a form posted from one of our pages, framed or not (the test server's host).
OURS = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
SCRIPT = Path(settings.BASE_DIR) / "static" / "js" / "embed.js"


class CookielessClient(Client):
    """A browser that refuses every cookie it is sent (as with third-party cookies blocked, inside a frame).
    `offered` lists the names of the cookies the site tried to set."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.offered: list[str] = []

    def request(self, **request):
        response = super().request(**request)
        self.offered += list(response.cookies)
        self.cookies.clear()
        return response


class _Page(HTMLParser):
    """The links, forms and hidden fields of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in values:
            self.links.append(values)
        elif tag == "form":
            self.forms.append(values)
        elif tag == "input" and values.get("type") == "hidden":
            self.fields[values.get("name", "")] = values.get("value", "")


def _token_in(response) -> str:
    return _Page(response.content.decode()).fields[READER_FIELD]


def _link(response, element_id: str) -> str:
    return next(link["href"] for link in _Page(response.content.decode()).links if link.get("id") == element_id)


def _questions(quiz: Quiz):
    return list(quiz.questions.prefetch_related("choices"))


def _pick(question, *, right: bool):
    return next(c for c in question.choices.all() if c.is_correct == right)


def _embed(name: str, quiz: Quiz, *args) -> str:
    return reverse(f"embed-quiz-{name}", args=[quiz.slug, *args])


@pytest.fixture
def quiz() -> Quiz:
    return PublishedQuizFactory(questions=3)


# Routes, in both languages ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    def build():
        load_demo()
        english = Quiz.objects.published().get(translation_of=None)
        claim = Claim.objects.published().filter(translation_of__isnull=False).order_by("pk").first()
        return {
            "claim": claim.translation_of.slug,
            "claim_es": claim.slug,
            "quiz": english.slug,
            "quiz_es": Quiz.objects.get(translation_of=english).slug,
        }

    yield from built_once(django_db_blocker, build)


def test_the_claim_card_in_both_languages(demo, client):
    english = client.get(f"/embed/claims/{demo['claim']}/")
    assert english.status_code == 200
    claim = Claim.objects.get(slug=demo["claim"])
    html = english.content.decode()
    assert '<html lang="en"' in html
    for shown in (claim.statement, claim.claimant, claim.ruling, f'data-verdict="{claim.verdict.replace("_", "-")}"'):
        assert shown in html
    assert 'class="site-header"' not in html and 'class="site-footer"' not in html
    assert f'href="/claims/{claim.slug}/"' in html

    spanish = client.get(f"/es/embed/claims/{demo['claim_es']}/")
    assert spanish.status_code == 200
    html = spanish.content.decode()
    assert '<html lang="es"' in html
    assert Claim.objects.get(slug=demo["claim_es"]).statement in html
    assert f'href="/es/claims/{demo["claim_es"]}/"' in html
    # The English version's address under /es/ moves to the Spanish version, as the permalink does.
    moved = client.get(f"/es/embed/claims/{demo['claim']}/")
    assert moved.status_code == 302 and moved["Location"] == f"/es/embed/claims/{demo['claim_es']}/"


def test_the_quiz_in_both_languages(demo):
    for prefix, slug, lang in (("", demo["quiz"], "en"), ("/es", demo["quiz_es"], "es")):
        client = Client()  # a reader of each: one reader would be shown where they were in the other language
        intro = client.get(f"{prefix}/embed/quizzes/{slug}/")
        assert intro.status_code == 200
        html = intro.content.decode()
        assert f'<html lang="{lang}"' in html
        assert Quiz.objects.get(slug=slug).title in html
        page = _Page(html)
        assert page.forms[0]["action"] == f"{prefix}/embed/quizzes/{slug}/start/"
        assert READER_FIELD in page.fields and "csrfmiddlewaretoken" not in page.fields
        start = client.post(page.forms[0]["action"], {READER_FIELD: page.fields[READER_FIELD]}, headers=OURS)
        assert start.status_code == 303
        assert start["Location"].startswith(f"{prefix}/embed/quizzes/{slug}/q/1/?{READER_FIELD}=")
        question = client.get(start["Location"])
        assert question.status_code == 200 and f'<html lang="{lang}"' in question.content.decode()


def test_an_embed_keeps_the_language_of_its_address(demo, client):
    # A framed page loads as a cross-site navigation: a Spanish browser is not moved to /es/ (the partner chose).
    headers = {"Accept-Language": "es", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Site": "cross-site"}
    response = client.get(f"/embed/claims/{demo['claim']}/", headers=headers)
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_unknown_embeds_answer_404_inside_the_frame(client, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://partner.example"]
    for path in ("/embed/claims/no-such-claim/", "/embed/quizzes/no-such-quiz/", "/es/embed/claims/no-such-claim/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "frame-ancestors https://partner.example" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response


# Headers -----------------------------------------------------------------------------------------------


def test_only_embeds_may_be_framed_and_by_whom_the_setting_says(client, quiz, settings):
    claim = PublishedClaimFactory()
    settings.EMBED_FRAME_ANCESTORS = ["https://partner.example", "https://*.news.example"]
    reader = Client()
    intro = reader.get(_embed("detail", quiz))
    start = reader.post(_embed("start", quiz), {READER_FIELD: _token_in(intro)}, headers=OURS)
    embeds = [client.get(f"/embed/claims/{claim.slug}/"), intro, start, reader.get(start["Location"])]
    for response in embeds:
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors https://partner.example https://*.news.example" in policy, policy
        assert "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]
        assert "X-Frame-Options" not in response
        # The rest of the policy is the site's: no inline code, our own files only.
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    pages = [client.get(claim.get_absolute_url()), client.get(quiz.get_absolute_url()), client.get("/")]
    for response in pages:
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_any_origin_may_frame_by_default(client, quiz):
    assert settings.EMBED_FRAME_ANCESTORS == ["*"]
    response = client.get(_embed("detail", quiz))
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_the_cached_claim_card_keeps_its_headers(client):
    claim = PublishedClaimFactory()
    first, second = client.get(f"/embed/claims/{claim.slug}/"), client.get(f"/embed/claims/{claim.slug}/")
    assert first.content == second.content  # the second from the page cache
    for response in (first, second):
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response


# Links -------------------------------------------------------------------------------------------------


def _check_links(response) -> tuple[list[str], list[str]]:
    """(links that stay in the frame, links that open a new tab); fails on any other kind."""
    inside, outside = [], []
    for link in _Page(response.content.decode()).links:
        if is_embed_path(link["href"]):
            assert "target" not in link, link
            inside.append(link["href"])
        else:
            assert link.get("target") == "_blank", link
            assert "noopener" in link.get("rel", "").split(), link
            outside.append(link["href"])
    return inside, outside


def test_links_that_leave_an_embed_open_a_new_tab(quiz):
    claim = PublishedClaimFactory()
    reader = Client()
    inside, outside = _check_links(reader.get(f"/embed/claims/{claim.slug}/"))
    assert claim.get_absolute_url() in outside and f"{reverse('ratings')}#verdict-{claim.rating.key}" in outside
    intro = reader.get(_embed("detail", quiz))
    _check_links(intro)
    start = reader.post(_embed("start", quiz), {READER_FIELD: _token_in(intro)}, headers=OURS)
    next_url = start["Location"]
    for number, question in enumerate(_questions(quiz), start=1):
        asked = reader.get(next_url)
        _check_links(asked)
        token = _token_in(asked)
        answer = {"question": question.pk, "choice": _pick(question, right=True).pk, READER_FIELD: token}
        feedback = reader.post(_embed("question", quiz, number), answer, headers={**OURS, **HX})
        inside, outside = _check_links(feedback)
        assert question.claim.get_absolute_url() in outside  # "Read the fact-check"
        next_url = _link(feedback, "next")
        assert next_url in inside
    result = reader.get(next_url)
    assert result.status_code == 200 and "You got" in result.content.decode()
    _check_links(result)


# Readers without cookies ---------------------------------------------------------------------------------


def _play_without_cookies(quiz: Quiz, *, htmx: bool) -> Client:
    """Take the embedded quiz to the end as a browser that keeps no cookie; every other answer right."""
    reader = CookielessClient()
    intro = reader.get(_embed("detail", quiz))
    assert intro.status_code == 200
    start = reader.post(_embed("start", quiz), {READER_FIELD: _token_in(intro)}, headers=OURS)
    assert start.status_code == 303
    page = reader.get(start["Location"])
    for number, question in enumerate(_questions(quiz), start=1):
        assert page.status_code == 200, page.content.decode()[:500]
        answer = {"question": question.pk, "choice": _pick(question, right=number % 2 == 1).pk}
        answer[READER_FIELD] = _token_in(page)
        url = _embed("question", quiz, number)
        if htmx:
            feedback = reader.post(url, answer, headers={**OURS, **HX})
            assert feedback.status_code == 200 and "<html" not in feedback.content.decode()
            assert "HX-Push-Url" not in feedback  # a frame's history is the host page's
        else:
            answered = reader.post(url, answer, headers=OURS)
            assert answered.status_code == 303
            assert parse_qs(urlsplit(answered["Location"]).query)[READER_FIELD]
            feedback = reader.get(answered["Location"])
        next_url = _link(feedback, "next")
        assert is_embed_path(next_url) and READER_FIELD in next_url
        page = reader.get(next_url, headers=HX) if htmx and number < quiz.questions.count() else reader.get(next_url)
    assert page.status_code == 200
    assert "You got" in page.content.decode()
    return reader


@pytest.mark.parametrize("htmx", [False, True], ids=["without-javascript", "with-htmx"])
def test_a_reader_without_cookies_takes_the_embedded_quiz_to_the_end_counted_once(quiz, htmx):
    reader = _play_without_cookies(quiz, htmx=htmx)
    # The embed asks for its reader cookie once, at the start, and never for a CSRF cookie.
    assert reader.offered == [EMBED_COOKIE_NAME]
    attempt = Attempt.objects.get(quiz=quiz)
    assert attempt.is_finished and attempt.counted
    assert (attempt.score, attempt.total) == (2, 3)
    assert Answer.objects.filter(attempt=attempt).count() == 3
    assert ScoreTally.objects.get(quiz=quiz, score=2).attempts == 1


def test_the_embed_cookie_is_partitioned_and_brings_a_reader_back(quiz):
    reader = Client()
    intro = reader.get(_embed("detail", quiz))
    assert EMBED_COOKIE_NAME not in intro.cookies  # nothing is stored before the reader starts
    start = reader.post(_embed("start", quiz), {READER_FIELD: _token_in(intro)}, headers=OURS)
    cookie = start.cookies[EMBED_COOKIE_NAME].OutputString()
    for attribute in ("Partitioned", "SameSite=None", "Secure", "HttpOnly"):
        assert attribute in cookie, cookie
    assert "quiz_reader=" not in str(start.cookies)  # the site's own cookie is not set from an embed
    # Back later without the token (a new page view of the host page): the cookie says where they were.
    again = reader.get(_embed("detail", quiz))
    assert again.status_code == 200 and 'id="quiz-continue"' in again.content.decode()


def test_embed_pages_are_never_stored_by_shared_caches(quiz):
    reader = Client()
    for response in (reader.get(_embed("detail", quiz)), reader.get(_embed("question", quiz, 1))):
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_same_counting_rules_as_on_our_pages(quiz, settings):
    settings.QUIZ_COUNTED_ATTEMPTS = 1
    reader = Client()
    intro = reader.get(_embed("detail", quiz))
    token = _token_in(intro)
    for _ in range(2):  # two finished attempts by one reader: only the first counts
        start = reader.post(_embed("start", quiz), {READER_FIELD: token}, headers=OURS)
        assert start.status_code == 303
        for number, question in enumerate(_questions(quiz), start=1):
            answer = {"question": question.pk, "choice": _pick(question, right=True).pk, READER_FIELD: token}
            assert reader.post(_embed("question", quiz, number), answer, headers=OURS).status_code == 303
    assert list(Attempt.objects.filter(quiz=quiz).order_by("started_at").values_list("counted", flat=True)) == [
        True,
        False,
    ]
    settings.QUIZ_START_RATE = "0/600"
    limited = reader.post(_embed("start", quiz), {READER_FIELD: token}, headers=OURS)
    assert limited.status_code == 429 and limited["Retry-After"]
    assert "X-Frame-Options" not in limited


# Refused tokens and forms -----------------------------------------------------------------------------------


@pytest.fixture
def started(quiz):
    """A reader who started the embedded quiz and answered question 1: (client, token, attempt)."""
    reader = CookielessClient()
    token = _token_in(reader.get(_embed("detail", quiz)))
    assert reader.post(_embed("start", quiz), {READER_FIELD: token}, headers=OURS).status_code == 303
    first = _questions(quiz)[0]
    answer = {"question": first.pk, "choice": _pick(first, right=True).pk, READER_FIELD: token}
    assert reader.post(_embed("question", quiz, 1), answer, headers=OURS).status_code == 303
    return reader, token, Attempt.objects.get(quiz=quiz)


def _expired(token_reader: str, quiz: Quiz) -> str:
    with mock.patch("time.time", return_value=1_000_000_000.0):
        return token_for(token_reader, quiz_pk=quiz.pk)


def _tampered(token: str) -> str:
    value, rest = token.split(":", 1)
    return f"{value[:-1]}{'A' if value[-1] != 'A' else 'B'}:{rest}"


def _forged_reader(token: str) -> str:
    # Another reader's id with this token's signature: a stranger trying to write into someone else's attempt.
    _value, rest = token.split(":", 1)
    other = signing.b64_encode(b'["somebody-else",1]').decode()
    return f"{other}:{rest}"


# What the 403 says, for each way a token can be wrong.
EXPLAINED = {
    "tampered": "changed or copied incompletely",
    "forged": "changed or copied incompletely",
    "expired": "opened too long ago",
    "other-quiz": "made for another quiz",
    "garbage": "changed or copied incompletely",
    "missing": "did not say who is answering",
}


@pytest.mark.parametrize("kind", EXPLAINED)
def test_a_bad_token_is_refused_and_changes_nothing(started, quiz, kind):
    reader, token, attempt = started
    other_quiz = PublishedQuizFactory(questions=1)
    bad = {
        "tampered": _tampered(token),
        "forged": _forged_reader(token),
        "expired": _expired(attempt.reader, quiz),
        "other-quiz": token_for(attempt.reader, quiz_pk=other_quiz.pk),
        "garbage": "x" * 5000,
        "missing": "",
    }[kind]
    second = _questions(quiz)[1]
    answer = {"question": second.pk, "choice": _pick(second, right=True).pk, READER_FIELD: bad}
    before = list(Answer.objects.values_list("pk", "choice_id"))
    for headers in (OURS, {**OURS, **HX}):
        refused = reader.post(_embed("question", quiz, 2), answer, headers=headers)
        assert refused.status_code == 403, refused.content.decode()[:300]
        html = refused.content.decode()
        assert "Start the quiz again" in html
        assert EXPLAINED[kind] in html, html
        assert "X-Frame-Options" not in refused and "frame-ancestors *" in refused["Content-Security-Policy"]
    assert reader.post(_embed("start", quiz), {READER_FIELD: bad}, headers=OURS).status_code == 403
    if bad:
        assert reader.get(_embed("question", quiz, 2), {READER_FIELD: bad}).status_code == 403
    assert list(Answer.objects.values_list("pk", "choice_id")) == before
    assert Attempt.objects.filter(quiz=quiz).count() == 1
    attempt.refresh_from_db()
    assert not attempt.is_finished


def test_a_token_lapses_after_it_was_first_issued_however_often_it_is_renewed(started, quiz):
    reader, token, attempt = started
    _reader, issued = read_token(token, quiz_pk=quiz.pk)
    # Each page signs the token again for its links and forms, keeping the moment it was first issued.
    page = reader.get(_embed("question", quiz, 2), {READER_FIELD: token})
    assert read_token(_token_in(page), quiz_pk=quiz.pk) == (attempt.reader, issued)
    # So one first issued longer ago than QUIZ_EMBED_TOKEN_AGE is refused, though its signature is fresh.
    late = token_for(attempt.reader, quiz_pk=quiz.pk, issued=int(time.time()) - settings.QUIZ_EMBED_TOKEN_AGE - 1)
    second = _questions(quiz)[1]
    answer = {"question": second.pk, "choice": _pick(second, right=True).pk, READER_FIELD: late}
    refused = reader.post(_embed("question", quiz, 2), answer, headers=OURS)
    assert refused.status_code == 403 and EXPLAINED["expired"] in refused.content.decode()
    assert not Answer.objects.filter(question=second).exists()


def test_a_form_posted_from_another_site_is_refused_even_with_a_good_token(started, quiz):
    reader, token, _attempt = started
    second = _questions(quiz)[1]
    answer = {"question": second.pk, "choice": _pick(second, right=True).pk, READER_FIELD: token}
    for headers in (
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://other.testserver"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ):
        assert reader.post(_embed("question", quiz, 2), answer, headers=headers).status_code == 403
    assert not Answer.objects.filter(question=second).exists()
    # Over HTTPS a browser without Origin or Sec-Fetch-Site still names the page in Referer: ours or nothing.
    assert reader.post(_embed("question", quiz, 2), answer, secure=True).status_code == 403
    ok = reader.post(_embed("question", quiz, 2), answer, secure=True, headers={"Referer": "https://testserver/x"})
    assert ok.status_code == 303


def test_someone_elses_token_writes_nothing_the_reader_could_not(started, quiz):
    """A stranger holding a copied token can go on where the reader is, and no further: the first answer counts."""
    _reader, token, attempt = started
    stranger = CookielessClient()
    first = _questions(quiz)[0]
    again = {"question": first.pk, "choice": _pick(first, right=False).pk, READER_FIELD: token}
    response = stranger.post(_embed("question", quiz, 1), again, headers={**OURS, **HX})
    assert response.status_code == 200
    assert "Your first answer is the one that counts" in response.content.decode()
    assert Answer.objects.get(attempt=attempt, question=first).is_correct
    third = _questions(quiz)[2]
    ahead = {"question": third.pk, "choice": _pick(third, right=True).pk, READER_FIELD: token}
    assert stranger.post(_embed("question", quiz, 3), ahead, headers=OURS).status_code == 409  # in order only
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_the_sites_own_quiz_still_needs_its_csrf_token(quiz):
    strict = Client(enforce_csrf_checks=True)
    strict.get(quiz.get_absolute_url())
    assert strict.post(reverse("quiz-start", args=[quiz.slug])).status_code == 403
    # The embed's equivalent: its token and our Origin, no CSRF cookie needed.
    intro = strict.get(_embed("detail", quiz))
    strict.cookies.clear()
    assert strict.post(_embed("start", quiz), {READER_FIELD: _token_in(intro)}, headers=OURS).status_code == 303


def test_cached_steps_of_the_site_and_the_embed_stay_apart(quiz):
    site_reader, embed_reader = Client(), Client()
    site_reader.post(reverse("quiz-start", args=[quiz.slug]))
    site_page = site_reader.get(reverse("quiz-question", args=[quiz.slug, 1])).content.decode()
    intro = embed_reader.get(_embed("detail", quiz))
    start = embed_reader.post(_embed("start", quiz), {READER_FIELD: _token_in(intro)}, headers=OURS)
    embed_page = embed_reader.get(start["Location"]).content.decode()
    assert "csrfmiddlewaretoken" in site_page and f'name="{READER_FIELD}"' not in site_page
    assert f'name="{READER_FIELD}"' in embed_page and "csrfmiddlewaretoken" not in embed_page
    assert 'class="site-header"' in site_page and 'class="site-header"' not in embed_page
    # The embed's cached step holds no reader's token: two readers get their own.
    other = Client()
    other_start = other.post(
        _embed("start", quiz), {READER_FIELD: _token_in(other.get(_embed("detail", quiz)))}, headers=OURS
    )
    assert _token_in(other.get(other_start["Location"])) != _token_in(embed_reader.get(start["Location"]))


def test_a_shared_result_in_an_embed_carries_nobodys_token(quiz):
    attempt = take_quiz(quiz, right=2, reader="owner")
    owner_token = token_for("owner", quiz_pk=quiz.pk)
    owner = Client().get(_embed("result", quiz, attempt.token), {READER_FIELD: owner_token})
    assert owner.status_code == 200 and "You got" in owner.content.decode()
    for _ in range(2):  # rendered, then from the cache
        shared = Client().get(_embed("result", quiz, attempt.token))
        html = shared.content.decode()
        assert shared.status_code == 200 and "A reader got" in html
        assert f"{READER_FIELD}=" not in html
        assert _embed("detail", quiz) in [link["href"] for link in _Page(html).links]  # "Take the quiz yourself"


# The snippet and the script ------------------------------------------------------------------------------------


def test_the_host_script_is_under_2_kb_gzipped():
    size = len(gzip.compress(SCRIPT.read_bytes(), compresslevel=9))
    assert size < 2048, f"static/js/embed.js is {size} bytes gzipped"


def test_the_permalink_and_the_quiz_intro_offer_the_embed_code(client, quiz, settings):
    settings.SITE_URL = "https://factcheck.example"
    claim = PublishedClaimFactory()
    for page, path in (
        (client.get(claim.get_absolute_url()), f"/embed/claims/{claim.slug}/"),
        (client.get(quiz.get_absolute_url()), f"/embed/quizzes/{quiz.slug}/"),
    ):
        html = page.content.decode()
        assert '<details class="embed-code"' in html
        frame = f"&lt;iframe src=&quot;https://factcheck.example{path}&quot;"
        assert html.count(frame) == 2  # with and without the script
        assert html.count("&lt;script src=&quot;https://factcheck.example/static/js/embed.js&quot; async&gt;") == 1
        assert "data-copy-button" in html and "readonly" in html


def test_the_embed_code_of_each_version_is_in_its_language(demo):
    spanish = Claim.objects.get(slug=demo["claim_es"])
    code = embed_code(spanish)  # wherever it is asked for: the admin's language is the editor's
    assert f'src="{settings.SITE_URL}/es/embed/claims/{spanish.slug}/"' in code.without_script
    assert escape(spanish.statement) in code.without_script
    english = embed_code(spanish.translation_of)
    assert f'src="{settings.SITE_URL}/embed/claims/{demo["claim"]}/"' in english.without_script
    assert f'title="Fact-check: “{escape(spanish.translation_of.statement)}”"' in english.without_script


def test_editors_find_the_embed_code_in_the_admin(client, quiz):
    claim = PublishedClaimFactory()
    client.force_login(ChiefEditorFactory())
    for path, embed in (
        (reverse("admin:claims_claim_change", args=[claim.pk]), f"/embed/claims/{claim.slug}/"),
        (reverse("admin:claims_quiz_change", args=[quiz.pk]), f"/embed/quizzes/{quiz.slug}/"),
    ):
        html = client.get(path).content.decode()
        assert "embed-code" in html and embed in html, path
        assert re.search(r'<script src="/static/js/site\.js"', html)
