from django import template
from django.utils.safestring import SafeString

from claims.text import render_editor_text

register = template.Library()


@register.filter
def editor_text(value: str) -> SafeString:
    """Editors' plain text as safe HTML paragraphs with links (see claims/text.py)."""
    return render_editor_text(value or "")
