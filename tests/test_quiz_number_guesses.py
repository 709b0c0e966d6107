"""Number guesses and the honest-statistics rule, through the quiz's URLs and its services."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from claims import quiz_services
from claims.editorial import DEMO_AUTHOR, DEMO_REVIEWER, approve, publish, quiz_save, submit_for_review
from claims.editorial.quizzes import drafts_of
from claims.models import Answer, Attempt, OptionTally, QuestionTally, Status
from claims.quiz_numbers import NotANumber, bin_of, make_bins, parse_guess
from tests.factories import (
    NumberQuestionFactory,
    PublishedClaimFactory,
    PublishedQuizFactory,
    QuizFactory,
    SourceFactory,
    take_quiz,
)

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def quiz():
    """One choice question, then one number guess: 0 to 5,000, true value 1,000, right within 100."""
    return PublishedQuizFactory(questions=1, questions__numbers=1)


def _guess_question(quiz):
    return quiz.questions.get(kind="number")


def _url(quiz, number: int) -> str:
    return reverse("quiz-question", kwargs={"slug": quiz.slug, "number": number})


def _at_the_guess(quiz) -> Client:
    """A reader who answered the choice question and now faces the number guess."""
    client = Client()
    client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    first = quiz.questions.get(kind="choice")
    right = first.choices.get(is_correct=True)
    assert client.post(_url(quiz, 1), {"question": first.pk, "choice": right.pk}).status_code == 303
    return client


# Reading and judging a guess ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1000", "1000"),
        ("1,000", "1000"),
        ("1 000", "1000"),
        ("172.000,5", "172000.5"),
        ("2,5", "2.5"),
        ("12,500,000", "12500000"),
        ("0.125", "0.13"),  # two places, as stored
    ],
)
def test_a_guess_is_read_as_readers_type_it(typed, value):
    assert parse_guess(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "abc", "1e5", "NaN", "Infinity", "١٢", "12-3", "1" * 40, "--1"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(NotANumber):
        parse_guess(typed)


def test_bins_are_whole_steps_and_hold_every_guess():
    edges = make_bins(Decimal(0), Decimal(5000), Decimal(50))
    assert edges[0] == "0.00" and edges[-1] == "5000.00" and len(edges) == 11
    assert bin_of(Decimal(0), edges) == 0 and bin_of(Decimal("499.99"), edges) == 0 and bin_of(Decimal(500), edges) == 1
    assert bin_of(Decimal(5000), edges) == 9, "the highest guess is in the last bin"
    assert bin_of(Decimal(-7), edges) == 0 and bin_of(Decimal(9999), edges) == 9
    # A range of fewer steps than bins gets one bin per step.
    assert make_bins(Decimal(0), Decimal(6), Decimal(1)) == [f"{n}.00" for n in range(7)]


@pytest.mark.parametrize(
    ("guess", "right"),
    [("900", True), ("1100", True), ("1000", True), ("899.99", False), ("1100.01", False), ("0", False)],
)
def test_a_guess_within_the_tolerance_is_right_and_its_edges_count(quiz, guess, right):
    client = _at_the_guess(quiz)
    question = _guess_question(quiz)
    response = client.post(_url(quiz, 2), {"question": question.pk, "guess": guess})
    assert response.status_code == 303
    answer = Answer.objects.get(question=question)
    assert answer.guess == Decimal(guess) and answer.is_correct is right and answer.choice is None
    attempt = Attempt.objects.get()
    assert attempt.is_finished and attempt.score == 1 + right


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ("abc", "That is not a number"),
        ("1e3", "That is not a number"),
        ("5000.01", "Guess a number from 0 to 5,000."),
        ("-1", "Guess a number from 0 to 5,000."),
        ("99999999999999999999", "That is not a number"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_bad_guess_gets_a_clear_400_and_records_nothing(quiz, posted, message, htmx):
    client = _at_the_guess(quiz)
    question = _guess_question(quiz)
    response = client.post(_url(quiz, 2), {"question": question.pk, "guess": posted}, headers=HX if htmx else {})
    assert response.status_code == 400 and message in response.text
    assert ("<html" in response.text) is not htmx
    # The question again, with the error at the field: the reader corrects the guess where they typed it.
    assert 'id="answer-error"' in response.text and 'id="guess"' in response.text
    # What they typed is still in the field (a browser drops what a number field cannot hold, such as "abc").
    field = re.search(r'<input type="number" id="guess"[^>]*>', response.text)
    assert field is not None and f'value="{posted}"' in field.group()
    assert not Answer.objects.filter(question=question).exists()
    assert not QuestionTally.objects.filter(question=question).exists()
    assert not OptionTally.objects.filter(question=question).exists()


def test_an_empty_guess_shows_the_question_again_with_its_error(quiz):
    client = _at_the_guess(quiz)
    question = _guess_question(quiz)
    page = client.post(_url(quiz, 2), {"question": question.pk, "guess": ""})
    assert page.status_code == 200 and 'id="answer-error"' in page.text and 'id="guess"' in page.text
    fragment = client.post(_url(quiz, 2), {"question": question.pk, "guess": " "}, headers=HX)
    assert fragment.status_code == 422 and "Type or slide to your guess" in fragment.text
    assert not Answer.objects.filter(question=question).exists()


def test_a_choice_posted_to_a_number_guess_is_not_a_guess(quiz):
    client = _at_the_guess(quiz)
    question = _guess_question(quiz)
    choice = quiz.questions.get(kind="choice").choices.first()
    response = client.post(_url(quiz, 2), {"question": question.pk, "choice": choice.pk})
    assert response.status_code == 200 and not Answer.objects.filter(question=question).exists()


def test_the_guess_is_judged_on_the_question_as_stored_not_as_cached(quiz):
    client = _at_the_guess(quiz)
    question = _guess_question(quiz)
    client.get(_url(quiz, 2))  # the quiz and the step are now cached
    # Through the write path readers would see it after review; a direct change stands in for the race.
    type(question).objects.filter(pk=question.pk).update(true_value=Decimal(3000))
    client.post(_url(quiz, 2), {"question": question.pk, "guess": "3000"})
    assert Answer.objects.get(question=question).is_correct


# The form and the reveal -----------------------------------------------------------------


def test_the_guess_form_is_a_typed_number_with_a_slider_for_javascript(quiz):
    client = _at_the_guess(quiz)
    html = client.get(_url(quiz, 2)).text
    number = re.search(r'<input type="number" id="guess" name="guess"[^>]*>', html).group(0)
    assert 'min="0"' in number and 'max="5000"' in number and "required" in number
    slider = re.search(r'<p class="quiz-guess__slider" hidden data-guess-slider>.*?</p>', html, re.S).group(0)
    assert 'type="range"' in slider and 'step="50"' in slider and 'name="' not in slider, "only the box is sent"
    assert 'value="2500"' in slider
    assert "From 0 to 5,000." in html and "people a day" in html
    assert 'id="running-score">Right so far: 1 of 1<' in html


def test_the_reveal_shows_the_true_value_its_quote_and_the_guess(quiz):
    claim = _guess_question(quiz).claim
    SourceFactory(claim=claim, quote="increasing apprehensions to an average of 1,000 per day", publisher="BuzzFeed")
    client = _at_the_guess(quiz)
    question = _guess_question(quiz)
    html = client.post(_url(quiz, 2), {"question": question.pk, "guess": "1,250"}, headers=HX).text
    assert re.search(r'id="true-value">The answer: <strong[^>]*>1,000 people a day</strong>', html)
    assert "“an average of 1,000 per day”" in html and "as quoted from BuzzFeed in the fact-check" in html
    assert re.search(r'id="your-guess">Your guess: <strong>1,250 people a day</strong>', html)
    assert "Wrong" in html and "within 100 of the answer counts as right" in html
    assert "among the first readers" in html and 'id="guess-histogram"' not in html
    assert 'data-announce="Wrong. The answer is 1,000 people a day."' in html


def test_the_histogram_counts_guesses_per_bin_and_marks_the_readers_and_the_answer(quiz, settings):
    settings.QUIZ_MIN_SAMPLE = 3
    for right in (2, 1):  # one guess of 1,000 (bin 2), one of 5,000 (the last bin)
        take_quiz(quiz, right=right)
    client = _at_the_guess(quiz)
    question = _guess_question(quiz)
    html = client.post(_url(quiz, 2), {"question": question.pk, "guess": "4990"}, headers=HX).text
    rows = re.findall(r'<li class="histogram__row histogram__row--wide[^"]*"[^>]*>.*?</li>', html, re.S)
    assert len(rows) == 10
    assert "0 to 500" in rows[0] and "0 (0%)" in rows[0]
    assert "1,000 to 1,500" in rows[2] and "1 (33%)" in rows[2] and "the answer" in rows[2]
    assert "4,500 to 5,000" in rows[9] and "2 (67%)" in rows[9] and "you" in rows[9]
    assert 'aria-current="true"' in rows[9] and "histogram__row--yours" in rows[9]
    assert "33% of readers got this right." in html
    counts = dict(OptionTally.objects.filter(question=question).values_list("option", "picked"))
    assert counts == {2: 1, 9: 2}


def test_editors_see_the_same_histogram(quiz, admin_client):
    take_quiz(quiz, right=2)
    stats = quiz_services.editor_stats(quiz)
    guess_stats = next(row for row in stats.questions if row.question.is_number)
    assert guess_stats.answered == 1
    assert [(b.low, b.picked, b.holds_answer) for b in guess_stats.bins][1:3] == [("500", 0, False), ("1,000", 1, True)]


def test_recounting_rebuilds_the_bins_from_the_answers(quiz):
    take_quiz(quiz, right=2)
    take_quiz(quiz, right=0)
    question = _guess_question(quiz)
    before = dict(OptionTally.objects.filter(question__quiz=quiz).values_list("question_id", "option").distinct())
    OptionTally.objects.all().delete()
    quiz_services.recount_statistics(quiz=quiz)
    assert dict(OptionTally.objects.filter(question=question).values_list("option", "picked")) == {2: 1, 9: 1}
    assert dict(OptionTally.objects.filter(question__quiz=quiz).values_list("question_id", "option").distinct()) == (
        before
    )


def test_the_review_lists_the_guess_and_the_true_value(quiz):
    client = _at_the_guess(quiz)
    question = _guess_question(quiz)
    client.post(_url(quiz, 2), {"question": question.pk, "guess": "950"})
    html = client.get(Attempt.objects.get().get_absolute_url()).text
    review = re.search(r'id="review".*?</ol>', html, re.S).group(0)
    assert "<dt>Your guess</dt>" in review and "950 people a day" in review and "1,000 people a day" in review


# The editorial rules ------------------------------------------------------------------------


def _draft_with_guess(**figures):
    quiz = QuizFactory(article__status=Status.PUBLISHED)
    claim = PublishedClaimFactory(article=quiz.article)
    SourceFactory(claim=claim, quote="an average of 1,000 per day", quotes_article=False, url="https://example.org/")
    NumberQuestionFactory(quiz=quiz, claim=claim, guess_bins=[], **figures)
    return quiz


@pytest.mark.parametrize(
    ("figures", "code"),
    [
        ({"number_max": Decimal(0)}, "number_range"),
        ({"true_value": Decimal(9000)}, "number_value"),
        ({"number_step": Decimal(0)}, "number_step"),
        ({"number_step": Decimal("0.01")}, "number_steps"),
        ({"tolerance": Decimal(-1)}, "number_tolerance"),
        ({"true_value": None}, "number_missing"),
    ],
)
def test_a_number_guess_that_cannot_be_answered_is_refused_at_save(figures, code):
    quiz = _draft_with_guess()
    drafts = drafts_of(quiz)
    for name, value in figures.items():
        setattr(drafts[0].question, name, value)
    with pytest.raises(ValidationError) as refused:
        quiz_save(quiz=quiz, questions=drafts, by=DEMO_AUTHOR)
    assert code in _codes(refused.value)


def test_the_source_quote_must_be_one_of_the_fact_checks_evidence_quotes():
    quiz = _draft_with_guess(value_quote="an average of 2,000 per day")
    with pytest.raises(ValidationError) as refused:
        submit_for_review(obj=quiz, by=DEMO_AUTHOR)
    assert "value_quote_unsourced" in _codes(refused.value)


def _codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def test_publication_fixes_the_bins_once():
    quiz = _draft_with_guess()
    question = quiz.questions.get()
    assert question.guess_bins == []
    quiz = publish(obj=approve(obj=submit_for_review(obj=quiz, by=DEMO_AUTHOR), by=DEMO_REVIEWER), by=DEMO_REVIEWER)
    question.refresh_from_db()
    assert question.guess_bins == make_bins(Decimal(0), Decimal(5000), Decimal(50))
    assert quiz.status == Status.PUBLISHED


# Honest statistics ---------------------------------------------------------------------------


def test_shares_of_readers_show_only_from_the_minimum_sample(settings):
    quiz = PublishedQuizFactory(questions=1)
    question = quiz.questions.get()
    settings.QUIZ_MIN_SAMPLE = 3
    for n in range(3):
        client = Client()
        client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
        choice = question.choices.get(is_correct=True)
        html = client.post(_url(quiz, 1), {"question": question.pk, "choice": choice.pk}, headers=HX).text
        if n < 2:
            assert "among the first readers" in html and "of readers got this right" not in html
            assert "quiz-choice__percent" not in html
        else:
            assert "100% of readers got this right." in html and "among the first readers" not in html
            assert html.count("quiz-choice__percent") == 3


@override_settings(QUIZ_MIN_SAMPLE=30)
def test_the_results_page_words_a_small_number_of_readers_and_hides_the_comparison():
    quiz = PublishedQuizFactory(questions=1)
    owner = take_quiz(quiz, right=1)
    html = Client().get(owner.get_absolute_url()).text
    assert "Only one reader has finished this quiz so far." in html
    assert "better than" not in html and 'id="histogram"' not in html
    take_quiz(quiz, right=0)
    html = Client().get(owner.get_absolute_url()).text
    assert "Only 2 readers have finished this quiz so far." in html
    assert "How readers scored shows once 30 readers have finished it." in html


def test_queries_for_a_number_guess_stay_the_same_on_two_data_sizes(django_assert_num_queries):
    """The same budgets as tests/test_quiz_queries.py, on number guesses: 1 and 6 questions, 0 and 12 readers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for questions, readers in ((0, 0), (5, 12)):
        quiz = PublishedQuizFactory(questions=questions or 1, questions__numbers=1)
        for n in range(readers):
            take_quiz(quiz, right=n % 3)
        number = quiz.questions.count()
        question = _guess_question(quiz)
        client = Client()
        client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
        for position, earlier in enumerate(quiz.questions.filter(kind="choice"), start=1):
            client.post(_url(quiz, position), {"question": earlier.pk, "choice": earlier.choices.first().pk})
        client.get(_url(quiz, number))  # renders and caches the step
        with CaptureQueriesContext(connection) as asking:
            client.get(_url(quiz, number))
        with CaptureQueriesContext(connection) as answering:
            client.post(_url(quiz, number), {"question": question.pk, "guess": "1000"}, headers=HX)
        with CaptureQueriesContext(connection) as results:
            client.get(Attempt.objects.get(quiz=quiz, reader=_reader(client, quiz)).get_absolute_url())
        counts.append((len(asking), len(answering), len(results)))
    assert counts[0] == counts[1], counts


