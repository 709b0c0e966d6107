"""Dates for HTML: `<time datetime="{{ value|iso_datetime }}">`, and durations in words (`{{ delta|duration }}`).

Dates shown to readers go through Django's `date` filter with a format name (`|date:"DATE_FORMAT"`), which
follows the active language; these filters add what it lacks.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

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


@register.filter
def duration(value: datetime.timedelta | None) -> str:
    """A length of time in words, in the active language, to its two largest units: "15 minutes",
    "1 hour, 30 minutes" ("15 minutos" in Spanish, from Django's own catalog). "" for none or less than nothing.
    """
    if not isinstance(value, datetime.timedelta) or value <= datetime.timedelta(0):
        return ""
    now = timezone.now()
    return timesince(now - value, now)
