"""The question form: a question and its choices edited together, on the quiz's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.editorial.rules import MAX_CHOICES, MIN_CHOICES, choice_problems, number_problems
from claims.models import Question, QuestionKind

# A number guess's own fields (claims/models/quizzes.py); a question of choices leaves them empty.
NUMBER_FIELDS = ["number_min", "number_max", "number_step", "number_unit", "true_value", "tolerance", "value_quote"]


def choice_field_names(n: int) -> tuple[str, str]:
    return f"choice_{n}", f"correct_{n}"


def _choice_label(n: int) -> str:
    return gettext("Choice %(number)d") % {"number": n}


_choice_label_lazy = lazy(_choice_label, str)


class QuestionFormBase(forms.ModelForm):
    """Edits a question with up to MAX_CHOICES choices in the same form.

    Choices are rows of their own (answers will point at them), but editors see
    them as part of the question: one form, one save, one place for errors.
    Each choice is a text field and a "correct" checkbox (`choice_field_names`);
    static/js/admin-choices.js shows only the rows in use, with add and remove buttons.
    """

    class Meta:
        model = Question
        fields = ["position", "kind", "prompt", "explanation", "claim", "picture", *NUMBER_FIELDS]
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 2}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "value_quote": forms.Textarea(attrs={"rows": 2}),
            # Set by the order of the questions on the page (move buttons, or drag): never typed by hand.
            "position": forms.HiddenInput(),
        }

    class Media:
        js = ["js/admin-choices.js", "js/admin-question-kind.js", "js/admin-question-order.js"]
        css = {"all": ["css/admin.css"]}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Left out of a post (an older page or a script): a question of choices, the model's default.
        self.fields["kind"].required = False
        # A question added on the page without a script has none: it goes after the others.
        self.fields["position"].required = False
        self.saved_choice_count = 0
        if self.instance.pk:
            choices = list(self.instance.choices.all())
            self.saved_choice_count = len(choices)
            for n, choice in enumerate(choices[:MAX_CHOICES], start=1):
                text_name, correct_name = choice_field_names(n)
                self.initial.setdefault(text_name, choice.text)
                self.initial.setdefault(correct_name, choice.is_correct)

    def has_changed(self) -> bool:
        # A new question with nothing but its place on the page (set by the page's script) is a blank row: the
        # formset leaves it out. A saved question that only moved has changed.
        if self.instance.pk is None:
            return any(name != "position" for name in self.changed_data)
        return super().has_changed()

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0

    def _rows(self) -> list[tuple[int, str, bool]]:
        """(number, stripped text, ticked) for every choice row, empty ones included."""
        rows = []
        for n in range(1, MAX_CHOICES + 1):
            text_name, correct_name = choice_field_names(n)
            text = (self.cleaned_data.get(text_name) or "").strip()
            rows.append((n, text, bool(self.cleaned_data.get(correct_name))))
        return rows

    def posted_choices(self) -> list[tuple[str, bool]]:
        """The choices as (text, is_correct) pairs, in row order, empty rows left out."""
        return [(text, correct) for _n, text, correct in self._rows() if text]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns
        if self.saved_choice_count > MAX_CHOICES:
            # Saving would delete the choices this form cannot show: refuse instead.
            self.add_error(
                None,
                gettext(
                    "This question has more than %(max)d choices (%(count)d are saved), and this form can edit "
                    "only %(max)d: saving it here would delete the others."
                )
                % {"max": MAX_CHOICES, "count": self.saved_choice_count},
            )
        if cleaned.get("kind") == QuestionKind.NUMBER:
            self._clean_number()
        else:
            self._clean_choices()
        return cleaned

    def _clean_number(self) -> None:
        if any(name in self.errors for name in NUMBER_FIELDS):
            return  # a figure the field itself refused: the rest would be judged on a missing value
        question = Question(kind=QuestionKind.NUMBER, **{name: self.cleaned_data.get(name) for name in NUMBER_FIELDS})
        for problem in number_problems(question, self.posted_choices()):
            self.add_error(None, problem.error())

    def _clean_choices(self) -> None:
        rows = self._rows()
        if any(choice_field_names(n)[0] in self.errors for n, _text, _correct in rows):
            return  # a text the field itself refused (too long): the rest would be judged on missing text
        found = False
        seen: dict[str, int] = {}
        for n, text, correct in rows:
            text_name, _correct_name = choice_field_names(n)
            if correct and not text:
                self.add_error(text_name, gettext("A choice marked correct needs its text."))
                found = True
            elif text:
                key = text.casefold()
                if key in seen:
                    self.add_error(
                        text_name,
                        gettext("This choice is the same as choice %(number)d: make every choice different.")
                        % {"number": seen[key]},
                    )
                    found = True
                else:
                    seen[key] = n
        filled = sum(1 for _n, text, _correct in rows if text)
        if filled < MIN_CHOICES:
            self.add_error(
                None,
                gettext("A question needs at least %(min)d choices; this one has %(count)d.")
                % {"min": MIN_CHOICES, "count": filled},
            )
            found = True
        ticked = sum(1 for _n, _text, correct in rows if correct)
        if ticked != 1:
            # Keeps the wording of the model's rule (claims/models/quizzes.py), which editors also meet elsewhere.
            self.add_error(
                None,
                gettext("Each question needs one right answer: mark exactly one choice as correct (%(count)d marked).")
                % {"count": ticked},
            )
            found = True
        if not found:
            # The editorial rule is the last word: anything it refuses that the checks above let through.
            for problem in choice_problems(self.posted_choices()):
                self.add_error(None, problem.error())

    # No save(): the quiz admin hands each question and its posted_choices() to the editorial action
    # (claims/editorial/quizzes.py), which saves the quiz with all its questions at once.


def _choice_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for n in range(1, MAX_CHOICES + 1):
        text_name, correct_name = choice_field_names(n)
        fields[text_name] = forms.CharField(label=_choice_label_lazy(n), required=False, max_length=300)
        fields[correct_name] = forms.BooleanField(label=_("correct"), required=False)
    return fields


# Declared on the class (not added in __init__) so that the admin's fieldsets may name them.
QuestionForm = type("QuestionForm", (QuestionFormBase,), _choice_fields())


def question_fieldsets() -> list:
    choice_rows = [choice_field_names(n) for n in range(1, MAX_CHOICES + 1)]
    return [
        (None, {"fields": ["prompt", "kind", "explanation", "claim", "picture"]}),
        (_("Choices (leave unused ones empty; tick the one right answer)"), {"fields": choice_rows}),
        (
            _("Number guess (for that kind of question only)"),
            {
                "fields": [
                    ("number_min", "number_max", "number_step"),
                    "number_unit",
                    ("true_value", "tolerance"),
                    "value_quote",
                ],
                "description": _(
                    "Readers guess on a slider from the lowest to the highest guess, or type a number. Bins of the "
                    "histogram of guesses are fixed when the quiz is published."
                ),
            },
        ),
    ]
