from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.models.articles import Article
from claims.models.publishing import Authored, PublishableQuerySet, Status
from claims.models.translations import Translatable, one_translation_per_language
from claims.verdicts import Rating, Verdict, rating_for


class ClaimQuerySet(PublishableQuerySet):
    def for_listing(self) -> ClaimQuerySet:
        return self.select_related("article")

    def newest_first(self) -> ClaimQuerySet:
        return self.order_by("-published_at", "-id")


# Paths under /claims/ that are pages of their own, not permalinks.
RESERVED_SLUGS = frozenset({"feed"})


def validate_claim_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            gettext("“%(value)s” is reserved for another page; choose another slug."),
            code="reserved_slug",
            params={"value": value},
        )


class Claim(Translatable, Authored):
    """A checkable statement that someone made, and our verdict on it."""

    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        validators=[validate_claim_slug],
        help_text=_(
            "The end of the permalink, e.g. “mexico-apprehensions” for /claims/mexico-apprehensions/. "
            "Renaming a published one keeps the old address redirecting."
        ),
    )
    statement = models.TextField(
        _("statement"), help_text=_("The statement as it was made: quote or paraphrase it as the source does.")
    )
    claimant = models.CharField(
        _("claimant"), max_length=200, help_text=_("Who made the statement, named as the source names them.")
    )
    claimant_is_organization = models.BooleanField(
        _("the claimant is an organisation"), default=False, help_text=_("For search engines: a person unless ticked.")
    )
    claimant_description = models.CharField(
        _("claimant description"),
        max_length=300,
        blank=True,
        help_text=_("Who they are, e.g. “the vice president's spokesperson”."),
    )
    said_where = models.CharField(
        _("where and when"),
        max_length=300,
        blank=True,
        help_text=_("As the source reports it, e.g. “in an email” or “told Reuters in April”. Leave empty if unknown."),
    )
    said_on = models.DateField(_("date said"), null=True, blank=True, help_text=_("Only when the exact date is known."))
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    ruling = models.TextField(
        _("the bottom line"),
        blank=True,
        help_text=_("One or two sentences: the verdict and why, for readers in a hurry."),
    )
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("The full reasoning, citing the sources by number.")
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        verbose_name=_("article"),
    )
    picture = models.ForeignKey(
        "claims.Picture",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("picture"),
        help_text=_("Shown below the statement, and on the share image."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(
        _("updated at"),
        null=True,
        blank=True,
        help_text=_("When readers were last told the fact-check changed substantively."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [one_translation_per_language("one_claim_translation_per_language")]
        # Permission names stay English: Django stores them in the database and does not translate them.
        permissions = [
            ("approve_claim", "Can approve a claim for publication"),
            ("publish_claim", "Can publish and unpublish claims"),
            ("record_correction", "Can change a published verdict or ruling with a correction"),
        ]

    def __str__(self) -> str:
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    def get_absolute_url(self) -> str:
        return reverse("claim-detail", kwargs={"slug": self.slug})

    @property
    def rating(self) -> Rating | None:
        return rating_for(self.verdict)

    @property
    def is_published(self) -> bool:
        """Whether readers can see it now: published, and not scheduled for a time still to come (as published())."""
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at <= timezone.now()

    def save(self, *args, **kwargs) -> None:
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)


class ClaimSlugRedirect(models.Model):
    """An old permalink slug, kept so that shared links answer 301 to the current one."""

    old_slug = models.SlugField(_("old slug"), max_length=100, unique=True)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="slug_redirects", verbose_name=_("claim"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("claim slug redirect")
        verbose_name_plural = _("claim slug redirects")

    def __str__(self) -> str:
        return f"/claims/{self.old_slug}/ → {self.claim.slug}"


class Source(models.Model):
    """A source cited by a fact-check, with the exact passage that is the evidence."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sources", verbose_name=_("claim"))
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sources are numbered in this order.")
    )
    publisher = models.CharField(_("publisher"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(
        _("URL"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty when the source has no public link; never guess one."),
    )
    published_on = models.DateField(_("date"), null=True, blank=True)
    quote = models.TextField(_("evidence quote"), help_text=_("An exact excerpt, copied word for word."))
    quotes_article = models.BooleanField(
        _("quoted from the article"),
        default=True,
        help_text=_(
            "Ticked: the quote is checked word for word against the fact-check's article. Untick for a "
            "quote from another source, which then needs its link or a reason it has none."
        ),
    )
    # Not a field: the link to the quoted passage in the article, set by the permalink view for its template.
    article_passage_url: str
    # Nor this: our translation of the quote, set by the permalink view of a translated claim.
    our_translation: str

    no_link_reason = models.CharField(
        _("no public link because"),
        max_length=300,
        blank=True,
        help_text=_("For a quote from another source without a public link, e.g. “a memo seen by the reporter”."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"
