"""Pictures: an image uploaded by an editor, with its text alternative and credit, stored in a few widths.

A picture is made once, from a checked upload, by the editorial action `picture_create`
(claims/editorial/pictures.py; the checks and the resizing are claims/pictures.py) and never changed
afterwards: readers see its alt text and credit on published pages, which change only through review,
so a wrong alt text is fixed by uploading the picture again and choosing the new one on the article,
fact-check or question (a change that goes through that item's review). Articles, claims and questions
point at it; a picture in use cannot be deleted (PROTECT).
"""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rendition(TypedDict):
    """One stored size of a picture: its width and height in pixels, "webp" or "jpeg", and its storage name."""

    width: int
    height: int
    format: str
    name: str


def storage_url(name: str) -> str:
    return storages["default"].url(name)


class Picture(models.Model):
    key = models.CharField(
        _("key"), max_length=64, db_index=True, editable=False, help_text=_("The digest its files are named after.")
    )
    original = models.CharField(
        _("original file"),
        max_length=255,
        editable=False,
        help_text=_("The upload at full size, re-encoded without its metadata."),
    )
    alt_text = models.CharField(
        _("text alternative"),
        max_length=250,
        error_messages={"blank": _("Say what the picture shows, for readers who cannot see it.")},
        help_text=_(
            "What the picture shows, for readers who cannot see it, in a sentence: “Border agents process "
            "migrants at a crossing in El Paso”. Not “Photo of…”."
        ),
    )
    credit = models.CharField(
        _("credit"),
        max_length=120,
        error_messages={"blank": _("Credit the picture: who made it, and who holds the rights.")},
        help_text=_("Who made it and who holds the rights, as the licence asks: “Jane Doe/Reuters”."),
    )
    language = models.CharField(
        _("language of the text alternative"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    # Every stored size, smallest first: [{"width", "height", "format", "name"}, …] (claims/pictures.py).
    renditions = models.JSONField(_("renditions"), default=list, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self) -> str:
        return self.alt_text if len(self.alt_text) <= 60 else self.alt_text[:59] + "…"

    def _of(self, fmt: str) -> list[Rendition]:
        return [r for r in self.renditions if r["format"] == fmt]

    def srcset(self, fmt: str) -> str:
        return ", ".join(f"{storage_url(r['name'])} {r['width']}w" for r in self._of(fmt))

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def fallback(self) -> Rendition:
        """The largest JPEG: the `src` of browsers that read no srcset, and what the share cards are drawn from."""
        return self._of("jpeg")[-1]

    @property
    def fallback_url(self) -> str:
        return storage_url(self.fallback["name"])

    @property
    def file_names(self) -> list[str]:
        return [self.original, *(r["name"] for r in self.renditions)]
