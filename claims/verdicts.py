"""The published rating scale.

The scale is fixed in code rather than editable in the admin: readers are
told what each verdict means on the methodology page, and a verdict's meaning
must not drift under claims that were rated with it.

ClaimReview mapping (schema.org `reviewRating`): the five truth verdicts are
rated 1 (False, `worstRating`) to 5 (True, `bestRating`). Unproven is not a
point on that scale; its value is 0 and it is published with `alternateName`
only, without a `ratingValue`.

In Spanish (locale/es/LC_MESSAGES/django.po): Verdadero, Mayormente verdadero,
Verdad a medias, Mayormente falso, Falso, Sin pruebas suficientes. "Mayormente
verdadero/falso" are the labels of PolitiFact's Spanish edition; "Verdad a
medias" is everyday Spanish for a half-truth; "Sin pruebas suficientes" says what
Unproven means. The ClaimReview of a Spanish permalink names its verdict in Spanish.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Verdict(models.TextChoices):
    # The context keeps the labels apart from other "True" and "False" (a checkbox, a yes/no answer).
    TRUE = "true", pgettext_lazy("verdict", "True")
    MOSTLY_TRUE = "mostly-true", pgettext_lazy("verdict", "Mostly true")
    HALF_TRUE = "half-true", pgettext_lazy("verdict", "Half true")
    MOSTLY_FALSE = "mostly-false", pgettext_lazy("verdict", "Mostly false")
    FALSE = "false", pgettext_lazy("verdict", "False")
    UNPROVEN = "unproven", pgettext_lazy("verdict", "Unproven")


@dataclass(frozen=True)
class Rating:
    verdict: Verdict
    meaning: StrOrPromise  # lazy: translated when read (`definition`), in the language of the page
    value: int
    colour: str  # badge background; white badge text meets WCAG AA on each
    icon: str  # the shape drawn beside the label, so colour is never the only signal

    @property
    def key(self) -> str:
        return self.verdict.value

    @property
    def definition(self) -> str:
        """What the verdict means, in the active language."""
        return str(self.meaning)

    @property
    def label(self) -> str:
        """The verdict's name in the active language, as a plain string (for text, JSON-LD and images)."""
        return str(self.verdict.label)

    @property
    def is_on_scale(self) -> bool:
        return self.value >= WORST_RATING


BEST_RATING = 5
WORST_RATING = 1

SCALE: dict[str, Rating] = {
    r.key: r
    for r in (
        Rating(Verdict.TRUE, _("The statement is accurate and nothing significant is missing."), 5, "#17693a", "check"),
        Rating(
            Verdict.MOSTLY_TRUE,
            _("The statement is accurate but needs clarification or additional information."),
            4,
            "#3f6e12",
            "check",
        ),
        Rating(
            Verdict.HALF_TRUE,
            _("The statement is partially accurate but leaves out important details or takes things out of context."),
            3,
            "#8a5a00",
            "half",
        ),
        Rating(
            Verdict.MOSTLY_FALSE,
            _("The statement contains an element of truth but ignores facts that would give a different impression."),
            2,
            "#a4410e",
            "cross",
        ),
        Rating(Verdict.FALSE, _("The statement is not accurate."), 1, "#b3261e", "cross"),
        Rating(
            Verdict.UNPROVEN,
            _("The evidence available does not allow the statement to be confirmed or refuted."),
            0,
            "#555b63",
            "question",
        ),
    )
}


def rating_for(verdict: str) -> Rating | None:
    return SCALE.get(verdict)
