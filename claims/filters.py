"""The claims index's filter form: verdict, article and a search, all in the URL."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from claims.models import Article, Claim
from claims.models.claims import ClaimQuerySet
from claims.verdicts import Verdict


class ArticleSelect(forms.Select):
    """An article's title marked with its language where it is not the page's (an original not yet translated)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        article = getattr(value, "instance", None)
        if isinstance(article, Article) and article.language != translation.get_language():
            option["attrs"]["lang"] = article.language
        return option


class ClaimFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.SearchInput(attrs={"placeholder": _("Statement or who said it")}),
    )
    verdict = forms.ChoiceField(label=_("Verdict"), required=False, choices=[("", _("Any verdict")), *Verdict.choices])
    article = forms.ModelChoiceField(
        label=_("Article"),
        required=False,
        queryset=Article.objects.none(),  # set per request: "published" compares with the current time
        to_field_name="slug",
        empty_label=_("Any article"),
        widget=ArticleSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        article = self.fields["article"]
        assert isinstance(article, forms.ModelChoiceField)  # for the type checker: declared above
        article.queryset = (
            Article.objects.published()
            .in_language(translation.get_language())
            .filter(claims__in=Claim.objects.published())
            .distinct()
            .only("slug", "title", "language")
        )

    def filter(self, claims: ClaimQuerySet) -> tuple[ClaimQuerySet, ClaimQuerySet]:
        """(claims matching every filter, claims matching all but the verdict: what the verdict chart counts)."""
        data = self.cleaned_data
        if data.get("q"):
            claims = claims.filter(Q(statement__icontains=data["q"]) | Q(claimant__icontains=data["q"]))
        if data.get("article"):
            # A translated article's fact-checks may still point at its original, until they are translated too.
            article = data["article"]
            claims = claims.filter(Q(article=article) | Q(article=article.translation_of_id))
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
