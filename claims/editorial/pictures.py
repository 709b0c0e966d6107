"""Pictures: made from a checked upload, deleted once nothing uses them. Never changed in between.

A picture shows on a page only once an article, a fact-check or a question points at it, and that is a
change of the item, saved by its own action (article_save, claim_save, quiz_save) and reviewed with it. So
a picture's words (its text alternative and credit) cannot change under a published page: to correct them,
upload the picture again with the right words and choose the new one on the item.

Files are written to storage before the row, and a database transaction cannot take them back: whoever
calls picture_create inside a larger transaction that may still fail calls `discard_files` when it does
(claims/admin/pictures.py does).
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from claims import pictures
from claims.editorial.actors import Actor, record_fields, require
from claims.editorial.base import Problem, editorial_action, refuse
from claims.models import Picture

# Set when a picture is made, never from what is posted.
STORED_FIELDS = ["key", "original", "width", "height", "renditions"]


@editorial_action
def picture_create(
    *, upload: File | IO[bytes], alt_text: str, credit: str, by: Actor, language: str = settings.LANGUAGE_CODE
) -> Picture:
    """A picture from `upload`, checked (claims/pictures.py) and stored in its renditions, with its words.

    Refuses with a ValidationError keyed "upload", "alt_text" or "credit"; nothing is stored then."""
    require(by, "add_picture", _("You do not have permission to add pictures."))
    picture = Picture(
        alt_text=" ".join(alt_text.split()),
        credit=" ".join(credit.split()),
        language=language,
        created_by=record_fields(by)["by"],
    )
    problems: list[Problem] = []
    try:
        picture.full_clean(exclude=STORED_FIELDS)
    except ValidationError as error:
        problems += [
            Problem(field, message, "invalid") for field, messages in error.message_dict.items() for message in messages
        ]
    try:
        checked = pictures.check_upload(upload)
    except ValidationError as error:
        problems += [Problem("upload", message, error.code or "invalid") for message in error.messages]
    refuse(problems)

    stored = pictures.store_picture(checked)
    picture.key, picture.original, picture.renditions = stored.key, stored.original, stored.renditions
    picture.width, picture.height = stored.width, stored.height
    try:
        picture.full_clean()
        picture.save()
    except BaseException:
        discard_files(picture)
        raise
    return picture


def discard_files(picture: Picture) -> None:
    """Delete the files of `picture`, which is not (or no longer) stored, unless another picture made from the
    same upload shares them. Called when the transaction that made it fails."""
    try:
        shared = Picture.objects.filter(key=picture.key).exclude(pk=picture.pk).exists()
    except DatabaseError:
        return  # the transaction is broken and cannot tell: keeping the files is the safe side
    if not shared:
        pictures.delete_files(picture.file_names)


@editorial_action
def picture_delete(*, picture: Picture, by: Actor) -> None:
    """Delete a picture that nothing uses, and its files once the deletion is committed."""
    require(by, "delete_picture", _("Only a chief editor can delete pictures."))
    in_use = picture.articles.exists() or picture.claims.exists() or picture.questions.exists()
    if in_use:
        refuse(
            [
                Problem(
                    None,
                    _("This picture is shown on an article, a fact-check or a question: choose another there first."),
                    "picture_in_use",
                )
            ]
        )
    names, key, pk = picture.file_names, picture.key, picture.pk
    picture.delete()

    def remove() -> None:
        if not Picture.objects.filter(key=key).exclude(pk=pk).exists():
            pictures.delete_files(names)

    transaction.on_commit(remove)
