"""What the API reads: published content only, as claims/api/schemas.py describes it.

No request in here: the views (claims/api/app.py) parse the request, call one of these, and return what it
gives. Each answer costs a constant number of queries, however many items a page lists: related rows are
joined or fetched in one query per kind, never one per item. Addresses are absolute, on SITE_URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from claims.api import schemas
from claims.api.errors import bad_parameter, from_form, not_found
from claims.api.pagination import InvalidCursor, Position, page_of
from claims.filters import ClaimFilterForm
from claims.models import Article, Claim, ClaimSlugRedirect, Correction, Question, Quiz, Source
from claims.quiz_pages import in_words_of
from claims.share_meta import site_url
from claims.translated import for_readers_of, published_versions, url_in_own_language, version_for_reader
from claims.verdicts import rating_for


class Moved(Exception):
    """An old address of a fact-check: the client should ask at `location`, for good."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def api_url(name: str, **kwargs: str) -> str:
    return site_url(reverse(f"api:{name}", kwargs=kwargs))


def _page_url(obj: Article | Claim | Quiz) -> str:
    return site_url(url_in_own_language(obj))


def _language(obj: Article | Claim | Quiz) -> schemas.LanguageCode:
    # A choice of settings.LANGUAGES, which LanguageCode spells out (tests/test_api.py checks they match).
    return cast(schemas.LanguageCode, obj.language)


def _verdict(key: str, language: str) -> schemas.Verdict | None:
    rating = rating_for(key)
    if rating is None:
        return None
    with translation.override(language):
        label = rating.label
    return schemas.Verdict(
        key=cast(schemas.VerdictKey, rating.key),  # the scale's keys, spelled out (tests/test_api.py checks them)
        label=label,
        rating_value=rating.value if rating.is_on_scale else None,
    )


def _versions(obj: Article | Claim | Quiz, api_name: str) -> list[schemas.Version]:
    return [
        schemas.Version(language=_language(v), slug=v.slug, url=_page_url(v), api_url=api_url(api_name, slug=v.slug))
        for v in published_versions(obj)
    ]


def _published_slug(article: Article | None) -> str | None:
    return article.slug if article is not None and article.is_published else None


def _next(name: str, parameters: schemas.Paging, after: Position | None) -> dict[str, str | None]:
    """The next page's cursor and address: the parameters as read (not as sent: no junk is echoed)."""
    if after is None:
        return {"next": None, "next_cursor": None}
    cursor = after.encode()
    query = parameters.model_dump(exclude_defaults=True, exclude={"cursor"}) | {"cursor": cursor}
    return {"next": f"{api_url(name)}?{urlencode(query)}", "next_cursor": cursor}


def _page[M: Model](
    queryset: QuerySet[M], parameters: schemas.Paging, *, moment: str = "published_at"
) -> tuple[Sequence[M], Position | None]:
    try:
        return page_of(queryset, moment=moment, cursor=parameters.cursor, limit=parameters.limit)
    except InvalidCursor:
        raise bad_parameter(
            "cursor", _("This is not a cursor the API gave. Use a page's next_cursor, or leave it out.")
        ) from None


def _claim_fields(claim: Claim) -> dict:
    """A claim's summary; its article joined (select_related) by the caller."""
    return {
        "slug": claim.slug,
        "language": claim.language,
        "statement": claim.statement,
        "claimant": claim.claimant,
        "verdict": _verdict(claim.verdict, claim.language),
        "ruling": claim.ruling,
        "published_at": claim.published_at,
        "updated_at": claim.updated_at,
        "article": _published_slug(claim.article),
        "url": _page_url(claim),
        "api_url": api_url("claim", slug=claim.slug),
    }


def _claim_link(claim: Claim) -> schemas.ClaimLink:
    return schemas.ClaimLink(
        language=_language(claim),
        slug=claim.slug,
        statement=claim.statement,
        url=_page_url(claim),
        api_url=api_url("claim", slug=claim.slug),
    )


