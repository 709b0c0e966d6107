"""The Spanish site in a real browser: the quiz, the language switcher, a permalink, accessibility, a first visit.

Spanish pages live under /es/ (factcheck/languages.py). The demo (``load_demo()``) has a Spanish version of
every fact-check and of the quiz (claims/demo/content_es.json): the Spanish quiz's slug is the English one
+ "-es", and its questions are the English quiz's, in other words, so a reader's attempt, answers and
statistics are the same whichever language they answer in (claims/views/quiz.py). The expected Spanish
below is the wording of locale/es/LC_MESSAGES/django.po. As in test_quiz_browser.py, the reader is wrong on
every third question (8 of 12) and a few other readers' finished attempts are recorded first (``others``).
The harness fails any test whose pages log a console error, throw, violate the CSP or miss a static file.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import Page, expect

from claims import quiz_services
from claims.demo.loader import load_demo, read_spanish
from claims.models import Attempt, Claim, Question, QuestionTally, Quiz
from claims.quiz_numbers import display, with_unit
from tests.browser.conftest import _open_page, screenshot
from tests.browser.test_quiz_browser import (
    OTHER_READERS_SCORES,
    QUIZ_SLUG,
    READER_SCORE,
    TOTAL,
    expect_accessible,
    expect_focus_on,
    expect_path,
    expect_same_document,
    guess_for,
    mark_document,
    path_of,
    pick,
    reader_is_right,
    record_others,
    score_after,
    typed_guess,
)
from tests.browser.test_reader_pages import PERMALINK_SLUG, badge_label

QUIZ_URL = f"/quizzes/{QUIZ_SLUG}/"
ES_QUIZ_SLUG = f"{QUIZ_SLUG}-es"
ES_QUIZ_URL = f"/es/quizzes/{ES_QUIZ_SLUG}/"
PERMALINK = f"/claims/{PERMALINK_SLUG}/"
ES_PERMALINK = f"/es/claims/{PERMALINK_SLUG}-es/"
ELSEWHERE = "https://news.example.org/a-story-about-the-border"  # the other site a reader comes from
# The verdicts' Spanish labels (msgctxt "verdict" in the catalogue).
VERDICTS_ES = {
    "true": "Verdadero",
    "mostly-true": "Mayormente verdadero",
    "half-true": "Verdad a medias",
    "mostly-false": "Mayormente falso",
    "false": "Falso",
    "unproven": "Sin pruebas suficientes",
}


FIRST_READERS_ES = (
    "Estás entre los primeros lectores en responder esta pregunta: cómo respondieron los demás se mostrará cuando "
    "hayan respondido {min} lectores."
)


@dataclass(frozen=True)
class Words:
    """A question of the quiz in the Spanish quiz's words (claims/demo/content_es.json)."""

    prompt: str
    explanation: str
    choices: dict[int, str]  # choice pk → its Spanish text (none for a number guess)
    correct: str  # the right choice's text, or a number guess's true value with its Spanish unit
    unit: str = ""  # a number guess's unit in Spanish

    def of(self, choice) -> str:
        return self.choices[choice.pk]


def spanish_figure(value, unit: str) -> str:
    """A figure as the Spanish pages write it, with its unit: "1.000 migrantes al día"."""
    with translation.override("es"):
        return with_unit(display(value), unit)


def given(question: Question, words: Words, number: int) -> str:
    """The reader's answer per the plan, as the Spanish pages show it."""
    if question.is_number:
        return spanish_figure(guess_for(question, reader_is_right(number)), words.unit)
    return words.of(pick(question, number))


@pytest.fixture
def quiz(transactional_db) -> Quiz:
    """The demo quiz (English, the original), with its Spanish version; committed so the live server sees them."""
    load_demo()
    return Quiz.objects.get(slug=QUIZ_SLUG)


