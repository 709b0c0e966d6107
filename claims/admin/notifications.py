"""'Your notifications': the signed-in person's email settings (EditorPreferences), at /admin/notifications/.

Only ever the signed-in user's own row: the page takes no user id. Served through admin.site.admin_view
(staff only, anonymous users sent to the login page, CSRF-protected)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.models import EditorPreferences

EMAILS = ["email_on_submitted", "email_on_sent_back", "email_on_published"]


def may_approve(user) -> bool:
    return any(user.has_perm(f"claims.approve_{name}") for name in ("article", "claim", "quiz"))


def notification_settings(request: HttpRequest) -> HttpResponse:
    # Only chief editors are emailed about submissions: nobody else is offered the setting.
    emails = EMAILS if may_approve(request.user) else EMAILS[1:]
    form_class = forms.modelform_factory(EditorPreferences, fields=[*emails, "language"])
    user = request.user
    assert isinstance(user, get_user_model())  # admin_view lets only signed-in staff through
    preferences = EditorPreferences.objects.filter(user=user).first() or EditorPreferences(user=user)
    form = form_class(request.POST or None, instance=preferences)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your notification settings are saved."))
            return HttpResponseRedirect(reverse("editor-notifications"))
        messages.error(request, _("Nothing was saved: fix the problems marked below."))
    context = {
        **admin.site.each_context(request),
        "title": _("Your notifications"),
        "form": form,
        "emails": [form[name] for name in emails],
    }
    return TemplateResponse(request, "admin/claims/notifications.html", context)
