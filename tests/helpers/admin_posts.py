"""POST data for the editors' admin, as a browser (or an attacker crafting a request) would send it.

`form_data(response)` rebuilds the POST a browser sends for a rendered change form left untouched: every
field of the main form and of each inline row, with the management forms. Tests then change the fields
they are about and post it, as a signed-in user who may or may not be allowed to.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response: HttpResponse) -> list[str]:
    """The messages shown on a rendered page (follow the redirect to get them)."""
    return [str(m) for m in response.context["messages"]]


def change_url(obj: Model) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def delete_url(obj: Model) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])


def changelist_url(model: type[Model]) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


def _field_data(form: forms.BaseForm, name: str) -> dict[str, Any]:
    """What a browser posts for one field of `form` showing its current (initial or bound) value."""
    bound = form[name]
    widget = bound.field.widget
    value = bound.value()
    key = form.add_prefix(name)
    if isinstance(widget, forms.CheckboxInput):
        return {key: "on"} if widget.check_test(value) else {}
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        return {
            f"{key}{suffix}": "" if part is None else str(part)
            for suffix, part in zip(widget.widgets_names, parts, strict=False)
        }
    if isinstance(value, list | tuple):
        return {key: [str(v) for v in value]}
    if isinstance(value, Model):
        value = value.pk
    return {key: "" if value is None else str(value)}


def form_data(response: HttpResponse) -> dict[str, Any]:
    """The POST a browser sends for the change (or add) form rendered in `response`, untouched."""
    assert response.status_code == 200, response.status_code
    data: dict[str, Any] = {}
    all_forms: list[forms.BaseForm] = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        all_forms += formset.forms
    for form in all_forms:
        for name in form.fields:
            data.update(_field_data(form, name))
    return data


def inline_rows(data: dict[str, Any], prefix: str) -> int:
    return int(data[f"{prefix}-TOTAL_FORMS"])


# -- hand-written POSTs, for forms a test builds from scratch (the add forms) --


def claim_post(article, **overrides) -> dict:
    """The claim add form with two sources: the article's own words and another source with its link."""
    data = {
        "statement": "Mexico apprehends 1,000 immigrants a day.",
        "slug": "mexico-apprehends-1000",
        "claimant": "US officials",
        "claimant_description": "",
        "said_where": "",
        "said_on": "",
        "verdict": "true",
        "ruling": "True, as the documents show.",
        "explanation": "",
        "article": article.pk if article else "",
        "review_note": "",
        "correction_note": "",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-publisher": "Example News",
        "sources-0-title": "The article",
        "sources-0-url": "",
        "sources-0-published_on": "",
        "sources-0-quote": "a quotable sentence",
        "sources-0-quotes_article": "on",
        "sources-0-no_link_reason": "",
        "sources-0-position": "1",
        "sources-1-publisher": "Reuters",
        "sources-1-title": "Interview",
        "sources-1-url": "https://example.org/interview",
        "sources-1-published_on": "",
        "sources-1-quote": "another quote",
        "sources-1-no_link_reason": "",
        "sources-1-position": "2",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
        "slug_redirects-TOTAL_FORMS": "0",
        "slug_redirects-INITIAL_FORMS": "0",
        "slug_redirects-MIN_NUM_FORMS": "0",
        "slug_redirects-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def question_fields(prompt: str, choices: list[tuple[str, bool]], *, claim=None, position: int = 1) -> dict:
    """One question row of the quiz form (no prefix): choices numbered from 1, a tick only on the right one."""
    fields = {
        "prompt": prompt,
        "explanation": "Because.",
        "position": str(position),
        "claim": str(claim.pk) if claim else "",
    }
    for n, (text, correct) in enumerate(choices, start=1):
        fields[f"choice_{n}"] = text
        if correct:
            fields[f"correct_{n}"] = "on"
    return fields


def quiz_post(article, questions: list[dict], **overrides) -> dict:
    """The quiz add form with `questions` (each from `question_fields`)."""
    data = {
        "title": "A quiz",
        "slug": "a-quiz",
        "article": article.pk,
        "intro": "",
        "review_note": "",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, question in enumerate(questions):
        data.update({f"questions-{index}-{key}": value for key, value in question.items()})
    data.update(overrides)
    return data


def article_post(**overrides) -> dict:
    """The article add form."""
    data = {
        "title": "A new article",
        "slug": "a-new-article",
        "standfirst": "",
        "body": "First paragraph.\n\nSecond paragraph, with a quotable sentence in it.",
        "publisher": "Example News",
        "byline": "",
        "url": "",
        "published_on": "",
        "review_note": "",
        "correction_note": "",
    }
    data.update(overrides)
    return data