@pytest.fixture
def spanish_quiz(quiz) -> Quiz:
    spanish = Quiz.objects.get(slug=ES_QUIZ_SLUG)
    assert (spanish.language, spanish.translation_of_id, spanish.is_published) == ("es", quiz.pk, True)
    return spanish


@pytest.fixture
def questions(quiz) -> list[Question]:
    found = quiz_services.quiz_questions(quiz)
    assert len(found) == TOTAL
    return found


@pytest.fixture
def spanish(questions) -> list[Words]:
    """Each question's Spanish words, from the demo's translation (choices in the English choices' order)."""
    specs = read_spanish()["quiz"]["questions"]
    words = []
    for question, spec in zip(questions, specs, strict=True):
        if question.is_number:
            unit = spec["unit"]
            words.append(
                Words(spec["prompt"], spec["explanation"], {}, spanish_figure(question.true_value, unit), unit)
            )
            continue
        choices = dict(zip([c.pk for c in question.choices.all()], spec["choices"], strict=True))
        words.append(Words(spec["prompt"], spec["explanation"], choices, choices[question.correct_choice.pk]))
    return words


@pytest.fixture
def others(quiz, questions, settings) -> None:
    """Other readers' finished, counted attempts: each answers its first `score` questions right; shares of
    readers show from this many readers on."""
    settings.QUIZ_MIN_SAMPLE = len(OTHER_READERS_SCORES)
    record_others(quiz, questions, OTHER_READERS_SCORES)


@pytest.fixture
def spanish_browser_page(browser, live_server, browser_problems, live_site_url):
    """A new page in a browser whose language is Spanish (Mexico): navigator.language and Accept-Language es-MX."""
    yield from _open_page(browser, live_server, browser_problems, locale="es-MX")


# Helpers -------------------------------------------------------------------


def question_path(number: int, *, language: str = "es") -> str:
    return f"{ES_QUIZ_URL if language == 'es' else QUIZ_URL}q/{number}/"


def spanish_claim_path(claim: Claim) -> str:
    """The address of the Spanish version of an English fact-check."""
    return f"/es/claims/{Claim.objects.get(translation_of=claim, language='es').slug}/"


def expect_fact_check_link(link, claim: Claim) -> None:
    """A "Lee la verificación" link: to the Spanish fact-check, named by its Spanish statement (cut at 100)."""
    statement = Claim.objects.get(translation_of=claim, language="es").statement
    statement = statement if len(statement) <= 100 else statement[:99] + "…"
    # Chromium puts a space before the visually hidden part when it computes the name.
    expect(link).to_have_accessible_name(re.compile(rf"^Lee la verificación\s*: “{re.escape(statement)}”$"))
    expect(link).to_have_attribute("href", spanish_claim_path(claim))


def expect_language(page: Page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)


def switcher_link(page: Page, name: str):
    return page.get_by_role("navigation", name="Idioma" if name == "English" else "Language").get_by_role(
        "link", name=name, exact=True
    )


def switch_to(page: Page, name: str) -> str:
    """Click the header's link to the other language ("English", "Español"); returns the link's address."""
    link = switcher_link(page, name)
    href = link.get_attribute("href")
    with page.expect_navigation():
        link.click()
    return href


def language_cookie(page: Page) -> str | None:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies.get(settings.LANGUAGE_COOKIE_NAME)


def redirects(response) -> list[str]:
    """The paths a navigation went through, from the first request to the page it ended on."""
    chain, request = [], response.request
    while request is not None:
        chain.insert(0, path_of(request.url))
        request = request.redirected_from
    return chain


def expect_progress(page: Page, number: int, answered: int) -> None:
    expect(page.locator("#progress-label")).to_have_text(f"Pregunta {number} de {TOTAL}")
    bar = page.locator("progress.quiz-progress__bar")
    expect(bar).to_have_attribute("value", str(answered))
    expect(bar).to_have_attribute("max", str(TOTAL))
    expect(bar).to_have_text(f"{answered} de {TOTAL} respondidas")


