"""The emails readers get about their tips, each in the reader's language, queued in the outbox.

- "tip-received:<tip id>": on sending a tip with an email address. Its words are the same whether or not
  other readers sent the same claim: it never says whether a claim was sent before.
- "tip-answered:<tip id>": once a fact-check answering the tip is published (claims/editorial/review.py
  publishes; claims/editorial/tips.py answers a tip with an already published one), with the permalink of
  the version in the reader's language where it is published, else the original's under the reader's
  language. Each reader is told once: the key is the tip's, whichever version is published first.

The bodies are plain text (no HTML part): what readers typed is quoted as they typed it, inert.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from claims.models import Claim, Tip, TipGroup
from claims.tips.outbox import enqueue
from claims.translated import published_versions


def _render(template: str, language: str, context: dict) -> str:
    with translation.override(language):
        context = {"SITE_NAME": settings.SITE_NAME, "retention_days": settings.TIP_EMAIL_RETENTION_DAYS, **context}
        return render_to_string(template, context).strip() + "\n"


def tip_received(tip: Tip) -> None:
    """Queue the confirmation of `tip` to its reader, if they left an address."""
    if not tip.email:
        return
    with translation.override(tip.language):
        # Translators: the subject of the email confirming a reader's tip.
        subject = _("We received the claim you sent to %(site)s") % {"site": settings.SITE_NAME}
    enqueue(
        key=f"tip-received:{tip.pk}",
        to=tip.email,
        subject=subject,
        body=_render("emails/tip_received.txt", tip.language, {"tip": tip}),
        language=tip.language,
    )


def reader_version(versions: list[Claim], language: str) -> Claim | None:
    """Of a fact-check's published versions (the original first), the one a reader of `language` is sent to:
    the version in their language, else the original (shown under their language's interface)."""
    return next((v for v in versions if v.language == language), versions[0] if versions else None)


def permalink_for(version: Claim, language: str) -> str:
    """The absolute address of `version` under `language`'s prefix."""
    with translation.override(language):
        return settings.SITE_URL + version.get_absolute_url()


def tips_answered(claim: Claim) -> int:
    """Queue "tip-answered" for every reader with an address whose tip `claim` (or another language version of
    it) answers, unless they were told already; how many were queued."""
    original = claim.original
    versions = Q(claim=original) | Q(claim__translation_of=original)
    groups = TipGroup.objects.filter(versions)
    return _tell(Tip.objects.filter(group__in=groups).exclude(email=""), original)


def group_answered(group: TipGroup) -> int:
    """As tips_answered, for one group answered with an already published fact-check."""
    if group.claim is None:
        return 0
    return _tell(group.tips.exclude(email=""), group.claim.original)


def _tell(tips, original: Claim) -> int:
    versions = published_versions(original)
    queued = 0
    for tip in tips.order_by("pk"):
        shown = reader_version(versions, tip.language)
        if shown is None:  # nothing published (yet): they hear when it is
            continue
        with translation.override(tip.language):
            # Translators: the subject of the email telling a reader their tip has been fact-checked.
            subject = _("The claim you sent us has been fact-checked")
            verdict = str(shown.rating.label) if shown.rating else ""
        context = {"tip": tip, "claim": shown, "verdict": verdict, "url": permalink_for(shown, tip.language)}
        body = _render("emails/tip_answered.txt", tip.language, context)
        if enqueue(key=f"tip-answered:{tip.pk}", to=tip.email, subject=subject, body=body, language=tip.language):
            queued += 1
    return queued
