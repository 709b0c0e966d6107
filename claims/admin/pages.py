"""The organisation's own pages (ownership and funding): edited by chief editors, saved through page_save."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _

from claims import editorial
from claims.admin.review import EditorialRefusal, ReviewAdminMixin
from claims.editorial.actors import check_actor
from claims.models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "title", "modified_at"]
    list_filter = ["kind", "language"]
    readonly_fields = ["modified_at"]
    fields = ["kind", "language", "title", "body", "modified_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Page | None = None) -> list[str]:
        # A page's kind and language are its address: fixed once it exists.
        return [*self.readonly_fields, "kind", "language"] if obj is not None else list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Page, form, change: bool) -> None:
        try:
            editorial.page_save(page=obj, by=check_actor(request.user))
        except (ValidationError, PermissionDenied) as error:
            raise EditorialRefusal(error) from error

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditorialRefusal as refusal:
            self.message_user(request, _("Nothing was saved. %(reason)s") % {"reason": refusal}, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request: HttpRequest, obj: Page | None = None) -> bool:
        # Rewritten, never deleted: the page's address stays, and every save is kept as a revision.
        return False

    def revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        # The revision history articles, claims and quizzes have: it reads only what every ModelAdmin has.
        return ReviewAdminMixin.revisions_view(self, request, object_id)  # type: ignore[arg-type]

    def get_urls(self):
        meta = self.model._meta
        revisions = path(
            "<path:object_id>/revisions/",
            self.admin_site.admin_view(self.revisions_view),
            name=f"{meta.app_label}_{meta.model_name}_revisions",
        )
        return [revisions, *super().get_urls()]
