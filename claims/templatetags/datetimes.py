"""Machine-readable dates for HTML: `<time datetime="{{ value|iso_datetime }}">`."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso_datetime(value: datetime.date | datetime.datetime | None) -> str:
    """A valid HTML date or global date-and-time string, to the second.

    `|date:"c"` keeps microseconds (`…08:39:10.607373+00:00`), which HTML refuses: it allows at most three
    digits of a fraction of a second. Aware datetimes are shown in the site's time zone, as `|date` does.
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
