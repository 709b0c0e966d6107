"""Writes that change what readers see: review, publishing, corrections, quiz questions.

Each function checks the acting user's permission on the server, validates
with the same rules as the models, writes in one transaction, and returns the
saved object; or it raises PermissionDenied or ValidationError and changes
nothing. `by=None` is for trusted code paths only (loading the demo content),
never for a request.

The review rule: a claim or quiz goes draft → in review → published, and is
published only when enough chief editors other than its author
(settings.REQUIRED_APPROVALS, default 1) approved it since it was submitted.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Choice, Claim, Correction, Question, Quiz, ReviewAction, ReviewEvent, Status
from claims.models.quizzes import choice_problems
from claims.revisions import record_revision
from claims.verdicts import Verdict

Reviewable = Claim | Quiz


def _require(by: AbstractBaseUser | None, codename: str, obj: Reviewable, doing: str) -> None:
    if by is not None and not by.has_perm(f"claims.{codename}_{obj._meta.model_name}"):
        raise PermissionDenied(f"You do not have permission to {doing} {obj._meta.verbose_name_plural}.")


def _locked(obj: Reviewable) -> Reviewable:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def record_event(obj: Reviewable, action: ReviewAction, by: AbstractBaseUser | None, note: str = "") -> None:
    ReviewEvent.objects.create(**{obj._meta.model_name: obj}, action=action, by=by, note=note)


def approvers(obj: Reviewable) -> list[int]:
    """Ids of the users (other than the author) who approved `obj` since it was last submitted."""
    events = obj.review_events.approvals_since_submission(obj.submitted_at).exclude(by=None)
    if obj.author_id:
        events = events.exclude(by_id=obj.author_id)
    return list(dict.fromkeys(events.order_by("at").values_list("by_id", flat=True)))


def required_approvals() -> int:
    return getattr(settings, "REQUIRED_APPROVALS", 1)


@transaction.atomic
def submit_for_review(*, obj: Reviewable, by: AbstractBaseUser | None) -> Reviewable:
    _require(by, "change", obj, "submit")
    obj = _locked(obj)
    if obj.status != Status.DRAFT:
        raise ValidationError(f"is {obj.get_status_display().lower()}, not a draft")
    problems = obj.publish_problems()
    if problems:
        raise ValidationError(f"is not ready for review: {'; '.join(problems)}")
    obj.status = Status.IN_REVIEW
    obj.submitted_at = timezone.now()
    obj.save(update_fields=["status", "submitted_at", "modified_at"])
    record_event(obj, ReviewAction.SUBMITTED, by)
    record_revision(obj, by=by, comment="Submitted for review")
    return obj


@transaction.atomic
def approve(*, obj: Reviewable, by: AbstractBaseUser) -> Reviewable:
    _require(by, "approve", obj, "approve")
    obj = _locked(obj)
    if obj.status != Status.IN_REVIEW:
        raise ValidationError("is not waiting for review")
    if obj.author_id is not None and obj.author_id == by.pk:
        raise ValidationError("was written by you: another chief editor must approve it")
    if by.pk not in approvers(obj):
        record_event(obj, ReviewAction.APPROVED, by)
    return obj


@transaction.atomic
def send_back(*, obj: Reviewable, by: AbstractBaseUser, note: str) -> Reviewable:
    _require(by, "approve", obj, "review")
    if not note.strip():
        raise ValidationError("needs a note saying what to fix")
    obj = _locked(obj)
    if obj.status != Status.IN_REVIEW:
        raise ValidationError("is not waiting for review")
    return _back_to_draft(obj, ReviewAction.SENT_BACK, by, note=note.strip(), comment=f"Sent back: {note.strip()}")


def _back_to_draft(obj: Reviewable, action: ReviewAction, by, *, note: str = "", comment: str) -> Reviewable:
    obj.status = Status.DRAFT
    obj.save(update_fields=["status", "modified_at"])
    record_event(obj, action, by, note)
    record_revision(obj, by=by, comment=comment)
    return obj


@transaction.atomic
def publish(*, obj: Reviewable, by: AbstractBaseUser | None) -> Reviewable:
    _require(by, "publish", obj, "publish")
    obj = _locked(obj)
    if obj.status == Status.PUBLISHED:
        return obj
    problems = obj.publish_problems()
    if problems:
        raise ValidationError(f"cannot be published yet: {'; '.join(problems)}")
    if by is not None:
        if obj.status != Status.IN_REVIEW:
            raise ValidationError("must be submitted for review and approved before it is published")
        approved_by = approvers(obj)
        if len(approved_by) < required_approvals():
            raise ValidationError(
                f"needs {required_approvals()} approval(s) from a chief editor other than its author "
                f"before it is published (it has {len(approved_by)})"
            )
        obj.editor_id = approved_by[-1]
    obj.status = Status.PUBLISHED
    obj.published_at = obj.published_at or timezone.now()
    obj.full_clean()
    obj.save()
    record_event(obj, ReviewAction.PUBLISHED, by)
    record_revision(obj, by=by, comment="Published")
    return obj


@transaction.atomic
def unpublish(*, obj: Reviewable, by: AbstractBaseUser | None) -> Reviewable:
    _require(by, "publish", obj, "unpublish")
    obj = _locked(obj)
    if obj.status == Status.PUBLISHED:
        return _back_to_draft(obj, ReviewAction.UNPUBLISHED, by, comment="Unpublished")
    return obj


# Named entry points, as the admin and the demo loader call them.
def claim_publish(*, claim: Claim, by: AbstractBaseUser | None = None) -> Claim:
    return publish(obj=claim, by=by)


def claim_unpublish(*, claim: Claim, by: AbstractBaseUser | None = None) -> Claim:
    return unpublish(obj=claim, by=by)


def quiz_publish(*, quiz: Quiz, by: AbstractBaseUser | None = None) -> Quiz:
    return publish(obj=quiz, by=by)


def quiz_unpublish(*, quiz: Quiz, by: AbstractBaseUser | None = None) -> Quiz:
    return unpublish(obj=quiz, by=by)


def claim_record_correction(
    *, claim: Claim, by: AbstractBaseUser | None, note: str, previous_verdict: str, previous_ruling: str
) -> Correction:
    """Record that a published claim's verdict or ruling changed (the claim itself is saved by the caller)."""
    if by is not None and not by.has_perm("claims.record_correction"):
        raise PermissionDenied("Only a chief editor can change a published verdict or ruling.")
    if not note.strip():
        raise ValidationError("A published verdict or ruling changes only with a correction note for readers.")
    correction = Correction.objects.create(
        claim=claim,
        note=note.strip(),
        previous_verdict=previous_verdict,
        verdict=claim.verdict,
        previous_ruling=previous_ruling,
        by=by,
    )
    Claim.objects.filter(pk=claim.pk).update(updated_at=correction.created_at)
    return correction


