"""The embeds: the only pages other sites may frame (claims/embeds.py builds the snippet partners paste).

- /embed/claims/<slug>/: a fact-check as a compact card (badge, statement, who said it, the bottom
  line, a link to the full fact-check), cached like the permalink.
- /embed/quizzes/<slug>/ with its start/, q/<n>/ and results/<token>/: the whole quiz, one question at a
  time, with htmx or without JavaScript, served by the quiz's own views (claims/views/quiz.py) with the
  embed's base template and links: the same rules, counting, rate limits and statistics.

Framing: these answers carry the site's CSP with `frame-ancestors` from EMBED_FRAME_ANCESTORS (default
any http(s) page) and no X-Frame-Options; every other page keeps `frame-ancestors 'none'` and DENY.
Links that leave an embed open the full page in a new tab ({% opens_outside %}, claims/templatetags/embeds.py).

Readers whose browser refuses the frame's cookies: the quiz's forms and in-frame links carry a signed
reader token (claims/quiz_readers.py), so the quiz goes on without any cookie.

CSRF. Django's CSRF check needs its cookie, which a browser blocking third-party cookies never sends to a
framed page, so the quiz's embed views are exempt from it and check instead, on every POST:

1. that the request comes from our own pages, as CsrfViewMiddleware does before its token check:
   `Sec-Fetch-Site: same-origin`, else an `Origin` of ours, else (HTTPS, neither header) a `Referer` of ours.
   A form in our frame is same-origin with us, whoever frames it; a form on the framing site is not;
2. the reader token, which stands in for the CSRF token: it is only in pages we served to that reader's
   frame, which no other site can read. The embed's cookie alone never lets a request write: a forged
   request without the token is refused before anything is read or written.

What a token lets its holder do is what the reader it names could do in that frame: answer that reader's
questions in order, once each (the first answer counts), see their result and start again, which is
counted like any restart (QUIZ_COUNTED_ATTEMPTS per reader per window) and rate-limited per address. It
cannot name another reader or quiz (signed, salted for this purpose, bound to the quiz) and lapses
QUIZ_EMBED_TOKEN_AGE after it was first issued, however often it is used. It travels only between the reader's frame
and us: in forms, and in the frame's own addresses, which the host page cannot read and which other sites
never see (our referrer policy sends them the origin alone). The trade-off: a token copied out of a
reader's frame (by that reader, from the page's source) lets whoever holds it finish that attempt within
that time, exactly as the reader could have, and nothing more; binding it to the browser would need the
very cookie the browser refused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from claims.caching import public_page
from claims.models import Claim, ClaimSlugRedirect
from claims.preview import can_preview, mark_preview
from claims.quiz_readers import READER_FIELD, ReaderRefused, embed_request
from claims.translated import version_for_reader
from claims.views import quiz

View = Callable[..., HttpResponse]


def framable(view: View) -> View:
    """Let the pages in EMBED_FRAME_ANCESTORS frame the view's answers: its CSP's frame-ancestors (read at each
    request, so that tests and settings overrides see it), and no X-Frame-Options."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # The site's policy (typed loosely by the settings module), with its own frame-ancestors.
        policy: dict[str, Any] = {**settings.SECURE_CSP, "frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS)}
        return csp_override(policy)(view)(request, *args, **kwargs)

    return xframe_options_exempt(wrapped)


def _our_origin(request: HttpRequest) -> set[str]:
    return {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def from_our_pages(request: HttpRequest) -> bool:
    """Whether a POST was sent by one of our pages (see the module's docstring, point 1)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in _our_origin(request)
    if request.is_secure():
        referer = urlsplit(request.headers.get("Referer", ""))
        return f"{referer.scheme}://{referer.netloc}" in _our_origin(request)
    # Plain HTTP without either header: not a browser's form (they all send Origin on a POST); the token decides.
    return True


def embedded_quiz(view: View) -> View:
    """One of the quiz's views (claims/views/quiz.py) as an embed's page: framable, its reader named by the token in
    its form or link (else by the embed's cookie), and its POSTs checked as the module's docstring says."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, slug: str, **kwargs) -> HttpResponse:
        posted = request.method == "POST"
        token = (request.POST if posted else request.GET).get(READER_FIELD, "")
        embed_request(request, token)
        if posted and not from_our_pages(request):
            return quiz.reader_refused(request, slug, "cross-site")
        if posted and not token:
            return quiz.reader_refused(request, slug, "missing")
        try:
            response = view(request, *args, slug=slug, **kwargs)
        except ReaderRefused as refusal:
            return quiz.reader_refused(request, slug, refusal.reason)
        # Its forms and links name this reader: for their browser only, and never kept.
        patch_cache_control(response, private=True, no_store=True)
        return response

    return csrf_exempt(framable(wrapped))


quiz_detail = embedded_quiz(quiz.quiz_detail)
quiz_start = embedded_quiz(quiz.quiz_start)
quiz_question = embedded_quiz(quiz.quiz_question)
quiz_result = embedded_quiz(quiz.quiz_result)


def _claim_not_found(request: HttpRequest) -> HttpResponse:
    context = {
        "title": _("Fact-check not found"),
        "message": _(
            "There is no published fact-check at this address. It may have been unpublished or the link mistyped."
        ),
        "link": (reverse("home"), _("Go to the home page")),
    }
    return render(request, "quizzes/error.html", context, status=404)


@framable
@public_page
@require_safe
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A fact-check as a card: the permalink's top (badge, statement, who said it, the bottom line) and a link to it."""
    embed_request(request, "")
    claim = Claim.objects.select_related("translation_of").filter(slug=slug).first()
    if claim is None:
        redirect = ClaimSlugRedirect.objects.select_related("claim").filter(old_slug=slug).first()
        if redirect and (redirect.claim.is_published or can_preview(request, "claim")):
            return HttpResponsePermanentRedirect(reverse("embed-claim-detail", args=[redirect.claim.slug]))
        return _claim_not_found(request)
    if not claim.is_published:
        if not can_preview(request, "claim"):
            return _claim_not_found(request)
        mark_preview(request)
    version = version_for_reader(claim, translation.get_language()) if claim.is_published else None
    if version is not None and version.pk != claim.pk:
        # As the permalink does: the version in the page's language, where there is one.
        return HttpResponseRedirect(reverse("embed-claim-detail", args=[version.slug]))
    return render(request, "embeds/claim.html", {"claim": claim})
