from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from claims import services
from claims.admin.review import ReviewAdminMixin, ReviewNoteForm
from claims.models import Claim, ClaimSlugRedirect, Correction, Source, Status
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


class ClaimAdminForm(ReviewNoteForm):
    """The claim form, with what publishing adds: a correction note and the minor-edit tick."""

    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to readers. Required to change the verdict or bottom line of a published fact-check.",
    )
    minor_edit = forms.BooleanField(
        required=False,
        label="Minor edit",
        help_text="A typo fix: readers are not shown a new “updated” date.",
    )
    user = None  # set per request by ClaimAdmin.get_form

    class Meta:
        model = Claim
        fields = "__all__"

    def clean(self) -> dict:
        cleaned = super().clean()
        published = self.instance.pk is not None and self.instance.status == Status.PUBLISHED
        if published and {"verdict", "ruling"} & set(self.changed_data):
            if not self.user.has_perm("claims.record_correction"):
                raise ValidationError(
                    "Only a chief editor can change the verdict or bottom line of a published fact-check."
                )
            if not (cleaned.get("correction_note") or "").strip():
                self.add_error(
                    "correction_note",
                    "Explain the change for readers: a published verdict or bottom line changes only with a "
                    "correction note.",
                )
        return cleaned


def verdict_badge(claim: Claim) -> SafeString:
    return render_to_string("claims/includes/verdict_badge.html", {"rating": claim.rating, "link": False})


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["created_at", "previous_verdict", "verdict", "note", "by"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "corrections (public)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(ReviewAdminMixin, admin.ModelAdmin):
    form = ClaimAdminForm
    list_display = [
        "short_statement",
        "verdict_display",
        "status",
        "claimant",
        "author_name",
        "waiting_since",
        "article",
        "published_at",
    ]
    list_filter = ["status", "verdict", "article"]
    list_select_related = ["article", "author"]
    search_fields = ["statement", "claimant"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["statement"]}
    autocomplete_fields = ["article"]
    readonly_fields = ["status", "published_at", "updated_at", "created_at", "modified_at"]
    save_on_top = True
    inlines = [SourceInline, CorrectionInline, SlugRedirectInline]
    actions = [*ReviewAdminMixin.actions, "make_quiz_questions"]

    class Media:
        css = {"all": ["css/admin.css"]}

    fieldsets = [
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
        ("Verdict", {"fields": ["verdict", "ruling", "explanation"]}),
        ("Context", {"fields": ["article"]}),
        ("Review and publication", {"fields": ["review_note", ("status", "published_at", "updated_at")]}),
        ("Changing a published fact-check", {"fields": ["correction_note", "minor_edit"]}),
        ("Record", {"fields": [("created_at", "modified_at")], "classes": ["collapse"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj: Claim, form, change: bool) -> None:
        # Kept on the form (one per request), never on the ModelAdmin, which every request shares.
        form.pending_correction = None
        if change and obj.status == Status.PUBLISHED and form.has_changed():
            if {"verdict", "ruling"} & set(form.changed_data):
                form.pending_correction = {
                    "note": form.cleaned_data["correction_note"],
                    "previous_verdict": form.initial.get("verdict", ""),
                    "previous_ruling": form.initial.get("ruling", ""),
                }
            if not form.cleaned_data.get("minor_edit") or form.pending_correction:
                obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        correction = getattr(form, "pending_correction", None)
        if correction:
            services.claim_record_correction(claim=form.instance, by=request.user, **correction)
        super().save_related(request, form, formsets, change)

    def review_buttons(self, request, obj: Claim | None) -> list[tuple[str, str]]:
        buttons = super().review_buttons(request, obj)
        if obj is not None and request.user.has_perm("claims.add_question"):
            buttons.append(("_make_question", "Make a quiz question from it"))
        return buttons

    def response_change(self, request, obj: Claim):
        if "_make_question" in request.POST:
            return self._make_questions(request, Claim.objects.filter(pk=obj.pk))
        return super().response_change(request, obj)

    @admin.action(description="Make quiz questions from selected claims", permissions=["change"])
    def make_quiz_questions(self, request, queryset: QuerySet):
        return self._make_questions(request, queryset)

    def _make_questions(self, request, queryset: QuerySet):
        made = []
        for claim in queryset.select_related("article"):
            try:
                made.append(services.question_from_claim(claim=claim, by=request.user))
            except ValidationError as error:
                self.message_user(
                    request, f"No question from “{claim}”: it {' '.join(error.messages)}.", messages.WARNING
                )
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                break
        if not made:
            return None
        quiz = made[-1].quiz
        self.message_user(
            request,
            f"Made {len(made)} draft question{'s' if len(made) != 1 else ''} in “{quiz}”: polish the wording and "
            "the wrong choices, then submit the quiz for review.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:claims_quiz_change", args=[quiz.pk]))

    @admin.display(description="statement", ordering="statement")
    def short_statement(self, obj: Claim) -> str:
        return str(obj)

    @admin.display(description="verdict", ordering="verdict")
    def verdict_display(self, obj: Claim) -> SafeString:
        return verdict_badge(obj)
