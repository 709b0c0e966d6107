"""Writing fact-checks: a claim with its sources, corrections, old permalinks, and flags on re-rated questions."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from claims.editorial import rules
from claims.editorial.actors import Actor, record_fields, require
from claims.editorial.base import Problem, editorial_action, keep_lifecycle, locked, record_event, refuse
from claims.editorial.permalinks import follow_statement, keep_old_permalink
from claims.editorial.review import void_approvals
from claims.editorial.translations import follow_original
from claims.models import Claim, Correction, ReviewAction, Source, Status
from claims.revisions import record_revision


def claim_problems(
    *, claim: Claim, sources: Sequence[Source], by: Actor, previous: Claim | None, correction_note: str = ""
) -> list[Problem]:
    """Why saving `claim` with `sources` would be refused (permission problems raise PermissionDenied)."""
    rules.require_may_edit(by, claim, creating=previous is None, status=previous.status if previous else Status.DRAFT)
    problems = rules.claim_slug_problems(claim)
    if previous is None or previous.status != Status.PUBLISHED:
        problems = rules.claim_length_problems(claim) + problems  # a published claim's readiness says it below
    if previous is not None:
        problems += rules.claim_correction_problems(previous, claim, by, correction_note)
        if previous.status == Status.PUBLISHED:
            # What readers see must stay complete and true to its sources after the edit.
            problems += rules.claim_readiness(claim, sources)
    return problems


@editorial_action
def claim_save(
    *,
    claim: Claim,
    sources: Sequence[Source],
    by: Actor,
    correction_note: str = "",
    minor_edit: bool = False,
    comment: str = "",
) -> Claim:
    """Create or change a claim and set its sources to exactly `sources` (existing rows are kept by id).

    A published claim changes only through a chief editor; its verdict or bottom line only with a public
    correction. An edit while in review voids the approvals given before it. Until its first publication its slug
    follows its statement (claims/editorial/permalinks.py: follow_statement).
    """
    if claim.translation_of_id is not None:
        raise ValueError("A translation is saved with translations.translation_save().")
    previous = locked(claim) if claim.pk else None
    if previous is not None:
        follow_statement(claim, previous)
    problems = claim_problems(claim=claim, sources=sources, by=by, previous=previous, correction_note=correction_note)
    foreign = [s for s in sources if s.pk and s.claim_id != claim.pk]
    if previous is not None:
        foreign += [s for s in sources if s.pk and not previous.sources.filter(pk=s.pk).exists()]
    if foreign:
        problems.append(Problem("sources", _("A source of another fact-check cannot be moved here."), "foreign_source"))
    refuse(problems)

    keep_lifecycle(claim, previous, by)
    claim.updated_at = previous.updated_at if previous else None
    claim.full_clean(exclude=["sources"])
    claim.save()
    _set_sources(claim, sources)

    if previous is None:
        record_revision(claim, by=by, comment=comment or _("Created"))
        return claim
    revision = record_revision(claim, by=by, comment=comment or _("Edited"))
    edited = revision is not None and set(revision.changes) - {"status"}
    if edited and previous.slug != claim.slug:
        keep_old_permalink(claim, previous)
    if edited and previous.status == Status.IN_REVIEW:
        void_approvals(claim, by)
    if edited and previous.status == Status.PUBLISHED:
        _published_claim_edited(previous, claim, by, correction_note=correction_note, minor_edit=minor_edit)
    # Translations share the verdict and sources: a change readers are told of is theirs to follow.
    follow_original(claim, by, flag=bool(edited) and previous.status == Status.PUBLISHED and not minor_edit)
    return claim


def _set_sources(claim: Claim, sources: Sequence[Source]) -> None:
    kept = []
    for position, source in enumerate(sources, start=1):
        source.claim = claim
        source.position = source.position or position
        source.full_clean()
        source.save()
        kept.append(source.pk)
    claim.sources.exclude(pk__in=kept).delete()


def _published_claim_edited(
    previous: Claim, claim: Claim, by: Actor, *, correction_note: str, minor_edit: bool
) -> None:
    record_event(claim, ReviewAction.EDITED, by, _("Edited while published."))
    corrected = (previous.verdict, previous.ruling) != (claim.verdict, claim.ruling)
    if corrected:
        _record_correction(
            claim, by, note=correction_note, previous_verdict=previous.verdict, previous_ruling=previous.ruling
        )
    elif not minor_edit:
        claim.updated_at = timezone.now()
        Claim.objects.filter(pk=claim.pk).update(updated_at=claim.updated_at)
    if previous.verdict != claim.verdict:
        _flag_questions(claim, by, previous_verdict=previous.get_verdict_display())


def _record_correction(
    claim: Claim, by: Actor, *, note: str, previous_verdict: str, previous_ruling: str
) -> Correction:
    correction = Correction.objects.create(
        claim=claim,
        note=note.strip(),
        previous_verdict=previous_verdict,
        verdict=claim.verdict,
        previous_ruling=previous_ruling,
        by=record_fields(by)["by"],
    )
    claim.updated_at = correction.created_at
    Claim.objects.filter(pk=claim.pk).update(updated_at=correction.created_at)
    return correction


def _flag_questions(claim: Claim, by: Actor, *, previous_verdict: str) -> None:
    """Tell the chief editors which published or in-review quiz questions rest on a verdict that changed."""
    for question in rules.flagged_questions(claim):
        note = _(
            "The fact-check “%(claim)s” behind the question “%(question)s” was re-rated from %(before)s to "
            "%(after)s: check the question's right answer and explanation."
        ) % {
            "claim": claim,
            "question": question,
            "before": previous_verdict or _("no verdict"),
            "after": claim.get_verdict_display() or _("no verdict"),
        }
        record_event(question.quiz, ReviewAction.FLAGGED, by, note)


@editorial_action
def claim_record_correction(*, claim: Claim, by: Actor, note: str) -> Correction:
    """A correction note on a published fact-check without a change of verdict (e.g. a fixed figure)."""
    rules.require_may(by, "publish", claim)
    require(by, "record_correction", _("Only a chief editor can record a correction."))
    claim = locked(claim)
    if claim.status != Status.PUBLISHED:
        refuse([Problem(None, _("Only a published fact-check gets public corrections."), "not_published")])
    if not note.strip():
        refuse(
            [Problem("correction_note", _("Write the correction note readers will see."), "correction_note_required")]
        )
    return _record_correction(claim, by, note=note, previous_verdict=claim.verdict, previous_ruling=claim.ruling)
