"""The review lifecycle, the same for articles, claims and quizzes: draft → in review → published.

A chief editor may publish at a later time instead (publish(at=…)): the item is then "scheduled", stored as
published with its published_at still to come, and readers see it from that time on. unschedule() takes it
back to review; publish() without a time publishes it now; complete_publication() (manage.py publish_due)
records the publication once the time has passed and does what had to wait for readers to see it.

An item is published only when enough chief editors other than its author
(settings.REQUIRED_APPROVALS, default 1) approved it after it was last
submitted and after its last edit, and when it passes every content rule
again at that moment (claims/editorial/rules.py).

Submitting, sending back and publishing queue their emails to the people concerned (claims/editorial/notify.py)
in the step's own transaction: none is sent for a step that rolls back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from claims.caching import remember_next_scheduled_time
from claims.editorial import notify, rules
from claims.editorial.actors import Actor, SystemActor, identity
from claims.editorial.base import (
    Problem,
    Reviewable,
    editorial_action,
    lock_in_order,
    locked,
    record_event,
    refuse,
)
from claims.models import Article, Claim, Quiz, ReviewAction, ReviewEvent, Status
from claims.revisions import record_revision
from claims.roles import CHIEF_EDITOR_PERMISSIONS
from claims.search import index
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
    refuse(rules.readiness(obj, publishing=False))
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
def approve_and_publish[M: Reviewable](*, obj: M, by: Actor) -> M:
    """A chief editor's approval that completes the review, and publication now, as one step: both or neither
    (a publication refused, say because its article is not published yet, leaves the approval unrecorded)."""
    return publish(obj=approve(obj=obj, by=by), by=by)


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


# How far ahead an item may be scheduled: further is more likely a typo in the year than a plan.
MAX_SCHEDULE_AHEAD = timedelta(days=365)
# Who performs what waits for a scheduled item's time (manage.py publish_due): it records the publication.
SCHEDULER = SystemActor("scheduled publication (manage.py publish_due)", frozenset(CHIEF_EDITOR_PERMISSIONS))
LIFECYCLE_ACTIONS = (
    ReviewAction.SCHEDULED,
    ReviewAction.PUBLISHED,
    ReviewAction.UNPUBLISHED,
    ReviewAction.UNSCHEDULED,
)


def is_scheduled(obj: Reviewable) -> bool:
    """Published for a time still to come: approved and locked as published, hidden from readers until then."""
    return obj.status == Status.PUBLISHED and obj.published_at is not None and obj.published_at > timezone.now()


def check_schedule(at: datetime) -> None:
    """Refuse a time to publish at that is not one (no time zone) or too far ahead; a past one is fine."""
    refuse(_schedule_problems(at))


def _schedule_problems(at: datetime) -> list[Problem]:
    if timezone.is_naive(at):
        return [Problem("publish_at", _("Give the time to publish with its time zone."), "schedule_naive")]
    if at > timezone.now() + MAX_SCHEDULE_AHEAD:
        return [
            Problem(
                "publish_at",
                _("Choose a time within a year from now: is the year right?"),
                "schedule_too_far",
            )
        ]
    return []


@editorial_action
def publish[M: Reviewable](*, obj: M, by: Actor, at: datetime | None = None) -> M:
    """Publish `obj` now, or at `at` (an aware time; a past one means now).

    A scheduled item is stored as published with its `published_at` in the future: every reader query already
    asks for `published_at <= now` (PublishableQuerySet.published()), so it appears at that time without anyone
    acting. What readers must not hear of before then (the author's email, readers' tips answered, a translated
    article's fact-checks following it) waits for `publish_due`; publishing a scheduled item without `at`
    publishes it now."""
    rules.require_may(by, "publish", obj)
    if at is not None:
        refuse(_schedule_problems(at))
        if at <= timezone.now():
            at = None
    _lock_what_the_rules_read(obj, step="publish")
    obj = locked(obj)
    rescheduling = is_scheduled(obj)
    if obj.status == Status.PUBLISHED and not rescheduling:
        # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
        refuse(_state_problem(obj, _("This %(thing)s is already published."), "already_published"))
    if obj.status != Status.IN_REVIEW and not rescheduling:
        refuse(
            _state_problem(
                obj,
                # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
                _("This %(thing)s must be submitted for review and approved before it is published."),
                "not_in_review",
            )
        )
    # The content rules again: a quote or a backing fact-check may have changed since submission.
    refuse(rules.readiness(obj) + rules.publication_problems(obj) + rules.timing_problems(obj, at or timezone.now()))
    approved_by = rules.approvers(obj)
    last_user = next((who for who in reversed(approved_by) if who.startswith("user:")), None)
    obj.editor_id = int(last_user.removeprefix("user:")) if last_user else None
    obj.status = Status.PUBLISHED
    if at is not None:
        obj.published_at = at
    elif rescheduling or obj.published_at is None or obj.published_at > timezone.now():
        obj.published_at = timezone.now()
    # else: published before, then unpublished: it keeps the date it was first published on.
    obj.save(update_fields=["status", "published_at", "editor", "modified_at"])
    if isinstance(obj, Quiz) and obj.translation_of_id is None:
        # Imported here: quizzes.py builds on this module (void_approvals).
        from claims.editorial.quizzes import fix_quiz_guess_bins

        # At scheduling too: nobody can answer before the time, and the bins are fixed before anyone does.
        fix_quiz_guess_bins(obj)
    if at is not None:
        when = timezone.localtime(at)
        note = _("For %(time)s (%(zone)s)") % {
            "time": dateformat.format(when, "j M Y, H:i"),
            "zone": timezone.get_current_timezone_name(),
        }
        record_event(obj, ReviewAction.SCHEDULED, by, note)
        record_revision(obj, by=by, comment=_("Scheduled for %(time)s") % {"time": when.isoformat("T", "minutes")})
        remember_next_scheduled_time()
        return obj
    event = record_event(obj, ReviewAction.PUBLISHED, by)
    record_revision(obj, by=by, comment=_("Published"))
    _on_visible(obj, event, by)
    if rescheduling:
        remember_next_scheduled_time()
    return obj


def _on_visible(obj: Reviewable, event: ReviewEvent, by: Actor, *, told_as: Actor | None = None) -> None:
    """What happens once readers can see `obj`: at publication, or for a scheduled item at `publish_due` (whose
    emails name `told_as`, who scheduled it)."""
    notify.published(obj, event, told_as or by)
    _follow_translated_article(obj, by)
    if isinstance(obj, Claim):
        # The words of a fact-check readers can read help them search (suggestions, completion).
        index.add_vocabulary(obj)
        # Readers whose tip this fact-check (or another language's version of it) answers hear of it once.
        notifications.tips_answered(obj)


@editorial_action
def unschedule[M: Reviewable](*, obj: M, by: Actor) -> M:
    """Cancel a scheduled publication: back in review, with the approvals it had (it can be scheduled again)."""
    rules.require_may(by, "publish", obj)
    _lock_what_the_rules_read(obj, step="unpublish")
    obj = locked(obj)
    if not is_scheduled(obj):
        # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
        refuse(_state_problem(obj, _("This %(thing)s is not scheduled."), "not_scheduled"))
    # What is scheduled on it (its fact-checks, a quiz, a translation) would appear without it.
    refuse(rules.unpublish_problems(obj))
    obj.status = Status.IN_REVIEW
    obj.published_at = None
    obj.save(update_fields=["status", "published_at", "modified_at"])
    record_event(obj, ReviewAction.UNSCHEDULED, by)
    record_revision(obj, by=by, comment=_("Schedule cancelled"))
    remember_next_scheduled_time()
    return obj


def due_publications() -> list[Reviewable]:
    """Scheduled items whose time has come and whose publication is not yet recorded (last step: scheduled)."""
    due: list[Reviewable] = []
    for model in (Article, Claim, Quiz):
        last = ReviewEvent.objects.filter(
            **{str(model._meta.model_name): OuterRef("pk")}, action__in=LIFECYCLE_ACTIONS
        ).order_by("-at", "-id")
        due += (
            model.objects.published()
            .alias(last_step=Subquery(last.values("action")[:1]))
            .filter(last_step=ReviewAction.SCHEDULED)
            .order_by("published_at", "pk")
        )
    return due


@editorial_action
def complete_publication[M: Reviewable](*, obj: M, by: Actor) -> M:
    """Record a scheduled item's publication once its time has come, and do what waited for it; once only
    (the row is locked, and a second run finds the publication recorded)."""
    rules.require_may(by, "publish", obj)
    obj = locked(obj)
    last = obj.review_events.filter(action__in=LIFECYCLE_ACTIONS).order_by("-at", "-id").first()
    visible = obj.status == Status.PUBLISHED and obj.published_at is not None and obj.published_at <= timezone.now()
    if not visible or last is None or last.action != ReviewAction.SCHEDULED:
        return obj
    event = record_event(obj, ReviewAction.PUBLISHED, by, _("At the time it was scheduled for"))
    # The emails name who scheduled it, not this program; the record names this program.
    _on_visible(obj, event, by, told_as=last.by)
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
    scheduled = is_scheduled(obj)
    obj = _back_to_draft(obj, ReviewAction.UNPUBLISHED, by, comment=_("Unpublished"))
    if scheduled:
        # Never seen by readers: a later publication must not inherit the time it had been scheduled for.
        obj.published_at = None
        obj.save(update_fields=["published_at"])
        remember_next_scheduled_time()
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
