"""The API's refusals: a status and, for each problem, the parameter at fault and a translated sentence.

Parameters that do not fit their schema (claims/api/schemas.py) are refused by django-ninja before a view runs,
with pydantic's English messages and a 422; `from_validation` makes them our 400, naming each parameter, in the
language asked for with `lang`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, get_args

from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.api.schemas import LanguageCode, VerdictKey

# What a parameter limited to a list of values may be: said in its error message.
CHOICES = {"lang": get_args(LanguageCode), "verdict": get_args(VerdictKey)}


class ApiError(Exception):
    def __init__(self, status: int, problems: list[tuple[str | None, str]]) -> None:
        super().__init__(problems)
        self.status = status
        self.problems = problems


def bad_parameter(parameter: str, message: str) -> ApiError:
    return ApiError(400, [(parameter, message)])


def not_found(message: str) -> ApiError:
    return ApiError(404, [(None, message)])


def from_form(errors: ErrorDict) -> ApiError:
    """A form's errors (the claims index's filters), each under its field's name: the parameter's."""
    return ApiError(400, [(name, str(message)) for name, messages in errors.items() for message in messages])


def from_validation(errors: Iterable[Mapping[str, Any]]) -> ApiError:
    """pydantic's errors as django-ninja reports them (`loc` is ("query", "limit"), ("path", "slug")…)."""
    problems = []
    for error in errors:
        location = [part for part in error.get("loc", ()) if isinstance(part, str)]
        parameter = location[-1] if len(location) > 1 else None
        problems.append((parameter, _message(error.get("type", ""), error.get("ctx") or {}, parameter)))
    return ApiError(400, problems)


def _message(kind: str, context: Mapping[str, Any], parameter: str | None) -> str:
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Give a whole number.")
    if kind == "greater_than_equal":
        return _("Give a number of at least %(limit)s.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("Give a number of at most %(limit)s.") % {"limit": context.get("le")}
    if kind == "string_too_long":
        limit = int(context.get("max_length", 0))
        return ngettext("Give at most %(limit)s character.", "Give at most %(limit)s characters.", limit) % {
            "limit": limit
        }
    if kind in ("literal_error", "enum") and parameter in CHOICES:
        # Translators: %(choices)s lists the values allowed, separated by ", ", e.g. "en, es".
        return _("Give one of: %(choices)s.") % {"choices": ", ".join(CHOICES[parameter])}
    if kind == "missing":
        return _("This parameter is required.")
    return _("This value is not valid here.")
