"""The question form: a question and its choices edited together, on the quiz's page."""

from __future__ import annotations

from django import forms

from claims import services
from claims.models import Question
from claims.models.quizzes import choice_problems

MAX_CHOICES = 5


def choice_field_names(n: int) -> tuple[str, str]:
    return f"choice_{n}", f"correct_{n}"


class _QuestionFormBase(forms.ModelForm):
    """Edits a question with up to MAX_CHOICES choices in the same form.

    Choices are rows of their own (answers will point at them), but editors see
    them as part of the question: one form, one save, one place for errors.
    """

    class Meta:
        model = Question
        fields = ["position", "prompt", "explanation", "claim"]
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 2}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for n, choice in enumerate(self.instance.choices.all(), start=1):
                if n > MAX_CHOICES:
                    break
                text_name, correct_name = choice_field_names(n)
                self.initial.setdefault(text_name, choice.text)
                self.initial.setdefault(correct_name, choice.is_correct)

    def posted_choices(self) -> list[tuple[str, bool]]:
        pairs = []
        for n in range(1, MAX_CHOICES + 1):
            text_name, correct_name = choice_field_names(n)
            text = (self.cleaned_data.get(text_name) or "").strip()
            correct = bool(self.cleaned_data.get(correct_name))
            if correct and not text:
                self.add_error(text_name, "A choice marked correct needs its text.")
            if text:
                pairs.append((text, correct))
        return pairs

    def clean(self) -> dict:
        cleaned = super().clean()
        problems = choice_problems(self.posted_choices())
        if problems:
            raise forms.ValidationError(f"Fix the choices: {'; '.join(problems)}.")
        return cleaned

    def save(self, commit: bool = True) -> Question:
        question = super().save(commit=commit)
        if commit:
            self.save_choices()
        else:
            parent_save_m2m = self.save_m2m

            def save_m2m() -> None:
                parent_save_m2m()
                self.save_choices()

            self.save_m2m = save_m2m
        return question

    def save_choices(self) -> None:
        services.question_set_choices(question=self.instance, choices=self.posted_choices())


def _choice_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for n in range(1, MAX_CHOICES + 1):
        text_name, correct_name = choice_field_names(n)
        fields[text_name] = forms.CharField(label=f"Choice {n}", required=False, max_length=300)
        fields[correct_name] = forms.BooleanField(label="correct", required=False)
    return fields


# Declared on the class (not added in __init__) so that the admin's fieldsets may name them.
QuestionForm = type("QuestionForm", (_QuestionFormBase,), _choice_fields())


def question_fieldsets() -> list:
    choice_rows = [choice_field_names(n) for n in range(1, MAX_CHOICES + 1)]
    return [
        (None, {"fields": [("prompt", "position"), "explanation", "claim"]}),
        ("Choices (leave unused ones empty; tick the one right answer)", {"fields": choice_rows}),
    ]
