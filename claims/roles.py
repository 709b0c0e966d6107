"""The editorial roles: the groups created by migration 0004, and how a user gets one."""

from __future__ import annotations

from django.contrib.auth.models import Group

EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"


def grant_role(user, *, chief: bool) -> None:
    """Make `user` staff in exactly one editorial group (Editor, or Chief editor)."""
    keep, drop = (CHIEF_EDITOR, EDITOR) if chief else (EDITOR, CHIEF_EDITOR)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.remove(*Group.objects.filter(name=drop))
    user.groups.add(Group.objects.get(name=keep))
