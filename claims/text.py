"""Editors' text (explanations, correction notes) made safe to show readers.

Editors write plain text: paragraphs separated by blank lines, and bare links.
It is escaped, split into paragraphs and auto-linked by Django, and then the
HTML is passed through nh3 (the Ammonia sanitizer) with a short allow-list, so
that even a bug in the steps before it cannot let a script, an event handler or
a javascript: link reach a reader.
"""

from __future__ import annotations

import nh3
from django.template.defaultfilters import linebreaks_filter, urlize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_editor_text(text: str) -> SafeString:
    html = linebreaks_filter(urlize(escape(text), autoescape=False), autoescape=False)
    clean = nh3.clean(
        str(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308  (sanitized by nh3 just above)
