"""The quiz's page in the admin, in Chromium: questions folded to one line and opened to edit, the order changed
with the Move buttons (by keyboard), by dragging, and without JavaScript; errors summed up at the top.

Axe at 1280 and 1440 px; full-page screenshots under test-artifacts/quiz-form/ (not committed) to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from claims.models import Quiz, Status
from claims.verdicts import Verdict
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_question_form_browser import log_in
from tests.factories import ClaimFactory, QuestionFactory, QuizFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "quiz-form"
# Django's select2 autocomplete has an axe finding of its own (aria-input-field-name on its combobox), which is
# not this page's to fix (as in test_question_form_browser.py).
PAGE = {"exclude": [".select2-container"]}
YES_NO = [("Yes", True), ("No", False)]


def _quiz(prompts: list[str]) -> Quiz:
    quiz = QuizFactory(title="Border quiz")
    claim = ClaimFactory(statement="Crossings doubled in March.", verdict=Verdict.TRUE, status=Status.PUBLISHED)
    for position, prompt in enumerate(prompts, start=1):
        QuestionFactory(quiz=quiz, position=position, prompt=prompt, claim=claim, choices=YES_NO)
    return quiz


def _saved_order(quiz: Quiz) -> list[str]:
    return list(quiz.questions.order_by("position").values_list("prompt", flat=True))


def _shown_order(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".question-card.has_original .question-card__prompt").all_inner_texts()]


def _card(page: Page, prompt: str):
    return page.locator(".question-card", has=page.locator(".question-card__prompt", has_text=prompt))


def _save_and_continue(page: Page) -> None:
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()


def test_questions_are_folded_and_reordered_by_keyboard_then_saved(page: Page):
    quiz = _quiz(["First?", "Second?", "Third?"])
    log_in(page)
    page.goto(f"/admin/claims/quiz/{quiz.pk}/change/")

    # Folded to a line each: prompt, kind, fact-check; their fields hidden until opened.
    first = _card(page, "First?")
    expect(first.locator("summary")).to_contain_text("Choose one answer")
    expect(first.locator("summary")).to_contain_text("Fact-check: True, “Crossings doubled in March.”")
    expect(first.locator("textarea[name$='-prompt']")).to_be_hidden()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page, PAGE)
        page.screenshot(path=str(ARTIFACTS / f"quiz-folded-{width}.png"), full_page=True)
    # The page is short: three questions take a line each, not a form each.
    assert page.evaluate("document.documentElement.scrollHeight") < 2600

    # The keyboard: focus "Move down" on the first question and press Enter, twice.
    move_down = first.get_by_role("button", name="Move down question 1")
    move_down.focus()
    page.keyboard.press("Enter")
    assert _shown_order(page) == ["Second?", "First?", "Third?"]
    status = page.locator("#questions-group .question-list__status[role=status]")
    expect(status).to_have_text("Question moved to place 2 of 3. Save the quiz to keep the new order.")
    moved = first.get_by_role("button", name="Move down question 2")  # renamed for its new place
    expect(moved).to_be_focused()
    page.keyboard.press("Enter")
    assert _shown_order(page) == ["Second?", "Third?", "First?"]
    page.keyboard.press("Enter")  # already last: said, nothing moves
    expect(status).to_have_text("This question is already last.")
    assert _shown_order(page) == ["Second?", "Third?", "First?"]
    expect(page.locator(".question-card.has_original .inline_label")).to_have_text(["#1", "#2", "#3"])
    assert _saved_order(quiz) == ["First?", "Second?", "Third?"]  # nothing saved yet

    _save_and_continue(page)
    assert _saved_order(quiz) == ["Second?", "Third?", "First?"]
    assert _shown_order(page) == ["Second?", "Third?", "First?"]


def test_a_question_is_dragged_by_its_handle(page: Page):
    quiz = _quiz(["First?", "Second?", "Third?"])
    log_in(page)
    page.goto(f"/admin/claims/quiz/{quiz.pk}/change/")
    handle = _card(page, "Third?").locator(".question-card__handle")
    handle.drag_to(_card(page, "First?").locator("summary"), target_position={"x": 20, "y": 2})
    assert _shown_order(page) == ["Third?", "First?", "Second?"]
    expect(page.locator("#questions-group .question-list__status[role=status]")).to_have_text(
        "Question moved to place 1 of 3. Save the quiz to keep the new order."
    )
    _save_and_continue(page)
    assert _saved_order(quiz) == ["Third?", "First?", "Second?"]


def test_enter_in_a_text_field_saves_rather_than_moves(page: Page):
    quiz = _quiz(["First?", "Second?"])
    log_in(page)
    page.goto(f"/admin/claims/quiz/{quiz.pk}/change/")
    page.get_by_label("Title").fill("Border quiz, revised")
    with page.expect_navigation():
        page.get_by_label("Title").press("Enter")
    expect(page.locator("ul.messagelist li.success").first).to_contain_text("was changed successfully")
    quiz.refresh_from_db()
    assert quiz.title == "Border quiz, revised" and _saved_order(quiz) == ["First?", "Second?"]


def test_without_javascript_move_up_saves_the_new_order(nojs_page: Page):
    page = nojs_page
    quiz = _quiz(["First?", "Second?", "Third?"])
    log_in(page)
    page.goto(f"/admin/claims/quiz/{quiz.pk}/change/")
    # Native <details>: a question opens without a script.
    third = _card(page, "Third?")
    third.locator("summary").click()
    expect(third.locator("textarea[name$='-prompt']")).to_be_visible()
    with page.expect_navigation():
        third.get_by_role("button", name="Move up question 3").click()
    expect(page.locator("ul.messagelist li.success", has_text="Question moved: it is number 2 now.")).to_be_visible()
    assert _saved_order(quiz) == ["First?", "Third?", "Second?"]
    assert _shown_order(page) == ["First?", "Third?", "Second?"]


def test_an_error_opens_its_question_and_the_summary_links_to_it(page: Page):
    quiz = _quiz(["First?", "Second?", "Third?"])
    log_in(page)
    page.goto(f"/admin/claims/quiz/{quiz.pk}/change/")
    third = _card(page, "Third?")
    third.locator("summary").click()
    third.locator("textarea[name$='-prompt']").fill("")
    _save_and_continue(page)

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert summary.bounding_box()["y"] < 900  # on the first screen, not below the questions
    third = page.locator("#questions-2")
    expect(third.locator("details")).to_have_attribute("open", "")
    expect(third.locator("summary")).to_contain_text("Has errors: see below")
    expect(page.locator("#questions-0 details")).not_to_have_attribute("open", re.compile(".*"))
    summary.get_by_role("link", name=re.compile(r"Question 3, Prompt")).click()
    expect(third.locator("textarea[name$='-prompt']")).to_be_focused()
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page, PAGE)
        page.screenshot(path=str(ARTIFACTS / f"quiz-error-{width}.png"), full_page=True)
    assert _saved_order(quiz) == ["First?", "Second?", "Third?"]


def test_a_question_shows_the_fields_of_its_kind(page: Page):
    quiz = _quiz(["First?"])
    log_in(page)
    page.goto(f"/admin/claims/quiz/{quiz.pk}/change/")
    card = _card(page, "First?")
    card.locator("summary").click()
    expect(card.locator("input[name$='-choice_1']")).to_be_visible()
    expect(card.locator("input[name$='-number_min']")).to_be_hidden()
    card.locator("select[name$='-kind']").select_option(label="Guess a number")
    expect(card.locator("input[name$='-choice_1']")).to_be_hidden()
    expect(card.locator("input[name$='-number_min']")).to_be_visible()
    expect(card.get_by_label("True value")).to_be_visible()


def _fill_question(card, prompt: str) -> None:
    card.locator("textarea[name$='-prompt']").fill(prompt)
    card.locator("textarea[name$='-explanation']").fill("Because the article says so.")
    card.locator("input[name$='-choice_1']").fill("Yes")
    card.locator("input[name$='-correct_1']").check()
    card.locator("input[name$='-choice_2']").fill("No")


def test_a_question_added_on_the_page_is_moved_first_and_saved_there(page: Page):
    quiz = _quiz(["First?", "Second?"])
    log_in(page)
    page.goto(f"/admin/claims/quiz/{quiz.pk}/change/")
    page.get_by_role("button", name="Add another Question").click()
    added = page.locator("#questions-3")  # 0, 1: saved; 2: the blank row; 3: added with the link
    expect(added.locator("details")).to_have_attribute("open", "")
    _fill_question(added, "Added?")
    up = added.locator("button.question-card__move[value=up]")
    up.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(page.locator("#questions-group .question-list__status")).to_have_text(
        "Question moved to place 1 of 3. Save the quiz to keep the new order."
    )
    _save_and_continue(page)
    assert _saved_order(quiz) == ["Added?", "First?", "Second?"]


def test_without_javascript_a_question_is_added_in_the_blank_row(nojs_page: Page):
    page = nojs_page
    quiz = _quiz(["First?", "Second?"])
    log_in(page)
    page.goto(f"/admin/claims/quiz/{quiz.pk}/change/")
    blank = page.locator("#questions-2")
    expect(blank.locator("summary")).to_contain_text("New question")
    blank.locator("summary").click()
    _fill_question(blank, "Added?")
    _save_and_continue(page)
    expect(page.locator("ul.messagelist li.success").first).to_contain_text("was changed successfully")
    assert _saved_order(quiz) == ["First?", "Second?", "Added?"]
