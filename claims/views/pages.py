"""Reader pages: home, the claims index, claim permalinks and articles (quizzes: claims/views/quiz.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import Truncator

from claims.caching import public_page
from claims.filters import ClaimFilterForm, verdict_counts
from claims.highlighting import mark_article
from claims.htmx import vary_on_htmx, wants_partial
from claims.models import Article, Claim, ClaimSlugRedirect, Correction, Quiz, Source
from claims.preview import can_preview, mark_preview
from claims.share_meta import ShareMeta, paged_path, share_meta
from claims.structured_data import claim_review, json_ld
from claims.verdicts import BEST_RATING, SCALE

CLAIMS_PER_PAGE = 20
# What the pages about the whole site tell search engines and link previews.
HOME_TITLE = "What was said, and what the evidence shows"
HOME_DESCRIPTION = "Fact-checks and news quizzes: what was said, and what the evidence shows."
INDEX_DESCRIPTION = "Every published fact-check, with its verdict. Filter by verdict or article, or search."
RATINGS_DESCRIPTION = (
    "Our rating scale, what each verdict means, and how a fact-check is made and reviewed before it is published."
)
CORRECTIONS_DESCRIPTION = "Every correction to our published fact-checks, newest first."


def _site_share(path: str, title: str, description: str) -> ShareMeta:
    return share_meta(path=path, title=title, description=description, image_path=reverse("site-card"))


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "quiz": Quiz.objects.published().select_related("article").first(),
            "claims": Claim.objects.published().for_listing().newest_first()[:6],
            "share": _site_share(reverse("home"), HOME_TITLE, HOME_DESCRIPTION),
        },
    )


@public_page
def claim_index(request: HttpRequest) -> HttpResponse:
    form = ClaimFilterForm(request.GET or None)
    published = Claim.objects.published().for_listing().newest_first()
    status = 200
    if form.is_bound and not form.is_valid():
        claims, counted, status = published.none(), published.none(), 400
    elif form.is_bound:
        claims, counted = form.filter(published)
    else:
        claims, counted = published, published
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    counts = verdict_counts(counted)
    biggest = max(counts.values(), default=0)
    chart = [
        {
            "rating": rating,
            "count": counts.get(key, 0),
            "width": round(100 * counts.get(key, 0) / biggest) if biggest else 0,
        }
        for key, rating in SCALE.items()
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("more", None)
    # A filtered selection (or a refused one) is a variant of the index; the index's own pages are pages of their own.
    variant = form.is_bound and (not form.is_valid() or form.is_filtered)
    canonical = reverse("claim-index") if variant else paged_path(reverse("claim-index"), page.number)
    share = _site_share(canonical, "Fact-checks", INDEX_DESCRIPTION)
    context = {"form": form, "page": page, "chart": chart, "query": query.urlencode(), "share": share}
    if wants_partial(request):
        # "Load more" asks for just the next page of items; filter changes swap the whole results area.
        template = "claims/claim_index.html#more" if request.GET.get("more") else "claims/claim_index.html#results"
    else:
        template = "claims/claim_index.html"
    return vary_on_htmx(render(request, template, context, status=status))


@public_page
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claims = Claim.objects.select_related("article", "author", "editor").prefetch_related(
        Prefetch("sources", queryset=Source.objects.order_by("position", "id")), "corrections"
    )
    claim = claims.filter(slug=slug).first()
    if claim is None:
        redirect = ClaimSlugRedirect.objects.select_related("claim").filter(old_slug=slug).first()
        if redirect and (redirect.claim.is_published or can_preview(request, "claim")):
            return HttpResponsePermanentRedirect(redirect.claim.get_absolute_url())
        raise Http404("No fact-check at this address.")
    is_preview = not claim.is_published
    if is_preview:
        if not can_preview(request, "claim"):
            raise Http404("No fact-check at this address.")
        mark_preview(request)
    sources = list(claim.sources.all())
    if claim.article and (claim.article.is_published or is_preview):
        article_url = claim.article.get_absolute_url()
        for source in sources:
            paragraph = claim.article.paragraph_containing(source.quote)
            source.article_passage_url = f"{article_url}#p{paragraph}" if paragraph else ""
    label = f"{claim.rating.label}: " if claim.rating else ""
    share = share_meta(
        path=claim.get_absolute_url(),
        title=f"{label}“{Truncator(claim.statement).chars(120)}”",
        description=claim.ruling,
        image_path=reverse("claim-card", kwargs={"slug": claim.slug}),
        image_alt=f"{label}{claim.statement}",
        type="article",
    )
    quiz = Quiz.objects.published().filter(questions__claim=claim).distinct().first()
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "sources": sources,
            "quiz": quiz,
            "share": share,
            "claim_review": json_ld(claim_review(claim, url=share.url)),
        },
    )


@public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    if not article.is_published:
        if not can_preview(request, "article"):
            raise Http404("No article at this address.")
        mark_preview(request)
    sources = Source.objects.filter(claim__article=article, claim__in=Claim.objects.published()).select_related("claim")
    quotes = [(source.quote, source.claim) for source in sources]
    return render(
        request,
        "claims/article_detail.html",
        {
            "article": article,
            "share": share_meta(
                path=article.get_absolute_url(),
                title=article.title,
                description=article.standfirst or article.title,
                image_path=reverse("article-card", kwargs={"slug": article.slug}),
                type="article",
            ),
            "paragraphs": mark_article(article.paragraphs, quotes),
            "claims": sorted({claim.pk: claim for _, claim in quotes}.values(), key=lambda c: c.statement),
            "quiz": Quiz.objects.published().filter(article=article).first(),
        },
    )


@public_page
def ratings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "claims/ratings.html",
        {
            "scale": list(SCALE.values()),
            "best": BEST_RATING,
            "share": _site_share(reverse("ratings"), "How we rate claims", RATINGS_DESCRIPTION),
        },
    )


@public_page
def corrections(request: HttpRequest) -> HttpResponse:
    items = Correction.objects.public().select_related("claim")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    share = _site_share(paged_path(reverse("corrections"), page.number), "Corrections", CORRECTIONS_DESCRIPTION)
    return render(request, "claims/corrections.html", {"page": page, "share": share})
