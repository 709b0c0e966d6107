"""What the API takes and answers, as typed schemas.

django-ninja builds the OpenAPI document (/api/schema/) from these classes and validates every answer
against them before sending it, so the document describes exactly what is served (tests/test_api.py
checks every endpoint's answers against the served document). Descriptions are for developers, in English.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel, model_validator

# The site's languages and verdict keys, spelled out so that the schema lists them (tests/test_api.py checks
# that they match settings.LANGUAGES and claims.verdicts.Verdict).
LanguageCode = Literal["en", "es"]
VerdictKey = Literal["true", "mostly-true", "half-true", "mostly-false", "false", "unproven"]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
CURSOR_MAX_LENGTH = 200


class Parameters(BaseModel):
    """Query parameters: an empty value is the same as leaving the parameter out, as in the index's form.

    A plain pydantic model: django-ninja's Schema would hand the validator below an object, not the values."""

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {name: value for name, value in data.items() if value != ""}
        return data


class Paging(Parameters):
    cursor: str | None = Field(
        None,
        max_length=CURSOR_MAX_LENGTH,
        description="Where the page starts: the `next_cursor` of the page before. Leave it out for the first page.",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items a page holds.")


class InLanguage(Paging):
    lang: LanguageCode = Field(
        "en",
        description=(
            "Each item once, as readers of this language see it: its version in the language where one is "
            "published, else the original."
        ),
    )


class ClaimFilters(InLanguage):
    verdict: VerdictKey | None = Field(None, description="Only fact-checks with this verdict.")
    article: str | None = Field(
        None, max_length=100, description="Only fact-checks drawn from the article with this slug (any language's)."
    )
    q: str = Field(
        "",
        max_length=200,
        description=(
            "Search the fact-checks as /claims/?q= does (statement, who said it, bottom line, explanation; word forms "
            "in English and Spanish, typos forgiven): the most relevant first, then the newest."
        ),
    )


class Problem(Schema):
    parameter: str | None = Field(description="The query or path parameter at fault, if one is.")
    message: str = Field(description="What is wrong, in the language asked for with `lang` (English by default).")


class Error(Schema):
    detail: list[Problem]


class Verdict(Schema):
    key: VerdictKey
    label: str = Field(description="The verdict's name, in the item's language.")
    rating_value: int | None = Field(
        description=(
            "schema.org ClaimReview `ratingValue`: 1 (False) to 5 (True). Null for Unproven, which is not on the "
            "scale and is published with `alternateName` only."
        )
    )


class Version(Schema):
    language: LanguageCode
    slug: str
    url: str = Field(description="The page, absolute.")
    api_url: str


class ClaimLink(Version):
    statement: str


class Claim(Schema):
    slug: str
    language: LanguageCode = Field(description="The language it is written in.")
    statement: str = Field(description="The statement as it was made.")
    claimant: str = Field(description="Who made it.")
    verdict: Verdict | None
    ruling: str = Field(description="The bottom line: the verdict and why, in a sentence or two.")
    published_at: datetime
    updated_at: datetime | None = Field(description="When readers were last told it changed substantively.")
    article: str | None = Field(description="The slug of the article it is drawn from, if that is published.")
    url: str = Field(description="The permalink, absolute, under its own language's prefix.")
    api_url: str


class Source(Schema):
    number: int = Field(description="Sources are numbered from 1, as on the permalink.")
    publisher: str
    title: str
    url: str | None = Field(description="Null when the source has no public link (never a guessed one).")
    no_link_reason: str = Field(description="Why a source quoted from elsewhere has no public link, if it has none.")
    published_on: date | None
    quote: str = Field(description="The evidence: an exact excerpt, verbatim in the source's language.")
    quote_language: LanguageCode
    quotes_article: bool = Field(description="The quote is from the fact-check's article, checked word for word.")
    quote_translation: str | None = Field(
        description="On a translated fact-check, our translation of the quote (marked as ours to readers)."
    )


class Correction(Schema):
    id: int
    created_at: datetime
    note: str = Field(description="What changed and why, plain text.")
    language: LanguageCode = Field(description="The language of the note: that of the fact-check it was made on.")
    verdict_changed: bool
    previous_verdict: Verdict | None
    verdict: Verdict | None
    url: str = Field(description="The correction on the permalink, absolute.")


class ClaimDetail(Claim):
    claimant_is_organization: bool
    claimant_description: str
    said_where: str = Field(description="Where and when it was said, as the source reports it.")
    said_on: date | None = Field(description="Only when the exact date is known.")
    explanation: str = Field(description="The full reasoning, plain text; blank lines separate paragraphs.")
    sources: list[Source] = Field(description="A translation shows its original's sources.")
    corrections: list[Correction] = Field(description="Newest first, the original's included for a translation.")
    translations: list[Version] = Field(description="Every published version, the original first, this one included.")


class CorrectionListed(Correction):
    claim: ClaimLink


class Article(Schema):
    slug: str
    language: LanguageCode
    title: str
    standfirst: str
    publisher: str
    byline: str
    source_url: str | None = Field(description="The article's own address at its publisher, if it has a public one.")
    published_on: date | None = Field(description="When the publisher published it.")
    published_at: datetime = Field(description="When we published it.")
    url: str
    api_url: str


class QuizLink(Version):
    title: str


class ArticleDetail(Article):
    paragraphs: list[str]
    claims: list[ClaimLink] = Field(description="The published fact-checks drawn from it, in its language.")
    quiz: QuizLink | None
    translations: list[Version]


class Quiz(Schema):
    slug: str
    language: LanguageCode
    title: str
    intro: str
    article: str | None
    question_count: int
    published_at: datetime
    url: str
    api_url: str


class Choice(Schema):
    text: str


class GuessRange(Schema):
    min: float
    max: float
    step: float = Field(description="The slider's step; a typed guess may be anything in the range.")
    unit: str = Field(description="Shown after the number, e.g. “people a day”; may be empty.")


class Question(Schema):
    number: int = Field(description="1-based, as in the quiz's address /quizzes/<slug>/q/<number>/.")
    kind: Literal["choice", "number"] = Field(
        description="`choice`: pick one of `choices`; `number`: guess a number in `guess` (no choices)."
    )
    prompt: str
    choices: list[Choice] = Field(description="In the order readers see them. Which one is right is not told here.")
    guess: GuessRange | None = Field(
        description="A number guess's range, for `kind` number; null otherwise. The true value is not told here."
    )


class QuizDetail(Quiz):
    questions: list[Question]
    translations: list[Version]


class Page(Schema):
    next: str | None = Field(description="The address of the next page, absolute; null on the last page.")
    next_cursor: str | None = Field(description="The `cursor` of the next page; null on the last page.")


class ClaimPage(Page):
    items: list[Claim]


class ArticlePage(Page):
    items: list[Article]


class QuizPage(Page):
    items: list[Quiz]


class CorrectionPage(Page):
    items: list[CorrectionListed]


class Index(Schema):
    claims: str
    articles: str
    quizzes: str
    corrections: str
    schema_url: str = Field(description="This API's OpenAPI 3.1 document.")
    docs: str = Field(description="The browsable documentation.")
