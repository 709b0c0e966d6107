"""The quiz readers take, in a real browser (issue 4): every step, with and without JavaScript.

Readers take the demo quiz (``load_demo()``: 12 questions, each backed by a
published fact-check; questions 1, 3 and 4 are number guesses). Each choice is a
submit button: one tap answers (issue 10). With JavaScript, Start loads question 1
as a page and from then on htmx swaps each step (question, reveal, next question)
in place: no full page load, the URL pushed per question, focus moved and the
result announced in #live-region. Without JavaScript every step is POST, 303, GET.
A few other readers' finished attempts are recorded first (``others``), with
QUIZ_MIN_SAMPLE lowered to their number, so that "N% of readers got this right",
the per-choice shares and the histograms have something to show.
The harness fails any test whose pages log a console error, throw, violate the
CSP or miss a static file.
"""

from __future__ import annotations

import contextlib
import io
import re
import uuid
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from claims import quiz_services
from claims.demo.loader import load_demo
from claims.models import Attempt, Question, Quiz
from claims.quiz_numbers import display, plain, with_unit
from tests.browser.conftest import _open_page, assert_no_axe_violations, screenshot

QUIZ_SLUG = "us-proposals-to-mexico-quiz"
QUIZ_URL = f"/quizzes/{QUIZ_SLUG}/"
TOTAL = 12
OTHER_READERS_SCORES = [12, 5, 8]  # finished attempts recorded before the reader starts
FIRST_READERS = (
    "You are among the first readers to answer this question: how others answered shows once {min} readers have."
)


def reader_is_right(number: int) -> bool:
    """The reader's plan: wrong on every third question (3, 6, 9, 12), so 8 of 12."""
    return number % 3 != 0


READER_SCORE = sum(reader_is_right(n) for n in range(1, TOTAL + 1))


@pytest.fixture
def quiz(transactional_db) -> Quiz:
    """The demo quiz, committed so that the live server sees it."""
    load_demo()
    return Quiz.objects.get(slug=QUIZ_SLUG)


@pytest.fixture
def questions(quiz) -> list[Question]:
    found = quiz_services.quiz_questions(quiz)
    assert len(found) == TOTAL
    return found


@pytest.fixture
def others(quiz, questions, settings) -> None:
    """Other readers' finished, counted attempts: each answers its first `score` questions right. Shares of
    readers show from this many readers on (the live server runs in this process, so it sees `settings`)."""
    settings.QUIZ_MIN_SAMPLE = len(OTHER_READERS_SCORES)
    record_others(quiz, questions, OTHER_READERS_SCORES)


def record_others(quiz: Quiz, questions: list[Question], scores: list[int]) -> None:
    for score in scores:
        attempt = quiz_services.start_attempt(quiz=quiz, reader=f"other-{uuid.uuid4().hex}")
        for number, question in enumerate(questions, start=1):
            right = number <= score
            if question.is_number:
                quiz_services.answer_question(attempt=attempt, question=question, guess=guess_for(question, right))
            else:
                choice = question.correct_choice if right else pick_wrong(question)
                quiz_services.answer_question(attempt=attempt, question=question, choice=choice)


# Helpers -------------------------------------------------------------------


def pick_wrong(question: Question):
    return next(c for c in question.choices.all() if not c.is_correct)


def pick(question: Question, number: int):
    """The choice the reader picks on a choice question."""
    assert not question.is_number, f"question {number} is a number guess"
    return question.correct_choice if reader_is_right(number) else pick_wrong(question)


def guess_for(question: Question, right: bool) -> Decimal:
    """A number guess: the true value when right, else the top of the range (far outside the tolerance)."""
    assert question.is_number and question.true_value is not None
    return question.true_value if right else question.number_max


def typed_guess(question: Question, number: int) -> str:
    """The reader's guess as typed into the number box."""
    return plain(guess_for(question, reader_is_right(number)))


def shown_guess(question: Question, number: int) -> str:
    """The reader's guess as the reveal and the review show it, e.g. "5,000 immigrants a day"."""
    return with_unit(display(guess_for(question, reader_is_right(number))), question.number_unit)


def given(question: Question, number: int) -> str:
    """What the reader answers, as the review shows it."""
    return shown_guess(question, number) if question.is_number else pick(question, number).text


