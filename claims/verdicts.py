"""The published rating scale.

The scale is fixed in code rather than editable in the admin: readers are
told what each verdict means on the methodology page, and a verdict's meaning
must not drift under claims that were rated with it.

ClaimReview mapping (schema.org `reviewRating`): the five truth verdicts are
rated 1 (False, `worstRating`) to 5 (True, `bestRating`). Unproven is not a
point on that scale; its value is 0 and it is published with `alternateName`
only, without a `ratingValue`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Verdict(models.TextChoices):
    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly-true", "Mostly true"
    HALF_TRUE = "half-true", "Half true"
    MOSTLY_FALSE = "mostly-false", "Mostly false"
    FALSE = "false", "False"
    UNPROVEN = "unproven", "Unproven"


@dataclass(frozen=True)
class Rating:
    verdict: Verdict
    definition: str
    value: int
    colour: str  # badge background; white badge text meets WCAG AA on each
    icon: str  # the shape drawn beside the label, so colour is never the only signal

    @property
    def key(self) -> str:
        return self.verdict.value

    @property
    def label(self) -> str:
        return self.verdict.label

    @property
    def is_on_scale(self) -> bool:
        return self.value >= WORST_RATING


BEST_RATING = 5
WORST_RATING = 1

SCALE: dict[str, Rating] = {
    r.key: r
    for r in (
        Rating(Verdict.TRUE, "The statement is accurate and nothing significant is missing.", 5, "#17693a", "check"),
        Rating(
            Verdict.MOSTLY_TRUE,
            "The statement is accurate but needs clarification or additional information.",
            4,
            "#3f6e12",
            "check",
        ),
        Rating(
            Verdict.HALF_TRUE,
            "The statement is partially accurate but leaves out important details or takes things out of context.",
            3,
            "#8a5a00",
            "half",
        ),
        Rating(
            Verdict.MOSTLY_FALSE,
            "The statement contains an element of truth but ignores facts that would give a different impression.",
            2,
            "#a4410e",
            "cross",
        ),
        Rating(Verdict.FALSE, "The statement is not accurate.", 1, "#b3261e", "cross"),
        Rating(
            Verdict.UNPROVEN,
            "The evidence available does not allow the statement to be confirmed or refuted.",
            0,
            "#555b63",
            "question",
        ),
    )
}


def rating_for(verdict: str) -> Rating | None:
    return SCALE.get(verdict)
