from django.conf import settings
from django.http import HttpRequest

from claims.htmx import wants_partial
from claims.quiz_readers import is_embedded


def site(request: HttpRequest) -> dict:
    embed = is_embedded(request)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "is_preview": getattr(request, "is_preview", False),
        # A swapped fragment carries its own <title>, which htmx applies to the page.
        "htmx_partial": wants_partial(request),
        # An embed's page (claims/views/embeds.py): the quiz's templates extend the embed's frame instead of the
        # site's page, and links that leave it open in a new tab (claims/templatetags/embeds.py).
        "embed": embed,
        "base_template": "embeds/base.html" if embed else "base.html",
    }
