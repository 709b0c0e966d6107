"""Translations in the admin: the Translate button on an original, and the change form of a translation.

A translation is edited on its own model's page (a Spanish claim on the claims admin), with a form of its
own (`TranslationForm`, one subclass per kind): its own words, and, for each of its original's items (a
claim's sources, a quiz's questions and their choices), the original shown read-only beside an input for
ours. Saving calls `editorial.translation_save` once. What a translation shares with its original (the
verdict, the sources, the right answers, the figures) is shown, never posted: the action copies it from
the original whatever a form sends. A translation is started only from its original's page
(`editorial.translation_start`): `translation_of` is not a field of any form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar, TypedDict, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import editorial
from claims.admin.review import ReviewAdminMixin, ReviewNoteForm, refusal_text
from claims.editorial import rules
from claims.editorial.actors import Actor, check_actor
from claims.editorial.base import Problem, Reviewable
from claims.models import Article, Claim, Question, Quiz, Source, Status
from claims.translated import url_in_own_language

LANGUAGE_NAMES = dict(settings.LANGUAGES)

# The inputs for the original's items are named by the item's id: quote_<source id>, prompt_<question id>,
# explanation_<question id>, choice_<choice id>.
ITEM_FIELD = re.compile(r"^(quote|prompt|explanation|choice|unit)_(\d+)$")


class Texts(TypedDict, total=False):
    """Our texts of the original's items, as translation_save takes them."""

    quotes: Mapping[int, str]  # by source id
    prompts: Mapping[int, tuple[str, str]]  # (prompt, explanation) by question id
    choices: Mapping[int, str]  # by choice id
    units: Mapping[int, str]  # a number guess's unit, by question id


def _change_url(obj: Reviewable) -> str:
    return reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])


def _original_text(label: str, text: str, language: str | None) -> SafeString:
    """One of the original's texts, shown read-only (in its own language, when known) under a label."""
    if language is None:
        return format_html("<p>{}</p><blockquote>{}</blockquote>", label, text)
    return format_html('<p>{}</p><blockquote lang="{}">{}</blockquote>', label, language, text)


