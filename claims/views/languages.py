"""The language switcher: the same page in the other language, and the reader's choice remembered."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from factcheck.languages import CODES, UNLOCALIZED_PREFIXES, path_in, set_language_cookie


@require_safe
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """GET /language/es/?next=/claims/x/ → /es/claims/x/, with the choice kept in a cookie.

    A link rather than a form, so that every cached page can carry it without a CSRF token:
    what it changes is only this browser's own preference.
    """
    if code not in CODES:
        raise Http404
    target = request.GET.get("next", "/")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "/"
    # The admin and the machine addresses have no language prefix: the cookie alone changes their language.
    destination = target if target.startswith(UNLOCALIZED_PREFIXES) else path_in(code, target)
    if not url_has_allowed_host_and_scheme(destination, allowed_hosts=None):
        destination = path_in(code, "/")
    response = HttpResponseRedirect(destination)
    set_language_cookie(response, code)
    patch_cache_control(response, private=True, no_store=True)
    return response
