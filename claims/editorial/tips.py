"""Triage of readers' tips: accept (a draft fact-check is written), decline with a reason, or answer with a
published fact-check. Editors and chief editors triage (claims.change_tipgroup); accepting also needs
claims.add_claim, since it creates a draft through claim_save.

Each action decides one waiting group (status new) once: a decided group is never decided again, and a new
tip that resembles it starts a new group (claims/tips/grouping.py). Answering with a published fact-check
queues the email to each reader who left an address at once; an accepted tip's readers hear when its draft
is published (review.publish).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from claims.editorial.actors import Actor, record_fields, require
from claims.editorial.base import Problem, editorial_action, refuse
from claims.editorial.claims import claim_save
from claims.models import Claim, ClaimSlugRedirect, DeclineReason, Status, TipGroup, TipStatus
from claims.tips import notifications

SLUG_LENGTH = 80


def _may_triage(by: Actor) -> None:
    require(by, "change_tipgroup", _("Only an editor can triage readers' tips."))


def _waiting(group: TipGroup) -> TipGroup:
    """The group as stored, locked; refused unless it still waits for a decision."""
    group = TipGroup.objects.select_for_update().get(pk=group.pk)
    if group.status != TipStatus.NEW:
        refuse(
            [
                Problem(
                    None,
                    _("This tip was already decided (%(status)s); nothing was changed.")
                    % {"status": group.get_status_display()},
                    "already_decided",
                )
            ]
        )
    return group


def _decide(group: TipGroup, status: str, by: Actor, **fields) -> TipGroup:
    recorded = record_fields(by)
    group.status = status
    group.decided_at = timezone.now()
    group.decided_by = recorded["by"]
    group.decided_by_system = recorded["system_actor"]
    for name, value in fields.items():
        setattr(group, name, value)
    group.full_clean()
    group.save()
    return group


def unique_slug(text: str, fallback: str) -> str:
    """A claim slug from `text` that no claim and no old permalink uses: "crime-doubled", "crime-doubled-2"…"""
    base = slugify(text)[:SLUG_LENGTH].strip("-") or fallback
    slug, number = base, 1
    while Claim.objects.filter(slug=slug).exists() or ClaimSlugRedirect.objects.filter(old_slug=slug).exists():
        number += 1
        slug = f"{base[: SLUG_LENGTH - len(str(number)) - 1]}-{number}"
    return slug


@editorial_action
def tip_group_accept(*, group: TipGroup, by: Actor) -> Claim:
    """Accept a waiting tip: a draft fact-check in the tip's language, its statement the tip's words and its
    claimant and "where" those of the first reader who gave them, written by `by`."""
    _may_triage(by)
    require(by, "add_claim", _("You do not have permission to add claims."))
    group = _waiting(group)
    tips = list(group.tips.order_by("created_at", "pk"))
    claimant = next((tip.claimant for tip in tips if tip.claimant), "")
    seen_where = next((tip.seen_where for tip in tips if tip.seen_where), "")
    claim = Claim(
        statement=group.statement,
        # A claim names who made it; readers did not say, so the draft asks its author to find out.
        claimant=claimant or _("Not known yet: who made this claim?"),
        said_where=seen_where,
        slug=unique_slug(group.statement, fallback=f"tip-{group.pk}"),
        language=group.language,
        verdict="",
        ruling="",
        explanation="",
    )
    # Translators: the revision comment of a draft fact-check created from readers' tips.
    claim = claim_save(claim=claim, sources=[], by=by, comment=_("Created from readers' tips"))
    _decide(group, TipStatus.ACCEPTED, by, claim=claim)
    return claim


@editorial_action
def tip_group_decline(*, group: TipGroup, reason: str, by: Actor) -> TipGroup:
    _may_triage(by)
    if reason not in DeclineReason.values:
        refuse([Problem("reason", _("Choose why the tip is declined."), "reason_missing")])
    group = _waiting(group)
    return _decide(group, TipStatus.DECLINED, by, decline_reason=reason)


@editorial_action
def tip_group_answer(*, group: TipGroup, claim: Claim, by: Actor) -> TipGroup:
    """Answer a waiting tip with a published fact-check: its readers with an address are told at once."""
    _may_triage(by)
    claim = Claim.objects.select_related("translation_of").get(pk=claim.pk)
    # Scheduled will do: its readers are told once it is up (review.complete_publication, manage.py publish_due).
    if claim.status != Status.PUBLISHED:
        refuse(
            [
                Problem(
                    "claim",
                    _("Only a published fact-check can answer a tip: publish “%(claim)s” first, or accept the tip.")
                    % {"claim": claim},
                    "claim_not_published",
                )
            ]
        )
    group = _waiting(group)
    group = _decide(group, TipStatus.ANSWERED, by, claim=claim)
    notifications.group_answered(group)
    return group
