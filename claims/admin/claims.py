from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from claims import services
from claims.admin.publishing import PublishingAdminMixin
from claims.models import Claim, ClaimSlugRedirect, Source
from claims.models.claims import claim_publish_problems


class SourceFormSet(BaseInlineFormSet):
    """A published claim must keep at least one source, checked on the forms as posted."""

    def clean(self) -> None:
        super().clean()
        if not self.instance.is_published:
            return
        kept = sum(
            1
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form) and (form.instance.pk or form.has_changed())
        )
        problems = claim_publish_problems(self.instance, source_count=kept)
        if problems:
            raise ValidationError(f"A published claim must keep its evidence: {'; '.join(problems)}.")


class SourceInline(admin.StackedInline):
    model = Source
    formset = SourceFormSet
    extra = 0
    min_num = 0
    fields = [("publisher", "title"), ("url", "published_on"), "quote", "position"]

    def get_extra(self, request: HttpRequest, obj: Claim | None = None, **kwargs) -> int:
        return 2 if obj is None else 1


class SlugRedirectInline(admin.TabularInline):
    model = ClaimSlugRedirect
    extra = 0
    fields = ["old_slug", "created_at"]
    readonly_fields = ["old_slug", "created_at"]
    can_delete = False
    verbose_name = "old permalink (redirects here)"
    verbose_name_plural = "old permalinks (redirect here)"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def verdict_badge(claim: Claim) -> SafeString:
    return render_to_string("claims/includes/verdict_badge.html", {"rating": claim.rating, "link": False})


@admin.register(Claim)
class ClaimAdmin(PublishingAdminMixin, admin.ModelAdmin):
    publish_service = staticmethod(services.claim_publish)
    unpublish_service = staticmethod(services.claim_unpublish)

    list_display = ["short_statement", "verdict_display", "status", "claimant", "article", "published_at"]
    list_filter = ["verdict", "status", "article"]
    list_select_related = ["article"]
    search_fields = ["statement", "claimant"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["statement"]}
    autocomplete_fields = ["article"]
    readonly_fields = ["status", "published_at", "created_at", "modified_at"]
    save_on_top = True
    inlines = [SourceInline, SlugRedirectInline]

    class Media:
        css = {"all": ["css/admin.css"]}

    fieldsets = [
        (None, {"fields": ["statement", "slug", ("claimant", "claimant_description"), ("said_where", "said_on")]}),
        ("Verdict", {"fields": ["verdict", "ruling", "explanation"]}),
        ("Context", {"fields": ["article"]}),
        ("Publication", {"fields": [("status", "published_at"), "updated_at", ("created_at", "modified_at")]}),
    ]

    @admin.display(description="statement", ordering="statement")
    def short_statement(self, obj: Claim) -> str:
        return str(obj)

    @admin.display(description="verdict", ordering="verdict")
    def verdict_display(self, obj: Claim) -> SafeString:
        return verdict_badge(obj)
