""" "Embed" on a fact-check's and a quiz's change page: the snippet partners paste (claims/embeds.py), for editors
to send them, once readers can see what it shows."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.admin.review import _ModelAdmin
from claims.models import Claim, Quiz
from claims.templatetags.embeds import embed_code


class EmbedCodeAdminMixin[M: Claim | Quiz](_ModelAdmin[M]):
    """Adds an "Embed" section with the embed code to an existing object's change page (original or translation)."""

    def get_fieldsets(self, request: HttpRequest, obj: M | None = None):
        sections = list(super().get_fieldsets(request, obj))
        if obj is None:
            return sections
        return [*sections, (gettext_lazy("Embed"), {"fields": ["embed_code"]})]

    def get_readonly_fields(self, request: HttpRequest, obj: M | None = None):
        return [*super().get_readonly_fields(request, obj), "embed_code"]

    @property
    def media(self) -> forms.Media:
        # site.js shows the box's copy buttons (as on the public pages).
        return super().media + forms.Media(js=["js/site.js"])

    @admin.display(description=gettext_lazy("embed code"))
    def embed_code(self, obj: M) -> SafeString | str:
        if not obj.is_published:
            return _("Once it is published, the code that puts it on another site will be here.")
        return render_to_string("embeds/includes/embed_code.html", embed_code(obj, "admin-embed"))
