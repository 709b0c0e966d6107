"""The reader's "Send it to us" form, and the rules that keep scripts out of it.

No third-party captcha and no script: a honeypot field people do not see (a script filling in every field fills
it), a signed timestamp with a minimum fill time (a person takes a few seconds; a script posts at once) and a
maximum age, sizes bounded per field (and the whole body: claims/views/tips.py), a per-client rate limit
(the view). What readers type is stored as text and shown as text, never as HTML or as a link.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from claims.models.tips import CLAIMANT_MAX, SEEN_WHERE_MAX, STATEMENT_MAX

SALT = "claims.tips.form"
# Codes of the errors that say a script, not a person, sent the form (the view logs them; nothing is stored).
BOT_CODES = frozenset({"honeypot", "too_fast", "bad_token"})


def new_token() -> str:
    """The form's signed "started at" token: when this copy of the form was served."""
    return signing.TimestampSigner(salt=SALT).sign("tip-form")


def token_age(token: str) -> float | None:
    """Seconds since `token` was issued, or None if it is not one of ours."""
    try:
        # TimestampSigner.unsign checks the signature of "value:timestamp"; the timestamp is then ours to read.
        signed = signing.Signer(salt=SALT).unsign(token)
        value, stamp = signed.rsplit(":", 1)
        issued = signing.b62_decode(stamp)
    except (signing.BadSignature, ValueError):
        return None
    if value != "tip-form":
        return None
    return time.time() - issued


class TipForm(forms.Form):
    statement = forms.CharField(
        label=_("What was said?"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As exactly as you can: the words, or what they said."),
    )
    claimant = forms.CharField(label=_("Who said it?"), max_length=CLAIMANT_MAX, required=False)
    seen_where = forms.CharField(
        label=_("Where did you see or hear it?"),
        max_length=SEEN_WHERE_MAX,
        required=False,
        help_text=_("A link, or a place: TV, WhatsApp, a speech."),
    )
    email = forms.EmailField(
        label=_("Your email"),
        required=False,
        help_text=_("Only if you want us to tell you when we publish a fact-check on it."),
    )
    # Its label on the page is the whole consent sentence (templates/tips/tips.html); this one names it in the errors.
    consent = forms.BooleanField(label=_("Permission to use your email"), required=False)
    # The honeypot: hidden from people (a class of our stylesheet), skipped by the keyboard, labelled for anyone
    # whose screen reader announces it. Named like a field a script would fill.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if not self.is_bound:
            self.initial.setdefault("started", new_token())

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise ValidationError(_("This form could not be sent. Leave the last field empty."), code="honeypot")
        age = token_age(self.data.get("started", ""))
        if age is None:
            raise ValidationError(_("This form could not be sent. Reload the page and try again."), code="bad_token")
        if age < settings.TIP_MIN_FILL_SECONDS:
            raise ValidationError(
                _("That was faster than anyone can type. Check what you wrote and send it again."), code="too_fast"
            )
        if age > settings.TIP_FORM_MAX_AGE:
            raise ValidationError(
                _("This form was open too long. Check what you wrote and send it again."), code="expired"
            )
        if cleaned.get("email") and not cleaned.get("consent"):
            self.add_error(
                "consent", ValidationError(_("Tick the box to let us use your email, or leave it out."), code="consent")
            )
        return cleaned

    @property
    def sent_by_a_script(self) -> bool:
        return any(error.code in BOT_CODES for error in self.non_field_errors().as_data())

    def for_another_try(self) -> TipForm:
        """The same form with what the reader typed, and a fresh token for sending it again."""
        data = {**self.data.dict(), "started": new_token(), "website": ""} if hasattr(self.data, "dict") else {}
        again = TipForm(data)
        again._errors = self.errors  # type: ignore[attr-defined]  # the errors found, shown with their fields
        return again
