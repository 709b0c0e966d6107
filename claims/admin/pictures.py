"""Pictures in the admin: their own page (upload, list, preview), and the picture box on articles and claims.

Both only check what is posted and call the editorial actions (claims/editorial/pictures.py): a refused
upload is an error at its field and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import editorial, pictures
from claims.admin.review import refusal_text
from claims.editorial.actors import Actor, check_actor
from claims.editorial.pictures import discard_files
from claims.models import Picture
from claims.models.pictures import storage_url

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldOpts
    from django_stubs_ext import StrOrPromise

ACCEPT = "image/jpeg,image/png,image/webp"
UPLOAD_HELP = gettext_lazy(
    "A JPEG, PNG or WebP image at least 600 pixels wide, up to 10 MB. Its metadata (camera, place) is removed."
)


def _upload_widget() -> forms.FileInput:
    return forms.FileInput(attrs={"accept": ACCEPT})


class PictureAddForm(forms.ModelForm):
    upload = forms.FileField(label=gettext_lazy("image file"), help_text=UPLOAD_HELP, widget=_upload_widget())

    class Meta:
        model = Picture
        fields = ["alt_text", "credit", "language"]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        pictures.check_upload(upload)  # its ValidationError is this field's error
        return upload


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    """Upload a picture once, then choose it on any article, fact-check or question. Read-only once made."""

    form = PictureAddForm
    list_display = ["thumbnail", "alt_text", "credit", "size", "use_count", "created_at"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "credit"]
    readonly_fields = ["preview", "alt_text", "credit", "language", "size", "created_at", "created_by"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_fields(self, request: HttpRequest, obj: Picture | None = None):
        if obj is None:
            return ["upload", "alt_text", "credit", "language"]
        return self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Picture | None = None):
        return self.readonly_fields if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Picture | None = None) -> bool:
        # Readers may see it on published pages: it never changes (claims/editorial/pictures.py says why).
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Picture]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _uses=Count("articles", distinct=True)
                + Count("claims", distinct=True)
                + Count("questions", distinct=True)
            )
        )

    def save_model(self, request: HttpRequest, obj: Picture, form, change: bool) -> None:
        created = editorial.picture_create(
            upload=form.cleaned_data["upload"],
            alt_text=obj.alt_text,
            credit=obj.credit,
            language=obj.language,
            by=check_actor(request.user),
        )
        # The admin goes on with `obj` (its log entry, the redirect): it becomes the stored row.
        for field in Picture._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Picture) -> None:
        editorial.picture_delete(picture=obj, by=check_actor(request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Picture]) -> None:
        for picture in queryset:
            try:
                editorial.picture_delete(picture=picture, by=check_actor(request.user))
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    _("“%(object)s” was not deleted. %(reason)s") % {"object": picture, "reason": refusal_text(error)},
                    messages.WARNING,
                )

    @admin.display(description=gettext_lazy("picture"))
    def thumbnail(self, obj: Picture) -> SafeString:
        smallest = next((r for r in obj.renditions if r["format"] == "jpeg"), None)
        if smallest is None:
            return format_html("{}", "—")
        return format_html(
            '<img class="picture-thumbnail" src="{}" width="120" height="{}" alt="">',
            storage_url(smallest["name"]),
            max(1, round(120 * smallest["height"] / smallest["width"])),
        )

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, obj: Picture) -> SafeString:
        if not obj.renditions:
            return format_html("{}", "—")
        return format_html(
            '<img class="picture-preview" src="{}" srcset="{}" sizes="30rem" width="{}" height="{}" alt="{}">',
            obj.fallback_url,
            obj.jpeg_srcset,
            obj.fallback["width"],
            obj.fallback["height"],
            obj.alt_text,
        )

    @admin.display(description=gettext_lazy("size"))
    def size(self, obj: Picture) -> str:
        return _("%(width)s by %(height)s pixels") % {"width": obj.width, "height": obj.height}

    @admin.display(description=gettext_lazy("used by"))
    def use_count(self, obj: Picture) -> int:
        return getattr(obj, "_uses", 0)


class PictureFieldsForm(forms.ModelForm):
    """The picture box of the article and claim forms: choose a picture, or upload a new one with its words."""

    new_picture = forms.FileField(
        label=gettext_lazy("or upload a new picture"),
        required=False,
        help_text=gettext_lazy(
            "A JPEG, PNG or WebP image at least 600 pixels wide, up to 10 MB; it replaces the one chosen above."
        ),
        widget=_upload_widget(),
    )
    new_picture_alt_text = forms.CharField(
        label=gettext_lazy("its text alternative"),
        required=False,
        max_length=Picture._meta.get_field("alt_text").max_length,
        help_text=Picture._meta.get_field("alt_text").help_text,
    )
    new_picture_credit = forms.CharField(
        label=gettext_lazy("its credit"),
        required=False,
        max_length=Picture._meta.get_field("credit").max_length,
        help_text=Picture._meta.get_field("credit").help_text,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns
        upload = cleaned.get("new_picture")
        if upload:
            if not (cleaned.get("new_picture_alt_text") or "").strip():
                self.add_error("new_picture_alt_text", _("Say what the picture shows, for readers who cannot see it."))
            if not (cleaned.get("new_picture_credit") or "").strip():
                self.add_error("new_picture_credit", _("Credit the picture: who made it, and who holds the rights."))
            try:
                pictures.check_upload(upload)
            except ValidationError as error:
                self.add_error("new_picture", error)
        return cleaned


PICTURE_FIELDSET: tuple[StrOrPromise, _FieldOpts] = (
    gettext_lazy("Picture"),
    {"fields": ["picture", "new_picture", ("new_picture_alt_text", "new_picture_credit")]},
)


@contextmanager
def uploaded_picture(form: forms.ModelForm, by: Actor) -> Iterator[Picture | None]:
    """Make the picture uploaded on `form` (if any) and set it on the form's instance, for the item's own action
    to save; if that action fails, the new picture's files go too (its row goes with the transaction)."""
    upload = form.cleaned_data.get("new_picture")
    if not upload:
        yield None
        return
    picture = editorial.picture_create(
        upload=upload,
        alt_text=form.cleaned_data.get("new_picture_alt_text", ""),
        credit=form.cleaned_data.get("new_picture_credit", ""),
        language=getattr(form.instance, "language", None) or Picture._meta.get_field("language").default,
        by=by,
    )
    form.instance.picture = picture
    try:
        yield picture
    except BaseException:
        discard_files(picture)
        raise
