"""Writing the organisation's own pages (who owns and funds it): chief editors only, each save a revision.

These pages carry no verdict, quote or figure that a second editor must check, so they skip the review
workflow; what they say is the organisation's word about itself, so only a chief editor may change it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from claims.editorial.actors import Actor, require
from claims.editorial.base import editorial_action
from claims.models import Page
from claims.revisions import record_revision


@editorial_action
def page_save(*, page: Page, by: Actor, comment: str = "") -> Page:
    """Create or change one of the organisation's pages, in one language."""
    creating = page.pk is None
    require(
        by,
        "add_page" if creating else "change_page",
        _("Only a chief editor can change the pages about the organisation."),
    )
    page.full_clean()
    page.save()
    record_revision(page, by=by, comment=comment or (_("Created") if creating else _("Edited")))
    return page
