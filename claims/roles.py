"""The editorial roles: two groups and their permissions, and how a user gets one.

Migration 0004 creates the groups on a fresh install (with its own frozen copy
of this list, as migrations must); `ensure_groups` runs after every `migrate`
(and after the flush that test databases get), so the groups exist and carry
the permissions this code expects even if someone deleted or edited them.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"

EDITOR_PERMISSIONS = [
    "add_claim", "change_claim", "view_claim",
    "add_source", "change_source", "delete_source", "view_source",
    "add_article", "change_article", "view_article",
    "add_quiz", "change_quiz", "view_quiz",
    "add_question", "change_question", "delete_question", "view_question",
    "add_choice", "change_choice", "delete_choice", "view_choice",
    # Pictures are made by editors; deleting an unused one is a chief's (claims/editorial/pictures.py).
    "add_picture", "view_picture",
    "view_claimslugredirect", "view_correction", "view_reviewevent", "view_revision", "view_page",
    # Readers' tips: both roles triage them (accept, decline, answer: claims/editorial/tips.py).
    "view_tipgroup", "change_tipgroup", "view_tip",
]  # fmt: skip
CHIEF_EDITOR_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    "approve_claim", "publish_claim", "record_correction", "delete_claim",
    "approve_quiz", "publish_quiz", "delete_quiz",
    "approve_article", "publish_article", "delete_article",
    "delete_picture",
    # The organisation's own pages (ownership and funding) are its word about itself, with no review step.
    "add_page", "change_page",
    # Readers' tips are deleted only by a chief editor (spam, or a reader asking us to).
    "delete_tipgroup", "delete_tip",
]  # fmt: skip
ROLES = {EDITOR: EDITOR_PERMISSIONS, CHIEF_EDITOR: CHIEF_EDITOR_PERMISSIONS}


def ensure_groups(**_signal_kwargs) -> None:
    """Make the two groups exist with at least their permissions (extra ones an admin added are kept)."""
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        group.permissions.add(*permissions)


def grant_role(user, *, chief: bool) -> None:
    """Make `user` staff in exactly one editorial group (Editor, or Chief editor)."""
    ensure_groups()
    keep, drop = (CHIEF_EDITOR, EDITOR) if chief else (EDITOR, CHIEF_EDITOR)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.remove(*Group.objects.filter(name=drop))
    user.groups.add(Group.objects.get(name=keep))