@transaction.atomic
def question_set_choices(*, question: Question, choices: list[tuple[str, bool]]) -> None:
    """Make `question`'s choices read `choices` ((text, is_correct) pairs, in order).

    Existing choice rows are updated in place, by position, so that readers'
    answers keep pointing at the choice they picked when an editor fixes a typo.
    """
    problems = choice_problems(choices)
    if problems:
        raise ValidationError(f"Fix the choices: {'; '.join(problems)}.")
    existing = list(question.choices.order_by("position", "id"))
    # Clear the old right answer first: "at most one correct" is a database constraint.
    question.choices.filter(is_correct=True).update(is_correct=False)
    for position, (text, correct) in enumerate(choices, start=1):
        if position <= len(existing):
            choice = existing[position - 1]
            choice.text, choice.is_correct, choice.position = text, correct, position
            choice.save(update_fields=["text", "is_correct", "position"])
        else:
            Choice.objects.create(question=question, text=text, is_correct=correct, position=position)
    Choice.objects.filter(pk__in=[c.pk for c in existing[len(choices) :]]).delete()


TRUE_OR_FALSE = {
    Verdict.TRUE: "True",
    Verdict.MOSTLY_TRUE: "True",
    Verdict.FALSE: "False",
    Verdict.MOSTLY_FALSE: "False",
}


@transaction.atomic
def question_from_claim(*, claim: Claim, by: AbstractBaseUser | None) -> Question:
    """A draft quiz question made from a fact-check, for an editor to polish.

    It goes into the newest draft quiz on the claim's article (a new draft quiz
    if there is none), so nothing reaches readers before the quiz is reviewed.
    """
    if by is not None and not by.has_perm("claims.add_question"):
        raise PermissionDenied("You do not have permission to add quiz questions.")
    if not claim.verdict:
        raise ValidationError("has no verdict yet")
    if claim.article is None:
        raise ValidationError("is not linked to an article, and quizzes are about articles")
    quiz = Quiz.objects.filter(article=claim.article, status=Status.DRAFT).order_by("-created_at").first()
    if quiz is None:
        base = f"draft-quiz-{claim.article.slug}"[:90]
        slug, n = base, 1
        while Quiz.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        quiz = Quiz.objects.create(
            article=claim.article, title=f"Quiz: {claim.article.title}"[:200], slug=slug, author=by
        )
    position = (quiz.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    said = f"{claim.claimant} said: “{claim.statement}”"
    if claim.verdict in TRUE_OR_FALSE:
        prompt = f"True or false? {said}"
        answer = TRUE_OR_FALSE[claim.verdict]
        choices = [("True", answer == "True"), ("False", answer == "False")]
    else:
        prompt = f"Which is right? {said} Our verdict was…"
        choices = [(label, value == claim.verdict) for value, label in Verdict.choices]
    question = Question.objects.create(
        quiz=quiz, position=position, prompt=prompt, explanation=claim.ruling, claim=claim
    )
    question_set_choices(question=question, choices=choices)
    record_revision(quiz, by=by, comment=f"Question made from the fact-check “{claim}”")
    return question
