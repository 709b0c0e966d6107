"""Permalinks: a draft's slug follows its statement; a renamed fact-check's old address keeps answering, with a
redirect to the new one."""

from __future__ import annotations

from django.utils.text import slugify

from claims.editorial import rules
from claims.models import Claim, ClaimSlugRedirect
from claims.models.claims import RESERVED_SLUGS


def keep_old_permalink(claim: Claim, previous: Claim) -> None:
    # A redirect only for an address readers could have shared: never one for a draft's working title.
    if rules.old_address_was_public(previous, previous.slug):
        ClaimSlugRedirect.objects.update_or_create(old_slug=previous.slug, defaults={"claim": claim})
    # This claim's own old slug, back in use, is a live permalink again, not a redirect.
    ClaimSlugRedirect.objects.filter(old_slug=claim.slug, claim=claim).delete()


def slug_from(statement: str) -> str:
    """The slug the admin's prepopulated field makes from a statement (Django's URLify: slugify, cut to fit)."""
    return slugify(statement)[: Claim._meta.get_field("slug").max_length].strip("-")


def follow_statement(claim: Claim, previous: Claim) -> None:
    """Until its first publication a claim's slug follows its statement (unless the editor chose another slug);
    after that it is kept, since shared links use it."""
    following = previous.published_at is None and previous.slug == slug_from(previous.statement)
    if not following or claim.slug != previous.slug or claim.statement == previous.statement:
        return
    slug = slug_from(claim.statement)
    taken = (
        not slug
        or slug in RESERVED_SLUGS
        or Claim.objects.filter(slug=slug).exclude(pk=claim.pk).exists()
        or ClaimSlugRedirect.objects.filter(old_slug=slug).exclude(claim_id=claim.pk).exists()
    )
    if not taken:
        claim.slug = slug
