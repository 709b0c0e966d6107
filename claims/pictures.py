"""Uploaded pictures: checked before anything is stored, then re-encoded without metadata in a few widths.

`check_upload` decides what an upload is from its bytes, never its name or the browser's content type:
JPEG, PNG or WebP, nothing else (an SVG can carry script, and would be served from our own origin). It
refuses a file over PICTURE_MAX_BYTES, and reads the image's size from its header before decoding a
pixel: a 20,000 by 20,000 image that compresses to a few kilobytes would take gigabytes to decode, so it is
refused on its header (Pillow's own bomb check, above twice Image.MAX_IMAGE_PIXELS, is a second line).
A truncated or damaged file fails to decode and is refused too. Every refusal is a ValidationError with a
sentence the admin shows at the upload field.

`store_picture` turns the orientation the camera recorded into real pixels, drops every piece of metadata
(EXIF, with its GPS position, XMP, comments; the colour profile is kept, as it is needed to show the colours
right), and writes through the default storage (STORAGES["default"]: the media folder, or a bucket) the
original re-encoded and each width of PICTURE_WIDTHS up to the original's, in WebP and in JPEG for browsers
without WebP. Names carry a digest of the upload, so a stored file never changes and can be cached forever.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from claims.models.pictures import Rendition

# Bump when the encoding changes: new names, so that files cached forever are never replaced in place.
RENDITION_VERSION = "1"

# Pillow's decoder names, and the extension each is stored with.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SAVE_OPTIONS: dict[str, dict] = {
    "JPEG": {"quality": 88, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 88, "method": 4},
}
RENDITION_OPTIONS: dict[str, dict] = {
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}
EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}
JPEG_BACKGROUND = (255, 255, 255)


@dataclass
class CheckedImage:
    """An upload that passed every check: its bytes, its format (by content) and its size in pixels."""

    data: bytes
    format: str
    width: int
    height: int


@dataclass
class StoredPicture:
    key: str
    original: str
    width: int  # after the recorded orientation is applied
    height: int
    renditions: list[Rendition]

    @property
    def file_names(self) -> list[str]:
        return [self.original, *(r["name"] for r in self.renditions)]


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _too_large() -> ValidationError:
    return ValidationError(
        _(
            "This image is too large: at most %(side)s pixels on its longer side and %(megapixels)s megapixels. "
            "Export a smaller copy and upload that."
        ),
        code="picture_too_large",
        params={"side": settings.PICTURE_MAX_SIDE, "megapixels": _megapixels(settings.PICTURE_MAX_PIXELS)},
    )


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not a JPEG, PNG or WebP image, whatever its name says. Upload one in one of those formats."),
        code="picture_type",
    )


def _damaged() -> ValidationError:
    return ValidationError(
        _("This image is damaged or incomplete and cannot be read. Export it again and upload the new file."),
        code="picture_damaged",
    )


def check_upload(upload: File | IO[bytes]) -> CheckedImage:
    """The upload's bytes and what they are, or a ValidationError saying what is wrong with it."""
    limit = settings.PICTURE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_heavy(limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_heavy(limit)
    if not data:
        raise ValidationError(_("The file is empty."), code="picture_empty")
    try:
        # Only the header is read here: the size is known before a single pixel is decoded.
        with Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS)) as probe:
            fmt, (width, height) = probe.format or "", probe.size
            if width * height > settings.PICTURE_MAX_PIXELS or max(width, height) > settings.PICTURE_MAX_SIDE:
                raise _too_large()
            probe.verify()  # the structure and checksums, still without decoding
        with Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS)) as image:
            image.load()  # every pixel: a truncated file fails here
    except Image.DecompressionBombError as error:
        raise _too_large() from error
    except UnidentifiedImageError as error:
        raise _not_an_image() from error
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as error:
        # Pillow's decoders report a damaged file with any of these.
        raise _damaged() from error
    if fmt not in ACCEPTED_FORMATS:
        raise _not_an_image()
    if width < settings.PICTURE_MIN_WIDTH:
        raise ValidationError(
            _(
                "This image is %(width)s pixels wide; a picture needs at least %(min)s, so that it stays sharp "
                "on the share image and on large screens."
            ),
            code="picture_too_small",
            params={"width": width, "min": settings.PICTURE_MIN_WIDTH},
        )
    return CheckedImage(data=data, format=fmt, width=width, height=height)


