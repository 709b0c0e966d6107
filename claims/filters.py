"""The claims index's filter form: verdict, article and a search (claims/search/), all in the URL."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from claims.models import Article, Claim
from claims.models.claims import ClaimQuerySet
from claims.search import NO_SEARCH, Search, parse
from claims.translated import version_for_reader
from claims.verdicts import Verdict


class ArticleSelect(forms.Select):
    """An article's title marked with its language where it is not the page's (an original not yet translated)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        article = getattr(value, "instance", None)
        if isinstance(article, Article) and article.language != translation.get_language():
            option["attrs"]["lang"] = article.language
        return option


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class ArticleField(forms.ModelChoiceField):
    """Lists the articles in the page's language; accepts any published version's slug (an English link
    followed into Spanish keeps its filter), and gives the article as the page's language has it."""

    def to_python(self, value: Any) -> Article | None:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            # Only a well-formed slug is looked up again: junk (a NUL byte) is refused before any query.
            if not (isinstance(value, str) and len(value) <= 100 and SLUG.fullmatch(value)):
                raise
            other = Article.objects.published().filter(slug=value).first()
            if other is None:
                raise
            return version_for_reader(other.original, translation.get_language()) or other.original


class ClaimFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.SearchInput(attrs={"placeholder": _("Statement or who said it")}),
    )
    verdict = forms.ChoiceField(label=_("Verdict"), required=False, choices=[("", _("Any verdict")), *Verdict.choices])
    article = ArticleField(
        label=_("Article"),
        required=False,
        queryset=Article.objects.none(),  # set per request: "published" compares with the current time
        to_field_name="slug",
        empty_label=_("Any article"),
        widget=ArticleSelect,
    )

    search: Search = NO_SEARCH

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        article = self.fields["article"]
        assert isinstance(article, forms.ModelChoiceField)  # for the type checker: declared above
        article.queryset = (
            Article.objects.published()
            .in_language(translation.get_language())
            .filter(Exists(Claim.objects.published().filter(article=OuterRef("pk"))))
            .only("slug", "title", "language")
        )

    def filter(self, claims: ClaimQuerySet) -> tuple[ClaimQuerySet, ClaimQuerySet]:
        """(claims matching every filter, claims matching all but the verdict: what the verdict chart counts).
        With a search, the first is ranked by relevance, then recency; `self.search` highlights the matches."""
        data = self.cleaned_data
        if data.get("q"):
            self.search = parse(data["q"])
            claims = cast(ClaimQuerySet, self.search.filter(claims))
        if data.get("article"):
            # Every version of the article: a fact-check's translation points at the article in its language
            # once that is published, and at the original until then.
            original = data["article"].original
            claims = claims.filter(Q(article=original) | Q(article__translation_of=original))
        counted = claims
        if data.get("verdict"):
            claims = claims.filter(verdict=data["verdict"])
        return claims, counted

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("q", "verdict", "article"))


def verdict_counts(claims: ClaimQuerySet) -> dict[str, int]:
    rows = claims.order_by().values("verdict").annotate(n=Count("id"))
    return {row["verdict"]: row["n"] for row in rows}