class TranslationForm(ReviewNoteForm):
    """A translation's own words and our texts for its original's items, saved by `translation_save`.

    `for_original` makes the form for one original: a field per item, named by the item's id, so that a text
    can only land on the item it was written for. The rules are the editorial layer's: the form shows the
    problems that `translation_save` and `submit_for_review` would refuse, at their fields, before saving.
    """

    # What the translation shares with its original: shown read-only (fields or ModelAdmin displays).
    shared_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def for_original(cls, original: Reviewable) -> type[TranslationForm]:
        return type(cls.__name__, (cls,), cls.item_fields(original))

    @classmethod
    def item_fields(cls, original: Reviewable) -> dict[str, forms.Field]:
        """The inputs for our texts of the original's items, by field name."""
        return {}

    @classmethod
    def fieldsets(cls, original: Reviewable) -> list:
        raise NotImplementedError

    @classmethod
    def stored_texts(cls, translation: Reviewable) -> dict[str, str]:
        """Our texts of the original's items as stored, by field name."""
        return {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name, text in self.stored_texts(self.instance).items():
                if name in self.fields:
                    self.initial.setdefault(name, text)

    def texts(self) -> Texts:
        """Our posted texts, as translation_save takes them (quotes=, prompts=, choices=)."""
        return {}

    def field_for(self, problem: Problem) -> str | None:
        """Where the page shows a problem: its field, or the top of the form."""
        return problem.field if problem.field in self.fields else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # A text for an item the original does not have (removed since the page was loaded, or a crafted POST)
        # has no field here: refuse the whole save rather than drop it without a word.
        if any(ITEM_FIELD.match(key) and key not in self.fields for key in self.data):
            self.add_error(
                None,
                _(
                    "Nothing was saved: the page sent a text for a quote, question or choice that the original "
                    "does not have (it may have been removed meanwhile). Copy your texts, reload the page and "
                    "save again."
                ),
            )
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # BaseModelForm._post_clean is missing from the stubs
        # The instance now holds the posted words.
        if self.errors:
            return
        # What translation_save refuses for a published translation, and submit_for_review for any. The status
        # is the stored one: it is not a field of the form.
        if self.submitting or self.instance.status == Status.PUBLISHED:
            texts = self.texts()
            # A unit may read the same in both languages ("%"): it is not checked.
            ready = rules.translation_readiness(
                self.instance, quotes=texts.get("quotes"), prompts=texts.get("prompts"), choices=texts.get("choices")
            )
            for problem in ready:
                self.add_error(self.field_for(problem), problem.error())

    def save_through_action(self, by: Actor) -> Reviewable:
        return editorial.translation_save(translation=self.instance, by=by, **self.texts())


def _review_fieldsets(*dates: str) -> list:
    return [
        (gettext_lazy("Review and publication"), {"fields": ["review_note", ("status", "published_at", *dates)]}),
        (gettext_lazy("Record"), {"fields": [("created_at", "modified_at")], "classes": ["collapse"]}),
    ]


def quote_field(source_id: int) -> str:
    return f"quote_{source_id}"


class ClaimTranslationForm(TranslationForm):
    """A fact-check's own words in another language, and our translation of each of its original's quotes."""

    shared_fields = ("shared_verdict", "claimant_is_organization", "said_on", "article")

    class Meta:
        model = Claim
        fields = ["statement", "slug", "claimant", "claimant_description", "said_where", "ruling", "explanation"]

    @staticmethod
    def sources(original: Reviewable) -> list[Source]:
        return list(cast(Claim, original).sources.order_by("position", "id"))

    @classmethod
    def item_fields(cls, original: Reviewable) -> dict[str, forms.Field]:
        return {
            quote_field(source.pk): forms.CharField(
                label=gettext_lazy("Our translation"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=gettext_lazy("Shown to readers beside the verbatim quote, marked as our translation."),
            )
            for source in cls.sources(original)
        }

    @classmethod
    def fieldsets(cls, original: Reviewable) -> list:
        quotes = [
            (
                # Translators: a source of a fact-check, e.g. "Source 2: Reuters, “Interview with the minister”".
                _("Source %(number)s: %(publisher)s, “%(title)s”")
                % {"number": number, "publisher": source.publisher, "title": source.title},
                {
                    "description": _original_text(
                        _("The evidence quote, verbatim: readers see it as it is, with our translation beside it."),
                        source.quote,
                        None,  # the source's language, which may not be the fact-check's
                    ),
                    "fields": [quote_field(source.pk)],
                },
            )
            for number, source in enumerate(cls.sources(original), start=1)
        ]
        return [
            (
                None,
                {
                    "fields": [
                        "statement",
                        "slug",
                        ("claimant", "claimant_is_organization"),
                        "claimant_description",
                        ("said_where", "said_on"),
                    ]
                },
            ),
            (gettext_lazy("Verdict"), {"fields": ["shared_verdict", "ruling", "explanation"]}),
            *quotes,
            (gettext_lazy("Context"), {"fields": ["article"]}),
            *_review_fieldsets("updated_at"),
        ]

    @classmethod
    def stored_texts(cls, translation: Reviewable) -> dict[str, str]:
        rows = cast(Claim, translation).quote_translations.values_list("source_id", "text")
        return {quote_field(source_id): text for source_id, text in rows}

    def texts(self) -> Texts:
        quotes = {
            int(match[2]): value
            for name, value in self.cleaned_data.items()
            if (match := ITEM_FIELD.match(name)) and match[1] == "quote"
        }
        return {"quotes": quotes}


def prompt_fields(question_id: int) -> tuple[str, str]:
    return f"prompt_{question_id}", f"explanation_{question_id}"


def choice_field(choice_id: int) -> str:
    return f"choice_{choice_id}"


def unit_field(question_id: int) -> str:
    return f"unit_{question_id}"


class QuizTranslationForm(TranslationForm):
    """A quiz's own words in another language, and ours for each of its original's questions and choices.

    A translated quiz has no questions of its own: readers answer the original's, in our words."""

    shared_fields = ("article",)

    class Meta:
        model = Quiz
        fields = ["title", "slug", "intro"]

    @staticmethod
    def questions(original: Reviewable) -> list[Question]:
        return rules.quiz_questions(cast(Quiz, original))  # in the order the readiness rule numbers them

    @classmethod
    def item_fields(cls, original: Reviewable) -> dict[str, forms.Field]:
        fields: dict[str, forms.Field] = {}
        for question in cls.questions(original):
            prompt, explanation = prompt_fields(question.pk)
            fields[prompt] = forms.CharField(
                label=gettext_lazy("Question"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            fields[explanation] = forms.CharField(
                label=gettext_lazy("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            if question.is_number:
                fields[unit_field(question.pk)] = forms.CharField(
                    label=gettext_lazy("Unit"),
                    required=False,
                    max_length=60,
                    help_text=format_html("{}", _("Original: “%(text)s”") % {"text": question.number_unit}),
                )
            for number, choice in enumerate(question.choices.all(), start=1):
                original_text = (
                    _("Original: “%(text)s”, the right answer") if choice.is_correct else _("Original: “%(text)s”")
                ) % {"text": choice.text}
                fields[choice_field(choice.pk)] = forms.CharField(
                    label=_("Choice %(number)d") % {"number": number},
                    required=False,
                    max_length=300,
                    help_text=format_html("{}", original_text),  # rendered as HTML by the admin: escaped here
                )
        return fields

    @classmethod
    def fieldsets(cls, original: Reviewable) -> list:
        questions = []
        for number, question in enumerate(cls.questions(original), start=1):
            right = question.correct_choice
            answer = question.answer_display if question.is_number else right.text if right else "—"
            description = format_html(
                "{}{}{}",
                _original_text(_("The original question:"), question.prompt, original.language),
                _original_text(_("Its explanation:"), question.explanation, original.language),
                _original_text(_("The right answer:"), answer, original.language),
            )
            fields = [*prompt_fields(question.pk), *(choice_field(c.pk) for c in question.choices.all())]
            if question.is_number:
                fields.append(unit_field(question.pk))
            questions.append(
                (_("Question %(number)d") % {"number": number}, {"description": description, "fields": fields})
            )
        return [(None, {"fields": ["title", "slug", "article", "intro"]}), *questions, *_review_fieldsets()]

    @classmethod
    def stored_texts(cls, translation: Reviewable) -> dict[str, str]:
        quiz = cast(Quiz, translation)
        texts = {}
        for row in quiz.question_translations.all():
            prompt, explanation = prompt_fields(row.question_id)
            texts[prompt], texts[explanation] = row.prompt, row.explanation
            texts[unit_field(row.question_id)] = row.unit
        for choice_id, text in quiz.choice_translations.values_list("choice_id", "text"):
            texts[choice_field(choice_id)] = text
        return texts

    @property
    def question_ids(self) -> list[int]:
        """The original's questions, in their order (the order of their fields)."""
        return [int(match[2]) for name in self.fields if (match := ITEM_FIELD.match(name)) and match[1] == "prompt"]

    def texts(self) -> Texts:
        cleaned = self.cleaned_data
        prompts = {}
        for question_id in self.question_ids:
            prompt, explanation = prompt_fields(question_id)
            prompts[question_id] = (cleaned.get(prompt, ""), cleaned.get(explanation, ""))
        choices = {
            int(match[2]): value
            for name, value in cleaned.items()
            if (match := ITEM_FIELD.match(name)) and match[1] == "choice"
        }
        units = {
            int(match[2]): value
            for name, value in cleaned.items()
            if (match := ITEM_FIELD.match(name)) and match[1] == "unit"
        }
        return {"prompts": prompts, "choices": choices, "units": units}

    def field_for(self, problem: Problem) -> str | None:
        # A problem with the original's question n is shown at our text of its prompt.
        if problem.collection == "questions" and problem.item is not None and problem.item < len(self.question_ids):
            return prompt_fields(self.question_ids[problem.item])[0]
        return super().field_for(problem)


class ArticleTranslationForm(TranslationForm):
    """An article's own words in another language; its publisher, link and date are its original's."""

    shared_fields = ("publisher", "url", "published_on")

    class Meta:
        model = Article
        fields = ["title", "slug", "standfirst", "byline", "body"]

    @classmethod
    def fieldsets(cls, original: Reviewable) -> list:
        return [
            (None, {"fields": ["title", "slug", "standfirst", "body"]}),
            (gettext_lazy("Publication"), {"fields": ["publisher", "byline", "url", "published_on"]}),
            *_review_fieldsets(),
        ]


class TranslationAdminMixin[M: Reviewable](ReviewAdminMixin[M]):
    """Translations on an article, claim or quiz admin: the Translate button, and a translation's own form.

    An original's page is the ModelAdmin's own, with a "Languages" box added."""

    translation_form: type[TranslationForm]

    @staticmethod
    def _original_of(obj: M | None) -> Reviewable | None:
        """The original that `obj` translates, or None for an original (or no object, on the add page)."""
        if obj is None or obj.translation_of_id is None:
            return None
        return cast(Reviewable, obj.translation_of)

    # -- a translation's change form --
    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> M | None:
        obj = super().get_object(request, object_id, from_field)
        if self._original_of(obj) is not None:
            # Our texts, where a read-only page (a published translation, for an Editor) looks them up.
            for name, text in self.translation_form.stored_texts(cast(Reviewable, obj)).items():
                setattr(obj, name, text)
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        if (original := self._original_of(obj)) is not None:
            kwargs["form"] = self.translation_form.for_original(original)
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: M | None = None):
        if (original := self._original_of(obj)) is not None:
            return self.translation_form.fieldsets(original)
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: M | None = None):
        readonly = super().get_readonly_fields(request, obj)
        if self._original_of(obj) is not None:
            return [*readonly, *self.translation_form.shared_fields]
        return readonly

    def get_inlines(self, request: HttpRequest, obj: M | None):
        # A translation's sources and questions are its original's: our texts of them are on the form itself.
        return [] if self._original_of(obj) is not None else super().get_inlines(request, obj)

    def save_with_action(self, request: HttpRequest, form, formsets) -> None:
        if isinstance(form, TranslationForm):
            form.save_through_action(check_actor(request.user))
            return
        super().save_with_action(request, form, formsets)

    def get_view_on_site_url(self, obj: M | None = None) -> str | None:
        if obj is not None and self._original_of(obj) is not None:
            return url_in_own_language(obj)  # under its language's prefix: /es/claims/…
        return super().get_view_on_site_url(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["preview_url"] = url_in_own_language(obj)
            context["languages"] = self._languages(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _languages(self, request: HttpRequest, obj: M) -> dict[str, Any]:
        """The page's "Languages" box: what `obj` is a translation of, or its versions in the other languages."""
        box: dict[str, Any] = {"language": obj.get_language_display()}
        if (original := self._original_of(obj)) is not None:
            box["original"] = original
            box["original_url"] = _change_url(original)
            box["original_revisions_url"] = reverse(
                f"admin:claims_{obj._meta.model_name}_revisions", args=[original.pk]
            )
            return box
        translations = {t.language: t for t in type(obj).objects.filter(translation_of=obj)}
        box["versions"] = [
            {"code": code, "language": name, "translation": translations.get(code)}
            for code, name in settings.LANGUAGES
            if code != obj.language
        ]
        for version in box["versions"]:
            if version["translation"] is not None:
                version["url"] = _change_url(version["translation"])
        untranslated = any(version["translation"] is None for version in box["versions"])
        box["can_translate"] = untranslated and self.has_add_permission(request)  # translation_start checks again
        box["translate_url"] = reverse(f"admin:claims_{obj._meta.model_name}_translate", args=[obj.pk])
        return box

    # -- the Translate button --
    def get_urls(self):
        meta = self.model._meta
        return [
            path(
                "<path:object_id>/translate/",
                self.admin_site.admin_view(self.translate_view),
                name=f"{meta.app_label}_{meta.model_name}_translate",
            ),
            *super().get_urls(),
        ]

    def translate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """POST language=<code>: start the translation of this original, then edit it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        original = self.get_object(request, unquote(object_id))
        if original is None:
            raise Http404("No such object.")
        if not self.has_view_or_change_permission(request, original):
            raise PermissionDenied
        language = request.POST.get("language", "")
        try:
            translation = editorial.translation_start(
                original=original, language=language, by=check_actor(request.user)
            )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request, _("No translation was started. %(reason)s") % {"reason": refusal_text(error)}, messages.ERROR
            )
            return HttpResponseRedirect(_change_url(original))
        self.message_user(
            request,
            _(
                "The %(language)s translation of “%(object)s” is started as a draft in the original's words: "
                "replace them with yours, then submit it for review."
            )
            % {"language": LANGUAGE_NAMES[language], "object": original},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(_change_url(translation))
