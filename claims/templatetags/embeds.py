"""Links inside embeds, and the "Embed" box that offers the snippet (claims/embeds.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from claims.embeds import embed_code as build_embed_code
from claims.embeds import is_embed_path
from claims.models import Claim, Quiz

register = template.Library()

NEW_TAB = SafeString(' target="_blank" rel="noopener"')


@register.simple_tag(takes_context=True)
def opens_outside(context: template.Context, url: str | None = None) -> SafeString:
    """In an embed, the attributes that open a link in a new tab: a link to the full site, not to the embed's own
    pages (given `url`, the tag tells which it is). Elsewhere, nothing."""
    if not context.get("embed"):
        return SafeString("")
    if url is not None and is_embed_path(str(url)):
        return SafeString("")
    return NEW_TAB


@register.inclusion_tag("embeds/includes/embed_code.html")
def embed_code(obj: Claim | Quiz, id_prefix: str = "embed") -> dict[str, Any]:
    """The "Embed" box: the snippet with and without the resizing script, each in a read-only text area with a
    copy button (static/js/site.js)."""
    return {"code": build_embed_code(obj), "is_claim": isinstance(obj, Claim), "id_prefix": id_prefix}
