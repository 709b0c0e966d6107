"""The tip queue: editors triage readers' tips, grouped when they say the same thing.

The list opens on the tips waiting for a decision, most recently asked first (sort by "readers who asked" for
the most asked). A tip's page shows every reader's words as plain text (the admin escapes them; nothing is
made a link) with their addresses masked, and three buttons, each its own POST form calling one triage action
(claims/editorial/tips.py): Accept (then the new draft opens), Decline with a reason, Answer with a published
fact-check (those that resemble the tip first). Readers create tips; nobody adds them here, and only chief
editors delete them.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import editorial
from claims.admin.review import refusal_text
from claims.editorial.actors import check_actor
from claims.models import Claim, DeclineReason, Tip, TipGroup, TipStatus
from claims.search import similar_claims

SHOWN = ("statement", "language", "tip_count", "created_at", "last_asked_at", "status", "decline_reason", "claim",
         "decided_at", "decided_by_name")  # fmt: skip
ANSWER_CHOICES = 300  # published fact-checks offered to answer with, newest first, after the resembling ones


def masked_email(address: str) -> str:
    """ "reader@example.org" → "r***@example.org": enough to tell readers apart, not to write to them."""
    if not address:
        return "—"
    name, _at, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on the tips waiting for a decision; "All" shows every tip."""

    title = gettext_lazy("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*TipStatus.choices, (self.ALL, _("All"))]

    def value(self):
        return super().value() or TipStatus.NEW

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ALL:
            return queryset
        if value not in TipStatus.values:
            return queryset.none()
        return queryset.filter(status=value)

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(TipGroup)
class TipGroupAdmin(admin.ModelAdmin):
    change_form_template = "admin/claims/tipgroup/change_form.html"
    list_display = ["short_statement", "tip_count", "language", "last_asked_at", "created_at", "status", "claim"]
    list_display_links = ["short_statement"]
    list_filter = [StatusFilter, "language", "decline_reason"]
    list_select_related = ["claim"]
    search_fields = ["statement", "tips__statement", "tips__claimant"]
    ordering = ["-last_asked_at", "-id"]
    fields = readonly_fields = SHOWN

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description=gettext_lazy("what was said"), ordering="statement")
    def short_statement(self, group: TipGroup) -> str:
        return str(group)

    @admin.display(description=gettext_lazy("decided by"))
    def decided_by_name(self, group: TipGroup) -> str:
        if group.decided_by:
            return group.decided_by.get_full_name() or group.decided_by.get_username()
        return group.decided_by_system or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # readers send tips; editors only triage them

    def get_search_results(self, request, queryset, search_term):
        queryset, _duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        group = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if group is not None and self.has_view_permission(request, group):
            extra |= self._triage_context(request, group)
        # Everything here is read-only: the buttons are the triage forms below, not Save.
        extra |= {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, extra)

    def _triage_context(self, request: HttpRequest, group: TipGroup) -> dict:
        tips = [
            {"tip": tip, "email": masked_email(tip.email)}
            for tip in Tip.objects.filter(group=group).order_by("created_at", "pk")
        ]
        context: dict = {"tips": tips, "may_triage": False}
        if group.status != TipStatus.NEW or not self.has_change_permission(request, group):
            return context
        suggested = [c for c in similar_claims(group.statement, language=group.language, limit=8) if c.is_published]
        published = (
            Claim.objects.published()
            .exclude(pk__in=[c.pk for c in suggested])
            .order_by("-published_at", "-id")[:ANSWER_CHOICES]
        )
        return context | {
            "may_triage": True,
            "may_accept": request.user.has_perm("claims.add_claim"),
            "decline_reasons": DeclineReason.choices,
            "suggested": suggested,
            "published": list(published),
        }

    def get_urls(self):
        meta = self.model._meta
        own = [
            path(
                f"<path:object_id>/{step}/",
                self.admin_site.admin_view(self.triage_view),
                {"step": step},
                name=f"{meta.app_label}_{meta.model_name}_{step}",
            )
            for step in ("accept", "decline", "answer")
        ]
        return [*own, *super().get_urls()]

    def triage_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        group = self.get_object(request, unquote(object_id))
        if group is None:
            raise Http404(_("No tip at this address."))
        if not self.has_change_permission(request, group):
            raise PermissionDenied
        here = reverse("admin:claims_tipgroup_change", args=[group.pk])
        try:
            by = check_actor(request.user)
            if step == "accept":
                named = group.tips.exclude(claimant="").exists()
                claim = editorial.tip_group_accept(group=group, by=by)
                done = _("The tip is accepted: this draft fact-check was created from it.")
                if not named:
                    done += " " + _("Readers did not say who made the claim: fill in the claimant.")
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
            if step == "decline":
                editorial.tip_group_decline(group=group, reason=request.POST.get("reason", ""), by=by)
                self.message_user(request, _("The tip is declined."), messages.SUCCESS)
            else:
                claim = self._posted_claim(request)
                editorial.tip_group_answer(group=group, claim=claim, by=by)
                self.message_user(
                    request,
                    _("The tip is answered with “%(claim)s”; readers who left an email will be told.")
                    % {"claim": claim},
                    messages.SUCCESS,
                )
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, _("Nothing was changed. %(reason)s") % {"reason": refusal_text(error)},
                              messages.ERROR)  # fmt: skip
        return HttpResponseRedirect(here)

    @staticmethod
    def _posted_claim(request: HttpRequest) -> Claim:
        try:
            return Claim.objects.get(pk=int(request.POST.get("claim", "")))
        except (ValueError, Claim.DoesNotExist):
            raise ValidationError(
                {"claim": _("Choose the published fact-check that answers the tip.")}, code="claim_missing"
            ) from None

    def get_queryset(self, request: HttpRequest) -> QuerySet[TipGroup]:
        return super().get_queryset(request).select_related("claim", "decided_by")
