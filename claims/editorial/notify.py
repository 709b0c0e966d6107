"""The editors' emails about review, queued in the outbox (claims/tips/outbox.py) in the action's transaction.

- "desk-submitted:<event id>:<user id>": to each chief editor (whoever may approve that kind of item) except
  the author and whoever submitted it, when an item is submitted for review (review.submit_for_review).
- "desk-sent_back:<event id>:<user id>": to the author, with the chief editor's note (review.send_back).
- "desk-published:<event id>:<user id>": to the author (review.publish), unless they published it themselves.

The key names the review event and the person, so each person is told once about each event. Nobody is written
to without an email address, or against their settings (EditorPreferences, "Your notifications" in the admin).
The user model has no language: the emails are in the one set on that page, else settings.LANGUAGE_CODE.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from claims.editorial.actors import Actor
from claims.editorial.base import Reviewable
from claims.models import EditorPreferences, ReviewAction, ReviewEvent
from claims.tips.outbox import enqueue

PREFERENCE = {
    ReviewAction.SUBMITTED: "email_on_submitted",
    ReviewAction.SENT_BACK: "email_on_sent_back",
    ReviewAction.PUBLISHED: "email_on_published",
}


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _actor_name(by: Actor) -> str:
    return _name(by) if isinstance(by, get_user_model()) else str(getattr(by, "name", ""))


def _wanting(users, action: ReviewAction):
    """The users among `users` with an address who did not turn this email off, with their settings."""
    return (
        users.filter(is_active=True)
        .exclude(email="")
        .exclude(**{f"editor_preferences__{PREFERENCE[action]}": False})
        .select_related("editor_preferences")
        .order_by("pk")
    )


def _language(user) -> str:
    try:
        return user.editor_preferences.email_language
    except EditorPreferences.DoesNotExist:
        return settings.LANGUAGE_CODE


def _send(obj: Reviewable, event: ReviewEvent, recipients: Iterable, by: Actor, subject: str) -> int:
    """Queue one email per recipient; `subject` is a msgid with %(title)s, translated per recipient."""
    meta = obj._meta
    url = settings.SITE_URL + reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    queued = 0
    for user in recipients:
        language = _language(user)
        with translation.override(language):
            context = {
                "SITE_NAME": settings.SITE_NAME,
                "recipient": _name(user),
                "thing": meta.verbose_name,
                "title": str(obj),
                "by": _actor_name(by),
                "author": _name(obj.author),
                "note": event.note,
                "url": url,
                "settings_url": settings.SITE_URL + reverse("editor-notifications"),
            }
            body = render_to_string(f"emails/desk_{event.action}.txt", context).strip() + "\n"
            title = str(obj) if len(str(obj)) <= 80 else str(obj)[:79] + "…"
            rendered_subject = _(subject) % {"title": title}
        key = f"desk-{event.action}:{event.pk}:{user.pk}"
        if enqueue(key=key, to=user.email, subject=rendered_subject, body=body, language=language):
            queued += 1
    return queued


def _may_approve(obj: Reviewable):
    codename = f"approve_{obj._meta.model_name}"
    permission = Permission.objects.filter(content_type__app_label="claims", codename=codename)
    return (
        get_user_model()
        .objects.filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
    )


def submitted(obj: Reviewable, event: ReviewEvent, by: Actor) -> int:
    """Tell each chief editor but the author (and the submitter) that `obj` waits for review."""
    users = _may_approve(obj).exclude(pk__in=[pk for pk in (obj.author_id, getattr(by, "pk", None)) if pk])
    # Translators: an email's subject; %(title)s is the item's title or statement.
    subject = gettext_noop("Waiting for your review: “%(title)s”")
    return _send(obj, event, _wanting(users, ReviewAction.SUBMITTED), by, subject)


def _to_author(obj: Reviewable, event: ReviewEvent, by: Actor, subject: str) -> int:
    if obj.author_id is None or obj.author_id == getattr(by, "pk", None):
        return 0
    users = get_user_model().objects.filter(pk=obj.author_id)
    return _send(obj, event, _wanting(users, ReviewAction(event.action)), by, subject)


def sent_back(obj: Reviewable, event: ReviewEvent, by: Actor) -> int:
    """Tell the author that `obj` was sent back, with the note."""
    # Translators: an email's subject; %(title)s is the item's title or statement.
    return _to_author(obj, event, by, gettext_noop("Sent back to you: “%(title)s”"))


def published(obj: Reviewable, event: ReviewEvent, by: Actor) -> int:
    """Tell the author that `obj` is published."""
    # Translators: an email's subject; %(title)s is the item's title or statement.
    return _to_author(obj, event, by, gettext_noop("Published: “%(title)s”"))