def expect_running_score_es(page: Page, answered: int) -> None:
    score = page.locator("#running-score")
    if answered == 0:
        expect(score).to_have_count(0)
    else:
        expect(score).to_have_text(f"Aciertos hasta ahora: {score_after(answered)} de {answered}")


def readers_right(question: Question) -> str:
    return f"El {quiz_services.question_tally(question.pk).percent_correct}% de los lectores acertó."


def expected_announcement(question: Question, words: Words, right: bool) -> str:
    verdict = "Correcto." if right else "Incorrecto."
    return f"{verdict} La respuesta correcta es: {words.correct}. {readers_right(question)}"


def submit_answer(page: Page, question: Question, words: Words, number: int) -> None:
    """Give the reader's answer per the plan: one tap on the choice (its Spanish words), or a typed guess."""
    if question.is_number:
        page.locator("#guess").fill(typed_guess(question, number))
        page.get_by_role("button", name="Enviar mi cifra").click()
    else:
        page.get_by_role("button", name=words.of(pick(question, number)), exact=True).click()


def start(page: Page) -> None:
    """From the Spanish intro: Start is a plain form, so question 1 is a full page."""
    page.goto(ES_QUIZ_URL)
    expect_language(page, "es")
    with page.expect_navigation():
        page.get_by_role("button", name="Empieza el cuestionario").click()
    expect_path(page, question_path(1))


def answer(page: Page, question: Question, words: Words, number: int) -> None:
    """Answer question `number` per the reader's plan, in Spanish, and wait for the feedback."""
    expect(page.locator("#progress-label")).to_have_text(f"Pregunta {number} de {TOTAL}")
    submit_answer(page, question, words, number)
    expect(page.locator("#feedback-heading")).to_have_text("Correcto" if reader_is_right(number) else "Incorrecto")


def finish(page: Page, questions: list[Question], spanish: list[Words], first: int) -> None:
    """From the feedback of question `first` - 1 (or question 1 asked), answer the rest; ends on the results."""
    for number in range(first, TOTAL + 1):
        if number > 1 and page.locator("#feedback").count():
            page.get_by_role("link", name="Siguiente pregunta").click()
            expect_path(page, question_path(number))
        answer(page, questions[number - 1], spanish[number - 1], number)
    with page.expect_navigation():
        page.get_by_role("link", name="Mira tu resultado").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(ES_QUIZ_URL)}results/[\w-]+/$"))


def expect_feedback(page: Page, question: Question, words: Words, number: int) -> None:
    """The feedback in Spanish: right/wrong, the answers and explanation in the quiz's words, the Spanish
    fact-check, the readers' share."""
    right = reader_is_right(number)
    feedback = page.locator("#feedback")
    expect(feedback).to_have_class(re.compile(r"quiz-feedback--right" if right else r"quiz-feedback--wrong"))
    expect(page.locator("#feedback-heading")).to_have_text("Correcto" if right else "Incorrecto")
    expect_revealed(page, question, words, number)
    expect(feedback.locator(".quiz-feedback__explanation")).to_have_text(words.explanation)
    claim = question.claim
    badge = feedback.locator(".quiz-feedback__claim .badge")
    expect(badge).to_have_attribute("data-verdict", claim.verdict)
    assert badge_label(badge) == VERDICTS_ES[claim.verdict]
    expect_fact_check_link(feedback.get_by_role("link", name=re.compile(r"^Lee la verificación")), claim)
    if quiz_services.question_tally(question.pk).is_enough:
        expect(page.locator("#readers-right")).to_have_text(readers_right(question))
    else:
        expect(page.locator("#readers-right")).to_have_text(FIRST_READERS_ES.format(min=quiz_services.min_sample()))
    expect(page.locator("#answer-form")).to_have_count(0)


