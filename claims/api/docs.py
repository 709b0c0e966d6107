"""The API's browsable documentation at /api/docs/: Swagger UI, served from our own static files.

django-ninja ships Swagger UI's files (static/ninja/, found because "ninja" is an installed app); its own page
template carries its settings in an inline JSON block and, for Redoc, an inline script. Ours has neither:
templates/api/docs.html names the schema's address in a data attribute and static/js/api-docs.js starts Swagger
UI, so the page keeps the site's CSP (script-src 'self', style-src 'self'; tests/test_api.py checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class Docs(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(request, "api/docs.html", {"schema_url": self.get_openapi_url(api, kwargs)})
