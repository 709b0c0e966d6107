"""Reader pages: home, the claims index, claim permalinks and articles (quizzes: claims/views/quiz.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.caching import public_page
from claims.filters import ClaimFilterForm, verdict_counts
from claims.highlighting import mark_article
from claims.htmx import vary_on_htmx, wants_partial
from claims.models import Article, Claim, ClaimSlugRedirect, Correction, Page, PageKind, Quiz, Source
from claims.preview import can_preview, mark_preview
from claims.share_meta import ShareMeta, paged_path, share_meta
from claims.structured_data import json_ld, permalink
from claims.translated import alternates, for_readers_of, published_versions, url_in_own_language, version_for_reader
from claims.verdicts import BEST_RATING, SCALE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CLAIMS_PER_PAGE = 20
# What the pages about the whole site tell search engines and link previews.
HOME_TITLE = gettext_lazy("What was said, and what the evidence shows")
HOME_DESCRIPTION = gettext_lazy("Fact-checks and news quizzes: what was said, and what the evidence shows.")
INDEX_DESCRIPTION = gettext_lazy(
    "Every published fact-check, with its verdict. Filter by verdict or article, or search."
)
RATINGS_DESCRIPTION = gettext_lazy(
    "Our rating scale, what each verdict means, and how a fact-check is made and reviewed before it is published."
)
CORRECTIONS_DESCRIPTION = gettext_lazy("Every correction to our published fact-checks, newest first.")


def _site_share(path: str, title: StrOrPromise, description: StrOrPromise) -> ShareMeta:
    return share_meta(path=path, title=str(title), description=str(description), image_path=reverse("site-card"))


@public_page
def home(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    return render(
        request,
        "home.html",
        {
            "quiz": Quiz.objects.published().in_language(language).select_related("article").first(),
            "claims": Claim.objects.published().in_language(language).for_listing().newest_first()[:6],
            "share": _site_share(reverse("home"), HOME_TITLE, HOME_DESCRIPTION),
        },
    )


class CountedPaginator(Paginator):
    """A paginator told how many items there are (by a query the page makes anyway)."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@public_page
def claim_index(request: HttpRequest) -> HttpResponse:
    form = ClaimFilterForm(request.GET or None)
    # An item shows the badge, the statement, who said it and the date: no article, no explanation (a search
    # sorts all its matches before the first page, and narrower rows sort faster).
    published = (
        Claim.objects.published()
        .in_language(translation.get_language())
        .defer("explanation", "ruling", "claimant_description", "said_where")
        .newest_first()
    )
    status = 200
    if form.is_bound and not form.is_valid():
        claims, counted, status = published.none(), published.none(), 400
    elif form.is_bound:
        claims, counted = form.filter(published)
    else:
        claims, counted = published, published
    counts = verdict_counts(counted)
    # The chart's counts already add up to the listing's length: the paginator need not count again.
    verdict = form.cleaned_data.get("verdict") if form.is_bound and form.is_valid() else ""
    listed = counts.get(verdict, 0) if verdict else sum(counts.values())
    page = CountedPaginator(claims, CLAIMS_PER_PAGE, count=listed).get_page(request.GET.get("page"))
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
    share = _site_share(canonical, _("Fact-checks"), INDEX_DESCRIPTION)
    context = {
        "form": form,
        "page": page,
        "chart": chart,
        "query": query.urlencode(),
        "share": share,
        "search": form.search,
        # A search that found nothing leads to the tip line, the reader's words carried over.
        "tip_url": f"{reverse('tips')}?{urlencode({'q': form.search.text})}" if form.search else "",
    }
    if wants_partial(request):
        # "Load more" asks for just the next page of items; filter changes swap the whole results area.
        template = "claims/claim_index.html#more" if request.GET.get("more") else "claims/claim_index.html#results"
    else:
        template = "claims/claim_index.html"
    return vary_on_htmx(render(request, template, context, status=status))


def _other_version(request: HttpRequest, obj: Article | Claim) -> HttpResponse | None:
    """At another version's address in this page's language, the reader moves to that language's version."""
    language = translation.get_language()
    if obj.language == language or not obj.is_published:
        return None
    version = version_for_reader(obj, language)
    if version is None or version.pk == obj.pk:
        return None
    # Not permanent: a translation may be unpublished, and the address would then show the original again.
    return HttpResponseRedirect(version.get_absolute_url())


