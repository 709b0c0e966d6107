"""How the views answer htmx: one rule for when a partial is wanted, and what responses vary on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

# Headers that choose between a partial and the whole page (see wants_partial).
HTMX_VARY = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")


def wants_partial(request: HttpRequest) -> bool:
    """htmx swaps get a partial; boosted requests and history restores need the whole page."""
    htmx = getattr(request, "htmx", None)  # django-htmx's HtmxDetails: false unless HX-Request is "true"
    if not htmx:
        return False
    return not htmx.boosted and not htmx.history_restore_request


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Tell browsers and CDNs that the partial and the page at one URL are different responses."""
    patch_vary_headers(response, HTMX_VARY)
    return response
