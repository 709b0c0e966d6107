"""The review lifecycle, the same for articles, claims and quizzes: draft → in review → published.

An item is published only when enough chief editors other than its author
(settings.REQUIRED_APPROVALS, default 1) approved it after it was last
submitted and after its last edit, and when it passes every content rule
again at that moment (claims/editorial/rules.py).

Submitting, sending back and publishing queue their emails to the people concerned (claims/editorial/notify.py)
in the step's own transaction: none is sent for a step that rolls back.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from claims.editorial import notify, rules
from claims.editorial.actors import Actor, identity
from claims.editorial.base import (
    Problem,
    Reviewable,
    editorial_action,
    lock_in_order,
    locked,
    record_event,
    refuse,
)
from claims.models import Article, Claim, Quiz, ReviewAction, Status
from claims.revisions import record_revision
from claims.tips import notifications


def _state_problem(obj: Reviewable, message: str, code: str) -> list[Problem]:
    """`message`'s %(thing)s is the kind of item (its model's verbose name): "article", "claim" or "quiz"."""
    return [Problem(None, message % {"thing": obj._meta.verbose_name}, code)]


@editorial_action
def submit_for_review[M: Reviewable](*, obj: M, by: Actor) -> M:
    rules.require_may(by, "submit", obj)
    obj = locked(obj)
    if obj.status != Status.DRAFT:
        # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
        refuse(_state_problem(obj, _("This %(thing)s is not a draft, so it cannot be submitted."), "not_a_draft"))
    refuse(rules.readiness(obj))
    obj.status = Status.IN_REVIEW
    obj.submitted_at = timezone.now()
    obj.save(update_fields=["status", "submitted_at", "modified_at"])
    event = record_event(obj, ReviewAction.SUBMITTED, by)
    record_revision(obj, by=by, comment=_("Submitted for review"))
    notify.submitted(obj, event, by)
    return obj


@editorial_action
def approve[M: Reviewable](*, obj: M, by: Actor) -> M:
    rules.require_may(by, "approve", obj)
    obj = locked(obj)
    if obj.status != Status.IN_REVIEW:
        # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
        refuse(_state_problem(obj, _("This %(thing)s is not waiting for review."), "not_in_review"))
    refuse(rules.approval_problems(obj, by))
    if identity(by) not in rules.approvers(obj):
        record_event(obj, ReviewAction.APPROVED, by)
    return obj


@editorial_action
def send_back[M: Reviewable](*, obj: M, by: Actor, note: str) -> M:
    rules.require_may(by, "send_back", obj)
    if not note.strip():
        refuse([Problem("review_note", _("Write a note for the author saying what to fix."), "note_required")])
    obj = locked(obj)
    if obj.status != Status.IN_REVIEW:
        refuse(_state_problem(obj, _("This %(thing)s is not waiting for review."), "not_in_review"))
    obj = _back_to_draft(
        obj,
        ReviewAction.SENT_BACK,
        by,
        note=note.strip(),
        # Translators: a revision's comment: the note a chief editor wrote for the author.
        comment=_("Sent back: %(note)s") % {"note": note.strip()},
    )
    notify.sent_back(obj, obj.review_events.filter(action=ReviewAction.SENT_BACK).latest("at", "id"), by)
    return obj


@editorial_action
def publish[M: Reviewable](*, obj: M, by: Actor) -> M:
    rules.require_may(by, "publish", obj)
    _lock_what_the_rules_read(obj, step="publish")
    obj = locked(obj)
    if obj.status == Status.PUBLISHED:
        # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
        refuse(_state_problem(obj, _("This %(thing)s is already published."), "already_published"))
    if obj.status != Status.IN_REVIEW:
        refuse(
            _state_problem(
                obj,
                # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
                _("This %(thing)s must be submitted for review and approved before it is published."),
                "not_in_review",
            )
        )
    # The content rules again: a quote or a backing fact-check may have changed since submission.
    refuse(rules.readiness(obj) + rules.publication_problems(obj))
    approved_by = rules.approvers(obj)
    last_user = next((who for who in reversed(approved_by) if who.startswith("user:")), None)
    obj.editor_id = int(last_user.removeprefix("user:")) if last_user else None
    obj.status = Status.PUBLISHED
    obj.published_at = obj.published_at or timezone.now()
    obj.save(update_fields=["status", "published_at", "editor", "modified_at"])
    if isinstance(obj, Quiz) and obj.translation_of_id is None:
        # Imported here: quizzes.py builds on this module (void_approvals).
        from claims.editorial.quizzes import fix_quiz_guess_bins

        fix_quiz_guess_bins(obj)
    event = record_event(obj, ReviewAction.PUBLISHED, by)
    record_revision(obj, by=by, comment=_("Published"))
    notify.published(obj, event, by)
    _follow_translated_article(obj, by)
    if isinstance(obj, Claim):
        # Readers whose tip this fact-check (or another language's version of it) answers hear of it once.
        notifications.tips_answered(obj)
    return obj


def _follow_translated_article(obj: Reviewable, by: Actor) -> None:
    if isinstance(obj, Article) and obj.translation_of_id is not None:
        # Imported here: translations.py builds on this module (void_approvals).
        from claims.editorial.translations import follow_article

        follow_article(obj, by)


@editorial_action
def unpublish[M: Reviewable](*, obj: M, by: Actor) -> M:
    rules.require_may(by, "unpublish", obj)
    _lock_what_the_rules_read(obj, step="unpublish")
    obj = locked(obj)
    if obj.status != Status.PUBLISHED:
        refuse(
            _state_problem(
                obj,
                # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
                _("This %(thing)s is not published, so there is nothing to unpublish."),
                "not_published",
            )
        )
    refuse(rules.unpublish_problems(obj))
    obj = _back_to_draft(obj, ReviewAction.UNPUBLISHED, by, comment=_("Unpublished"))
    _follow_translated_article(obj, by)
    return obj


def _lock_what_the_rules_read(obj: Reviewable, *, step: str) -> None:
    """Publishing reads what the item rests on (its article, a quiz's fact-checks); unpublishing reads what rests
    on the item (published fact-checks and quizzes): lock those rows with the item, in one order."""
    unpublishing = step == "unpublish"
    if isinstance(obj, Article):
        claims = list(obj.claims.filter(status=Status.PUBLISHED).values_list("pk", flat=True)) if unpublishing else []
        quizzes = list(obj.quizzes.filter(status=Status.PUBLISHED).values_list("pk", flat=True)) if unpublishing else []
        lock_in_order(articles=[obj.pk], claims=claims, quizzes=quizzes)
    elif isinstance(obj, Claim):
        users = (
            Quiz.objects.filter(questions__claim=obj, status=Status.PUBLISHED) if unpublishing else Quiz.objects.none()
        )
        lock_in_order(articles=[obj.article_id], claims=[obj.pk], quizzes=list(users.values_list("pk", flat=True)))
    elif isinstance(obj, Quiz):
        backing = list(obj.questions.values_list("claim_id", flat=True)) if not unpublishing else []
        lock_in_order(articles=[obj.article_id], claims=backing, quizzes=[obj.pk])


def _back_to_draft[M: Reviewable](obj: M, action: ReviewAction, by: Actor, *, note: str = "", comment: str) -> M:
    obj.status = Status.DRAFT
    obj.save(update_fields=["status", "modified_at"])
    record_event(obj, action, by, note)
    record_revision(obj, by=by, comment=comment)
    return obj


def void_approvals(obj: Reviewable, by: Actor) -> None:
    """An edit while in review makes it a new submission: approvals given before it no longer count."""
    obj.submitted_at = timezone.now()
    type(obj).objects.filter(pk=obj.pk).update(submitted_at=obj.submitted_at)
    record_event(obj, ReviewAction.SUBMITTED, by, _("Edited while in review: earlier approvals no longer count."))


@editorial_action
def delete(*, obj: Reviewable, by: Actor) -> None:
    rules.require_may(by, "delete", obj)
    obj = locked(obj)
    refuse(rules.deletion_problems(obj))
    obj.delete()
