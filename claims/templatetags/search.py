from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from claims.search import Search

register = template.Library()


@register.simple_tag
def highlighted(text: str, search: Search | None, language: str) -> SafeString:
    """`text` escaped, its words that matched the reader's search marked (no search: just escaped)."""
    return search.highlight(text, language) if search else escape(text)
