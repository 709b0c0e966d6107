"""Reader pages: home, the claims index, claim permalinks and articles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from claims.models import Article, Claim, Quiz


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "quiz": Quiz.objects.published().select_related("article").first(),
            "claims": Claim.objects.published().for_listing().newest_first()[:6],
        },
    )


def claim_index(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.published().for_listing().newest_first()
    return render(request, "claims/claim_index.html", {"claims": claims})


def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.published().select_related("article"), slug=slug)
    return render(request, "claims/claim_detail.html", {"claim": claim, "sources": claim.sources.all()})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    return render(request, "claims/article_detail.html", {"article": article})


def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published().select_related("article"), slug=slug)
    return render(request, "claims/quiz_detail.html", {"quiz": quiz})
