"""The API's endpoints: each parses its parameters (django-ninja, from claims/api/schemas.py), calls one read of
claims/api/reads.py and returns what it gives; django-ninja checks the answer against the schema and renders it.

Read-only: every route takes GET (and HEAD) only (claims/api/urls.py). What every answer gets besides (CORS, the
rate limit, ETags, Cache-Control, the cache) is in claims/api/http.py.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.errors import ValidationError

from claims.api import reads, schemas
from claims.api.docs import Docs
from claims.api.errors import ApiError, from_validation
from claims.api.http import error_response
from claims.api.schemas import MAX_LIMIT

DESCRIPTION = f"""
Published fact-checks, the articles they are drawn from, quizzes and corrections, as JSON. Read-only and public:
no key, CORS for any origin.

**Languages.** Each item is written in one language (`language`) and has its own slug; `translations` lists every
published version. Lists take `lang` (`en` by default): each item once, in that language where it is translated.

**Pagination.** Lists are newest first, `limit` items a page (at most {MAX_LIMIT}). `next` is the next page's
address and `next_cursor` its `cursor`; both are null on the last page.

**Caching.** Answers carry an `ETag` (send it back in `If-None-Match` for a 304) and `Cache-Control: public,
max-age=60`.

**Limits.** {settings.API_RATE.split("/")[0]} requests per client address every {settings.API_RATE.split("/")[1]}
seconds; past that, a 429 with `Retry-After`.

**Errors.** `{{"detail": [{{"parameter": "verdict", "message": "…"}}]}}`, with the parameter at fault when there is
one: 400 for a parameter that is not valid, 404 for an address with nothing published.
"""

api = NinjaAPI(
    title=f"{settings.SITE_NAME} API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    docs=Docs(),
)

# What any answer may be besides its 200: a 304 to a conditional GET, a 400 (a parameter that is not valid, or
# a malformed request), a 429 (claims/api/http.py); and for one item, a 404.
ANY = {304: None, 400: schemas.Error, 429: schemas.Error}
ONE = {**ANY, 404: schemas.Error}


@api.exception_handler(ApiError)
def _refused(request: HttpRequest, error: ApiError) -> HttpResponse:
    return error_response(error.status, error.problems)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    refused = from_validation(error.errors)
    return error_response(refused.status, refused.problems)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return error_response(404, [(None, _("There is nothing at this address."))])


@api.exception_handler(reads.Moved)
def _moved(request: HttpRequest, moved: reads.Moved) -> HttpResponse:
    return HttpResponsePermanentRedirect(moved.location)


@api.get("/", response={200: schemas.Index, **ANY}, url_name="index", summary="Where everything is")
def index(request: HttpRequest) -> schemas.Index:
    return reads.index()


@api.get(
    "/claims/",
    response={200: schemas.ClaimPage, **ANY},
    url_name="claims",
    summary="Fact-checks",
    tags=["Fact-checks"],
)
def claims(request: HttpRequest, filters: Query[schemas.ClaimFilters]) -> schemas.ClaimPage:
    """Published fact-checks, newest first: the claims index's filters and search."""
    return reads.claims_page(filters)


@api.get(
    "/claims/{slug:slug}/",
    response={200: schemas.ClaimDetail, 301: None, **ONE},
    url_name="claim",
    summary="One fact-check",
    tags=["Fact-checks"],
)
def claim(request: HttpRequest, slug: str) -> schemas.ClaimDetail:
    """One fact-check, with its sources and their evidence quotes, corrections and translations.

    A slug it had before answers 301 to its current address."""
    return reads.claim_detail(slug)


@api.get(
    "/articles/",
    response={200: schemas.ArticlePage, **ANY},
    url_name="articles",
    summary="Articles",
    tags=["Articles"],
)
def articles(request: HttpRequest, parameters: Query[schemas.InLanguage]) -> schemas.ArticlePage:
    """Published articles, newest first."""
    return reads.articles_page(parameters)


@api.get(
    "/articles/{slug:slug}/",
    response={200: schemas.ArticleDetail, **ONE},
    url_name="article",
    summary="One article",
    tags=["Articles"],
)
def article(request: HttpRequest, slug: str) -> schemas.ArticleDetail:
    """One article: its text, the fact-checks drawn from it and its quiz."""
    return reads.article_detail(slug)


@api.get("/quizzes/", response={200: schemas.QuizPage, **ANY}, url_name="quizzes", summary="Quizzes", tags=["Quizzes"])
def quizzes(request: HttpRequest, parameters: Query[schemas.InLanguage]) -> schemas.QuizPage:
    """Published quizzes, newest first."""
    return reads.quizzes_page(parameters)


@api.get(
    "/quizzes/{slug:slug}/",
    response={200: schemas.QuizDetail, **ONE},
    url_name="quiz",
    summary="One quiz",
    tags=["Quizzes"],
)
def quiz(request: HttpRequest, slug: str) -> schemas.QuizDetail:
    """One quiz: its questions and their choices, without which choice is right."""
    return reads.quiz_detail(slug)


@api.get(
    "/corrections/",
    response={200: schemas.CorrectionPage, **ANY},
    url_name="corrections",
    summary="Corrections",
    tags=["Corrections"],
)
def corrections(request: HttpRequest, parameters: Query[schemas.Paging]) -> schemas.CorrectionPage:
    """Every correction to a published fact-check, newest first."""
    return reads.corrections_page(parameters)
