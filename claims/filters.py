"""The claims index's filter form: verdict, article and a search, all in the URL."""

from __future__ import annotations

from django import forms
from django.db.models import Count, Q

from claims.models import Article, Claim
from claims.models.claims import ClaimQuerySet
from claims.verdicts import Verdict


class ClaimFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        strip=True,
        widget=forms.SearchInput(attrs={"placeholder": "Statement or who said it"}),
    )
    verdict = forms.ChoiceField(label="Verdict", required=False, choices=[("", "Any verdict"), *Verdict.choices])
    article = forms.ModelChoiceField(
        label="Article",
        required=False,
        queryset=Article.objects.none(),  # set per request: "published" compares with the current time
        to_field_name="slug",
        empty_label="Any article",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        article = self.fields["article"]
        assert isinstance(article, forms.ModelChoiceField)  # for the type checker: declared above
        article.queryset = (
            Article.objects.published().filter(claims__in=Claim.objects.published()).distinct().only("slug", "title")
        )

    def filter(self, claims: ClaimQuerySet) -> tuple[ClaimQuerySet, ClaimQuerySet]:
        """(claims matching every filter, claims matching all but the verdict: what the verdict chart counts)."""
        data = self.cleaned_data
        if data.get("q"):
            claims = claims.filter(Q(statement__icontains=data["q"]) | Q(claimant__icontains=data["q"]))
        if data.get("article"):
            claims = claims.filter(article=data["article"])
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
