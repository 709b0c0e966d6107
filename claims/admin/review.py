"""The review workflow in the admin, shared by claims and quizzes.

Buttons on the change form (submit, approve, send back, publish, unpublish)
and bulk actions all go through claims/services.py, which checks the user's
permissions on the server: a crafted POST gets the same refusal as a click.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from claims import services
from claims.models import ReviewAction, Status
from claims.revisions import compare, record_revision, revisions_of


class ReviewNoteForm(forms.ModelForm):
    """Adds the reviewer's note, used when a chief editor sends a draft back."""

    review_note = forms.CharField(
        label="Review note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the author: what to fix. Required when you send it back.",
    )


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


class ReviewAdminMixin:
    """Review buttons, bulk actions, the review queue columns and the revision history."""

    change_form_template = "admin/claims/reviewable_change_form.html"
    # Form fields that say something about the edit rather than change the content.
    NOTE_FIELDS = ("review_note", "correction_note", "minor_edit")
    actions = ["submit_selected", "approve_selected", "publish_selected", "unpublish_selected"]

    # -- permissions, as Django's admin asks for them (actions are hidden without them) --
    def _has(self, request: HttpRequest, codename: str) -> bool:
        return request.user.has_perm(f"claims.{codename}_{self.model._meta.model_name}")

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return self._has(request, "approve")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self._has(request, "publish")

    # -- saving: author, revisions --
    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # What readers see changes only through someone who may publish: an Editor gets the
        # published version read-only (and a crafted POST gets 403), and asks a chief editor.
        if obj is not None and obj.status == Status.PUBLISHED and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        edited = set(form.changed_data) - set(self.NOTE_FIELDS) or any(fs.has_changed() for fs in formsets)
        if change and edited and obj.status == Status.IN_REVIEW:
            # Approvals were given to what was submitted: an edit makes it a new submission.
            obj.submitted_at = timezone.now()
            obj.save(update_fields=["submitted_at"])
            services.record_event(obj, ReviewAction.SUBMITTED, request.user, "Edited while in review")
            self.message_user(
                request, "Edited while in review: approvals given before this edit no longer count.", messages.WARNING
            )
        record_revision(obj, by=request.user, comment="Created" if not change else "Edited")

    # -- the buttons on the change form --
    def _run(self, request: HttpRequest, obj: Model, action: str) -> str | None:
        """Run a review step; the reason it was refused, or None when it succeeded."""
        try:
            if action == "submit":
                services.submit_for_review(obj=obj, by=request.user)
            elif action == "approve":
                services.approve(obj=obj, by=request.user)
            elif action == "send_back":
                services.send_back(obj=obj, by=request.user, note=request.POST.get("review_note", ""))
            elif action == "publish":
                services.publish(obj=obj, by=request.user)
            elif action == "unpublish":
                services.unpublish(obj=obj, by=request.user)
        except ValidationError as error:
            return " ".join(error.messages)
        except PermissionDenied as error:
            return str(error) or "you do not have permission to do that"
        return None

    BUTTONS = {
        "_submit": ("submit", "submitted for review"),
        "_approve": ("approve", "approved"),
        "_send_back": ("send_back", "sent back to its author"),
        "_publish": ("publish", "published"),
        "_unpublish": ("unpublish", "unpublished"),
    }

    def _after_save(self, request: HttpRequest, obj: Model, response: HttpResponse) -> HttpResponse:
        for button, (action, done) in self.BUTTONS.items():
            if button not in request.POST:
                continue
            reason = self._run(request, obj, action)
            if reason is None:
                self.message_user(request, f"“{obj}” is {done}.", messages.SUCCESS)
            else:
                self.message_user(request, f"Saved, but not {done}: it {reason}.", messages.ERROR)
            meta = obj._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            # Keep the changelist filters (e.g. the "In review" queue) that the change form was opened from.
            url = add_preserved_filters({"preserved_filters": self.get_preserved_filters(request), "opts": meta}, url)
            return HttpResponseRedirect(url)
        return response

    def response_change(self, request: HttpRequest, obj: Model) -> HttpResponse:
        return self._after_save(request, obj, super().response_change(request, obj))

    def response_add(self, request: HttpRequest, obj: Model, post_url_continue: str | None = None) -> HttpResponse:
        return self._after_save(request, obj, super().response_add(request, obj, post_url_continue))

    def review_buttons(self, request: HttpRequest, obj: Model | None) -> list[tuple[str, str]]:
        """The buttons this user may use on `obj` now (the server checks again when one is pressed)."""
        status = obj.status if obj else Status.DRAFT
        approved = services.approvers(obj) if obj and status == Status.IN_REVIEW else []
        buttons = []
        if status == Status.DRAFT:
            buttons.append(("_submit", "Save and submit for review"))
        if obj and status == Status.IN_REVIEW and self.has_approve_permission(request):
            # Not for the author, nor for a chief editor whose approval is already counted (it would add nothing).
            if obj.author_id != request.user.pk and request.user.pk not in approved:
                buttons.append(("_approve", "Approve"))
            buttons.append(("_send_back", "Send back with the note"))
        if (
            obj
            and status == Status.IN_REVIEW
            and self.has_publish_permission(request)
            and len(approved) >= services.required_approvals()
        ):
            buttons.append(("_publish", "Publish"))
        if obj and status == Status.PUBLISHED and self.has_publish_permission(request):
            buttons.append(("_unpublish", "Unpublish"))
        return buttons

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        can_save = self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        context["review_buttons"] = self.review_buttons(request, obj) if can_save else []
        if obj is not None:
            context["review_events"] = obj.review_events.select_related("by")[:10]
            context["approved_by"] = len(services.approvers(obj)) if obj.status == Status.IN_REVIEW else None
            context["required_approvals"] = services.required_approvals()
        return super().render_change_form(request, context, add, change, form_url, obj)

    # -- bulk actions --
    def _bulk(self, request: HttpRequest, queryset: QuerySet, action: str, done: str) -> None:
        count = 0
        for obj in queryset:
            reason = self._run(request, obj, action)
            if reason is None:
                count += 1
            else:
                self.message_user(request, f"Skipped “{obj}”: it {reason}.", messages.WARNING)
        if count:
            meta = queryset.model._meta
            noun = meta.verbose_name if count == 1 else meta.verbose_name_plural
            self.message_user(request, f"{done.capitalize()} {count} {noun}.", messages.SUCCESS)

    @admin.action(description="Submit selected %(verbose_name_plural)s for review", permissions=["change"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "submit", "submitted")

    @admin.action(description="Approve selected %(verbose_name_plural)s", permissions=["approve"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "approve", "approved")

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "publish", "published")

    @admin.action(description="Unpublish selected %(verbose_name_plural)s (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "unpublish", "unpublished")

    # -- the review queue --
    @admin.display(description="written by", ordering="author__username")
    def author_name(self, obj: Model) -> str:
        return _display_name(obj.author)

    @admin.display(description="waiting since", ordering="submitted_at")
    def waiting_since(self, obj: Model) -> str:
        if obj.status != Status.IN_REVIEW or obj.submitted_at is None:
            return "—"
        local = timezone.localtime(obj.submitted_at)  # shown in the site's time zone, as the admin shows times
        return format_html('<time datetime="{}">{}</time>', obj.submitted_at.isoformat(), f"{local:%d %b %Y, %H:%M}")

    # -- revision history --
    def get_urls(self):
        meta = self.model._meta
        return [
            path(
                "<path:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name=f"{meta.app_label}_{meta.model_name}_revisions",
            ),
            *super().get_urls(),
        ]

    def revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))  # None for a missing or malformed id
        if obj is None:
            raise Http404("No such object.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        revisions = list(revisions_of(obj).select_related("by"))
        by_id = {r.pk: r for r in revisions}
        comparison = None
        try:
            a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
        except ValueError:
            a = b = None
        if a in by_id and b in by_id:
            older, newer = sorted([by_id[a], by_id[b]], key=lambda r: (r.at, r.pk))
            comparison = {"older": older, "newer": newer, "fields": compare(older, newer)}
        rows = [
            {"revision": r, "previous": revisions[i + 1] if i + 1 < len(revisions) else None}
            for i, r in enumerate(revisions)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"Revisions of “{obj}”",
            "rows": rows,
            "comparison": comparison,
        }
        return TemplateResponse(request, "admin/claims/revisions.html", context)