def expect_revealed(page: Page, question: Question, words: Words, number: int) -> None:
    """The answer revealed in place, in Spanish: the choices marked (yours, the right one), or the true value."""
    if question.is_number:
        expect(page.locator("#true-value")).to_have_text(f"La respuesta: {words.correct}")
        expect(page.locator("#your-guess strong")).to_have_text(given(question, words, number))
        return
    rows = page.locator("#revealed-choices .quiz-choice__text")
    expect(rows).to_have_text([words.of(choice) for choice in question.choices.all()])
    yours = page.locator("#revealed-choices .quiz-choice--yours")
    expect(yours.locator(".quiz-choice__text")).to_have_text(given(question, words, number))
    expect(yours.locator(".quiz-tag--yours")).to_have_text("Tu respuesta")
    right = page.locator("#revealed-choices .quiz-choice--right")
    expect(right.locator(".quiz-choice__text")).to_have_text(words.correct)
    expect(right.locator(".quiz-tag--right")).to_have_text("Respuesta correcta")


def expect_spanish_results(
    page: Page, questions: list[Question], spanish: list[Words], other_scores: list[int] | None = None
) -> None:
    """The owner's results page in Spanish: score, histogram, comparison and the review of every answer;
    `other_scores` are the other finished attempts counted."""
    other_scores = other_scores or []
    readers = len(other_scores) + 1
    expect_language(page, "es")
    expect(page.locator("#score")).to_contain_text("Obtuviste")
    expect(page.locator("#score-number")).to_have_text(f"{READER_SCORE} de {TOTAL}")
    if readers < quiz_services.min_sample():
        # Too few finished readers to compare: said in words, and no histogram.
        assert readers == 1, "expected texts for one reader only"
        expect(page.locator("#score-compare")).to_contain_text(
            "Hasta ahora solo un lector ha terminado este cuestionario. Cómo puntuaron los lectores se mostrará "
            f"cuando lo hayan terminado {quiz_services.min_sample()} lectores."
        )
        expect(page.locator("#histogram")).to_have_count(0)
    else:
        expect_spanish_histogram(page, readers, other_scores)
    expect_spanish_review(page, questions, spanish)


def expect_spanish_histogram(page: Page, readers: int, other_scores: list[int]) -> None:
    expect(page.locator("#histogram-caption")).to_have_text(
        f"Resultados de {readers} lector" if readers == 1 else f"Resultados de {readers} lectores"
    )
    labels = [f"{score} acierto" if score == 1 else f"{score} aciertos" for score in range(TOTAL + 1)]
    expect(page.locator("#histogram .histogram__label")).to_have_text(labels)
    yours = page.locator("#histogram .histogram__row--yours")
    expect(yours).to_have_count(1)
    expect(yours.locator(".histogram__label")).to_have_text(f"{READER_SCORE} aciertos")
    expect(yours.locator(".histogram__you")).to_have_text("◀ tú")
    below = round(100 * sum(score < READER_SCORE for score in other_scores) / readers)
    expect(page.locator(".quiz-score__compare")).to_contain_text(
        f"Es mejor que el {below}% del 1 lector contabilizado hasta ahora."
        if readers == 1
        else f"Es mejor que el {below}% de los {readers} lectores contabilizados hasta ahora."
    )


def expect_spanish_review(page: Page, questions: list[Question], spanish: list[Words]) -> None:
    expect(page.get_by_role("heading", name="Tus respuestas")).to_be_visible()
    items = page.locator("#review > li")
    expect(items).to_have_count(TOTAL)
    for number, (question, words) in enumerate(zip(questions, spanish, strict=True), start=1):
        item = items.nth(number - 1)
        expect(item.locator(".quiz-review__prompt")).to_have_text(words.prompt)
        verdict = "Correcto" if reader_is_right(number) else "Incorrecto"
        expect(item.locator(".quiz-review__verdict")).to_have_text(verdict)
        expect(item.locator(".quiz-review__answers dt")).to_have_text(
            ["Tu cifra" if question.is_number else "Tu respuesta", "La respuesta correcta"]
        )
        expect(item.locator(".quiz-review__answers dd")).to_have_text([given(question, words, number), words.correct])
        expect_fact_check_link(item.get_by_role("link", name=re.compile(r"^Lee la verificación")), question.claim)
    expect(page.get_by_role("heading", name="Comparte tu resultado")).to_be_visible()
    expect(page.get_by_role("button", name="Vuelve a hacer el cuestionario")).to_be_visible()