def right_answer(question: Question) -> str:
    return question.answer_display if question.is_number else question.correct_choice.text


def question_path(number: int) -> str:
    return f"{QUIZ_URL}q/{number}/"


def path_of(url: str) -> str:
    return urlsplit(url).path


def expect_path(page: Page, path: str) -> None:
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(path)}$"))


def expect_focus_on(page: Page, element_id: str) -> None:
    """document.activeElement becomes the element with this id (quiz.js moves it after the swap settles)."""
    try:
        page.wait_for_function(
            "id => document.activeElement && document.activeElement.id === id", arg=element_id, timeout=3_000
        )
    except Exception:
        active = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
        pytest.fail(f"focus is not on #{element_id} but on {active}", pytrace=False)


def mark_document(page: Page) -> None:
    """A marker on the window that a full page load would wipe out."""
    page.evaluate("window.__marker = 1")


def expect_same_document(page: Page, where: str) -> None:
    assert page.evaluate("window.__marker") == 1, f"a full page load happened ({where})"


def expect_progress(page: Page, number: int, answered: int) -> None:
    expect(page.locator("#progress-label")).to_have_text(f"Question {number} of {TOTAL}")
    bar = page.locator("progress.quiz-progress__bar")
    expect(bar).to_have_attribute("value", str(answered))
    expect(bar).to_have_attribute("max", str(TOTAL))
    assert bar.evaluate("bar => [bar.value, bar.max]") == [answered, TOTAL]


def expected_announcement(question: Question, right: bool) -> str:
    tally = quiz_services.question_tally(question.pk)
    assert tally.is_enough, "the test expects the readers' share to be shown"
    return (
        f"{'Right.' if right else 'Wrong.'} The answer is {right_answer(question)}. "
        f"{tally.percent_correct}% of readers got this right."
    )


def choose(page: Page, choice_text: str) -> None:
    """One tap on the choice answers it: the choice is a submit button, there is no other button to press."""
    page.get_by_role("button", name=choice_text, exact=True).click()


def guess(page: Page, value: str) -> None:
    """Type a number guess and submit it."""
    page.locator("#guess").fill(value)
    page.get_by_role("button", name="Submit my guess").click()


def answer(page: Page, question: Question, number: int) -> None:
    """Answer the question per the reader's plan: one tap on a choice, or a typed guess."""
    if question.is_number:
        guess(page, typed_guess(question, number))
    else:
        choose(page, pick(question, number).text)


def start(page: Page) -> None:
    """From the intro: Start is a plain form (the intro has no htmx), so question 1 is a full page."""
    page.goto(QUIZ_URL)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    expect_path(page, question_path(1))


def take_quiz_with_js(page: Page, questions: list[Question]) -> None:
    """Start and answer every question per the reader's plan; ends on the results page."""
    start(page)
    for number, question in enumerate(questions, start=1):
        expect(page.locator("#progress-label")).to_have_text(f"Question {number} of {TOTAL}")
        answer(page, question, number)
        expect(page.locator("#feedback-heading")).to_be_visible()
        if number < TOTAL:
            page.get_by_role("link", name="Next question").click()
    with page.expect_navigation():
        page.get_by_role("link", name="See your score").click()
    expect(page).to_have_url(re.compile(r"/results/[\w-]+/$"))


def expect_revealed_choices(page: Page, question: Question, chosen: str) -> None:
    """The choices stay in place after the answer, the reader's and the right one marked in words."""
    rows = page.locator("#revealed-choices > li.quiz-choice--revealed")
    expect(rows.locator(".quiz-choice__text")).to_have_text([c.text for c in question.choices.all()])
    yours = page.locator("#revealed-choices .quiz-choice--yours")
    expect(yours).to_have_count(1)
    expect(yours.locator(".quiz-choice__text")).to_have_text(chosen)
    expect(yours).to_have_attribute("aria-current", "true")
    expect(yours.locator(".quiz-tag--yours")).to_have_text("Your answer")
    right = page.locator("#revealed-choices .quiz-choice--right")
    expect(right).to_have_count(1)
    expect(right.locator(".quiz-choice__text")).to_have_text(question.correct_choice.text)
    expect(right.locator(".quiz-tag--right")).to_have_text("Right answer")
    expect(page.locator("#revealed-choices .quiz-tag")).to_have_count(2)


