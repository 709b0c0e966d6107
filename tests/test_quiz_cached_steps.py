"""Question steps rendered once and shared (claims/quiz_pages.py): each reader still sees only their own quiz.

A step's HTML is cached per content version with markers where a reader's values
go. These tests take the same step as different readers and check that what is
personal (their answer, their progress, their CSRF token, their result link)
never crosses over, that an editor's change shows on the next request, and that
readers who started before the reader cookie existed keep their quiz.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from claims import editorial
from claims.models import Answer, Attempt, Choice, QuestionTally, Quiz
from claims.quiz_pages import slot
from claims.quiz_readers import COOKIE_NAME, LEGACY_SESSION_KEY
from claims.views.quiz import TOKEN_LENGTH
from tests.factories import ChiefEditorFactory, PublishedQuizFactory
from tests.helpers.quiz_html import revealed
from tests.helpers.quiz_readers import reader_id

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
MARKER = slot("x", "nonce")[0]  # the private-use character that opens every marker


@pytest.fixture
def quiz() -> Quiz:
    return PublishedQuizFactory(questions=3)


def _url(quiz: Quiz, number: int) -> str:
    return reverse("quiz-question", kwargs={"slug": quiz.slug, "number": number})


def _choices(quiz: Quiz, number: int):
    question = list(quiz.questions.prefetch_related("choices"))[number - 1]
    choices = list(question.choices.all())
    return question, next(c for c in choices if c.is_correct), next(c for c in choices if not c.is_correct)


def _reader(quiz: Quiz, **client_options) -> Client:
    client = Client(**client_options)
    client.get(quiz.get_absolute_url())  # the CSRF cookie, as a browser gets it from the intro
    token = client.cookies["csrftoken"].value
    assert (
        client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}), headers={"X-CSRFToken": token}).status_code
        == 303
    )
    return client


def _answer(client: Client, quiz: Quiz, number: int, choice, **headers):
    question = choice.question
    return client.post(_url(quiz, number), {"question": question.pk, "choice": choice.pk}, headers=headers)


def test_two_readers_on_the_same_step_each_see_their_own_answer_and_progress(quiz, settings):
    settings.QUIZ_MIN_SAMPLE = 2
    _, right, wrong = _choices(quiz, 1)
    first, second = _reader(quiz), _reader(quiz)
    mine = _answer(first, quiz, 1, wrong, **HX).text
    theirs = _answer(second, quiz, 1, right, **HX).text
    assert "Wrong" in mine and revealed(mine)["yours"] == wrong.text
    assert "Right" in theirs and revealed(theirs)["yours"] == right.text
    # The first reader comes back to the same step: still their own answer, and the share now counts both.
    again = first.get(_url(quiz, 1)).text
    assert revealed(again)["yours"] == wrong.text
    assert "50% of readers got this right." in again
    # Progress is each reader's own: the second goes on to question 2, the first has answered one question.
    _answer(second, quiz, 2, _choices(quiz, 2)[1])
    assert 'value="2"' in second.get(_url(quiz, 2)).text
    assert 'value="1"' in first.get(_url(quiz, 1)).text


def test_the_form_carries_each_readers_own_csrf_token(quiz):
    _reader(quiz).get(_url(quiz, 1))  # another reader has the step rendered and cached
    strict = _reader(quiz, enforce_csrf_checks=True)
    page = strict.get(_url(quiz, 1)).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    question, right, _ = _choices(quiz, 1)
    answered = strict.post(_url(quiz, 1), {"csrfmiddlewaretoken": token, "question": question.pk, "choice": right.pk})
    assert answered.status_code == 303
    assert Answer.objects.filter(attempt__reader=reader_id(strict), question=question).exists()


def test_no_marker_reaches_a_reader_anywhere_in_the_quiz(quiz):
    client = _reader(quiz)
    pages = []
    for number in range(1, 4):
        _, right, wrong = _choices(quiz, number)
        pages.append(client.get(_url(quiz, number)))
        pages.append(client.get(_url(quiz, number), headers=HX))
        pages.append(_answer(client, quiz, number, wrong if number == 2 else right, **HX))
        pages.append(client.get(_url(quiz, number)))
        pages.append(_answer(client, quiz, number, right, **HX))  # answered again: the "already" note
    attempt = Attempt.objects.get(reader=reader_id(client))
    pages.append(client.get(attempt.get_absolute_url()))
    for response in pages:
        assert response.status_code == 200
        assert MARKER not in response.text
    last = pages[-2].text
    assert f'href="{attempt.get_absolute_url()}"' in last, "the last feedback links to this reader's own result"


def test_an_editors_change_shows_on_the_next_request(quiz):
    client = _reader(quiz)
    assert "Edited prompt" not in client.get(_url(quiz, 1)).text
    drafts = editorial.drafts_of(quiz)
    drafts[0].question.prompt = "Edited prompt: how many a day?"
    editorial.quiz_save(quiz=quiz, questions=drafts, by=ChiefEditorFactory())
    assert "Edited prompt: how many a day?" in client.get(_url(quiz, 1)).text
    assert "Edited prompt: how many a day?" in _reader(quiz).get(_url(quiz, 1), headers=HX).text


def test_an_editors_preview_is_never_served_to_readers(quiz, monkeypatch):
    # Scheduled: published, with a publication time still ahead. Editors preview it; readers cannot see it yet.
    Quiz.objects.filter(pk=quiz.pk).update(published_at=timezone.now() + timedelta(hours=1))
    editor = Client()
    editor.force_login(ChiefEditorFactory())
    editor.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    preview = editor.get(_url(quiz, 1))
    assert "This is a draft" in preview.text and preview["Cache-Control"] == "private, no-store"
    # The time comes (nothing is edited, so no cached page is invalidated): readers get the plain step.
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = _reader(quiz).get(_url(quiz, 1)).text
    assert "Question 1 of 3" in page and "This is a draft" not in page


def test_a_reader_who_started_before_the_cookie_keeps_their_quiz(quiz):
    old = Client()
    session = old.session
    session[LEGACY_SESSION_KEY] = "reader-from-the-session"
    session.save()
    attempt = Attempt.objects.create(quiz=quiz, reader="reader-from-the-session")
    _, right, _ = _choices(quiz, 1)
    Answer.objects.create(attempt=attempt, question=right.question, choice=right, is_correct=True)
    response = old.get(_url(quiz, 2))
    assert response.status_code == 200 and "Question 2 of 3" in response.text
    assert reader_id(old) == "reader-from-the-session", "the id moves to the reader cookie"
    old.cookies.pop("sessionid")
    assert "Question 2 of 3" in old.get(_url(quiz, 2)).text


@pytest.mark.parametrize("value", ["made-up", "a:b:c", "x" * 5000, "reader:1abc:forged-signature"])
def test_a_forged_reader_cookie_is_no_reader(quiz, value):
    client = Client()
    client.cookies[COOKIE_NAME] = value
    response = client.get(_url(quiz, 1))
    assert response.status_code == 302 and response["Location"] == quiz.get_absolute_url()
    question, right, _ = _choices(quiz, 1)
    refused = client.post(_url(quiz, 1), {"question": question.pk, "choice": right.pk})
    assert refused.status_code == 409
    assert not Answer.objects.exists()


def _finish(quiz: Quiz, *, right: bool) -> Client:
    client = _reader(quiz)
    for number in range(1, 4):
        _, correct, incorrect = _choices(quiz, number)
        assert _answer(client, quiz, number, correct if right else incorrect).status_code == 303
    return client


@override_settings(QUIZ_MIN_SAMPLE=1)
def test_a_shared_result_is_stored_once_but_always_shows_the_current_statistics(quiz):
    owner = _finish(quiz, right=True)
    url = Attempt.objects.get(reader=reader_id(owner)).get_absolute_url()
    first = Client().get(url).text
    assert 'id="histogram-caption" class="histogram__caption">How 1 reader scored' in first
    assert "Your answers" not in first
    assert "How 1 reader scored" in Client().get(url).text  # the same page, from the cache
    _finish(quiz, right=False)  # another reader finishes: the statistics change
    again = Client().get(url).text
    assert "How 2 readers scored" in again and "better than 50% of the 2 readers" in again
    # Its owner still gets their own page, with the review of their answers and a fresh form.
    mine = owner.get(url).text
    assert "Your answers" in mine and "How 2 readers scored" in mine and "csrfmiddlewaretoken" in mine


def _behind_the_cache(sql: str, params: list) -> None:
    """A change the cached quiz has not seen yet (another server's, a moment ago): no signal, no new version."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_whether_an_answer_is_right_comes_from_the_database_not_the_cached_quiz(quiz):
    client = _reader(quiz)
    question, right, wrong = _choices(quiz, 1)
    client.get(_url(quiz, 1))  # the quiz and the step are cached
    table = Choice._meta.db_table
    _behind_the_cache(f"UPDATE {table} SET is_correct = %s WHERE id = %s", [False, right.pk])
    _behind_the_cache(f"UPDATE {table} SET is_correct = %s WHERE id = %s", [True, wrong.pk])
    feedback = _answer(client, quiz, 1, right, **HX).text
    assert "Wrong" in feedback
    assert not Answer.objects.get(question=question).is_correct
    assert QuestionTally.objects.get(question=question).correct == 0


@pytest.mark.parametrize(
    "change",
    [
        ("DELETE FROM claims_choice WHERE id = %s", "choice"),
        ("UPDATE claims_quiz SET status = 'draft' WHERE id = %s", "quiz"),
    ],
    ids=["choice removed", "quiz unpublished"],
)
def test_an_answer_to_what_editors_just_changed_is_a_clear_409_and_records_nothing(quiz, change):
    sql, target = change
    client = _reader(quiz)
    _, right, _ = _choices(quiz, 1)
    client.get(_url(quiz, 1))
    _behind_the_cache(sql, [right.pk if target == "choice" else quiz.pk])
    refused = _answer(client, quiz, 1, right, **HX)
    assert refused.status_code == 409 and "This quiz has just changed" in refused.text
    assert not Answer.objects.exists() and not QuestionTally.objects.exists()


def test_a_result_address_longer_than_any_token_is_404_without_a_query(quiz, django_assert_num_queries):
    assert Attempt._meta.get_field("token").max_length == TOKEN_LENGTH
    url = reverse("quiz-result", kwargs={"slug": quiz.slug, "token": "x" * 300})
    Client().get(quiz.get_absolute_url())  # the quiz's index is cached
    with django_assert_num_queries(0):
        assert Client().get(url).status_code == 404


def test_starting_again_renews_the_reader_cookie_and_the_intro_is_private(quiz):
    client = _finish(quiz, right=True)
    intro = client.get(quiz.get_absolute_url())
    assert "You scored" in intro.text and "private" in intro["Cache-Control"]
    again = client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    assert again.status_code == 303 and COOKIE_NAME in again.cookies
    assert again.cookies[COOKIE_NAME]["max-age"] == settings.QUIZ_READER_COOKIE_AGE


def test_an_editors_text_cannot_spell_a_readers_value_into_the_page(quiz):
    # Markers carry a random nonce: text that looks like one is shown as it was written, never filled.
    drafts = editorial.drafts_of(quiz)
    drafts[0].question.prompt = "How many a day? \ue000csrf\ue001 \ue000:csrf\ue001"
    editorial.quiz_save(quiz=quiz, questions=drafts, by=ChiefEditorFactory())
    client = _reader(quiz)
    page = client.get(_url(quiz, 1)).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert page.count(token) == 1, "the reader's token is in their form only"
    assert "How many a day? \ue000csrf\ue001 \ue000:csrf\ue001" in page
