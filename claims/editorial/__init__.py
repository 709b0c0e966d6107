"""The editorial write path: the only code that changes what readers see.

Every change to articles, claims with their sources, quizzes with their
questions and choices, and the organisation's own pages goes through one of
these actions. Each takes an explicit
actor (`by=`: a user, or a named system actor from `actors.py`), checks
permissions and editorial state itself, runs in one transaction with its
revision and review event, clears the page cache after commit, and refuses with
a `ValidationError` whose messages are whole sentences with a code, keyed by the
field they concern ("verdict", "sources.1.quote", "__all__"), or with
`PermissionDenied`. The admin, the management commands and the demo loader only
call them.

Where things are:
- `rules.py`: every editorial rule (who may do what, readiness for review,
  quotes, choices, approvals, orphaned quotes, deletion), as plain functions;
- `review.py`: submit, approve (and publish in one step), send back, publish (now or at a later time),
  unschedule, unpublish, delete;
- `articles.py`, `claims.py`, `quizzes.py`: saving each kind of content, and
  the quiz builder;
- `translations.py`: starting and saving translations, and keeping them in step with their original;
- `pictures.py`: pictures, made from a checked upload (claims/pictures.py), deleted when unused;
- `pages.py`: the organisation's own pages (ownership and funding), saved by chief editors;
- `imports.py`: draft fact-checks and number guesses from an imported article's suggested sentences;
- `tips.py`: triage of readers' tips (accept as a draft, decline, answer with a published fact-check);
- `quotes.py`: the one quote-matching rule; `actors.py`: users and system actors;
- `base.py`: the action wrapper, `Problem`, the review-event record.
"""

from claims.editorial.actors import DEMO_AUTHOR, DEMO_REVIEWER, Actor, SystemActor
from claims.editorial.articles import article_save
from claims.editorial.base import current_action
from claims.editorial.claims import claim_record_correction, claim_save
from claims.editorial.imports import claim_from_passage, question_from_figure
from claims.editorial.pages import page_save
from claims.editorial.pictures import picture_create, picture_delete
from claims.editorial.quizzes import QuestionDraft, drafts_of, question_from_claim, quiz_save
from claims.editorial.review import (
    approve,
    approve_and_publish,
    check_schedule,
    complete_publication,
    delete,
    is_scheduled,
    publish,
    send_back,
    submit_for_review,
    unpublish,
    unschedule,
)
from claims.editorial.rules import approvers, required_approvals
from claims.editorial.tips import tip_group_accept, tip_group_answer, tip_group_decline
from claims.editorial.translations import translation_save, translation_start

__all__ = [
    "DEMO_AUTHOR",
    "DEMO_REVIEWER",
    "Actor",
    "QuestionDraft",
    "SystemActor",
    "approve",
    "approve_and_publish",
    "approvers",
    "article_save",
    "check_schedule",
    "claim_from_passage",
    "claim_record_correction",
    "claim_save",
    "complete_publication",
    "current_action",
    "delete",
    "drafts_of",
    "is_scheduled",
    "page_save",
    "picture_create",
    "picture_delete",
    "publish",
    "question_from_claim",
    "question_from_figure",
    "quiz_save",
    "required_approvals",
    "send_back",
    "submit_for_review",
    "tip_group_accept",
    "tip_group_answer",
    "tip_group_decline",
    "translation_save",
    "translation_start",
    "unpublish",
    "unschedule",
]