def _too_heavy(limit: int) -> ValidationError:
    return ValidationError(
        _("This file is larger than %(megabytes)s MB. Export a smaller copy and upload that."),
        code="picture_too_heavy",
        params={"megabytes": f"{limit / 1_000_000:g}"},
    )


def _normalised(image: Image.Image) -> Image.Image:
    """The pixels as they should be seen: the recorded orientation applied, in RGB, or RGBA if transparent."""
    image = ImageOps.exif_transpose(image) or image
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if transparent else "RGB")
    if transparent and image.getchannel("A").getextrema()[0] == 255:  # an alpha channel with nothing transparent
        image = image.convert("RGB")
    return image


def rendition_widths(width: int) -> list[int]:
    """The widths stored for an image `width` pixels wide: each of PICTURE_WIDTHS below it, and the largest that
    fits (never wider than the original: an upscaled image only weighs more)."""
    widths = sorted(settings.PICTURE_WIDTHS)
    return sorted({*(w for w in widths if w < width), min(width, widths[-1])})


def _encode(image: Image.Image, options: dict[str, Any], icc: bytes | None) -> bytes:
    buffer = io.BytesIO()
    extra: dict[str, Any] = {"icc_profile": icc} if icc else {}
    image.save(buffer, **options, **extra)  # no exif=, no pnginfo=: nothing of the upload's metadata is written
    return buffer.getvalue()


def _for_jpeg(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, JPEG_BACKGROUND)
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def store_picture(checked: CheckedImage) -> StoredPicture:
    """Write the original (re-encoded) and its renditions to the default storage; nothing is left if it fails."""
    key = hashlib.sha256(RENDITION_VERSION.encode() + checked.data).hexdigest()[:32]
    folder = f"pictures/{key[:2]}/{key}"
    with Image.open(io.BytesIO(checked.data), formats=[checked.format]) as source:
        icc = source.info.get("icc_profile")
        image = _normalised(source)
    width, height = image.size
    files: list[tuple[str, bytes]] = []
    original_options = {"format": checked.format, **SAVE_OPTIONS[checked.format]}
    original_image = _for_jpeg(image) if checked.format == "JPEG" else image
    original = f"{folder}/original.{ACCEPTED_FORMATS[checked.format]}"
    files.append((original, _encode(original_image, original_options, icc)))
    renditions: list[Rendition] = []
    for target in rendition_widths(width):
        target_height = max(1, round(height * target / width))
        resized = image if target == width else image.resize((target, target_height), Image.Resampling.LANCZOS)
        for fmt in ("webp", "jpeg"):
            name = f"{folder}/{target}w.{EXTENSIONS[fmt]}"
            pixels = _for_jpeg(resized) if fmt == "jpeg" else resized
            files.append((name, _encode(pixels, RENDITION_OPTIONS[fmt], icc)))
            renditions.append({"width": target, "height": target_height, "format": fmt, "name": name})
    _write(files)
    return StoredPicture(key=key, original=original, width=width, height=height, renditions=renditions)


def _write(files: list[tuple[str, bytes]]) -> None:
    storage = storages["default"]
    written: list[str] = []
    try:
        for name, content in files:
            if storage.exists(name):
                continue  # the same upload, stored before: same name, same bytes
            saved = storage.save(name, ContentFile(content))
            written.append(saved)
            if saved != name:  # written at the same moment by someone else: keep theirs, drop ours
                storage.delete(saved)
                written.remove(saved)
    except Exception:
        delete_files(written)
        raise


def delete_files(names: Iterable[str]) -> None:
    """Remove stored files (a missing one is not an error)."""
    storage = storages["default"]
    for name in names:
        storage.delete(name)


def open_for_drawing(names: Iterable[str]) -> Image.Image | None:
    """The first of the stored files `names` that can be read, decoded in RGB; None if none can (a card is
    then drawn without its picture rather than not at all)."""
    storage = storages["default"]
    for name in names:
        try:
            with storage.open(name, "rb") as file, Image.open(file) as image:
                return image.convert("RGB")
        except (OSError, ValueError):
            continue
    return None
