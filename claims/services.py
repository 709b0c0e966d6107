"""Writes that change what readers see: publishing and unpublishing.

Each function validates with the same rules as the models, writes in one
transaction and returns the saved object, or raises ValidationError and
changes nothing.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Choice, Claim, Question, Quiz, Status
from claims.models.quizzes import choice_problems


@transaction.atomic
def claim_publish(*, claim: Claim, by: AbstractBaseUser | None = None) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status == Status.PUBLISHED:
        return claim
    problems = claim.publish_problems()
    if problems:
        raise ValidationError(f"cannot be published yet: {'; '.join(problems)}")
    now = timezone.now()
    claim.status = Status.PUBLISHED
    claim.published_at = claim.published_at or now
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_unpublish(*, claim: Claim, by: AbstractBaseUser | None = None) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != Status.DRAFT:
        claim.status = Status.DRAFT
        claim.save(update_fields=["status", "modified_at"])
    return claim


@transaction.atomic
def quiz_publish(*, quiz: Quiz, by: AbstractBaseUser | None = None) -> Quiz:
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    if quiz.status == Status.PUBLISHED:
        return quiz
    problems = quiz.publish_problems()
    if problems:
        raise ValidationError(f"cannot be published yet: {'; '.join(problems)}")
    quiz.status = Status.PUBLISHED
    quiz.published_at = quiz.published_at or timezone.now()
    quiz.full_clean()
    quiz.save()
    return quiz


@transaction.atomic
def quiz_unpublish(*, quiz: Quiz, by: AbstractBaseUser | None = None) -> Quiz:
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    if quiz.status != Status.DRAFT:
        quiz.status = Status.DRAFT
        quiz.save(update_fields=["status", "modified_at"])
    return quiz


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
