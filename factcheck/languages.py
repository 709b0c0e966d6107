"""Which language a request is served in, and where a reader's choice of language takes them.

The address decides: English pages are unprefixed, Spanish ones live under /es/ (`i18n_patterns` in
factcheck/urls.py), so a crawler or a shared link always gets the language of the URL. A reader's
choice is a cookie, set by the language switcher (claims/views/languages.py) or, once, on a first
arrival from a browser whose Accept-Language prefers Spanish; with it, an unprefixed page link
redirects to the same page in the chosen language. The admin is not under a prefix: editors get the
language of their cookie or browser.

Django's LocaleMiddleware does not fit: with `prefix_default_language=False` it serves every
unprefixed page in English whatever the reader chose, admin included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

DEFAULT = settings.LANGUAGE_CODE
CODES = frozenset(code for code, _name in settings.LANGUAGES)
# Paths served in the default language only, for machines and operators.
UNLOCALIZED_PREFIXES = (
    "/admin/", "/static/", "/language/", "/healthz", "/robots.txt", "/sitemap.xml", "/oembed", "/api/",
)  # fmt: skip
# Pages whose language is their address's and nothing else: an embed shows the language the partner's snippet
# chose, whatever the reader's cookie or browser prefers (a framed page loads as a cross-site navigation).
ADDRESS_ONLY_PREFIXES = ("/embed/",)


def language_of_path(path: str) -> str | None:
    """The language whose prefix `path` carries ("es" for /es/claims/…), or None when it has none."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in CODES and first != DEFAULT else None


def path_in(language: str, path: str) -> str:
    """The same page's path in `language`: /claims/x/ ↔ /es/claims/x/."""
    own = language_of_path(path)
    # One leading slash, whatever followed the prefix: "/es//evil.example/" must not become "//evil.example/".
    bare = "/" + (path[len(own) + 1 :] if own else path).lstrip("/")
    return bare if language == DEFAULT else f"/{language}{bare}"


def preferred_by_browser(request: HttpRequest) -> str | None:
    """The first of our languages in the browser's Accept-Language, by its weights."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        primary = code.split("-")[0].lower()
        if primary in CODES:
            return primary
    return None


def _is_first_arrival(request: HttpRequest) -> bool:
    # Browsers send Sec-Fetch-* on a navigation; crawlers and scripts do not, so they never move.
    # "none" is a typed address or a bookmark, "cross-site" a link from elsewhere (a chat, a search).
    return request.headers.get("Sec-Fetch-Mode") == "navigate" and request.headers.get("Sec-Fetch-Site") in (
        "none",
        "cross-site",
    )


def _has_page_in(language: str, path: str) -> bool:
    target = path_in(language, path)
    with translation.override(language):
        try:
            resolve(target)
        except Resolver404:
            return False
    return True


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/admin/"):
            language = translation.get_language_from_request(request, check_path=False)
            return self._respond(request, language if language in CODES else DEFAULT)
        from_path = language_of_path(path)
        if (
            from_path is None
            and not path.startswith(UNLOCALIZED_PREFIXES + ADDRESS_ONLY_PREFIXES)
            and request.method in ("GET", "HEAD")
        ):
            redirect = self._redirect_to_choice(request, path)
            if redirect is not None:
                return redirect
        return self._respond(request, from_path or DEFAULT)

    def _respond(self, request: HttpRequest, language: str) -> HttpResponse:
        request.LANGUAGE_CODE = language
        # Only for this request: the thread serves the next one in whatever language that one asks for.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    def _redirect_to_choice(self, request: HttpRequest, path: str) -> HttpResponse | None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        first_arrival = chosen is None and _is_first_arrival(request)
        if first_arrival:
            chosen = preferred_by_browser(request)
        if chosen not in CODES or chosen == DEFAULT or not _has_page_in(chosen, path):
            return None
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponseRedirect(path_in(chosen, path) + (f"?{query}" if query else ""))
        # Depends on this reader's cookie and browser: never stored by a shared cache.
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        if first_arrival:
            set_language_cookie(response, chosen)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or not settings.DEBUG,
        httponly=True,
        samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
    )
