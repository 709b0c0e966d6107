"""What other sites and aggregators read from us: oEmbed (/oembed) and the ClaimReview DataFeed
(/api/claimreview.json). Both are outside the language prefixes (factcheck/urls.py), readable from any
origin (CORS for GET), and cached like the pages (Cache-Control, ETag and conditional GETs)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from claims import oembed as oembed_answers
from claims.caching import BROWSER_MAX_AGE, public_page
from claims.structured_data import claim_review_feed


def _readable_anywhere(response: HttpResponse) -> HttpResponse:
    # Public data without credentials: any page may fetch it (a partner's CMS, a browser-side consumer).
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    """The oEmbed answer for `?url=` (claims/oembed.py). Its ETag comes from ConditionalGetMiddleware: the
    answer depends on query parameters the page cache does not key on, and costs a query or two."""
    try:
        data = oembed_answers.answer(
            url=request.GET.get("url"),
            format=request.GET.get("format"),
            maxwidth=request.GET.get("maxwidth"),
            maxheight=request.GET.get("maxheight"),
        )
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    except oembed_answers.OEmbedError as error:
        body = {"error": error.message} | ({"parameter": error.parameter} if error.parameter else {})
        response = JsonResponse(body, status=error.status, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
    return _readable_anywhere(response)


@require_safe
@public_page
def claimreview_feed(request: HttpRequest) -> HttpResponse:
    """Every published fact-check in both languages as schema.org ClaimReview, in a DataFeed (JSON-LD)."""
    body = json.dumps(claim_review_feed(), ensure_ascii=False)
    return _readable_anywhere(HttpResponse(body, content_type="application/ld+json; charset=utf-8"))
