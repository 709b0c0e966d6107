"""Share images for quiz results: "I got 7/10 on …", 1200 x 630 PNG, drawn with Pillow.

Kept apart from claims/cards.py (claim cards) on purpose; both follow the
design notes: site name, the result, the title wrapped and shortened with an
ellipsis, on a plain background, legible as a 300 px thumbnail.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import pgettext
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = "#ffffff"
INK = "#111827"
MUTED = "#4b5563"
ACCENT = "#1d4ed8"

# System fonts first (no web fonts, nothing fetched); Pillow's bundled font otherwise.
_FONT_FILES = {
    True: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    ),
    False: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
    ),
}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def _font(size: int, *, bold: bool = False) -> Font:
    for path in _FONT_FILES[bold]:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap to `width` pixels, ending with an ellipsis if it needs more than `max_lines`."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if not current or draw.textlength(candidate, font=font) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    lines = [_shorten(draw, line, font, width) for line in lines]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _shorten(draw, lines[-1], font, width, force=True)
    return lines


def _shorten(draw: ImageDraw.ImageDraw, line: str, font: Font, width: int, *, force: bool = False) -> str:
    """`line` cut to fit `width` with an ellipsis; always ends with one when `force` (more text follows)."""
    if not force and draw.textlength(line, font=font) <= width:
        return line
    while line and draw.textlength(line + "…", font=font) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def render_result_card(*, quiz_title: str, score: int, total: int) -> bytes:
    """The PNG bytes of the share image for a score of `score` out of `total` on `quiz_title`.

    The words are translated when drawn, in the active language. They are drawn as separate pieces around the
    big score ("I got" / "7/10" / "on" / the title), so each piece has a context for translators.
    """
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN

    draw.rectangle((0, 0, WIDTH, 16), fill=ACCENT)
    draw.text((MARGIN, 48), settings.SITE_NAME, font=_font(40, bold=True), fill=ACCENT)

    # Translators: on a quiz result image, above the big score: "I got" / "7/10" / "on" / “the quiz's title”.
    draw.text((MARGIN, 120), pgettext("quiz result image", "I got"), font=_font(52), fill=MUTED)
    score_font = _font(160, bold=True)
    score_text = f"{score}/{total}"
    draw.text((MARGIN, 170), score_text, font=score_font, fill=INK)
    score_right = MARGIN + draw.textlength(score_text, font=score_font)
    # Translators: on a quiz result image, after the big score and before the quiz's title: "7/10" / "on" / “…”.
    draw.text((score_right + 28, 280), pgettext("quiz result image", "on"), font=_font(52), fill=MUTED)

    title_font = _font(50, bold=True)
    y = 380
    # Translators: the quiz's title in quotation marks, on the quiz result image.
    quoted = pgettext("quiz result image", "“%(title)s”") % {"title": quiz_title}
    for line in _wrap(draw, quoted, title_font, text_width, max_lines=2):
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += 62

    challenge = pgettext("quiz result image", "Can you beat it?")
    draw.text((MARGIN, HEIGHT - 84), challenge, font=_font(36, bold=True), fill=ACCENT)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
