"""The tip line for readers: "Has this been checked?" (a search), then "Send it to us" (a form).

/tips/ holds a CSRF form, so it is never page-cached (claims/caching.py would store one reader's token for
everyone); /tips/thanks/ and /privacy/ are public pages like the others. The thanks page is the same for
everyone: it never says whether the claim was sent before.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from claims.caching import public_page
from claims.htmx import vary_on_htmx, wants_partial
from claims.ratelimit import rate_limited
from claims.search import find_published
from claims.share_meta import share_meta
from claims.tips.forms import TipForm
from claims.tips.submit import tip_submit
from factcheck.client_ip import client_ip

log = logging.getLogger("factcheck.tips")

QUERY_MAX = 200
RESULTS = 10
TIPS_DESCRIPTION = gettext_lazy("Search our fact-checks for a claim; if we have not checked it, send it to us.")


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    response = render(request, "error.html", {"title": title, "message": message}, status=status)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, round(retry_after / 60))
    return _error(
        request,
        429,
        _("Too many claims sent"),
        ngettext(
            "You have sent us several claims in a short time. Please wait about %(minutes)s minute and try again.",
            "You have sent us several claims in a short time. Please wait about %(minutes)s minutes and try again.",
            minutes,
        )
        % {"minutes": minutes},
    )


def _page(request: HttpRequest, form: TipForm, *, status: int = 200) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:QUERY_MAX] if request.method == "GET" else ""
    found = find_published(query, language=translation.get_language(), limit=RESULTS) if query else None
    hits = found.claims if found else []
    if query and not hits and not form.is_bound:
        form = TipForm(initial={"statement": query})
    share = share_meta(
        path=reverse("tips"), title=_("Has this been checked?"), description=str(TIPS_DESCRIPTION),
        image_path=reverse("site-card"),
    )  # fmt: skip
    context = {"form": form, "query": query, "hits": hits, "search": found.search if found else None, "share": share,
               "retention_days": settings.TIP_EMAIL_RETENTION_DAYS}  # fmt: skip
    template = "tips/tips.html#results" if wants_partial(request) and request.method == "GET" else "tips/tips.html"
    response = render(request, template, context, status=status)
    # It holds the reader's CSRF token: never stored by our page cache or any other.
    patch_cache_control(response, private=True, no_cache=True)
    return vary_on_htmx(response)


@rate_limited("tips", "TIP_RATE", _too_many)
def _tips(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TipForm())
    form = TipForm(request.POST)
    if not form.is_valid():
        if form.sent_by_a_script:
            log.info("tip refused (%s) from %s", ",".join(e.code or "" for e in form.non_field_errors().as_data()),
                     client_ip(request))  # fmt: skip
        return _page(request, form.for_another_try(), status=400)
    data = form.cleaned_data
    tip_submit(
        statement=data["statement"],
        claimant=data["claimant"],
        seen_where=data["seen_where"],
        email=data["email"] if data["consent"] else "",
        language=translation.get_language(),
    )
    return HttpResponseRedirect(reverse("tips-thanks"), status=303)


_tips_checked = csrf_protect(_tips)


@csrf_exempt  # checked below, once the body is known to be small: Django's CSRF check reads the whole body
@require_http_methods(["GET", "HEAD", "POST"])
def tips(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.TIP_MAX_BODY_BYTES:
            return _error(
                request,
                413,
                _("Too long to send"),
                _("What you sent is longer than this form takes. Shorten it and send it again."),
            )
    return _tips_checked(request)


@public_page
def thanks(request: HttpRequest) -> HttpResponse:
    share = share_meta(
        path=reverse("tips-thanks"), title=_("Thank you"), description=str(TIPS_DESCRIPTION),
        image_path=reverse("site-card"),
    )  # fmt: skip
    return render(request, "tips/thanks.html", {"share": share})


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    share = share_meta(
        path=reverse("privacy"), title=_("What we keep about readers"),
        description=_("What we keep about readers, why, and for how long."), image_path=reverse("site-card"),
    )  # fmt: skip
    context = {"share": share, "retention_days": settings.TIP_EMAIL_RETENTION_DAYS,
               "reader_cookie_days": settings.QUIZ_READER_COOKIE_AGE // (60 * 60 * 24)}  # fmt: skip
    return render(request, "privacy.html", context)
