"""The API's routes, under /api/ (factcheck/urls.py, outside the language prefixes: `lang` picks the language).

django-ninja's routes, each made read-only with Django's own @require_safe, which factcheck/http_methods.py
reads: OPTIONS lists GET and HEAD, and any other method is a 405 before the view runs. Each answer goes
through claims/api/http.py's `cached_answer` (ETag, conditional GET, Cache-Control, the shared cache).
"""

from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from claims.api.app import api
from claims.api.http import cached_answer

app_name = "api"


def _read_only(pattern: URLPattern) -> URLPattern:
    return path(str(pattern.pattern), require_safe(cached_answer(pattern.callback)), name=pattern.name)


urlpatterns = [_read_only(pattern) for pattern in api.urls[0] if isinstance(pattern, URLPattern)]
