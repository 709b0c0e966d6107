"""Two chief editors acting at the same instant: a step that reads another item's state (publishing a claim
reads its article; publishing a quiz reads its fact-checks) must not commit on a state the other step is
changing. Deterministic: the first step pauses right after its rules ran, until the second has finished or
timed out. Meaningful on PostgreSQL (read committed); on SQLite writers are serialised anyway."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from claims import editorial
from claims.editorial import rules
from claims.models import Article, Claim, Quiz, Status
from tests.factories import (
    ArticleFactory,
    ChiefEditorFactory,
    ClaimFactory,
    EditorFactory,
    PublishedClaimFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _race(monkeypatch, *, first, second, pause_on: type) -> dict[str, str]:
    """Run `first` until its rules have read the world, then `second`, then let `first` finish."""
    read, done = threading.Event(), threading.Event()
    real = rules.readiness

    def readiness_then_pause(obj):
        problems = real(obj)
        if isinstance(obj, pause_on):
            read.set()
            done.wait(timeout=2)  # the second step is blocked by our locks, or has finished without them
        return problems

    monkeypatch.setattr(rules, "readiness", readiness_then_pause)
    outcome: dict[str, str] = {}

    def run(name: str, step, before=None, after=None) -> None:
        try:
            if before is not None:
                before.wait(timeout=5)
            step()
            outcome[name] = "done"
        except (ValidationError, PermissionDenied) as error:
            outcome[name] = f"refused: {error}"
        finally:
            if after is not None:
                after.set()
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", first)),
        threading.Thread(target=run, args=("second", second, read, done)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcome


def test_a_claim_is_never_published_on_an_article_unpublished_at_the_same_time(monkeypatch):
    editor, chief, other = EditorFactory(), ChiefEditorFactory(), ChiefEditorFactory()
    article = ArticleFactory()
    claim = ClaimFactory(author=editor, article=article)
    SourceFactory(claim=claim)
    editorial.submit_for_review(obj=claim, by=editor)
    editorial.approve(obj=claim, by=other)

    outcome = _race(
        monkeypatch,
        first=lambda: editorial.publish(obj=claim, by=chief),
        second=lambda: editorial.unpublish(obj=article, by=chief),
        pause_on=Claim,
    )
    claim.refresh_from_db()
    article.refresh_from_db()
    assert set(outcome) == {"first", "second"}, outcome
    assert not (claim.status == Status.PUBLISHED and article.status != Status.PUBLISHED), outcome


def test_a_quiz_is_never_published_on_a_fact_check_unpublished_at_the_same_time(monkeypatch):
    editor, chief, other = EditorFactory(), ChiefEditorFactory(), ChiefEditorFactory()
    backing = PublishedClaimFactory()
    quiz = QuizFactory(author=editor, article=backing.article)
    QuestionFactory(quiz=quiz, claim=backing)
    editorial.submit_for_review(obj=quiz, by=editor)
    editorial.approve(obj=quiz, by=other)

    outcome = _race(
        monkeypatch,
        first=lambda: editorial.publish(obj=quiz, by=chief),
        second=lambda: editorial.unpublish(obj=backing, by=chief),
        pause_on=Quiz,
    )
    quiz.refresh_from_db()
    backing.refresh_from_db()
    assert set(outcome) == {"first", "second"}, outcome
    assert not (quiz.status == Status.PUBLISHED and backing.status != Status.PUBLISHED), outcome
    assert Article.objects.filter(pk=backing.article_id, status=Status.PUBLISHED).exists()


def test_two_translate_clicks_at_once_make_one_translation_and_a_clear_refusal(monkeypatch):
    from claims.editorial import translations

    chief = ChiefEditorFactory()
    original = PublishedClaimFactory()
    read, done = threading.Event(), threading.Event()
    real = translations.start_problems

    def read_then_pause(obj, language):
        problems = real(obj, language)
        if not read.is_set():
            read.set()
            done.wait(timeout=2)  # the second click is blocked by our lock, or has finished without it
        return problems

    monkeypatch.setattr(translations, "start_problems", read_then_pause)
    outcome: dict[str, str] = {}

    def click(name: str, before=None, after=None) -> None:
        try:
            if before is not None:
                before.wait(timeout=5)
            editorial.translation_start(original=original, language="es", by=chief)
            outcome[name] = "done"
        except ValidationError as error:
            outcome[name] = f"refused: {error}"
        finally:
            if after is not None:
                after.set()
            connection.close()

    threads = [
        threading.Thread(target=click, args=("first",)),
        threading.Thread(target=click, args=("second", read, done)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome.values())[0] == "done", outcome
    assert "already has a translation" in outcome["second"] or "already has a translation" in outcome["first"], outcome
    assert Claim.objects.filter(translation_of=original).count() == 1
