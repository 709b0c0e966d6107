"""The oEmbed discovery link of a page that has an embed (a claim permalink, a quiz's intro)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.oembed import discovery_url

register = template.Library()


@register.simple_tag
def oembed_link(share) -> SafeString:
    """<link rel="alternate"> to our oEmbed answer for the page whose ShareMeta is `share` (its canonical URL)."""
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">',
        discovery_url(share.url),
        share.title,
    )