def expect_revealed_guess(page: Page, question: Question, shown: str) -> None:
    """A number guess's reveal: the true value, the quote it comes from, the reader's guess."""
    expect(page.locator("#true-value")).to_have_text(f"The answer: {question.answer_display}")
    expect(page.locator("#value-quote")).to_have_text(f"“{question.value_quote}”")
    expect(page.locator("#your-guess strong")).to_have_text(shown)
    expect(page.locator("#your-guess")).to_contain_text(f"within {display(question.tolerance)} of the answer")


def expect_feedback(page: Page, question: Question, number: int, chosen: str) -> None:
    """The feedback anatomy: right/wrong in words, the answers revealed in place, the explanation, the claim, the
    readers' share. `chosen`: the choice's text, or for a number guess the guess as shown."""
    right = reader_is_right(number)
    feedback = page.locator("#feedback")
    expect(feedback).to_have_class(re.compile(r"quiz-feedback--right" if right else r"quiz-feedback--wrong"))
    expect(page.locator("#feedback-heading")).to_have_text("Right" if right else "Wrong")
    if question.is_number:
        expect_revealed_guess(page, question, chosen)
    else:
        expect_revealed_choices(page, question, chosen)
    expect(feedback.locator(".quiz-feedback__explanation")).to_have_text(question.explanation)
    claim = question.claim
    expect(feedback.locator(".quiz-feedback__claim .badge")).to_have_attribute("data-verdict", claim.verdict)
    expect(feedback.locator(".quiz-feedback__claim .badge__label")).to_contain_text(claim.get_verdict_display())
    link = feedback.get_by_role("link", name=re.compile(r"^Read the fact-check"))
    expect(link).to_have_attribute("href", claim.get_absolute_url())
    tally = quiz_services.question_tally(question.pk)
    if tally.is_enough:
        expect(page.locator("#readers-right")).to_have_text(f"{tally.percent_correct}% of readers got this right.")
        if not question.is_number:
            shares = page.locator("#revealed-choices .quiz-choice__percent")
            expect(shares).to_have_text([f"{tally.percent(c.pk)}% of readers" for c in question.choices.all()])
    else:
        expect(page.locator("#readers-right")).to_have_text(FIRST_READERS.format(min=quiz_services.min_sample()))
        expect(page.locator(".quiz-choice__percent, #guess-histogram")).to_have_count(0)
    expect(page.locator("#answer-form")).to_have_count(0)


def expect_running_score(page: Page, score: int, answered: int) -> None:
    if answered == 0:
        expect(page.locator("#running-score")).to_have_count(0)
    else:
        expect(page.locator("#running-score")).to_have_text(f"Right so far: {score} of {answered}")


def score_after(number: int) -> int:
    return sum(reader_is_right(n) for n in range(1, number + 1))


