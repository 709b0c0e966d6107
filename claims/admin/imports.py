"""Importing an article, and the fact-checks it suggests.

"Import an article" (on the article list): step 1 takes a URL, the page's HTML or the plain text; step 2
shows what was extracted in an editable form, carried in the form itself (no session), and saves it as a
draft article through editorial.article_save. "Suggested fact-checks" (on an article's page) lists the
sentences worth checking with their reasons; each is one POST from a draft fact-check, and each of its
figures one POST from a draft number-guess question (claims/editorial/imports.py). The fetcher refuses
anything but public web pages (claims/imports/fetch.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import editorial
from claims.admin.review import refusal_text
from claims.editorial.actors import check_actor
from claims.imports.extract import Extracted, ExtractionFailed, extract_article, from_text
from claims.imports.fetch import FetchError, fetch_page
from claims.imports.suggest import Suggestion, all_suggestions, suggest_claims
from claims.models import Article

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _Base = ModelAdmin[Article]
else:
    _Base = object

SHOWN_SUGGESTIONS = 20
MAX_PASTED = 2_000_000  # characters of pasted HTML or text


class ImportSourceForm(forms.Form):
    """Where the article comes from: exactly one of a URL, the page's HTML, or its text."""

    url = forms.CharField(
        label=gettext_lazy("The article's web address"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "vURLField"}),
        help_text=gettext_lazy("We fetch the page from our server; only public http:// and https:// pages."),
    )
    html = forms.CharField(
        label=gettext_lazy("Or the page's HTML"),
        required=False,
        max_length=MAX_PASTED,
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        help_text=gettext_lazy("For a page we cannot fetch (a paywall, a login): save it in your browser, paste it."),
    )
    text = forms.CharField(
        label=gettext_lazy("Or the article's text"),
        required=False,
        max_length=MAX_PASTED,
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        help_text=gettext_lazy("The title on the first line, then the paragraphs, separated by blank lines."),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        given = [name for name in ("url", "html", "text") if (data.get(name) or "").strip()]
        if len(given) != 1:
            raise ValidationError(
                _("Give exactly one of these: the web address, the page's HTML, or the article's text."),
                code="one_source",
            )
        return data

    def extracted(self) -> Extracted:
        """What the source holds, or a ValidationError at its field (nothing is saved either way)."""
        data = self.cleaned_data
        try:
            if data["url"].strip():
                try:
                    page = fetch_page(data["url"].strip())
                except FetchError as error:
                    raise ValidationError({"url": error.message}) from None
                return extract_article(page.html, url=page.final_url)
            if data["html"].strip():
                return extract_article(data["html"])
            return from_text(data["text"])
        except ExtractionFailed as error:
            field = next(name for name in ("url", "html", "text") if data[name].strip())
            raise ValidationError({field: str(error)}) from None


class ImportedArticleForm(forms.ModelForm):
    """What was extracted, for the editor to correct before it is saved as a draft."""

    class Meta:
        model = Article
        fields = ["title", "slug", "standfirst", "byline", "publisher", "published_on", "url", "body"]
        # The classes the admin gives these fields on the article's change form (admin/css/forms.css sizes them).
        widgets = {
            "title": forms.TextInput(attrs={"class": "vTextField"}),
            "slug": forms.TextInput(attrs={"class": "vTextField"}),
            "standfirst": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
            "byline": forms.TextInput(attrs={"class": "vTextField"}),
            "publisher": forms.TextInput(attrs={"class": "vTextField"}),
            "published_on": forms.DateInput(attrs={"class": "vDateField", "size": 10}),
            "url": forms.URLInput(attrs={"class": "vURLField"}),
            "body": forms.Textarea(attrs={"rows": 20, "class": "vLargeTextField"}),
        }

    @classmethod
    def initial_from(cls, extracted: Extracted) -> ImportedArticleForm:
        base = slugify(extracted.title)[:90] or "article"
        slug, number = base, 1
        while Article.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        return cls(
            initial={
                "title": extracted.title[:300],
                "slug": slug,
                "byline": extracted.byline[:300],
                "publisher": extracted.publisher[:200],
                "published_on": extracted.published_on,
                "url": extracted.canonical_url,
                "body": extracted.body,
            }
        )

    def show_refusal(self, error: ValidationError) -> None:
        for key, messages_ in (error.message_dict if hasattr(error, "error_dict") else {None: error.messages}).items():
            self.add_error(key if key in self.fields else None, messages_)


class ArticleImportAdminMixin(_Base):
    """The import and the suggestions, as views of the article admin."""

    def get_urls(self):
        meta = self.model._meta
        name = f"{meta.app_label}_{meta.model_name}"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=f"{name}_import"),
            path(
                "<path:object_id>/suggestions/",
                self.admin_site.admin_view(self.suggestions_view),
                name=f"{name}_suggestions",
            ),
            path(
                "<path:object_id>/suggestions/draft/",
                self.admin_site.admin_view(self.draft_view),
                name=f"{name}_suggestion_draft",
            ),
            *super().get_urls(),
        ]

    def _page(self, request: HttpRequest, template: str, status: int = 200, **context) -> TemplateResponse:
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        return TemplateResponse(request, f"admin/claims/article/{template}", context, status=status)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        title = _("Import an article")
        if request.method == "GET":
            return self._page(request, "import.html", title=title, source_form=ImportSourceForm())
        if "_save" in request.POST:
            return self._save_imported(request, title)
        source_form = ImportSourceForm(request.POST)
        if source_form.is_valid():
            try:
                extracted = source_form.extracted()
            except ValidationError as error:
                source_form.add_error(None, error)
            else:
                form = ImportedArticleForm.initial_from(extracted)
                return self._page(request, "import_check.html", title=_("Check the imported article"), form=form)
        return self._page(request, "import.html", status=400, title=title, source_form=source_form)

    def _save_imported(self, request: HttpRequest, title: str) -> HttpResponse:
        form = ImportedArticleForm(request.POST)
        if form.is_valid():
            try:
                article = editorial.article_save(
                    article=form.instance, by=check_actor(request.user), comment=_("Imported")
                )
            except ValidationError as error:
                form.show_refusal(error)
            else:
                self.message_user(
                    request,
                    _("The article is saved as a draft. Its suggested fact-checks are one click away: “Suggested "
                      "fact-checks”."),
                    messages.SUCCESS,
                )  # fmt: skip
                return HttpResponseRedirect(reverse("admin:claims_article_change", args=[article.pk]))
        return self._page(request, "import_check.html", status=400, title=_("Check the imported article"), form=form)

    def _article(self, request: HttpRequest, object_id: str) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("No article at this address."))
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def suggestions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = self._article(request, object_id)
        suggestions = suggest_claims(article.paragraphs, limit=SHOWN_SUGGESTIONS)
        return self._page(
            request,
            "suggestions.html",
            title=_("Suggested fact-checks for “%(title)s”") % {"title": article},
            original=article,
            suggestions=suggestions,
            may_draft=request.user.has_perm("claims.add_claim") and article.translation_of_id is None,
            may_draft_questions=request.user.has_perm("claims.add_question") and article.translation_of_id is None,
        )

    def draft_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """One POST: a draft fact-check from a suggested sentence, or (with `figure`) a number guess on a figure."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id)
        here = reverse("admin:claims_article_suggestions", args=[article.pk])
        suggestion = _posted_suggestion(article, request.POST.get("sentence", ""))
        by = check_actor(request.user)
        try:
            if suggestion is None:
                raise ValidationError(_("This passage is no longer suggested for the article: reload the page."))
            if "figure" in request.POST:
                figure = _posted_figure(suggestion, request.POST["figure"])
                question = editorial.question_from_figure(
                    article=article, sentence=suggestion.sentence, claimant=suggestion.claimant, figure=figure, by=by
                )
                self.message_user(
                    request,
                    _("A draft number-guess question is in this quiz, backed by a draft fact-check of the sentence."),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:claims_quiz_change", args=[question.quiz_id]))
            claim = editorial.claim_from_passage(
                article=article, sentence=suggestion.sentence, claimant=suggestion.claimant, by=by
            )
        except ValidationError as error:
            self.message_user(request, _("Nothing was changed. %(reason)s") % {"reason": refusal_text(error)},
                              messages.ERROR)  # fmt: skip
            return HttpResponseRedirect(here)
        done = _("This draft fact-check was made from the article's sentence, with it as its evidence quote.")
        if not suggestion.claimant:
            done += " " + _("The sentence does not say who made the claim: fill in the claimant.")
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))


def _posted_suggestion(article: Article, sentence: str) -> Suggestion | None:
    """The suggestion for the posted sentence, worked out again from the article as stored (never trusted)."""
    return next((s for s in all_suggestions(article.paragraphs) if s.sentence == sentence), None)


def _posted_figure(suggestion: Suggestion, posted: str):
    try:
        figure = suggestion.figures[int(posted)]
    except (ValueError, IndexError):
        raise ValidationError(_("Choose one of the sentence's figures.")) from None
    return figure
