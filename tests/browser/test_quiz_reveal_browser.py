"""The quiz after issue 10, in a real browser: one tap answers, the reveal in place, number guesses, honest shares.

- The whole demo quiz (``load_demo()``: 12 questions, 1, 3 and 4 number guesses) on a phone (touch) and on a
  desktop, with JavaScript: one tap per choice and nothing else sent, guesses by the slider's keys and by
  typing, the reveal at the question's own address, the running score; then the results and their
  "Challenge a friend" link. Full-page screenshots of every step go to test-artifacts/quiz/ (not committed).
- The same without JavaScript: one click per choice is a POST, 303, GET; guesses are typed; no slider.
- The back button and a reload after an answer show the reveal, not the form again.
- Keyboard only: Tab to a choice, Enter or Space answers; focus on the verdict, which is announced.
- Shares of readers (per-choice bars, the guesses' histogram) only from settings.QUIZ_MIN_SAMPLE counted
  readers; below it the reveal says the reader is among the first.
- axe-core (WCAG 2.1 A/AA) on every kind of step, light and dark.
- A guess out of range: refused by the browser's validation, and by the server (400) when it gets through.
The harness fails any test whose pages log a console error, throw, violate the CSP or miss a static file.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from claims import quiz_services
from claims.demo.loader import load_demo
from claims.models import Attempt, Question, Quiz
from tests.browser.conftest import PROJECT_DIR, _open_page
from tests.browser.test_quiz_browser import (
    FIRST_READERS,
    QUIZ_SLUG,
    QUIZ_URL,
    TOTAL,
    expect_accessible,
    expect_focus_on,
    expect_path,
    expect_revealed_choices,
    expect_same_document,
    mark_document,
    path_of,
    pick_wrong,
    question_path,
)
from tests.factories import PublishedQuizFactory, take_quiz

ARTIFACTS = PROJECT_DIR / "test-artifacts" / "quiz"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# This file's reader: which questions they get right. Guesses: 1 by the slider's keys (right), 3 typed (wrong),
# 4 by the slider's keys (right).
WRONG = {3, 6, 7, 10}
SLIDER_KEYS = {1: ["Home", *["ArrowRight"] * 20], 4: ["End", "Home", *["ArrowRight"] * 70]}  # 1,000 and 700
TYPED = {3: "250000"}  # 172,000 ± 10,000 is right: a wrong guess


def is_right(number: int) -> bool:
    return number not in WRONG


def score_after(number: int) -> int:
    return sum(is_right(n) for n in range(1, number + 1))


@pytest.fixture
def quiz(transactional_db) -> Quiz:
    load_demo()
    return Quiz.objects.get(slug=QUIZ_SLUG)


@pytest.fixture
def questions(quiz) -> list[Question]:
    found = quiz_services.quiz_questions(quiz)
    assert len(found) == TOTAL
    assert [n for n, q in enumerate(found, start=1) if q.is_number] == [1, 3, 4]
    return found


def shot(page: Page, label: str, step: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{label}-{step}.png"), full_page=True)


def posts_of(page: Page) -> list[str]:
    """Every POST the page sends from now on (paths), in order."""
    sent: list[str] = []
    page.on("request", lambda request: sent.append(path_of(request.url)) if request.method == "POST" else None)
    return sent


def choice_for(question: Question, number: int):
    return question.correct_choice if is_right(number) else pick_wrong(question)


def start(page: Page) -> None:
    page.goto(QUIZ_URL)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    expect_path(page, question_path(1))


def expect_running_score(page: Page, answered: int) -> None:
    score = page.locator("#running-score")
    if answered == 0:
        expect(score).to_have_count(0)
    else:
        expect(score).to_have_text(f"Right so far: {score_after(answered)} of {answered}")


def expect_guess_revealed(page: Page, question: Question, typed: str) -> None:
    expect(page.locator("#true-value")).to_have_text(f"The answer: {question.answer_display}")
    expect(page.locator("#value-quote")).to_have_text(f"“{question.value_quote}”")
    figure = f"{int(typed):,}"
    expect(page.locator("#your-guess strong")).to_have_text(f"{figure} {question.number_unit}")


# 1. The whole demo quiz with JavaScript, on a phone and on a desktop ---------------------------------------


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_whole_demo_quiz_one_tap_per_answer_with_the_reveal_in_place(
    browser, live_server, browser_problems, live_site_url, quiz, questions, viewport
):
    options = {"is_mobile": True, "has_touch": True} if viewport == "phone" else {}
    pages = _open_page(browser, live_server, browser_problems, **options)
    page = next(pages)
    try:
        page.set_viewport_size(PHONE if viewport == "phone" else DESKTOP)
        play_the_demo_quiz(page, quiz, questions, viewport)
    finally:
        pages.close()


def play_the_demo_quiz(page: Page, quiz: Quiz, questions: list[Question], label: str) -> None:
    start(page)
    mark_document(page)
    sent = posts_of(page)
    for number, question in enumerate(questions, start=1):
        step = f"q{number:02d}"
        path = question_path(number)
        expect_path(page, path)
        expect(page.locator("#progress-label")).to_have_text(f"Question {number} of {TOTAL}")
        expect_running_score(page, number - 1)
        if number > 1:
            expect_focus_on(page, "question")  # quiz.js moves focus once the step settles: act after that
        before = len(sent)
        if question.is_number:
            box, slider = page.locator("#guess"), page.locator("#guess-slider")
            expect(slider).to_be_visible()  # quiz.js shows it
            expect(box).to_have_value("")
            if number in SLIDER_KEYS:
                slider.focus()
                for key in SLIDER_KEYS[number]:
                    page.keyboard.press(key)
                typed = str(int(question.true_value))
                expect(box).to_have_value(typed)  # the slider writes into the number box, the form's field
                expect(slider).to_have_attribute("aria-valuetext", f"{int(typed):,} {question.number_unit}")
            else:
                typed = TYPED[number]
                box.fill(typed)
                expect(slider).to_have_value(typed)  # and the box moves the slider
            shot(page, label, f"{step}-question")
            button = page.get_by_role("button", name="Submit my guess")
            button.tap() if label == "phone" else button.click()
        else:
            buttons = page.locator("#answer-form button")
            expect(buttons).to_have_count(question.choices.count())  # the choices, and no other button
            shot(page, label, f"{step}-question")
            button = page.get_by_role("button", name=choice_for(question, number).text, exact=True)
            button.tap() if label == "phone" else button.click()

        # The reveal, in place: same document, same address, the answer marked.
        expect(page.locator("#feedback-heading")).to_have_text("Right" if is_right(number) else "Wrong")
        assert sent[before:] == [path], f"question {number}: one tap should send one answer, sent {sent[before:]}"
        expect_path(page, path)
        expect_same_document(page, f"question {number}")
        if question.is_number:
            expect_guess_revealed(page, question, typed)
        else:
            expect_revealed_choices(page, question, choice_for(question, number).text)
            expect(page.locator("#revealed-choices")).to_be_visible()
        expect(page.locator("#readers-right")).to_have_text(FIRST_READERS.format(min=quiz_services.min_sample()))
        expect_running_score(page, number)
        expect_focus_on(page, "feedback-heading")
        shot(page, label, f"{step}-revealed")

        if number < TOTAL:
            page.get_by_role("link", name="Next question").click()
        else:
            with page.expect_navigation():
                page.get_by_role("link", name="See your score").click()

    attempt = Attempt.objects.get(quiz=quiz)
    assert (attempt.score, attempt.total, attempt.answers.count()) == (score_after(TOTAL), TOTAL, TOTAL)
    expect_path(page, f"{QUIZ_URL}results/{attempt.token}/")
    expect(page.locator("#score-number")).to_have_text(f"{score_after(TOTAL)} of {TOTAL}")
    expect(page.locator("#score-compare")).to_contain_text("Only one reader has finished this quiz so far.")
    expect(page.locator("#histogram")).to_have_count(0)
    items = page.locator("#review > li")
    expect(items).to_have_count(TOTAL)
    for number, question in enumerate(questions, start=1):
        item = items.nth(number - 1)
        expect(item.locator(".quiz-review__prompt")).to_have_text(question.prompt)
        expect(item.locator(".quiz-review__verdict")).to_have_text("Right" if is_right(number) else "Wrong")
        expect(item.locator(".quiz-review__answers dt").first).to_have_text(
            "Your guess" if question.is_number else "Your answer"
        )
    challenge = page.locator("div.share-row#challenge")
    expect(challenge).to_have_attribute("data-share-url", f"{live_server_url(page)}{QUIZ_URL}")
    expect(page.get_by_role("heading", name="Challenge a friend")).to_be_visible()
    shot(page, label, "results")


def live_server_url(page: Page) -> str:
    return re.match(r"^https?://[^/]+", page.url).group(0)


# 2. Without JavaScript -------------------------------------------------------------------------------------


def test_without_javascript_one_click_answers_and_guesses_are_typed(nojs_page, quiz, questions):
    page = nojs_page
    page.set_viewport_size(PHONE)
    start(page)
    for number, question in enumerate(questions, start=1):
        path = question_path(number)
        if question.is_number:
            expect(page.locator("[data-guess-slider]")).to_be_hidden()
            expect(page.locator("#guess-slider")).to_be_hidden()
            typed = str(int(question.true_value)) if is_right(number) else TYPED[number]
            page.locator("#guess").fill(typed)
            button = page.get_by_role("button", name="Submit my guess")
        else:
            button = page.get_by_role("button", name=choice_for(question, number).text, exact=True)
        with page.expect_navigation() as navigation:
            button.click()
        response = navigation.value
        post = response.request.redirected_from
        assert post is not None, f"question {number}: answered without a redirect"
        assert (post.method, post.response().status, path_of(post.url)) == ("POST", 303, path)
        assert (response.request.method, response.status, path_of(response.url)) == ("GET", 200, path)
        expect(page.locator("#feedback-heading")).to_have_text("Right" if is_right(number) else "Wrong")
        if question.is_number:
            expect_guess_revealed(page, question, typed)
        else:
            expect_revealed_choices(page, question, choice_for(question, number).text)
        expect_running_score(page, number)
        if number in (1, 2):
            shot(page, "nojs-phone", f"q{number:02d}-revealed")
        with page.expect_navigation():
            page.get_by_role("link", name="Next question" if number < TOTAL else "See your score").click()
    attempt = Attempt.objects.get(quiz=quiz)
    assert (attempt.score, attempt.answers.count()) == (score_after(TOTAL), TOTAL)
    expect(page.locator("#review > li")).to_have_count(TOTAL)


# 3. Back and reload after an answer ------------------------------------------------------------------------


def test_back_and_reload_after_an_answer_show_the_reveal_not_the_form(page, quiz, questions):
    start(page)
    page.locator("#guess").fill("1000")
    page.get_by_role("button", name="Submit my guess").click()
    expect(page.locator("#feedback-heading")).to_have_text("Right")
    page.reload()
    expect_guess_revealed(page, questions[0], "1000")
    expect(page.locator("#answer-form")).to_have_count(0)
    page.get_by_role("link", name="Next question").click()
    expect_path(page, question_path(2))
    page.get_by_role("button", name=questions[1].correct_choice.text, exact=True).click()
    expect(page.locator("#feedback-heading")).to_have_text("Right")
    page.get_by_role("link", name="Next question").click()
    expect_path(page, question_path(3))

    for number in (2, 1):
        page.go_back()
        expect_path(page, question_path(number))
        expect(page.locator("#feedback-heading")).to_have_text("Right")
        expect(page.locator("#answer-form")).to_have_count(0)
    expect_guess_revealed(page, questions[0], "1000")
    page.go_forward()
    expect_revealed_choices(page, questions[1], questions[1].correct_choice.text)
    expect(page.locator("#running-score")).to_have_text("Right so far: 2 of 2")
    assert Attempt.objects.get(quiz=quiz).answers.count() == 2


def test_back_after_an_answer_without_javascript_shows_the_reveal(nojs_page, quiz, questions):
    page = nojs_page
    start(page)  # intro, then question 1 asked
    page.locator("#guess").fill("1000")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my guess").click()
    page.get_by_role("link", name="Next question").click()
    expect_path(page, question_path(2))
    with page.expect_navigation():
        page.get_by_role("button", name=questions[1].correct_choice.text, exact=True).click()
    expect(page.locator("#feedback-heading")).to_have_text("Right")
    # Back, past the answer's redirect: the history entry of question 2 as it was asked.
    page.go_back()
    expect_path(page, question_path(2))
    expect(page.locator("#feedback-heading")).to_have_text("Right")
    expect(page.locator("#answer-form")).to_have_count(0)
    expect_revealed_choices(page, questions[1], questions[1].correct_choice.text)
    assert Attempt.objects.get(quiz=quiz).answers.count() == 2


# 4. Keyboard only ------------------------------------------------------------------------------------------


def tab_to(page: Page, selector: str, *, limit: int = 40) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}", pytrace=False)


def test_keyboard_only_answers_with_enter_and_space_and_announces_the_verdict(page, quiz, questions):
    page.goto(QUIZ_URL)
    tab_to(page, "#quiz-start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect_path(page, question_path(1))
    mark_document(page)
    sent = posts_of(page)

    # A guess: typed in the number box, sent with Enter.
    tab_to(page, "#guess")
    page.keyboard.type("1000")
    page.keyboard.press("Enter")
    expect_focus_on(page, "feedback-heading")
    expect(page.locator("#live-region")).to_have_text(f"Right. The answer is {questions[0].answer_display}.")
    tab_to(page, "#next")
    page.keyboard.press("Enter")
    expect_path(page, question_path(2))
    expect_focus_on(page, "question")

    # A choice: Tab to the right one, Enter answers it.
    right = questions[1].correct_choice
    tab_to(page, f"#choice-{right.pk}")
    page.keyboard.press("Enter")
    expect_focus_on(page, "feedback-heading")
    expect(page.locator("#feedback-heading")).to_have_text("Right")
    expect(page.locator("#live-region")).to_have_text(f"Right. The answer is {right.text}.")
    tab_to(page, "#next")
    page.keyboard.press("Enter")
    expect_path(page, question_path(3))
    expect_focus_on(page, "question")  # quiz.js moves focus once the step settles: type after that
    page.locator("#guess").fill("172000")
    page.keyboard.press("Enter")
    expect_focus_on(page, "feedback-heading")
    page.locator("#next").focus()
    page.keyboard.press("Enter")
    expect_path(page, question_path(4))
    expect_focus_on(page, "question")  # quiz.js moves focus once the step settles: type after that
    page.locator("#guess").fill("700")
    page.keyboard.press("Enter")
    expect_focus_on(page, "feedback-heading")
    page.locator("#next").focus()
    page.keyboard.press("Enter")
    expect_path(page, question_path(5))
    expect_focus_on(page, "question")  # quiz.js moves focus once the step settles: type after that

    # Space on a wrong choice.
    wrong = pick_wrong(questions[4])
    tab_to(page, f"#choice-{wrong.pk}")
    page.keyboard.press("Space")
    expect_focus_on(page, "feedback-heading")
    expect(page.locator("#feedback-heading")).to_have_text("Wrong")
    expect(page.locator("#live-region")).to_have_text(f"Wrong. The answer is {questions[4].correct_choice.text}.")
    expect_revealed_choices(page, questions[4], wrong.text)
    expect_same_document(page, "keyboard answers")
    assert sent == [question_path(n) for n in range(1, 6)]


# 5. and 6. Shares of readers, and axe on every kind of step -----------------------------------------------


@pytest.fixture
def small_quiz(transactional_db) -> Quiz:
    """Two choice questions (three choices, B right) and a number guess (0 to 5,000, 1,000 right ± 100)."""
    return PublishedQuizFactory(questions=2, questions__numbers=1)


def record_readers(quiz: Quiz) -> None:
    """Two counted readers: one right on everything (B, B and 1,000), one wrong on everything (A, A and 5,000)."""
    take_quiz(quiz, right=3)
    take_quiz(quiz, right=0)


def play_small_quiz(page: Page, quiz: Quiz, *, check=None) -> None:
    """Right on question 1 (B), wrong on 2 (A), a guess of 1,000 on 3; `check(step)` at each step."""
    check = check or (lambda step: None)
    url = quiz.get_absolute_url()
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    check("choice-question")
    page.get_by_role("button", name="B", exact=True).click()
    expect(page.locator("#feedback-heading")).to_have_text("Right")
    check("choice-revealed")
    page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="A", exact=True).click()
    expect(page.locator("#feedback-heading")).to_have_text("Wrong")
    page.get_by_role("link", name="Next question").click()
    expect(page.locator("#guess-slider")).to_be_visible()
    page.locator("#guess").fill("1000")
    check("guess-question")
    page.get_by_role("button", name="Submit my guess").click()
    expect(page.locator("#feedback-heading")).to_have_text("Right")
    check("guess-revealed")
    with page.expect_navigation():
        page.get_by_role("link", name="See your score").click()
    check("results")


def test_shares_of_readers_show_only_from_the_minimum_sample(page, small_quiz, settings):
    record_readers(small_quiz)
    settings.QUIZ_MIN_SAMPLE = 2

    def check(step: str) -> None:
        if step == "choice-revealed":
            # Readers so far: B (one earlier reader), A (the other), and this reader's B.
            expect(page.locator("#revealed-choices .quiz-choice__percent")).to_have_text(
                ["33% of readers", "67% of readers", "0% of readers"]
            )
            expect(page.locator("#readers-right")).to_have_text("67% of readers got this right.")
        elif step == "guess-revealed":
            histogram = page.locator("#guess-histogram")
            expect(histogram).to_be_visible()
            expect(histogram.locator(".histogram__caption")).to_have_text("How readers guessed")
            yours = histogram.locator(".histogram__row--yours")
            expect(yours).to_have_count(1)
            expect(yours).to_have_attribute("aria-current", "true")
            expect(yours.locator(".histogram__you").last).to_have_text("◀ you")
            expect(histogram.locator(".histogram__row--answer")).to_have_count(1)
            counts = histogram.locator(".histogram__count").all_inner_texts()
            assert sum(int(text.split()[0]) for text in counts) == 3, counts
        elif step == "results":
            expect(page.locator("#score-compare")).to_contain_text("of the 3 readers counted so far")
            expect(page.locator("#histogram .histogram__row--yours")).to_have_count(1)

    play_small_quiz(page, small_quiz, check=check)


def test_below_the_minimum_sample_no_shares_show_and_the_reader_is_among_the_first(page, small_quiz):
    record_readers(small_quiz)  # 2 readers, and the default minimum of 30

    def check(step: str) -> None:
        if step in ("choice-revealed", "guess-revealed"):
            expect(page.locator("#readers-right")).to_have_text(FIRST_READERS.format(min=30))
            expect(page.locator(".quiz-choice__percent, .quiz-choice__bar, #guess-histogram")).to_have_count(0)
            expect(page.locator("#feedback")).not_to_contain_text("% of readers")
        elif step == "results":
            expect(page.locator("#score-compare")).to_have_text(
                "Only 3 readers have finished this quiz so far. "
                "How readers scored shows once 30 readers have finished it."
            )
            expect(page.locator("#histogram")).to_have_count(0)

    play_small_quiz(page, small_quiz, check=check)


def test_every_kind_of_step_has_no_axe_violations_in_light_and_dark(page, small_quiz, settings):
    record_readers(small_quiz)
    settings.QUIZ_MIN_SAMPLE = 2

    def check(step: str) -> None:
        if step == "choice-revealed":
            expect(page.locator(".quiz-choice__percent").first).to_be_visible()
        if step == "guess-revealed":
            expect(page.locator("#guess-histogram")).to_be_visible()
        try:
            expect_accessible(page)
        except pytest.fail.Exception as failure:
            pytest.fail(f"[{step}] {failure.msg}", pytrace=False)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            shot(page, f"axe-{scheme}", step)
        page.emulate_media(color_scheme="light")

    play_small_quiz(page, small_quiz, check=check)


# 7. A guess out of range -----------------------------------------------------------------------------------


def test_a_guess_out_of_range_is_refused_and_nothing_is_recorded(page, browser_problems, small_quiz):
    browser_problems.allow(r"status of 400 ")  # Chromium logs the 400 it fetches as a console error
    url = small_quiz.get_absolute_url()
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    for name in ("B", "A"):
        page.get_by_role("button", name=name, exact=True).click()
        expect(page.locator("#feedback-heading")).to_be_visible()
        page.get_by_role("link", name="Next question").click()
    expect(page.locator("#guess-slider")).to_be_visible()
    mark_document(page)
    sent = posts_of(page)
    box = page.locator("#guess")

    # The browser's own validation: max is 5,000.
    box.fill("99999")
    page.get_by_role("button", name="Submit my guess").click()
    assert box.evaluate("box => box.validity.rangeOverflow") is True
    assert box.evaluate("box => box.validationMessage") != ""
    page.wait_for_timeout(300)
    assert sent == [], f"an out-of-range guess was sent: {sent}"

    # Sent anyway (a browser without validation): the server refuses it with a 400, and the question comes
    # back in place with the error at the field, focused and announced, so the reader corrects the guess.
    page.locator("#answer-form").evaluate("form => { form.noValidate = true; }")
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        page.get_by_role("button", name="Submit my guess").click()
    assert answered.value.status == 400
    expect(page.locator("#answer-error")).to_have_text("! Guess a number from 0 to 5,000.")
    expect_focus_on(page, "answer-error")
    expect(page.locator("#live-region")).to_have_text("Guess a number from 0 to 5,000.")
    expect_same_document(page, "after the 400")
    expect(page.locator("#guess")).to_be_visible()
    # The guess is still there to correct, and the slider stands at its end of the range.
    expect(page.locator("#guess")).to_have_value("99999")
    expect(page.locator("#guess-slider")).to_have_value("5000")
    attempt = Attempt.objects.get(quiz=small_quiz)
    assert attempt.answers.count() == 2
    assert not attempt.answers.filter(question__kind="number").exists()
    shot(page, "desktop", "guess-out-of-range")
