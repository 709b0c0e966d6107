"""The quiz as readers take it, through its URLs, with and without htmx."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from claims.models import Answer, Attempt, QuestionTally, ScoreTally, Status
from tests.factories import PublishedQuizFactory, QuestionFactory, QuizFactory, take_quiz
from tests.helpers.quiz_html import revealed
from tests.helpers.quiz_readers import reader_id

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _url(quiz, number: int) -> str:
    return reverse("quiz-question", kwargs={"slug": quiz.slug, "number": number})


def _questions(quiz):
    return list(quiz.questions.prefetch_related("choices"))


def _right(question):
    return next(c for c in question.choices.all() if c.is_correct)


def _wrong(question):
    return next(c for c in question.choices.all() if not c.is_correct)


def _start(client: Client, quiz) -> Attempt:
    response = client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    assert response.status_code == 303
    return Attempt.objects.filter(quiz=quiz).latest("started_at")


def _answer(client: Client, quiz, number: int, choice, *, htmx: bool = False):
    question = _questions(quiz)[number - 1]
    return client.post(_url(quiz, number), {"question": question.pk, "choice": choice.pk}, headers=HX if htmx else {})


def _finish(client: Client, quiz, *, right: int) -> Attempt:
    attempt = _start(client, quiz)
    for number, question in enumerate(_questions(quiz), start=1):
        _answer(client, quiz, number, _right(question) if number <= right else _wrong(question))
    attempt.refresh_from_db()
    assert attempt.is_finished
    return attempt


def _is_fragment(response) -> bool:
    return "<html" not in response.text


@pytest.fixture
def quiz():
    return PublishedQuizFactory(questions=3, title="Border facts", intro="How well did you read it?")


@pytest.fixture
def reader(quiz) -> Client:
    client = Client()
    _start(client, quiz)
    return client


# The intro and starting ---------------------------------------------------------


def test_intro_shows_the_quiz_its_article_the_question_count_and_a_start_button(client, quiz):
    response = client.get(quiz.get_absolute_url())
    assert response.status_code == 200
    assert "Border facts" in response.text and "How well did you read it?" in response.text
    assert quiz.article.get_absolute_url() in response.text and quiz.article.title in response.text
    assert "3 questions" in response.text
    assert f'action="{reverse("quiz-start", kwargs={"slug": quiz.slug})}"' in response.text
    assert 'method="post"' in response.text and "Start the quiz" in response.text
    assert not Attempt.objects.exists(), "looking at the intro starts nothing"


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
@pytest.mark.parametrize("which", ["draft", "missing"])
def test_a_draft_or_missing_quiz_is_a_clear_404_everywhere(client, headers, which):
    slug = "no-such-quiz"
    if which == "draft":
        slug = QuestionFactory(quiz=QuizFactory(status=Status.DRAFT)).quiz.slug
    for url in (f"/quizzes/{slug}/", f"/quizzes/{slug}/q/1/", f"/quizzes/{slug}/results/abc/"):
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert "Quiz not found" in response.text or "Result not found" in response.text
        assert _is_fragment(response) == bool(headers)
    response = client.post(f"/quizzes/{slug}/start/", headers=headers)
    assert response.status_code == 404
    response = client.post(f"/quizzes/{slug}/q/1/", {"question": 1, "choice": 1}, headers=headers)
    assert response.status_code == 404
    assert not Attempt.objects.exists() and not Answer.objects.exists()


def test_starting_creates_an_anonymous_attempt_tied_to_the_session_and_goes_to_question_1(client, quiz):
    response = client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    assert response.status_code == 303 and response["Location"] == _url(quiz, 1)
    attempt = Attempt.objects.get()
    assert attempt.reader == reader_id(client) and attempt.counted and not attempt.is_finished
    assert not client.session.get("_auth_user_id")


def test_start_is_post_only(client, quiz):
    assert client.get(reverse("quiz-start", kwargs={"slug": quiz.slug})).status_code == 405
    assert not Attempt.objects.exists()


# A question ---------------------------------------------------------------------------


def test_a_question_is_a_real_form_whose_choices_each_submit_it(reader, quiz):
    first = _questions(quiz)[0]
    response = reader.get(_url(quiz, 1))
    assert response.status_code == 200
    html = response.text
    assert 'id="question"' in html and first.prompt in html
    assert re.search(r'id="progress".*?Question 1 of 3.*?<progress[^>]*max="3" value="0"', html, re.S)
    assert f'<form id="answer-form" class="quiz-form" method="post" action="{_url(quiz, 1)}"' in html
    assert f'hx-post="{_url(quiz, 1)}"' in html and 'hx-target="#quiz-step"' in html
    assert "<fieldset" in html and "<legend" in html
    for choice in first.choices.all():
        # Each choice is a submit button of the form: one tap answers, with or without JavaScript.
        assert re.search(
            rf'<button type="submit" name="choice" value="{choice.pk}" id="choice-{choice.pk}"[^>]*>'
            rf"\s*<span[^>]*>{choice.text}</span>\s*</button>",
            html,
        )
    assert "Submit answer" not in html and 'type="radio"' not in html
    assert 'id="running-score"' not in html, "no score before the first answer"
    assert 'name="csrfmiddlewaretoken"' in html and f'name="question" value="{first.pk}"' in html
    assert "js/quiz.js" in html
    assert " style=" not in html and "hx-on" not in html and "onclick" not in html


def test_without_an_attempt_a_question_sends_the_reader_to_the_intro(client, quiz):
    response = client.get(_url(quiz, 1))
    assert response.status_code == 302 and response["Location"] == quiz.get_absolute_url()
    response = client.get(_url(quiz, 1), headers=HX)
    assert response["HX-Redirect"] == quiz.get_absolute_url()


def test_asking_for_a_later_question_jumps_to_the_first_unanswered_one(reader, quiz):
    assert reader.get(_url(quiz, 3))["Location"] == _url(quiz, 1)
    _answer(reader, quiz, 1, _right(_questions(quiz)[0]))
    assert reader.get(_url(quiz, 3))["Location"] == _url(quiz, 2)
    # htmx follows the redirect and pushes the URL of the question it was given.
    response = reader.get(_url(quiz, 3), headers=HX, follow=True)
    assert response.status_code == 200 and response["HX-Push-Url"] == _url(quiz, 2)


def test_a_question_number_outside_the_quiz_is_404(reader, quiz):
    for number in (0, 4, 99):
        response = reader.get(_url(quiz, number))
        assert response.status_code == 404 and "This quiz has 3 questions" in response.text
    assert reader.get(f"/quizzes/{quiz.slug}/q/abc/").status_code == 404


# Answering ----------------------------------------------------------------------------


def test_without_javascript_an_answer_is_post_redirect_get_to_the_feedback(reader, quiz, settings):
    settings.QUIZ_MIN_SAMPLE = 1
    first = _questions(quiz)[0]
    response = _answer(reader, quiz, 1, _right(first))
    assert response.status_code == 303 and response["Location"] == _url(quiz, 1)
    page = reader.get(_url(quiz, 1))
    html = page.text
    assert page.status_code == 200 and "<html" in html
    assert 'id="feedback"' in html and "Right" in html
    assert revealed(html) == {"yours": "B", "right": "B"} and first.explanation in html
    assert first.claim.get_absolute_url() in html and 'class="badge badge--true"' in html
    assert "100% of readers got this right." in html
    assert 'id="answer-form"' not in html, "the choices stay, revealed, and no longer submit"
    assert re.search(r'<rect width="100" height="10"/></svg><span class="quiz-choice__percent">100% of readers', html)
    assert re.search(r'id="running-score">Right so far: 1 of 1<', html)
    assert f'href="{_url(quiz, 2)}"' in html and 'hx-push-url="true"' in html
    assert re.search(r'<progress[^>]*value="1"', html)


def test_with_htmx_an_answer_returns_the_feedback_fragment_to_swap(reader, quiz, settings):
    settings.QUIZ_MIN_SAMPLE = 1
    first = _questions(quiz)[0]
    response = _answer(reader, quiz, 1, _wrong(first), htmx=True)
    assert response.status_code == 200 and _is_fragment(response)
    html = response.text
    assert html.strip().startswith('<section id="quiz-step"')
    assert 'id="feedback"' in html and "Wrong" in html and revealed(html) == {"yours": "A", "right": "B"}
    assert "0% of readers got this right." in html and 'id="running-score">Right so far: 0 of 1<' in html
    assert 'data-focus="#feedback-heading"' in html and 'id="feedback-heading"' in html
    assert 'data-announce="Wrong. The answer is B. 0% of readers got this right."' in html
    assert "Question 1 of 3" in html and re.search(r'<progress[^>]*value="1"', html)
    assert "HX-Request" in response["Vary"]


def test_with_htmx_next_brings_the_next_question_and_pushes_its_url(reader, quiz):
    _answer(reader, quiz, 1, _right(_questions(quiz)[0]), htmx=True)
    response = reader.get(_url(quiz, 2), headers=HX)
    assert response.status_code == 200 and _is_fragment(response)
    assert response["HX-Push-Url"] == _url(quiz, 2)
    assert "Question 2 of 3" in response.text and 'id="answer-form"' in response.text
    assert 'data-focus="#question"' in response.text
    # The back button's history restore gets the whole page.
    restore = reader.get(_url(quiz, 2), headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_readers_percentage_counts_every_counted_answer_including_this_one(quiz, settings):
    settings.QUIZ_MIN_SAMPLE = 4
    for right in (3, 0, 0):
        take_quiz(quiz, right=right)
    client = Client()
    _start(client, quiz)
    response = _answer(client, quiz, 1, _right(_questions(quiz)[0]), htmx=True)
    assert "50% of readers got this right." in response.text  # 2 right of 4
    # Each choice's share: "A" by the two who got nothing right, "B" by the other and this reader.
    assert len(re.findall(r'quiz-choice__percent">50% of readers<', response.text)) == 2


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_answering_again_changes_nothing_and_shows_the_first_answer(reader, quiz, htmx):
    first = _questions(quiz)[0]
    _answer(reader, quiz, 1, _wrong(first))
    for _ in range(3):  # answering again, the back button and re-posting, a replayed request
        response = _answer(reader, quiz, 1, _right(first), htmx=htmx)
        assert response.status_code == (200 if htmx else 303)
    assert Answer.objects.count() == 1 and not Answer.objects.get().is_correct
    assert _tally_of(first) == (1, 0)
    html = response.text if htmx else reader.get(_url(quiz, 1)).text
    assert revealed(html)["yours"] == "A" and "Wrong" in html
    if htmx:
        assert "You had already answered this question" in html


def _tally_of(question) -> tuple[int, int]:
    tally = QuestionTally.objects.get(question=question)
    return tally.answered, tally.correct


def test_an_answer_with_no_choice_rerenders_the_question_with_an_error(reader, quiz):
    first = _questions(quiz)[0]
    page = reader.post(_url(quiz, 1), {"question": first.pk})
    assert page.status_code == 200 and "<html" in page.text
    assert "Choose one of the answers" in page.text and 'aria-describedby="answer-error"' in page.text
    fragment = reader.post(_url(quiz, 1), {"question": first.pk}, headers=HX)
    assert fragment.status_code == 422 and _is_fragment(fragment)
    assert "Choose one of the answers" in fragment.text and 'id="answer-form"' in fragment.text
    assert 'data-focus="#answer-error"' in fragment.text
    assert not Answer.objects.exists()


def _bad_posts(quiz) -> dict[str, dict]:
    first, second, _ = _questions(quiz)
    other_quiz_question = _questions(PublishedQuizFactory(questions=1))[0]
    return {
        "choice of another question": {"question": first.pk, "choice": _right(second).pk},
        "choice of another quiz": {"question": first.pk, "choice": _right(other_quiz_question).pk},
        "question of another quiz": {"question": other_quiz_question.pk, "choice": _right(other_quiz_question).pk},
        "another question of this quiz": {"question": second.pk, "choice": _right(second).pk},
        "non-numeric choice": {"question": first.pk, "choice": "B"},
        "negative choice": {"question": first.pk, "choice": "-1"},
        "non-numeric question": {"question": "first", "choice": _right(first).pk},
        "missing question": {"choice": _right(first).pk},
        "unknown choice": {"question": first.pk, "choice": 999999},
        "superscript digit choice": {"question": first.pk, "choice": "²"},
        "superscript digit question": {"question": "²", "choice": _right(first).pk},
        "5000-digit choice": {"question": first.pk, "choice": "9" * 5000},
        "5000-digit question": {"question": "9" * 5000, "choice": _right(first).pk},
    }


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_bad_answers_get_a_clear_400_and_record_nothing(reader, quiz, htmx):
    for case, data in _bad_posts(quiz).items():
        response = reader.post(_url(quiz, 1), data, headers=HX if htmx else {})
        assert response.status_code == 400, case
        assert "That answer could not be recorded" in response.text, case
        assert _is_fragment(response) == htmx, case
        if htmx:
            assert 'id="quiz-step"' in response.text and 'data-focus="#error-heading"' in response.text
    assert not Answer.objects.exists() and not QuestionTally.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_answering_ahead_is_refused_and_records_nothing(reader, quiz, htmx):
    third = _questions(quiz)[2]
    response = _answer(reader, quiz, 3, _right(third), htmx=htmx)
    assert response.status_code == 409 and "Answer question 1 first" in response.text
    assert f'href="{_url(quiz, 1)}"' in response.text
    assert not Answer.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_answer_without_an_attempt_is_refused(client, quiz, htmx):
    response = _answer(client, quiz, 1, _right(_questions(quiz)[0]), htmx=htmx)
    assert response.status_code == 409 and "No quiz in progress" in response.text
    assert not Answer.objects.exists() and not Attempt.objects.exists()


def test_an_expired_or_deleted_attempt_is_refused(reader, quiz):
    Attempt.objects.all().delete()
    response = _answer(reader, quiz, 1, _right(_questions(quiz)[0]))
    assert response.status_code == 409 and not Answer.objects.exists()


def test_an_answer_to_a_question_of_an_unpublished_quiz_is_404(reader, quiz):
    quiz.status = Status.DRAFT
    quiz.save()
    response = _answer(reader, quiz, 1, _right(_questions(quiz)[0]), htmx=True)
    assert response.status_code == 404 and _is_fragment(response)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_post_without_csrf_token_is_refused(quiz, htmx):
    client = Client(enforce_csrf_checks=True)
    intro = client.get(quiz.get_absolute_url())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', intro.text).group(1)
    assert client.post(reverse("quiz-start", kwargs={"slug": quiz.slug})).status_code == 403
    assert not Attempt.objects.exists()
    client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}), {"csrfmiddlewaretoken": token})
    assert Attempt.objects.count() == 1
    first = _questions(quiz)[0]
    response = client.post(
        _url(quiz, 1), {"question": first.pk, "choice": _right(first).pk}, headers=HX if htmx else {}
    )
    assert response.status_code == 403 and not Answer.objects.exists()


def test_other_methods_are_refused(reader, quiz):
    assert reader.put(_url(quiz, 1)).status_code == 405
    assert reader.delete(_url(quiz, 1)).status_code == 405


# Resuming and starting again -------------------------------------------------------


def test_coming_back_in_the_same_browser_resumes_where_the_reader_was(reader, quiz):
    _answer(reader, quiz, 1, _right(_questions(quiz)[0]))
    # A new tab or a restarted browser: the same session cookie, a new client.
    again = Client()
    again.cookies = reader.cookies
    intro = again.get(quiz.get_absolute_url())
    assert "You are on question 2 of 3" in intro.text and f'href="{_url(quiz, 2)}"' in intro.text
    assert again.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))["Location"] == _url(quiz, 2)
    assert Attempt.objects.count() == 1
    # Another browser starts its own attempt.
    assert _start(Client(), quiz) != Attempt.objects.filter(reader=reader_id(reader)).get()


def test_the_last_answer_leads_to_the_results_and_a_finished_reader_may_start_again(client, quiz):
    attempt = _finished = _finish(client, quiz, right=2)
    last = client.get(_url(quiz, 3))
    assert f'href="{attempt.get_absolute_url()}"' in last.text and "See your score" in last.text
    # Going back to an answered question shows its feedback; past the end there is nothing.
    assert 'id="feedback"' in client.get(_url(quiz, 2)).text
    assert client.get(_url(quiz, 4)).status_code == 404
    intro = client.get(quiz.get_absolute_url())
    assert "You scored <strong>2 of 3</strong>" in intro.text and "Start again" in intro.text
    second = _start(client, quiz)
    assert second.pk != _finished.pk and Attempt.objects.count() == 2
    assert client.get(_url(quiz, 2))["Location"] == _url(quiz, 1)
    assert ScoreTally.objects.get(quiz=quiz).attempts == 1, "an attempt counts once, when it finishes"


def test_attempts_beyond_the_limit_from_one_browser_do_not_move_the_statistics(client, quiz, settings):
    settings.QUIZ_COUNTED_ATTEMPTS = 2
    for _ in range(5):
        _finish(client, quiz, right=3)
    assert list(Attempt.objects.values_list("counted", flat=True).order_by("id")) == [True, True, False, False, False]
    assert sum(ScoreTally.objects.values_list("attempts", flat=True)) == 2
    assert all(t.answered == 2 for t in QuestionTally.objects.all())
    latest = Attempt.objects.latest("id")
    assert "This attempt is not counted" in client.get(latest.get_absolute_url()).text


# Results ----------------------------------------------------------------------------------


@override_settings(QUIZ_MIN_SAMPLE=4)
def test_the_reader_sees_score_comparison_histogram_review_and_share_row(client, quiz):
    for right in (0, 1, 3):
        take_quiz(quiz, right=right)
    attempt = _finish(client, quiz, right=2)
    response = client.get(attempt.get_absolute_url())
    html = response.text
    assert response.status_code == 200
    assert re.search(r'id="score-number">2 of 3<', html)
    assert "better than 50% of the 4 readers" in html
    rows = re.findall(r'<li class="histogram__row[^"]*"[^>]*>.*?</li>', html, re.S)
    assert len(rows) == 4
    assert "histogram__row--yours" in rows[2] and 'aria-current="true"' in rows[2] and "you" in rows[2]
    assert "2 right" in rows[2] and "1 (25%)" in rows[2]
    assert all("histogram__row--yours" not in row for row in rows[:2] + rows[3:])
    review = re.search(r'id="review".*?</ol>', html, re.S).group(0)
    for question in _questions(quiz):
        assert question.prompt in review and question.claim.get_absolute_url() in review
    assert review.count("Your answer") == 3 and review.count("Wrong") == 1
    for network in ("mailto:?", "https://x.com/intent/post?", "https://www.facebook.com/sharer/sharer.php?"):
        assert network in html
    assert "data-copy-link" in html and 'id="share-url"' in html
    # "Challenge a friend" shares the quiz itself, not this reader's result.
    challenge = re.search(r'<div class="share-row" id="challenge"[^>]*>', html).group(0)
    assert f'data-share-url="{settings.SITE_URL}{quiz.get_absolute_url()}"' in challenge
    share_url = f"{settings.SITE_URL}{attempt.get_absolute_url()}"
    assert f'<meta property="og:url" content="{share_url}">' in html
    assert f'<meta property="og:image" content="{share_url}card.png">' in html
    assert 'property="og:title" content="I got 2/3 on “Border facts”"' in html
    assert "private" in response["Cache-Control"]


def test_the_shared_result_shows_the_score_but_not_the_answers(quiz):
    owner = Client()
    attempt = _finish(owner, quiz, right=1)
    response = Client().get(attempt.get_absolute_url())
    assert response.status_code == 200
    assert re.search(r'id="score-number">1 of 3<', response.text) and "A reader got" in response.text
    assert 'id="review"' not in response.text and "Your answer" not in response.text
    assert "Take the quiz yourself" in response.text and 'property="og:image"' in response.text


def test_result_tokens_are_unguessable_and_only_finished_attempts_have_a_result(reader, quiz):
    attempt = Attempt.objects.get()
    assert len(attempt.token) >= 22
    assert reader.get(attempt.get_absolute_url()).status_code == 404, "not finished yet"
    finished = take_quiz(quiz, right=1)
    assert finished.token != attempt.token
    other_quiz = PublishedQuizFactory()
    wrong_quiz_url = reverse("quiz-result", kwargs={"slug": other_quiz.slug, "token": finished.token})
    assert reader.get(wrong_quiz_url).status_code == 404
    assert reader.get(reverse("quiz-result", kwargs={"slug": quiz.slug, "token": "nope"})).status_code == 404


def test_the_share_card_is_a_1200_by_630_png(client, quiz):
    attempt = take_quiz(quiz, right=2)
    response = client.get(reverse("quiz-result-card", kwargs={"slug": quiz.slug, "token": attempt.token}))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    from io import BytesIO

    image = Image.open(BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert "public" in response["Cache-Control"]
    missing = client.get(reverse("quiz-result-card", kwargs={"slug": quiz.slug, "token": "nope"}))
    assert missing.status_code == 404


# Editors --------------------------------------------------------------------------------------


def test_editors_see_attempts_scores_and_choice_shares_on_the_quiz_admin_page(editor_client, quiz):
    take_quiz(quiz, right=3)
    take_quiz(quiz, right=0)
    Client().post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    response = editor_client.get(reverse("admin:claims_quiz_change", args=[quiz.pk]))
    html = response.text
    assert response.status_code == 200 and 'id="reader-statistics"' in html
    assert "<strong>3</strong> attempts started, <strong>2</strong> finished." in html
    assert "Scores of the 2 counted, finished attempts" in html
    assert re.search(r"<td>3 right</td><td>1</td><td>50%</td>", html)
    assert re.search(r"<td>A</td><td>1</td><td>50%</td>", html)
    assert re.search(r"<td>B <strong>\(correct\)</strong></td><td>1</td><td>50%</td>", html)
    assert editor_client.get(reverse("admin:claims_quiz_add")).status_code == 200