def _reader(client: Client, quiz) -> str:
    return Attempt.objects.filter(quiz=quiz).exclude(reader__startswith="reader-").get().reader


# Page weight ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["choice", "number"])
def test_a_question_page_with_its_css_and_js_stays_under_60_kb(quiz, kind):
    """As sent: nginx gzips the page and the static files (deploy/nginx.conf.template; level 5 there, 6 here).
    htmx alone is 51 KB before compression, so the budget is what a reader's phone downloads."""
    import gzip
    from pathlib import Path

    from django.conf import settings
    from django.contrib.staticfiles import finders

    from tests.test_pages import _parse

    client = _at_the_guess(quiz) if kind == "number" else Client()
    if kind == "choice":
        client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    response = client.get(_url(quiz, 2 if kind == "number" else 1))
    assert response.status_code == 200 and f'id="{"guess" if kind == "number" else "answer-form"}"' in response.text
    total = len(gzip.compress(response.content, compresslevel=6))
    assets = _parse(response).assets
    assert any(asset.endswith(".css") for asset in assets) and any(asset.endswith("quiz.js") for asset in assets)
    for asset in assets:
        path = finders.find(asset.removeprefix(settings.STATIC_URL))
        assert path, asset
        total += len(gzip.compress(Path(path).read_bytes(), compresslevel=6))
    assert total < 60 * 1024, total


def test_the_api_gives_a_guess_its_range_but_never_its_true_value(quiz, client):
    body = client.get(f"/api/quizzes/{quiz.slug}/").json()
    choice, guess = body["questions"]
    assert choice["kind"] == "choice" and choice["guess"] is None and len(choice["choices"]) == 3
    assert guess["kind"] == "number" and guess["choices"] == []
    assert guess["guess"] == {"min": 0.0, "max": 5000.0, "step": 50.0, "unit": "people a day"}
    assert "1000" not in str(guess) and "tolerance" not in str(body)
