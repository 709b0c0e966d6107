"""The language switcher, and `lang` attributes on content shown in another language than the page's."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from claims.caching import KNOWN_PARAMETERS
from factcheck.languages import path_in

register = template.Library()


@register.filter
def lang_attr(obj: Any) -> SafeString:
    """` lang="en"` on an element holding `obj`'s words when they are not in the page's language, else nothing."""
    language = getattr(obj, "language", "")
    if not language or language == translation.get_language():
        return SafeString("")
    return format_html(' lang="{}"', language)


@register.filter
def grouped(value: int) -> str:
    """A count with the thousands separator of the page's language: 1,000 in English, 1.000 in Spanish."""
    return formats.number_format(value, force_grouping=True)


@register.filter
def page_lang_attr(obj: Any) -> SafeString:
    """` lang="es"` (the page's language) on interface text inside content that `lang_attr` marked as another."""
    if not lang_attr(obj):
        return SafeString("")
    return format_html(' lang="{}"', translation.get_language())


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict[str, Any]:
    """A link to this page in each other language: the version's own address where the page says it (its
    `share.alternates`), else the same path under the other prefix. Through /language/<code>/, which
    remembers the choice (factcheck/languages.py); the same for every reader, so cached pages can carry it."""
    request = context.get("request")
    current = translation.get_language()
    share = context.get("share")
    known = {code: url.removeprefix(settings.SITE_URL) for code, url in getattr(share, "alternates", ())}
    path = request.path if request is not None else "/"
    # Only what the page reads (a filter, a page number): this link is cached with the page for every reader.
    kept = [(k, v) for k, v in request.GET.items() if k in KNOWN_PARAMETERS - {"more"}] if request is not None else []
    query = urlencode(sorted(kept))
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        target = (known.get(code) or path_in(code, path)) + (f"?{query}" if query else "")
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"][:1].upper() + info["name_local"][1:],
                "url": f"/language/{code}/?{urlencode({'next': target})}",
            }
        )
    return {"links": links}
