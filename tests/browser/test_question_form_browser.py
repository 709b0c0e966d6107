"""A quiz question's choice rows in the admin, with static/js/admin-choices.js: add and remove rows, 2 to 6.

The harness (conftest.py) fails the tests on console errors, page errors, CSP violations and missing static files.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from claims.models import Question
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.factories import EditorFactory, QuestionFactory, QuizFactory

PASSWORD = "correct horse battery staple"  # the factories' password
# The questions, but not the claim autocompletes: Django's select2 widget has an axe finding of its own
# (aria-input-field-name on its combobox), which is not this page's to fix.
QUESTIONS = {"include": ["#questions-group"], "exclude": [".select2-container"]}


def log_in(page: Page, username: str = "browser-editor") -> None:
    """Make an Editor and log them in through the admin's login form."""
    EditorFactory(username=username)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_question(page: Page, form: int) -> None:
    """Open a question on the quiz's page: saved ones are folded to one line until the editor opens them."""
    card = page.locator(f"#questions-{form} > details")
    card.locator("summary").click()
    expect(card).to_have_attribute("open", "")


def choice(page: Page, form: int, n: int) -> Locator:
    return page.locator(f"#id_questions-{form}-choice_{n}")


def correct(page: Page, form: int, n: int) -> Locator:
    return page.locator(f"#id_questions-{form}-correct_{n}")


def expect_rows_shown(page: Page, form: int, shown: int) -> None:
    for n in range(1, 7):
        if n <= shown:
            expect(choice(page, form, n)).to_be_visible()
        else:
            expect(choice(page, form, n)).to_be_hidden()


def _draft_quiz_with_a_two_choice_question() -> Question:
    quiz = QuizFactory(title="Border quiz")
    return QuestionFactory(quiz=quiz, position=1, prompt="How many a day?", choices=[("100", False), ("1,000", True)])


def test_choice_rows_are_added_and_removed_and_saved(page):
    question = _draft_quiz_with_a_two_choice_question()
    log_in(page)
    page.goto(f"/admin/claims/quiz/{question.quiz.pk}/change/")
    open_question(page, 0)
    open_question(page, 1)

    # The saved question: its two choices and one empty row; the empty extra question: two empty rows.
    expect_rows_shown(page, 0, 3)
    expect_rows_shown(page, 1, 2)
    first = page.locator("#questions-0")
    add = first.get_by_role("button", name="Add a choice")
    remove = {n: first.get_by_role("button", name=f"Remove choice {n}", exact=True) for n in range(1, 7)}
    expect(add).to_be_enabled()
    assert_no_axe_violations(page, QUESTIONS)

    choice(page, 0, 3).fill("10,000")
    add.click()
    expect_rows_shown(page, 0, 4)
    expect(choice(page, 0, 4)).to_be_focused()
    page.keyboard.type("100,000")
    # By keyboard: Tab goes from the row's text to its tick, its Remove button, then (hidden rows skipped) Add.
    page.keyboard.press("Tab")
    expect(correct(page, 0, 4)).to_be_focused()
    page.keyboard.press("Tab")
    expect(remove[4]).to_be_focused()
    page.keyboard.press("Tab")
    expect(add).to_be_focused()
    page.keyboard.press("Enter")
    expect_rows_shown(page, 0, 5)
    choice(page, 0, 5).fill("A typo")
    correct(page, 0, 5).check()
    add.click()
    expect_rows_shown(page, 0, 6)
    choice(page, 0, 6).fill("1,000,000")
    expect(add).to_be_disabled()
    expect(first.get_by_text("A question has at most 6 choices.")).to_be_visible()
    assert_no_axe_violations(page, QUESTIONS)
    screenshot(page, "admin-quiz-choice-rows")

    # Remove clears the row (text and tick) and hides it; Add is back, with the focus on it.
    remove[5].click()
    expect(choice(page, 0, 5)).to_be_hidden()
    expect(choice(page, 0, 5)).to_have_value("")
    expect(correct(page, 0, 5)).not_to_be_checked()
    expect(add).to_be_enabled()
    expect(add).to_be_focused()
    expect(first.get_by_role("status")).to_have_text("Choice 5 removed.")
    # Two rows always stay.
    remove[1].click()
    remove[3].click()
    remove[4].click()
    expect(choice(page, 0, 2)).to_be_visible()
    expect(choice(page, 0, 6)).to_be_visible()
    expect(remove[2]).to_be_hidden()
    expect(remove[6]).to_be_hidden()
    # Bring back two rows (the first hidden ones come back first) and fill them again.
    add.click()
    expect(choice(page, 0, 1)).to_be_visible()
    expect(choice(page, 0, 1)).to_be_focused()
    page.keyboard.type("100")
    add.click()
    expect(choice(page, 0, 3)).to_be_focused()
    page.keyboard.type("10,000")
    expect(remove[2]).to_be_visible()

    # A question added with "Add another Question" gets the same rows and buttons.
    page.get_by_role("button", name="Add another Question").click()
    expect_rows_shown(page, 2, 2)
    added = page.locator("#questions-2")
    added.get_by_role("button", name="Add a choice").click()
    expect_rows_shown(page, 2, 3)
    expect(choice(page, 2, 3)).to_be_focused()
    # The template that Django copies for the next one is left as it was.
    assert page.locator("#questions-empty :is(.choice-rows__add, .choice-rows__remove)").count() == 0
    assert_no_axe_violations(page, QUESTIONS)

    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()
    expect(page.locator("ul.messagelist li.success")).to_contain_text("was changed successfully")
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("100", False),
        ("1,000", True),
        ("10,000", False),
        ("1,000,000", False),
    ]
    # Saved: the four choices and one empty row.
    open_question(page, 0)
    expect(choice(page, 0, 4)).to_have_value("1,000,000")
    expect_rows_shown(page, 0, 5)


def test_without_javascript_all_six_rows_show(nojs_page):
    question = _draft_quiz_with_a_two_choice_question()
    log_in(nojs_page)
    nojs_page.goto(f"/admin/claims/quiz/{question.quiz.pk}/change/")
    open_question(nojs_page, 0)
    expect_rows_shown(nojs_page, 0, 6)
    expect(nojs_page.get_by_role("button", name="Add a choice")).to_have_count(0)
    expect(correct(nojs_page, 0, 2)).to_be_checked()