def _correction_fields(correction: Correction) -> dict:
    """A correction, in the language of the fact-check it was made on (joined by the caller)."""
    language = correction.claim.language
    return {
        "id": correction.pk,
        "created_at": correction.created_at,
        "note": correction.note,
        "language": language,
        "verdict_changed": correction.verdict_changed,
        "previous_verdict": _verdict(correction.previous_verdict, language),
        "verdict": _verdict(correction.verdict, language),
        "url": f"{_page_url(correction.claim)}#correction-{correction.pk}",
    }


def claims_page(filters: schemas.ClaimFilters) -> schemas.ClaimPage:
    """The claims index's listing in `filters.lang` (as /claims/ or /es/claims/ shows it), filtered as it is:
    newest first, or with a search the most relevant first (the cursor keeps that order)."""
    with translation.override(filters.lang):
        # The index's own form: the same filters, and its messages for a value it refuses.
        form = ClaimFilterForm({"q": filters.q, "verdict": filters.verdict or "", "article": filters.article or ""})
        if not form.is_valid():
            raise from_form(form.errors)
        listed = Claim.objects.published().in_language(filters.lang).for_listing()
        claims, _counted = form.filter(listed)
        rows, after = _page(claims, filters)
    return schemas.ClaimPage(items=[schemas.Claim(**_claim_fields(c)) for c in rows], **_next("claims", filters, after))


def claim_detail(slug: str) -> schemas.ClaimDetail:
    claim = Claim.objects.published().select_related("article", "translation_of").filter(slug=slug).first()
    if claim is None:
        moved = ClaimSlugRedirect.objects.filter(old_slug=slug, claim__in=Claim.objects.published())
        new_slug = moved.values_list("claim__slug", flat=True).first()
        if new_slug is not None:
            raise Moved(api_url("claim", slug=new_slug))
        raise not_found(_("No fact-check at this address."))
    original = claim.original
    # A translation shows its original's sources and corrections, with our translation of each quote.
    ours = dict(claim.quote_translations.values_list("source_id", "text")) if claim.is_translation else {}
    sources = [
        schemas.Source(
            number=number,
            publisher=source.publisher,
            title=source.title,
            url=source.url or None,
            no_link_reason=source.no_link_reason,
            published_on=source.published_on,
            quote=source.quote,
            quote_language=_language(original),
            quotes_article=source.quotes_article,
            quote_translation=ours.get(source.pk) or None,
        )
        for number, source in enumerate(Source.objects.filter(claim=original).order_by("position", "id"), start=1)
    ]
    corrections = (
        Correction.objects.filter(claim__in={claim.pk, original.pk})
        .select_related("claim")
        .order_by("-created_at", "-id")
    )
    return schemas.ClaimDetail(
        **_claim_fields(claim),
        claimant_is_organization=claim.claimant_is_organization,
        claimant_description=claim.claimant_description,
        said_where=claim.said_where,
        said_on=claim.said_on,
        explanation=claim.explanation,
        sources=sources,
        corrections=[schemas.Correction(**_correction_fields(c)) for c in corrections],
        translations=_versions(claim, "claim"),
    )


def _article_fields(article: Article) -> dict:
    return {
        "slug": article.slug,
        "language": article.language,
        "title": article.title,
        "standfirst": article.standfirst,
        "publisher": article.publisher,
        "byline": article.byline,
        "source_url": article.url or None,
        "published_on": article.published_on,
        "published_at": article.published_at,
        "url": _page_url(article),
        "api_url": api_url("article", slug=article.slug),
    }


def articles_page(parameters: schemas.InLanguage) -> schemas.ArticlePage:
    rows, after = _page(Article.objects.published().in_language(parameters.lang), parameters)
    items = [schemas.Article(**_article_fields(a)) for a in rows]
    return schemas.ArticlePage(items=items, **_next("articles", parameters, after))


