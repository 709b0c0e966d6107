"""Old permalinks: a renamed fact-check's old address keeps answering, with a redirect to the new one."""

from __future__ import annotations

from claims.editorial import rules
from claims.models import Claim, ClaimSlugRedirect


def keep_old_permalink(claim: Claim, previous: Claim) -> None:
    # A redirect only for an address readers could have shared: never one for a draft's working title.
    if rules.old_address_was_public(previous, previous.slug):
        ClaimSlugRedirect.objects.update_or_create(old_slug=previous.slug, defaults={"claim": claim})
    # This claim's own old slug, back in use, is a live permalink again, not a redirect.
    ClaimSlugRedirect.objects.filter(old_slug=claim.slug, claim=claim).delete()
