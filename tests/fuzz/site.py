"""A small published site to aim requests at: a quiz with its article and claims, a finished attempt, a chief editor."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth import get_user_model

from claims.roles import grant_role
from claims.views import quiz as quiz_views
from claims.views import sharing as sharing_views
from tests.factories import PublishedQuizFactory, take_quiz

# A 1x1 PNG: drawing share cards (tests/test_sharing.py) takes longer than everything else here together.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000000000500010d0a2db40000000049454e44ae426082"
)


def make_site() -> SimpleNamespace:
    quiz = PublishedQuizFactory(questions=2)
    question = quiz.questions.select_related("claim").first()
    # Who uses the admin: the Chief editor role sees every editorial page and button (auth and axes are 403).
    editor = get_user_model().objects.create(username="fuzz-chief")  # no password: sessions come from force_login
    grant_role(editor, chief=True)
    return SimpleNamespace(
        quiz=quiz,
        article=quiz.article,
        claim=question.claim,
        attempt=take_quiz(quiz, right=1),
        editor=editor,
    )


def stub_share_cards(monkeypatch) -> None:
    """Every view's share-card drawing (render_*_card) returns PNG."""
    for module in (sharing_views, quiz_views):
        for name in dir(module):
            if name.startswith("render_") and name.endswith("_card"):
                monkeypatch.setattr(module, name, lambda *args, **kwargs: PNG)
