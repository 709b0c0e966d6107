"""The quiz admin's question form (claims/admin/forms.py): a question with 2 to 6 choices in one form.

The form is exercised directly (validation and `posted_choices()`), not through the admin's save path.
"""

from __future__ import annotations

import pytest

from claims.admin.forms import MAX_CHOICES, QuestionForm, choice_field_names, question_fieldsets
from claims.editorial.rules import MIN_CHOICES
from claims.models import Choice, Question
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

SIX = [("True", False), ("Mostly true", False), ("Half true", False), ("Mostly false", False), ("False", False)]


def _question(prompt: str, choices: list[tuple[str, bool]]) -> dict:
    """The question form's POST data (no prefix): rows numbered from 1, a row's tick only when it is correct."""
    fields = {"prompt": prompt, "explanation": "Because.", "position": "1", "claim": ""}
    for n, (text, correct) in enumerate(choices, start=1):
        text_name, correct_name = choice_field_names(n)
        fields[text_name] = text
        if correct:
            fields[correct_name] = "on"
    return fields


def _form(choices: list[tuple[str, bool]], instance: Question | None = None) -> QuestionForm:
    if instance is None:
        instance = Question(quiz=QuizFactory())
    return QuestionForm(data=_question("Which is right?", choices), instance=instance)


def _all_errors(form: QuestionForm) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


def test_the_form_has_six_choice_rows_from_two_up():
    assert (MIN_CHOICES, MAX_CHOICES) == (2, 6)
    fields = QuestionForm.base_fields
    for n in range(1, 7):
        text_name, correct_name = choice_field_names(n)
        assert text_name in fields and correct_name in fields
    assert "choice_7" not in fields
    choice_rows = question_fieldsets()[1][1]["fields"]
    assert choice_rows == [(f"choice_{n}", f"correct_{n}") for n in range(1, 7)]


def test_six_choices_with_the_sixth_correct_are_all_kept():
    question = QuestionFactory(choices=[("A", True), ("B", False)])
    choices = [*SIX, ("Unproven", True)]
    form = _form(choices, instance=question)
    assert form.is_valid(), form.errors
    assert form.posted_choices() == choices
    assert len(form.posted_choices()) == 6


def test_a_saved_question_with_six_choices_shows_all_six():
    question = QuestionFactory(choices=[*SIX, ("Unproven", True)])
    form = QuestionForm(instance=question)
    assert [form[f"choice_{n}"].value() for n in range(1, 7)] == [text for text, _ in [*SIX, ("Unproven", True)]]
    assert form["correct_6"].value() is True
    assert not any(form[f"correct_{n}"].value() for n in range(1, 6))


def test_two_choices_are_enough():
    form = _form([("Yes", False), ("No", True)])
    assert form.is_valid(), form.errors
    assert form.posted_choices() == [("Yes", False), ("No", True)]


def test_empty_rows_are_left_out_and_the_order_kept():
    form = _form([("First", False), ("", False), ("  Third  ", True), ("", False), ("", False), ("Sixth", False)])
    assert form.is_valid(), form.errors
    assert form.posted_choices() == [("First", False), ("Third", True), ("Sixth", False)]


def test_one_choice_is_refused_with_a_clear_message():
    form = _form([("Only one", True)])
    assert not form.is_valid()
    assert form.non_field_errors() == ["A question needs at least 2 choices; this one has 1."]


def test_a_correct_tick_on_an_empty_row_is_an_error_on_that_rows_text():
    form = _form([("Yes", False), ("No", False), ("", True)])
    assert not form.is_valid()
    assert form.errors["choice_3"] == ["A choice marked correct needs its text."]
    # The one tick is the misplaced one: no second message saying that none is marked.
    assert form.non_field_errors() == []


def test_two_correct_choices_are_refused():
    form = _form([("Yes", True), ("No", True), ("Maybe", False)])
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Each question needs one right answer: mark exactly one choice as correct (2 marked)."
    ]


def test_no_correct_choice_is_refused():
    form = _form([("Yes", False), ("No", False)])
    assert not form.is_valid()
    assert "mark exactly one choice as correct (0 marked)" in form.non_field_errors()[0]


def test_the_same_text_twice_is_an_error_on_the_repeated_row():
    form = _form([("Yes", True), ("No", False), (" yes ", False)])
    assert not form.is_valid()
    assert form.errors["choice_3"] == ["This choice is the same as choice 1: make every choice different."]
    assert "choice_1" not in form.errors


def test_a_question_with_more_saved_choices_than_the_form_shows_is_not_cut_short():
    question = QuestionFactory(choices=[(f"Choice {n}", n == 1) for n in range(1, 8)])
    assert question.choices.count() == 7
    # The form shows the first six; posting them back would delete the seventh.
    initial = QuestionForm(instance=question).initial
    data = _question(question.prompt, [(initial[f"choice_{n}"], initial[f"correct_{n}"]) for n in range(1, 7)])
    form = QuestionForm(data=data, instance=question)
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "This question has more than 6 choices (7 are saved), and this form can edit only 6: "
        "saving it here would delete the others."
    ]
    assert Choice.objects.filter(question=question).count() == 7


def test_every_message_is_a_whole_sentence():
    forms = [
        _form([("Only one", False)]),
        _form([("Yes", True), ("No", True), ("", True)]),
        _form([("Yes", True), ("yes", False)]),
        _form([("x" * 301, True), ("No", False)]),
    ]
    messages = [message for form in forms for message in _all_errors(form)]
    assert messages
    for message in messages:
        assert message[0].isupper() and message.endswith("."), message


def test_the_admin_pages_load_the_choice_rows_script():
    media = QuestionForm().media
    assert "js/admin-choices.js" in media._js
    assert "css/admin.css" in media._css["all"]
