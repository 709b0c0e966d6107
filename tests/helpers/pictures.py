"""Images generated in memory for the picture tests: no photograph is stored in the repository."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# EXIF tags (Pillow's ExifTags.Base / IFD): the orientation, and the GPS block with a latitude in it.
ORIENTATION = 0x0112
GPS_IFD = 0x8825
GPS_LATITUDE_REF = 1


def image_bytes(
    width: int = 1600,
    height: int = 900,
    *,
    fmt: str = "JPEG",
    colour: tuple[int, int, int] = (200, 30, 30),
    left_colour: tuple[int, int, int] | None = None,
    gps: bool = False,
    orientation: int | None = None,
    mode: str = "RGB",
) -> bytes:
    """An image of one colour (the left half in `left_colour` if given), with EXIF a camera would write."""
    image = Image.new(mode, (width, height), colour if mode == "RGB" else (*colour, 128))
    if left_colour is not None:
        image.paste(left_colour, (0, 0, width // 2, height))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "Camera maker"  # Make
        exif.get_ifd(GPS_IFD)[GPS_LATITUDE_REF] = "N"
    if orientation is not None:
        exif[ORIENTATION] = orientation
    buffer = io.BytesIO()
    options = {"exif": exif.tobytes()} if len(exif) or gps else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header says it is `width` x `height` pixels: decoding it would take
    width * height bytes or more, so it must be refused on the header alone."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    # After the 8-byte signature: the IHDR chunk's length (4), type (4), then width and height (4 each).
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


SVG_WITH_SCRIPT = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">
  <script>alert(document.cookie)</script>
  <rect width="1200" height="800" fill="red"/>
</svg>
"""


def upload(content: bytes, name: str = "picture.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
