"""Publishing from the admin: bulk actions and the change form's publish buttons.

Claims and quizzes are published the same way, through their service
functions, so the validation rules and the report of what was skipped are the
same wherever an editor publishes from.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

Service = Callable[..., Model]


class PublishingAdminMixin:
    """Adds publish/unpublish actions and "Save and publish" / "Unpublish" buttons."""

    publish_service: Service
    unpublish_service: Service
    change_form_template = "admin/claims/publishable_change_form.html"
    actions = ["publish_selected", "unpublish_selected"]

    def _apply(self, request: HttpRequest, obj: Model, service: Service) -> str | None:
        """Run `service` on `obj`; the reason it refused, or None when it succeeded."""
        try:
            service(**{obj._meta.model_name: obj, "by": request.user})
        except ValidationError as error:
            return " ".join(error.messages)
        return None

    def _run_bulk(self, request: HttpRequest, queryset: QuerySet, service: Service, verb: str) -> None:
        done = 0
        for obj in queryset:
            reason = self._apply(request, obj, service)
            if reason is None:
                done += 1
            else:
                self.message_user(request, f"Skipped “{obj}”: it {reason}.", messages.WARNING)
        if done:
            meta = queryset.model._meta
            noun = meta.verbose_name if done == 1 else meta.verbose_name_plural
            self.message_user(request, f"{verb} {done} {noun}.", messages.SUCCESS)
        elif not queryset.exists():
            self.message_user(request, "Nothing was selected.", messages.WARNING)

    @admin.action(description="Publish selected %(verbose_name_plural)s")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run_bulk(request, queryset, type(self).publish_service, "Published")

    @admin.action(description="Unpublish selected %(verbose_name_plural)s (back to draft)")
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run_bulk(request, queryset, type(self).unpublish_service, "Unpublished")

    def _after_save(self, request: HttpRequest, obj: Model, response: HttpResponse) -> HttpResponse:
        for button, service, verb in (
            ("_publish", type(self).publish_service, "published"),
            ("_unpublish", type(self).unpublish_service, "unpublished"),
        ):
            if button not in request.POST:
                continue
            reason = self._apply(request, obj, service)
            if reason is None:
                self.message_user(request, f"“{obj}” is {verb}.", messages.SUCCESS)
            else:
                self.message_user(request, f"Saved, but not {verb}: it {reason}.", messages.ERROR)
            meta = obj._meta
            return HttpResponseRedirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
        return response

    def response_change(self, request: HttpRequest, obj: Model) -> HttpResponse:
        return self._after_save(request, obj, super().response_change(request, obj))

    def response_add(self, request: HttpRequest, obj: Model, post_url_continue: str | None = None) -> HttpResponse:
        return self._after_save(request, obj, super().response_add(request, obj, post_url_continue))
