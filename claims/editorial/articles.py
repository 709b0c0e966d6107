"""Writing articles: their text is what evidence quotes point into, so an edit re-checks every quote."""

from __future__ import annotations

from django.utils.translation import gettext as _

from claims.editorial import rules
from claims.editorial.actors import Actor, SystemActor
from claims.editorial.base import editorial_action, keep_lifecycle, locked, record_event, refuse
from claims.editorial.review import void_approvals
from claims.editorial.translations import follow_original
from claims.models import Article, Correction, ReviewAction, Status
from claims.revisions import record_revision


def article_problems(*, article: Article, by: Actor, previous: Article | None, correction_note: str = "") -> list:
    rules.require_may_edit(by, article, creating=previous is None, status=previous.status if previous else Status.DRAFT)
    if previous is None or previous.body == article.body:
        return []
    return rules.orphan_problems(rules.orphaned_quotes(previous, article.body), correction_note)


@editorial_action
def article_save(*, article: Article, by: Actor, correction_note: str = "", comment: str = "") -> Article:
    """Create or change an article. A change to its text that removes a passage quoted by a published
    fact-check is refused, unless it comes with a correction note, which each such fact-check then shows."""
    if article.translation_of_id is not None:
        raise ValueError("A translation is saved with translations.translation_save().")
    previous = locked(article) if article.pk else None
    refuse(article_problems(article=article, by=by, previous=previous, correction_note=correction_note))
    orphans = rules.orphaned_quotes(previous, article.body) if previous and previous.body != article.body else []
    keep_lifecycle(article, previous, by)
    article.full_clean()
    article.save()
    revision = record_revision(article, by=by, comment=comment or (_("Edited") if previous else _("Created")))
    if previous is None or revision is None:
        return article
    if previous.status == Status.IN_REVIEW:
        void_approvals(article, by)
    if previous.status == Status.PUBLISHED:
        record_event(article, ReviewAction.EDITED, by, _("Edited while published."))
    follow_original(article, by, flag=previous.status == Status.PUBLISHED)
    for claim in {source.claim for source in orphans}:
        Correction.objects.create(
            claim=claim,
            note=_("The article this fact-check quotes, “%(title)s”, was edited: %(note)s")
            % {"title": article.title, "note": correction_note.strip()},
            previous_verdict=claim.verdict,
            verdict=claim.verdict,
            previous_ruling=claim.ruling,
            by=by if not isinstance(by, SystemActor) else None,
        )
    return article