def article_detail(slug: str) -> schemas.ArticleDetail:
    article = Article.objects.published().select_related("translation_of").filter(slug=slug).first()
    if article is None:
        raise not_found(_("No article at this address."))
    original = article.original
    # The fact-checks drawn from it, each in the article's language where it is translated (as its page lists them).
    drawn = list(Claim.objects.published().filter(article=original, translation_of__isnull=True))
    claims = sorted(for_readers_of(drawn, article.language), key=lambda c: c.statement)
    quiz = Quiz.objects.published().filter(article=original, translation_of__isnull=True).first()
    if quiz is not None:
        quiz = version_for_reader(quiz, article.language) or quiz
    return schemas.ArticleDetail(
        **_article_fields(article),
        paragraphs=article.paragraphs,
        claims=[_claim_link(c) for c in claims],
        quiz=_quiz_link(quiz) if quiz is not None else None,
        translations=_versions(article, "article"),
    )


def _quiz_link(quiz: Quiz) -> schemas.QuizLink:
    return schemas.QuizLink(
        language=_language(quiz),
        slug=quiz.slug,
        title=quiz.title,
        url=_page_url(quiz),
        api_url=api_url("quiz", slug=quiz.slug),
    )


def _quiz_fields(quiz: Quiz, question_count: int) -> dict:
    return {
        "slug": quiz.slug,
        "language": quiz.language,
        "title": quiz.title,
        "intro": quiz.intro,
        "article": _published_slug(quiz.article),
        "question_count": question_count,
        "published_at": quiz.published_at,
        "url": _page_url(quiz),
        "api_url": api_url("quiz", slug=quiz.slug),
    }


def quizzes_page(parameters: schemas.InLanguage) -> schemas.QuizPage:
    # A translated quiz asks its original's questions: count those.
    questions = (
        Question.objects.filter(quiz=Coalesce(OuterRef("translation_of"), OuterRef("pk")))
        .order_by()
        .values("quiz")
        .annotate(n=Count("pk"))
        .values("n")
    )
    quizzes = (
        Quiz.objects.published()
        .in_language(parameters.lang)
        .select_related("article")
        .annotate(question_count=Coalesce(Subquery(questions, output_field=IntegerField()), 0))
    )
    rows, after = _page(quizzes, parameters)
    items = [schemas.Quiz(**_quiz_fields(q, q.question_count)) for q in rows]  # type: ignore[attr-defined]
    return schemas.QuizPage(items=items, **_next("quizzes", parameters, after))


def quiz_detail(slug: str) -> schemas.QuizDetail:
    quiz = Quiz.objects.published().select_related("article", "translation_of").filter(slug=slug).first()
    original = quiz.original if quiz is not None else None
    # A translation is public while it and its original both are (as on the quiz's pages).
    if quiz is None or original is None or not original.is_published:
        raise not_found(_("No quiz at this address."))
    questions = list(original.questions.prefetch_related("choices"))
    if quiz.is_translation:
        in_words_of(quiz.pk, questions)
    # The choices' words only: never which one is right, nor the explanation or backing fact-check that would say so.
    asked = [
        schemas.Question(
            number=number,
            kind="number" if question.is_number else "choice",
            prompt=question.prompt,
            choices=[schemas.Choice(text=choice.text) for choice in question.choices.all()],
            guess=schemas.GuessRange(
                min=float(question.number_min),
                max=float(question.number_max),
                step=float(question.number_step),
                unit=question.number_unit,
            )
            if question.is_number and None not in (question.number_min, question.number_max, question.number_step)
            else None,
        )
        for number, question in enumerate(questions, start=1)
    ]
    return schemas.QuizDetail(**_quiz_fields(quiz, len(asked)), questions=asked, translations=_versions(quiz, "quiz"))


def corrections_page(parameters: schemas.Paging) -> schemas.CorrectionPage:
    corrections = Correction.objects.public().select_related("claim")
    rows, after = _page(corrections, parameters, moment="created_at")
    items = [schemas.CorrectionListed(**_correction_fields(c), claim=_claim_link(c.claim)) for c in rows]
    return schemas.CorrectionPage(items=items, **_next("corrections", parameters, after))


def index() -> schemas.Index:
    return schemas.Index(
        claims=api_url("claims"),
        articles=api_url("articles"),
        quizzes=api_url("quizzes"),
        corrections=api_url("corrections"),
        schema_url=api_url("openapi-json"),
        docs=api_url("openapi-view"),
    )
