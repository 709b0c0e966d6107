"""Editors' text (explanations, correction notes) made safe to show readers.

Editors write plain text: paragraphs separated by blank lines, and bare links.
`render_editor_text` escapes it, splits it into paragraphs and auto-links it
with Django, and then passes the HTML through `clean_html`: nh3 (the Ammonia
sanitizer) with a short allow-list, so that even a bug in the steps before it
cannot let a script, an event handler or a javascript: link reach a reader.
`clean_html` is the last line of defence on its own: it is safe on raw markup.
"""

from __future__ import annotations

import nh3
from django.template.defaultfilters import linebreaks_filter, urlize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"


def clean_html(html: str) -> str:
    """`html` with only the allowed tags, attributes and link schemes left; every link gets LINK_REL."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=LINK_REL,
    )


def render_editor_text(text: str) -> SafeString:
    html = linebreaks_filter(urlize(escape(text), autoescape=False), autoescape=False)
    return mark_safe(clean_html(str(html)))  # noqa: S308  (sanitized by clean_html)