@public_page
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claims = Claim.objects.select_related("article", "author", "editor", "translation_of__article", "picture")
    claim = claims.filter(slug=slug).first()
    if claim is None:
        redirect = ClaimSlugRedirect.objects.select_related("claim").filter(old_slug=slug).first()
        if redirect and (redirect.claim.is_published or can_preview(request, "claim")):
            return HttpResponsePermanentRedirect(redirect.claim.get_absolute_url())
        raise Http404(_("No fact-check at this address."))
    is_preview = not claim.is_published
    if is_preview:
        if not can_preview(request, "claim"):
            raise Http404(_("No fact-check at this address."))
        mark_preview(request)
    if moved := _other_version(request, claim):
        return moved
    original = claim.original
    # A translation shows its original's sources and corrections, with our translation of each quote.
    sources = list(Source.objects.filter(claim=original).order_by("position", "id"))
    ours = dict(claim.quote_translations.values_list("source_id", "text")) if claim.is_translation else {}
    for source in sources:
        source.our_translation = ours.get(source.pk, "")
    if original.article and (original.article.is_published or is_preview):
        # The original's words hold the passage; shown under this page's interface (its own prefix).
        article_url = original.article.get_absolute_url()
        for source in sources:
            paragraph = original.article.paragraph_containing(source.quote)
            source.article_passage_url = f"{article_url}#p{paragraph}" if paragraph else ""
    corrections = list(
        Correction.objects.filter(claim__in={claim.pk, original.pk})
        .select_related("claim")
        .order_by("-created_at", "-id")
    )
    # Its address, its other languages' and its ClaimReview: what the DataFeed lists for it too.
    versions = published_versions(claim) if claim.is_published else []
    crawled = permalink(claim, versions=versions, corrections=corrections)
    with translation.override(claim.language):
        said = {"statement": Truncator(claim.statement).chars(120)}
        if claim.rating:
            said["verdict"] = claim.rating.label
            # Translators: a fact-check's title in link previews, e.g. "Mostly false: “Crime doubled last year”".
            title = _("%(verdict)s: “%(statement)s”") % said
            # Translators: the share image's text alternative: a verdict and the whole statement.
            image_alt = _("%(verdict)s: %(statement)s") % {**said, "statement": claim.statement}
        else:
            title, image_alt = _("“%(statement)s”") % said, claim.statement
    share = share_meta(
        path=crawled.path,
        title=title,
        description=claim.ruling,
        image_path=reverse("claim-card", kwargs={"slug": claim.slug}),
        image_alt=image_alt,
        type="article",
        alternates=crawled.alternates,
        language=claim.language,
    )
    quiz = Quiz.objects.published().filter(questions__claim=original).distinct().first()
    if quiz is not None:
        quiz = version_for_reader(quiz, translation.get_language()) or quiz
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "original": original,
            "sources": sources,
            "corrections": corrections,
            "quiz": quiz,
            "share": share,
            "claim_review": json_ld(crawled.review),
        },
    )


@public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("translation_of", "picture"), slug=slug)
    if not article.is_published:
        if not can_preview(request, "article"):
            raise Http404(_("No article at this address."))
        mark_preview(request)
    if moved := _other_version(request, article):
        return moved
    original = article.original
    language = translation.get_language()
    sources = Source.objects.filter(claim__article=original, claim__in=Claim.objects.published()).select_related(
        "claim"
    )
    # Passages are marked on the article's own words: the original's. A translated article lists the
    # fact-checks in its language but marks no passage, since its words are not the ones quoted.
    quotes = [(source.quote, source.claim) for source in sources] if not article.is_translation else []
    checked = {source.claim.pk: source.claim for source in sources}.values()
    claims = sorted(for_readers_of(list(checked), language), key=lambda c: c.statement)
    quiz = Quiz.objects.published().filter(article=original).first()
    return render(
        request,
        "claims/article_detail.html",
        {
            "article": article,
            "share": share_meta(
                path=url_in_own_language(article),
                title=article.title,
                description=article.standfirst or article.title,
                image_path=reverse("article-card", kwargs={"slug": article.slug}),
                type="article",
                alternates=alternates(article) if article.is_published else [],
                language=article.language,
            ),
            "paragraphs": mark_article(article.paragraphs, quotes),
            "claims": claims,
            "quiz": (version_for_reader(quiz, language) or quiz) if quiz else None,
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
            "share": _site_share(reverse("ratings"), _("How we rate claims"), RATINGS_DESCRIPTION),
        },
    )


@public_page
def corrections(request: HttpRequest) -> HttpResponse:
    items = Correction.objects.public().select_related("claim")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    share = _site_share(paged_path(reverse("corrections"), page.number), _("Corrections"), CORRECTIONS_DESCRIPTION)
    return render(request, "claims/corrections.html", {"page": page, "share": share})


@public_page
def funding(request: HttpRequest) -> HttpResponse:
    """Who owns and funds the organisation (as the IFCN's principles ask), in its editors' words."""
    language = translation.get_language()
    page = Page.objects.for_reader(PageKind.FUNDING, language)
    if page is None:
        # Nothing written yet: say so rather than leave the address (which the structured data names) empty.
        page = Page(
            kind=PageKind.FUNDING,
            language=language,
            title=str(PageKind.FUNDING.label),
            body=_("%(site)s has not yet published who owns and funds it.") % {"site": settings.SITE_NAME},
        )
    share = share_meta(
        path=reverse("funding"),
        title=page.title,
        description=page.body,
        image_path=reverse("site-card"),
        language=page.language,
    )
    return render(request, "claims/page.html", {"page": page, "share": share})
