from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from claims import editorial
from claims.admin.imports import ArticleImportAdminMixin
from claims.admin.pictures import PICTURE_FIELDSET, PictureFieldsForm, uploaded_picture
from claims.admin.review import ReviewNoteForm, show_problems
from claims.admin.translations import ArticleTranslationForm, TranslationAdminMixin
from claims.editorial import rules
from claims.editorial.actors import check_actor
from claims.editorial.articles import article_problems
from claims.models import Article

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django_stubs_ext import WithAnnotations


class _ClaimCount(TypedDict):
    _claim_count: int


class ArticleAdminForm(PictureFieldsForm, ReviewNoteForm):
    """The article, checked by the editorial rules at the fields: an edit must not orphan published quotes."""

    correction_note = forms.CharField(
        label=gettext_lazy("Correction note for the fact-checks that quote it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Only needed when an edit removes a passage that published fact-checks quote: each of them then shows "
            "this note as a public correction."
        ),
    )
    user: User | AnonymousUser | None = None  # set per request by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # BaseModelForm._post_clean is missing from the stubs
        # The instance now holds the posted values.
        if self.errors:
            return
        previous = Article.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        problems = article_problems(
            article=self.instance,
            by=check_actor(self.user),  # as the action itself checks first
            previous=previous,
            correction_note=self.cleaned_data.get("correction_note", ""),
        )
        if self.submitting:
            problems += rules.article_readiness(self.instance)
        show_problems(problems, self)


@admin.register(Article)
class ArticleAdmin(ArticleImportAdminMixin, TranslationAdminMixin[Article], admin.ModelAdmin):
    change_form_template = "admin/claims/article/change_form.html"
    form = ArticleAdminForm
    translation_form = ArticleTranslationForm
    list_display = [
        "title",
        "language",
        "publisher",
        "status",
        "author_name",
        "waiting_since",
        "published_on",
        "claim_count",
    ]
    list_filter = ["status", "language", "needs_update"]
    list_select_related = ["author"]
    search_fields = ["title", "publisher", "byline"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["picture"]
    readonly_fields = ["status", "published_at", "created_at", "modified_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        (gettext_lazy("Publication"), {"fields": ["publisher", "byline", "url", "published_on"]}),
        PICTURE_FIELDSET,
        (gettext_lazy("Review and publication"), {"fields": ["review_note", ("status", "published_at")]}),
        (gettext_lazy("Changing a published article"), {"fields": ["correction_note"]}),
        (gettext_lazy("Record"), {"fields": [("created_at", "modified_at")], "classes": ["collapse"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_through_action(self, request: HttpRequest, form, formsets) -> None:
        by = check_actor(request.user)
        with uploaded_picture(form, by):
            editorial.article_save(
                article=form.instance, by=by, correction_note=form.cleaned_data.get("correction_note", "")
            )

    def get_queryset(self, request):
        # Aggregating drops Meta.ordering, and the autocomplete's pagination needs an order.
        return super().get_queryset(request).annotate(_claim_count=Count("claims")).order_by("-published_on", "-id")

    @admin.display(description=gettext_lazy("claims"), ordering="_claim_count")
    def claim_count(self, obj: WithAnnotations[Article, _ClaimCount]) -> int:
        return obj._claim_count
