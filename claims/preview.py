"""Editors' previews: a draft claim or quiz shown exactly as readers will see it, marked, never indexed or cached."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def can_preview(request: HttpRequest, model_name: str) -> bool:
    user = request.user
    return user.is_authenticated and user.is_staff and user.has_perm(f"claims.view_{model_name}")


def mark_preview(request: HttpRequest) -> None:
    """The page being rendered is a preview: the template shows the banner, the middleware sets the headers."""
    request.is_preview = True  # type: ignore[attr-defined]  # our flag on the request, read with getattr()


class PreviewHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "is_preview", False):
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