# The Spanish quiz with JavaScript -------------------------------------------------


def test_the_spanish_quiz_is_in_spanish_swaps_in_place_and_shares_the_statistics_with_english_readers(
    page, browser, live_server, browser_problems, quiz, spanish_quiz, questions, spanish, others
):
    # First an English reader, in their own browser, answers question 1 wrong in the English quiz.
    with contextlib.closing(_open_page(browser, live_server, browser_problems)) as pages:
        english = next(pages)
        english.goto(QUIZ_URL)
        expect_language(english, "en")
        with english.expect_navigation():
            english.get_by_role("button", name="Start the quiz").click()
        english.locator("#guess").fill(typed_guess(questions[0], 3))  # a wrong guess
        english.get_by_role("button", name="Submit my guess").click()
        expect(english.locator("#feedback-heading")).to_have_text("Wrong")
        # The three other readers got it right, the English reader wrong.
        expect(english.locator("#readers-right")).to_have_text("75% of readers got this right.")

    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(ES_QUIZ_URL)
    expect_language(page, "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(spanish_quiz.title)
    expect(page.locator(".quiz-intro__text")).to_have_text(spanish_quiz.intro)
    expect(page.locator("#question-count")).to_contain_text(f"{TOTAL} preguntas.")
    with page.expect_navigation():
        page.get_by_role("button", name="Empieza el cuestionario").click()
    expect_path(page, question_path(1))
    expect_language(page, "es")
    mark_document(page)
    loads_at_start = len(loads)

    for number, (question, words) in enumerate(zip(questions, spanish, strict=True), start=1):
        expect_path(page, question_path(number))
        expect_progress(page, number, answered=number - 1)
        expect(page.locator("#question")).to_have_text(words.prompt)
        expect(page).to_have_title(re.compile(rf"^Pregunta {number} de {TOTAL} · {re.escape(spanish_quiz.title)} · "))
        if number > 1:
            expect_focus_on(page, "question")
            expect(page.locator("#live-region")).to_have_text(f"Pregunta {number} de {TOTAL}: {words.prompt}")
        expect_running_score_es(page, number - 1)
        if question.is_number:
            expect(page.locator("label[for=guess]")).to_have_text(f"Tu cifra ({words.unit})")
            expect(page.get_by_role("button", name="Enviar mi cifra")).to_be_visible()
        else:
            expect(page.locator(".quiz-choices__legend")).to_have_text(
                "Elige una respuesta: cuenta en cuanto la eliges."
            )
            expect(page.locator("#answer-form .quiz-choice__text")).to_have_text(
                [words.of(choice) for choice in question.choices.all()]
            )

        submit_answer(page, question, words, number)

        expect(page.locator("#feedback")).to_be_visible()
        expect_feedback(page, question, words, number)
        expect_focus_on(page, "feedback-heading")
        expect(page.locator("#live-region")).to_have_text(
            expected_announcement(question, words, reader_is_right(number))
        )
        expect_progress(page, number, answered=number)
        expect_running_score_es(page, number)
        expect_path(page, question_path(number))
        expect_same_document(page, f"question {number}")
        if number == 1:
            # Shared with the English quiz: 3 other readers right, the English reader wrong, this reader right.
            tally = QuestionTally.objects.get(question=question)
            assert (tally.answered, tally.correct) == (len(OTHER_READERS_SCORES) + 2, len(OTHER_READERS_SCORES) + 1)
            expect(page.locator("#readers-right")).to_have_text("El 80% de los lectores acertó.")
        if number < TOTAL:
            page.get_by_role("link", name="Siguiente pregunta").click()
            expect_path(page, question_path(number + 1))
            expect(page.locator("#answer-form")).to_be_visible()

    assert len(loads) == loads_at_start, f"full page loads during the quiz: {loads[loads_at_start:]}"
    expect_language(page, "es")
    with page.expect_navigation():
        page.get_by_role("link", name="Mira tu resultado").click()

    # One attempt, at the English original: the Spanish reader counts with everyone else.
    attempt = Attempt.objects.finished().exclude(reader__startswith="other-").get()
    assert attempt.quiz_id == quiz.pk
    assert (attempt.score, attempt.total, attempt.answers.count()) == (READER_SCORE, TOTAL, TOTAL)
    expect_path(page, f"{ES_QUIZ_URL}results/{attempt.token}/")
    expect_spanish_results(page, questions, spanish, OTHER_READERS_SCORES)
    expect(page.locator("#share-url")).to_have_value(page.url)


# Switching language mid-quiz ------------------------------------------------------


def test_switching_language_mid_quiz_keeps_the_place_and_the_answers(page, quiz, questions, spanish, settings):
    settings.QUIZ_MIN_SAMPLE = 1  # the results' comparison and histogram from this one reader on
    start(page)
    for number in (1, 2):
        if number == 2:
            page.get_by_role("link", name="Siguiente pregunta").click()
            expect_path(page, question_path(2))
        answer(page, questions[number - 1], spanish[number - 1], number)

    # English, from question 2's feedback (reached by an htmx swap): the same question of the English quiz.
    href = switch_to(page, "English")
    assert path_of(page.url) == question_path(2, language="en"), (
        f"the header's English link ({href}) led to {path_of(page.url)}, not to question 2 of the English quiz"
    )
    expect_language(page, "en")
    expect(page.locator("#progress-label")).to_have_text(f"Question 2 of {TOTAL}")
    expect(page.locator("#question")).to_have_text(questions[1].prompt)
    expect(page.locator("#revealed-choices .quiz-choice--yours .quiz-choice__text")).to_have_text(
        pick(questions[1], 2).text
    )
    expect(page.locator("#feedback-heading")).to_have_text("Right")
    expect(page.locator("#answer-form")).to_have_count(0)

    # Question 3 in English.
    page.get_by_role("link", name="Next question").click()
    expect_path(page, question_path(3, language="en"))
    page.locator("#guess").fill(typed_guess(questions[2], 3))
    page.get_by_role("button", name="Submit my guess").click()
    expect(page.locator("#feedback-heading")).to_have_text("Wrong")

    # Back to Spanish, on question 3's feedback, and on to the end.
    href = switch_to(page, "Español")
    assert path_of(page.url) == question_path(3), (
        f"the header's Español link ({href}) led to {path_of(page.url)}, not to question 3 of the Spanish quiz"
    )
    expect_language(page, "es")
    expect(page.locator("#progress-label")).to_have_text(f"Pregunta 3 de {TOTAL}")
    expect_revealed(page, questions[2], spanish[2], 3)
    expect(page.locator("#feedback-heading")).to_have_text("Incorrecto")
    finish(page, questions, spanish, first=4)

    attempt = Attempt.objects.get(quiz=quiz)
    assert (attempt.score, attempt.total, attempt.answers.count()) == (READER_SCORE, TOTAL, TOTAL)
    expect_spanish_results(page, questions, spanish)


def test_switching_language_mid_quiz_without_javascript(nojs_page, quiz, questions, spanish):
    """Every step is a page of its own, so the header's links always name the question on screen."""
    page = nojs_page
    page.goto(ES_QUIZ_URL)
    with page.expect_navigation():
        page.get_by_role("button", name="Empieza el cuestionario").click()
    for number in (1, 2):
        expect_progress(page, number, answered=number - 1)
        with page.expect_navigation():
            submit_answer(page, questions[number - 1], spanish[number - 1], number)
        expect_path(page, question_path(number))
        expect_feedback(page, questions[number - 1], spanish[number - 1], number)
        if number == 1:
            with page.expect_navigation():
                page.get_by_role("link", name="Siguiente pregunta").click()

    switch_to(page, "English")
    expect_path(page, question_path(2, language="en"))
    expect_language(page, "en")
    expect(page.locator("#revealed-choices .quiz-choice--yours .quiz-choice__text")).to_have_text(
        pick(questions[1], 2).text
    )
    assert language_cookie(page) == "en"
    with page.expect_navigation():
        page.get_by_role("link", name="Next question").click()
    expect_path(page, question_path(3, language="en"))
    expect(page.locator("#question")).to_have_text(questions[2].prompt)

    # Back to Spanish before answering question 3: the same question, asked in Spanish.
    switch_to(page, "Español")
    expect_path(page, question_path(3))
    expect_language(page, "es")
    expect_progress(page, 3, answered=2)
    expect(page.locator("#question")).to_have_text(spanish[2].prompt)
    for number in range(3, TOTAL + 1):
        question, words = questions[number - 1], spanish[number - 1]
        with page.expect_navigation():
            submit_answer(page, question, words, number)
        expect_feedback(page, question, words, number)
        with page.expect_navigation():
            page.get_by_role("link", name="Siguiente pregunta" if number < TOTAL else "Mira tu resultado").click()
    attempt = Attempt.objects.get(quiz=quiz)
    expect_path(page, f"{ES_QUIZ_URL}results/{attempt.token}/")
    assert (attempt.score, attempt.answers.count()) == (READER_SCORE, TOTAL)
    expect_spanish_results(page, questions, spanish)


# The Spanish permalink ------------------------------------------------------------


def test_the_spanish_permalink_marks_the_english_evidence_and_our_translation(page, quiz, live_server):
    claim = Claim.objects.get(slug=PERMALINK_SLUG)
    words = read_spanish()["claims"][PERMALINK_SLUG]
    response = page.goto(ES_PERMALINK)
    assert response.status == 200
    expect_language(page, "es")

    badge = page.locator(".claim__verdict .badge")
    expect(badge).to_have_attribute("data-verdict", "true")
    assert badge_label(badge) == "Verdadero"
    expect(badge.locator(".visually-hidden")).to_have_text("Veredicto:")
    expect(page.locator("h1.claim__statement")).to_have_text(f"Afirmación: “{words['statement']}”")
    bottom_line = page.locator(".bottom-line")
    expect(bottom_line.get_by_role("heading", name="En resumen")).to_be_visible()
    expect(bottom_line.locator("p")).to_have_text(words["ruling"])
    expect(page.get_by_role("heading", name="Explicación")).to_be_visible()
    expect(page.get_by_role("heading", name="Fuentes")).to_be_visible()

    # The evidence: the English quote, marked as English, then our Spanish translation, marked as ours.
    sources = list(claim.sources.order_by("position", "id"))
    items = page.locator("ol.sources > li")
    expect(items).to_have_count(len(sources))
    for item, source, ours in zip(items.all(), sources, words["quotes"], strict=True):
        quote = item.locator("blockquote.source__quote")
        expect(quote).to_have_text(source.quote)
        expect(quote).to_have_attribute("lang", "en")
        translated = item.locator(".source__translation")
        expect(translated.locator(".source__translation-label")).to_have_text("Traducción nuestra:")
        expect(translated).to_have_text(f"Traducción nuestra: {ours}")
        assert translated.evaluate("p => p.closest('[lang]').lang") == "es"

    # The ClaimReview names its language and the English review it translates.
    review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    english_url = f"{live_server.url}{PERMALINK}"
    assert review["@type"] == "ClaimReview"
    assert review["inLanguage"] == "es"
    assert review["url"] == f"{live_server.url}{ES_PERMALINK}"
    assert review["claimReviewed"] == words["statement"]
    assert review["reviewRating"]["alternateName"] == "Verdadero"
    assert review["translationOfWork"] == {
        "@type": "ClaimReview",
        "@id": english_url,
        "url": english_url,
        "inLanguage": "en",
    }

    # The header's "English" leads to the English permalink.
    link = switcher_link(page, "English")
    expect(link).to_have_attribute("lang", "en")
    expect(link).to_have_attribute("hreflang", "en")
    switch_to(page, "English")
    expect_path(page, PERMALINK)
    expect_language(page, "en")
    assert badge_label(page.locator(".claim__verdict .badge")) == "True"
    expect(page.locator(".bottom-line").get_by_role("heading", name="The bottom line")).to_be_visible()
    english_review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert english_review["inLanguage"] == "en"
    assert [w["url"] for w in english_review["workTranslation"]] == [f"{live_server.url}{ES_PERMALINK}"]


# Accessibility -----------------------------------------------------------------


def test_spanish_pages_have_no_axe_violations(page, quiz, questions, spanish, others):
    """WCAG 2.1 A and AA, light and dark: home, index, permalink, ratings, and every step of the quiz."""
    for name, path in {
        "home": "/es/",
        "index": "/es/claims/",
        "permalink": ES_PERMALINK,
        "ratings": "/es/about/ratings/",
        "quiz-intro": ES_QUIZ_URL,
    }.items():
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        expect_language(page, "es")
        expect_accessible(page)
        if name == "permalink":
            screenshot(page, "es-permalink")

    with page.expect_navigation():
        page.get_by_role("button", name="Empieza el cuestionario").click()
    expect(page.locator("#answer-form")).to_be_visible()
    page.locator("#guess").fill("1500")
    expect_accessible(page)

    answer(page, questions[0], spanish[0], 1)
    expect_focus_on(page, "feedback-heading")
    expect_accessible(page)
    screenshot(page, "es-quiz-feedback")

    finish(page, questions, spanish, first=2)
    expect(page.locator("#score-number")).to_have_text(f"{READER_SCORE} de {TOTAL}")
    expect_accessible(page)
    screenshot(page, "es-quiz-results")


# A first visit from a Spanish-speaking browser ------------------------------------------


def test_a_spanish_browser_arriving_from_elsewhere_gets_spanish_until_the_reader_chooses_english(
    spanish_browser_page, quiz
):
    page = spanish_browser_page
    assert page.evaluate("navigator.language") == "es-MX"
    assert language_cookie(page) is None

    # An English link, followed from another site: the Spanish version of the page, and the choice remembered.
    response = page.goto(PERMALINK, referer=ELSEWHERE)
    assert response.status == 200
    chain = redirects(response)
    assert chain[0] == PERMALINK and len(chain) > 1, f"the English link was not redirected: {chain}"
    first = response.request
    while first.redirected_from is not None:
        first = first.redirected_from
    assert first.headers.get("accept-language", "").lower().startswith("es"), first.headers
    expect_path(page, ES_PERMALINK)
    expect_language(page, "es")
    assert badge_label(page.locator(".claim__verdict .badge")) == "Verdadero"
    assert language_cookie(page) == "es"

    # The reader prefers English: the switcher takes them to the English page and remembers that instead.
    switch_to(page, "English")
    expect_path(page, PERMALINK)
    expect_language(page, "en")
    assert language_cookie(page) == "en"

    # Their next visits from elsewhere stay English, whatever the browser's language.
    for path in (PERMALINK, "/", QUIZ_URL):
        response = page.goto(path, referer=ELSEWHERE)
        assert response.status == 200
        assert redirects(response) == [path], f"{path} was redirected: {redirects(response)}"
        expect_path(page, path)
        expect_language(page, "en")
