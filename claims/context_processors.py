from django.conf import settings
from django.http import HttpRequest

from claims.htmx import wants_partial


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "is_preview": getattr(request, "is_preview", False),
        # A swapped fragment carries its own <title>, which htmx applies to the page.
        "htmx_partial": wants_partial(request),
    }