def expect_accessible(page: Page) -> None:
    """No axe violations in the light and the dark colour scheme; leaves the page light."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        try:
            assert_no_axe_violations(page)
        except pytest.fail.Exception as failure:
            pytest.fail(f"[{scheme} mode] {failure.msg}", pytrace=False)
    page.emulate_media(color_scheme="light")


# Taking the quiz with JavaScript ---------------------------------------------


def test_taking_the_quiz_with_javascript_swaps_each_step_in_place(page, quiz, questions, others):
    loads = []
    page.on("load", lambda: loads.append(page.url))

    page.goto(QUIZ_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)
    expect(page.locator("#question-count")).to_contain_text(f"{TOTAL} questions.")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    expect_path(page, question_path(1))
    mark_document(page)
    loads_at_start = len(loads)

    for number, question in enumerate(questions, start=1):
        # The question: progress in words and the bar, the URL of this question, focus on the prompt.
        expect_path(page, question_path(number))
        expect_progress(page, number, answered=number - 1)
        expect(page.locator("#question")).to_have_text(question.prompt)
        expect(page).to_have_title(re.compile(rf"^Question {number} of {TOTAL} · "))
        if number > 1:
            expect_focus_on(page, "question")
            expect(page.locator("#live-region")).to_have_text(f"Question {number} of {TOTAL}: {question.prompt}")
        expect_running_score(page, score_after(number - 1), number - 1)
        if question.is_number:
            expect(page.locator("#guess")).to_be_visible()
            expect(page.locator("#guess-slider")).to_be_visible()
            expect(page.locator("#answer-form .quiz-choice")).to_have_count(0)
        else:
            expect(page.locator("#answer-form button.quiz-choice")).to_have_count(question.choices.count())
            expect(page.locator("#answer-form button[type=submit]")).to_have_count(question.choices.count())

        chosen = given(question, number)
        answer(page, question, number)

        # The reveal, in the same document and at the same URL.
        expect(page.locator("#feedback")).to_be_visible()
        expect_feedback(page, question, number, chosen)
        expect_focus_on(page, "feedback-heading")
        expect(page.locator("#live-region")).to_have_text(expected_announcement(question, reader_is_right(number)))
        expect_progress(page, number, answered=number)
        expect_running_score(page, score_after(number), number)
        expect_path(page, question_path(number))
        claim_page = page.request.get(question.claim.get_absolute_url())
        assert claim_page.status == 200, f"the fact-check link of question {number} answers {claim_page.status}"
        expect_same_document(page, f"question {number}")

        if number < TOTAL:
            page.get_by_role("link", name="Next question").click()
            expect_path(page, question_path(number + 1))
            expect(page.locator("#answer-form")).to_be_visible()

    assert len(loads) == loads_at_start, f"full page loads during the quiz: {loads[loads_at_start:]}"
    # The last step links to the score: an ordinary page.
    with page.expect_navigation():
        page.get_by_role("link", name="See your score").click()
    attempt = Attempt.objects.exclude(reader__startswith="other-").get(quiz=quiz)
    assert (attempt.score, attempt.total) == (READER_SCORE, TOTAL)
    expect_path(page, f"{QUIZ_URL}results/{attempt.token}/")

    # The results: the score large, the histogram with the reader's bar marked, the review of every question.
    expect(page.locator("#score")).to_contain_text("You got")
    expect(page.locator("#score-number")).to_have_text(f"{READER_SCORE} of {TOTAL}")
    readers = len(OTHER_READERS_SCORES) + 1
    expect(page.locator("#histogram-caption")).to_have_text(f"How {readers} readers scored")
    rows = page.locator("#histogram .histogram__row")
    expect(rows).to_have_count(TOTAL + 1)
    expect(rows.locator(".histogram__label")).to_have_text([f"{score} right" for score in range(TOTAL + 1)])
    yours = page.locator("#histogram .histogram__row--yours")
    expect(yours).to_have_count(1)
    expect(yours).to_have_attribute("aria-current", "true")
    expect(yours.locator(".histogram__label")).to_have_text(f"{READER_SCORE} right")
    same_score = 1 + OTHER_READERS_SCORES.count(READER_SCORE)
    expect(yours.locator(".histogram__count")).to_have_text(
        f"{same_score} ({round(100 * same_score / readers)}%) ◀ you"
    )
    below = sum(score < READER_SCORE for score in OTHER_READERS_SCORES)
    expect(page.locator(".quiz-score__compare")).to_contain_text(
        f"better than {round(100 * below / readers)}% of the {readers} readers"
    )

    items = page.locator("#review > li")
    expect(items).to_have_count(TOTAL)
    for number, question in enumerate(questions, start=1):
        item = items.nth(number - 1)
        expect(item.locator(".quiz-review__prompt")).to_have_text(question.prompt)
        expect(item.locator(".quiz-review__verdict")).to_have_text("Right" if reader_is_right(number) else "Wrong")
        expect(item.locator(".quiz-review__answers dt")).to_have_text(
            ["Your guess" if question.is_number else "Your answer", "The right answer"]
        )
        expect(item.locator(".quiz-review__answers dd")).to_have_text([given(question, number), right_answer(question)])
        expect(item.get_by_role("link", name=re.compile(r"^Read the fact-check"))).to_have_attribute(
            "href", question.claim.get_absolute_url()
        )
    expect(page.locator("#share-url")).to_have_value(f"{page.url}")


def test_the_back_button_goes_to_the_previous_question_with_its_answer(page, quiz, questions):
    start(page)
    mark_document(page)
    for number in (1, 2):
        answer(page, questions[number - 1], number)
        expect(page.locator("#feedback")).to_be_visible()
        page.get_by_role("link", name="Next question").click()
        expect_path(page, question_path(number + 1))
    expect(page.locator("#answer-form")).to_be_visible()

    # Back: the question before, showing the answer given (not a fresh form), then back once more.
    for number in (2, 1):
        page.go_back()
        expect_path(page, question_path(number))
        expect(page.locator("#question")).to_have_text(questions[number - 1].prompt)
        expect(page.locator("#progress-label")).to_have_text(f"Question {number} of {TOTAL}")
        question = questions[number - 1]
        if question.is_number:
            expect_revealed_guess(page, question, shown_guess(question, number))
        else:
            expect_revealed_choices(page, question, pick(question, number).text)
        expect(page.locator("#feedback-heading")).to_have_text("Right" if reader_is_right(number) else "Wrong")
        expect(page.locator("#answer-form")).to_have_count(0)

    # Forward again, and on: the quiz carries on where it was, and nothing was answered twice.
    page.go_forward()
    expect_path(page, question_path(2))
    expect_revealed_choices(page, questions[1], pick(questions[1], 2).text)
    page.get_by_role("link", name="Next question").click()
    expect_path(page, question_path(3))
    expect(page.locator("#question")).to_have_text(questions[2].prompt)
    expect(page.locator("#answer-form")).to_be_visible()
    expect_running_score(page, score_after(2), 2)
    attempt = Attempt.objects.get(quiz=quiz)
    assert attempt.answers.count() == 2


# Without JavaScript ------------------------------------------------------------


def test_without_javascript_every_step_is_post_redirect_get(nojs_page, quiz, questions, others):
    page = nojs_page

    def submit_and_follow(button_name: str, post_path: str, get_path: str) -> None:
        """Click a submit button: the POST answers 303, the browser GETs the page it names."""
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name=button_name, exact=True).click()
        response = navigation.value
        assert (response.request.method, response.status, path_of(response.url)) == ("GET", 200, get_path)
        post = response.request.redirected_from
        assert post is not None, f"{post_path}: answered without a redirect"
        assert (post.method, post.response().status, path_of(post.url)) == ("POST", 303, post_path)

    page.goto(QUIZ_URL)
    submit_and_follow("Start the quiz", f"{QUIZ_URL}start/", question_path(1))
    for number, question in enumerate(questions, start=1):
        expect_progress(page, number, answered=number - 1)
        expect(page.locator("#question")).to_have_text(question.prompt)
        if question.is_number:
            # The slider needs the script: without it the guess is typed.
            expect(page.locator("[data-guess-slider]")).to_be_hidden()
            page.locator("#guess").fill(typed_guess(question, number))
            submit_and_follow("Submit my guess", question_path(number), question_path(number))
        else:
            # One click on the choice answers it (the choice is the form's submit button).
            submit_and_follow(pick(question, number).text, question_path(number), question_path(number))
        expect_feedback(page, question, number, given(question, number))
        expect_running_score(page, score_after(number), number)
        expect_progress(page, number, answered=number)
        next_name = "Next question" if number < TOTAL else "See your score"
        with page.expect_navigation() as navigation:
            page.get_by_role("link", name=next_name).click()
        assert navigation.value.request.method == "GET" and navigation.value.status == 200

    attempt = Attempt.objects.exclude(reader__startswith="other-").get(quiz=quiz)
    expect_path(page, f"{QUIZ_URL}results/{attempt.token}/")
    expect(page.locator("#score-number")).to_have_text(f"{READER_SCORE} of {TOTAL}")
    expect(page.locator("#histogram .histogram__row--yours .histogram__label")).to_have_text(f"{READER_SCORE} right")
    expect(page.locator("#review > li")).to_have_count(TOTAL)

    # The back button without JavaScript: the question's page, which now shows its answer.
    page.go_back()
    expect_path(page, question_path(TOTAL))
    expect_revealed_choices(page, questions[-1], pick(questions[-1], TOTAL).text)
    expect(page.locator("#answer-form")).to_have_count(0)


# The shared result ---------------------------------------------------------


def test_the_shared_result_shows_the_score_but_not_the_answers_to_another_reader(
    page, browser, live_server, browser_problems, quiz, questions, settings
):
    settings.QUIZ_MIN_SAMPLE = 1  # the histogram shows from the one reader on
    take_quiz_with_js(page, questions)
    share_url = page.locator("#share-url").input_value()
    assert share_url == page.url
    result_path = path_of(share_url)
    card_url = f"{share_url}card.png"

    with contextlib.closing(_open_page(browser, live_server, browser_problems)) as pages:
        other = next(pages)
        assert other.context.cookies() == []
        response = other.goto(share_url)
        assert response.status == 200
        expect_path(other, result_path)
        expect(other.locator("#score")).to_contain_text("A reader got")
        expect(other.locator("#score-number")).to_have_text(f"{READER_SCORE} of {TOTAL}")
        yours = other.locator("#histogram .histogram__row--yours")
        expect(yours.locator(".histogram__label")).to_have_text(f"{READER_SCORE} right")
        expect(yours).to_contain_text("this result")
        # Not the reader's answers: no review, no question of the quiz, no answer given.
        expect(other.locator("#review")).to_have_count(0)
        expect(other.get_by_role("heading", name="Your answers")).to_have_count(0)
        text = other.locator("main").inner_text()
        for question in questions:
            assert question.prompt not in text, f"the shared result shows the question {question.prompt!r}"
        expect(other.get_by_role("link", name="Take the quiz yourself")).to_have_attribute("href", QUIZ_URL)
        expect(other.get_by_role("button", name="Take the quiz again")).to_have_count(0)

        def meta(selector: str) -> str | None:
            return other.locator(selector).get_attribute("content")

        title = f"I got {READER_SCORE}/{TOTAL} on “{quiz.title}”"
        assert meta('meta[property="og:title"]') == title
        assert meta('meta[property="og:url"]') == share_url
        assert meta('meta[property="og:image"]') == card_url
        assert (meta('meta[property="og:image:width"]'), meta('meta[property="og:image:height"]')) == ("1200", "630")
        assert meta('meta[name="twitter:card"]') == "summary_large_image"
        expect(other).to_have_title(re.compile(rf"^{READER_SCORE}/{TOTAL} on "))

        card = other.request.get(card_url)
        assert card.status == 200
        assert card.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(card.body()))
        assert (image.format, image.size) == ("PNG", (1200, 630))
        # And the browser loads it as an image on the result page (under the page's CSP, as a preview would).
        size = other.evaluate(
            """url => new Promise((resolve, reject) => {
                const image = new Image();
                image.onload = () => resolve([image.naturalWidth, image.naturalHeight]);
                image.onerror = () => reject(new Error("the card did not load"));
                image.src = url;
            })""",
            card_url,
        )
        assert size == [1200, 630]

        # The other reader starts their own quiz from the shared page, not the first reader's.
        other.goto(share_url)
        other.get_by_role("link", name="Take the quiz yourself").click()
        expect_path(other, QUIZ_URL)
        expect(other.get_by_role("button", name="Start the quiz")).to_be_visible()


# Bad input -----------------------------------------------------------------


def test_an_empty_guess_is_refused_by_the_browser_then_by_the_server_in_place_with_javascript(
    page, browser_problems, quiz, questions
):
    """Choices cannot be sent empty any more (each is its own submit button); a number guess can be."""
    # htmx gets the form back with its error as a 422 (so that it is not cached or mistaken for success);
    # Chromium logs every 4xx it fetches as a console error, which is expected here.
    browser_problems.allow(rf"status of 422 .*{re.escape(question_path(1))}")
    assert questions[0].is_number
    start(page)
    mark_document(page)
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    # The number box is required: the browser's own validation keeps the empty guess from being sent.
    page.get_by_role("button", name="Submit my guess").click()
    box = page.locator("#guess")
    assert box.evaluate("box => box.validity.valueMissing") is True
    page.wait_for_timeout(300)
    assert posts == [], f"an empty guess was sent: {posts}"

    # A browser that sends it anyway gets the server's message, in place.
    box.evaluate("box => box.removeAttribute('required')")
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        page.get_by_role("button", name="Submit my guess").click()
    response = answered.value
    assert (path_of(response.url), response.status) == (question_path(1), 422)
    assert response.request.headers.get("hx-request") == "true"
    assert "<html" not in response.text(), "a whole page came back instead of the step"

    message = "Type or slide to your guess, then submit it."
    expect(page.locator("#answer-error")).to_have_text(f"! {message}")
    expect(page.locator("#guess")).to_have_attribute("aria-describedby", "guess-range answer-error")
    expect_focus_on(page, "answer-error")
    expect(page.locator("#live-region")).to_have_text(message)
    expect_same_document(page, "after the 422")
    expect_path(page, question_path(1))
    expect(page.locator("#progress-label")).to_have_text(f"Question 1 of {TOTAL}")
    expect(page.get_by_role("button", name="Submit my guess")).to_be_enabled()
    expect(page.locator("#guess-slider")).to_be_visible()  # the swapped-in step got its slider too
    assert Attempt.objects.get(quiz=quiz).answers.count() == 0
    expect_accessible(page)
    screenshot(page, "quiz-error")

    # The swapped-in form works: answering now gives the reveal.
    guess(page, typed_guess(questions[0], 1))
    expect_feedback(page, questions[0], 1, shown_guess(questions[0], 1))
    expect_same_document(page, "after answering")


def test_an_empty_guess_shows_the_error_without_javascript(nojs_page, quiz, questions):
    page = nojs_page
    page.goto(QUIZ_URL)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("[data-guess-slider]")).to_be_hidden()
    # Validation is the browser's, not a script's: it holds without JavaScript too.
    page.get_by_role("button", name="Submit my guess").click()
    assert page.locator("#guess").evaluate("box => box.validity.valueMissing") is True
    expect_path(page, question_path(1))
    page.locator("#guess").evaluate("box => box.removeAttribute('required')")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Submit my guess").click()
    response = navigation.value
    assert (response.request.method, response.status) == ("POST", 200)
    expect_path(page, question_path(1))
    expect(page.locator("#answer-error")).to_have_text("! Type or slide to your guess, then submit it.")
    expect(page.locator("#guess")).to_have_attribute("aria-describedby", "guess-range answer-error")
    assert Attempt.objects.get(quiz=quiz).answers.count() == 0

    page.locator("#guess").fill(typed_guess(questions[0], 1))
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my guess").click()
    expect_feedback(page, questions[0], 1, shown_guess(questions[0], 1))


# Accessibility and screenshots ----------------------------------------------


def test_every_step_has_no_axe_violations_in_light_and_dark_mode(page, quiz, questions, others):
    """Intro, question (a guess and choices), reveal (right and wrong, guess and choice) and results; with
    screenshots of each for review."""
    page.goto(QUIZ_URL)
    expect_accessible(page)
    screenshot(page, "quiz-intro")

    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("#answer-form")).to_be_visible()
    page.locator("#guess").fill("1500")
    expect_accessible(page)
    screenshot(page, "quiz-guess")

    checked = {  # question number → screenshot name of its reveal (the reader's plan: 3 and 6 wrong)
        1: "quiz-guess-right",
        2: "quiz-feedback-right",
        3: "quiz-guess-wrong",
        6: "quiz-feedback-wrong",
    }
    for number, question in enumerate(questions, start=1):
        expect(page.locator("#progress-label")).to_have_text(f"Question {number} of {TOTAL}")
        if number == 2:
            expect_accessible(page)
            screenshot(page, "quiz-question")
        answer(page, question, number)
        expect(page.locator("#feedback-heading")).to_have_text("Right" if reader_is_right(number) else "Wrong")
        if number in checked:
            expect_focus_on(page, "feedback-heading")
            expect_accessible(page)
            screenshot(page, checked[number])
        if number == 6:
            page.emulate_media(color_scheme="dark")
            screenshot(page, "quiz-feedback-wrong-dark")
            page.emulate_media(color_scheme="light")
        if number < TOTAL:
            page.get_by_role("link", name="Next question").click()
    with page.expect_navigation():
        page.get_by_role("link", name="See your score").click()
    expect(page.locator("#score-number")).to_have_text(f"{READER_SCORE} of {TOTAL}")
    expect_accessible(page)
    screenshot(page, "quiz-results")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "quiz-results-dark")
