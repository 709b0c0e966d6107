"""Storing a reader's tip: its group, the tip and its confirmation email, in one transaction."""

from __future__ import annotations

from django.db import transaction

from claims.models import Tip
from claims.tips import notifications
from claims.tips.grouping import group_for


def tip_submit(*, statement: str, claimant: str, seen_where: str, email: str, language: str) -> Tip:
    """Store a reader's tip as typed (plain text) in the open group that says the same thing, or a new one."""
    with transaction.atomic():
        group = group_for(statement, language)
        tip = Tip.objects.create(
            group=group, statement=statement, claimant=claimant, seen_where=seen_where, email=email, language=language
        )
        notifications.tip_received(tip)
    return tip
