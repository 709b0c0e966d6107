"""Share images ("cards") drawn with Pillow.

Chat apps and social sites show the card as a link preview, often as a
thumbnail about 300 px wide, so everything on it is set in large type and the
verdict is told by its label and a shape as well as its colour.

The font loading and text helpers here are generic so that other cards (for
example quiz results) look the same and wrap text the same way.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import pgettext
from PIL import Image, ImageDraw, ImageFont, ImageOps

from claims.verdicts import Rating

if TYPE_CHECKING:
    from claims.models import Claim, Picture

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

# Bump when the drawing changes, so that cached cards and their ETags roll over.
CARD_VERSION = "2"

CARD_WIDTH = 1200
CARD_HEIGHT = 630

# Drawing at twice the size and scaling down anti-aliases the shapes (Pillow
# draws polygons and lines without anti-aliasing); text would be smooth anyway.
SUPERSAMPLE = 2

BACKGROUND = "#fbfaf7"
INK = "#1a1a1a"
MUTED = "#4a4f57"  # 8:1 on the background, still readable when shrunk
RULE = "#d9d6cf"
UNRATED_COLOUR = "#555b63"

MARGIN = 72
# A picture fills the card's right-hand part, full height; the text keeps the left on the plain background,
# so it reads as on a card without one (its type is as large: fewer words fit, and a long statement ends
# with an ellipsis sooner).
PICTURE_PANEL_WIDTH = 430

# DejaVu Sans covers Latin, Greek and Cyrillic and ships with most Linux
# distributions; the bare file names come last because Pillow then searches
# the system font directories for them.
REGULAR_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  # Debian, Ubuntu (fonts-dejavu-core)
    "/usr/share/fonts/TTF/DejaVuSans.ttf",  # Arch
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",  # Fedora
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",  # Alpine, older Fedora
    "DejaVuSans.ttf",
)
BOLD_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "DejaVuSans-Bold.ttf",
)


@lru_cache(maxsize=64)
def load_font(size: int, *, bold: bool = False) -> Font:
    """DejaVu Sans at `size` pixels, or Pillow's built-in font if it is not installed.

    Never raises: a missing font must not turn a link preview into an error.
    """
    for candidate in BOLD_FONT_CANDIDATES if bold else REGULAR_FONT_CANDIDATES:
        try:
            return ImageFont.truetype(candidate, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def text_width(text: str, font: Font) -> float:
    return font.getlength(text)


def shorten_to_width(text: str, font: Font, max_width: float, ellipsis: str = "…") -> str:
    """`text` cut at a word boundary (or mid-word if one word is too long) and ended with `ellipsis`."""
    text = text.rstrip()
    if text_width(text + ellipsis, font) <= max_width:
        return text + ellipsis
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        # Dropping trailing punctuation avoids endings like "border,…".
        candidate = " ".join(words).rstrip(" ,;:.-\u2013\u2014")
        if candidate and text_width(candidate + ellipsis, font) <= max_width:
            return candidate + ellipsis
    word = words[0] if words else ""
    while word and text_width(word + ellipsis, font) > max_width:
        word = word[:-1]
    return word + ellipsis


# More characters than any line of a card can hold at its smallest type.
MAX_LINE_CHARS = 120


def _split_long_word(word: str, font: Font, max_width: float, max_pieces: int | None = None) -> list[str]:
    """Break a word wider than the line (a URL, a long compound) into pieces that fit.

    Each cut is found by bisection over at most MAX_LINE_CHARS characters, and splitting stops
    after `max_pieces`: a pasted 5,000-character string costs a few dozen measurements, not
    millions (an editor's text must not be able to tie up a worker drawing a card).
    """
    pieces: list[str] = []
    while (word and text_width(word[:MAX_LINE_CHARS], font) > max_width) or len(word) > MAX_LINE_CHARS:
        if max_pieces is not None and len(pieces) >= max_pieces:
            return pieces
        low, high = 1, min(len(word), MAX_LINE_CHARS)  # word[:low] always fits; find the longest that does
        while low < high:
            middle = (low + high + 1) // 2
            if text_width(word[:middle], font) <= max_width:
                low = middle
            else:
                high = middle - 1
        pieces.append(word[:low])
        word = word[low:]
    if word:
        pieces.append(word)
    return pieces


def _wrap(text: str, font: Font, max_width: float, max_lines: int | None, ellipsis: str) -> tuple[list[str], bool]:
    """The wrapped lines, and whether the text had to be shortened to fit `max_lines`."""
    if max_lines is not None and max_lines <= 0:
        return [], bool(text.strip())
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        room = None if max_lines is None else max_lines - len(lines) + 1
        *whole, current = _split_long_word(word, font, max_width, room) or [""]
        lines.extend(whole)
        # One line past the limit is enough to know the text must be shortened;
        # stopping here keeps a very long text from being measured word by word.
        if max_lines is not None and len(lines) > max_lines:
            break
    else:
        if current:
            lines.append(current)
    if max_lines is None or len(lines) <= max_lines:
        return lines, False
    lines = lines[:max_lines]
    lines[-1] = shorten_to_width(lines[-1], font, max_width, ellipsis)
    return lines, True


def wrap_text(
    text: str,
    font: Font,
    max_width: float,
    max_lines: int | None = None,
    ellipsis: str = "…",
) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `max_width` pixels in `font`.

    With `max_lines`, text that does not fit is shortened and the last line
    ends with `ellipsis` (pass e.g. "…”" to keep a closing quotation mark).
    Runs of whitespace, including newlines, count as one space.
    """
    return _wrap(text, font, max_width, max_lines, ellipsis)[0]


def fit_text(
    text: str,
    sizes: Sequence[int],
    max_width: float,
    max_height: float,
    *,
    bold: bool = False,
    line_spacing: float = 1.25,
    ellipsis: str = "…",
) -> tuple[Font, list[str], int]:
    """The largest of `sizes` at which `text` fits the box unshortened, with its lines and line height.

    Falls back to the smallest size, shortened with `ellipsis`, so short texts
    get big type and long ones still fit.
    """
    if not sizes:
        raise ValueError("fit_text needs at least one font size")
    for size in sorted(sizes, reverse=True):
        font = load_font(size, bold=bold)
        line_height = round(size * line_spacing)
        max_lines = max(1, int(max_height // line_height))
        lines, shortened = _wrap(text, font, max_width, max_lines, ellipsis)
        if not shortened:
            return font, lines, line_height
    return font, lines, line_height


def draw_icon(draw: ImageDraw.ImageDraw, icon: str, centre: tuple[float, float], diameter: float, colour: str) -> None:
    """A verdict shape (check, cross, half, question) in `colour` on a white disc."""
    cx, cy = centre
    r = diameter / 2
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill="white")
    stroke = max(1, round(diameter * 0.13))
    if icon == "check":
        points = [(cx - 0.26 * diameter, cy + 0.01 * diameter), (cx - 0.07 * diameter, cy + 0.2 * diameter)]
        points.append((cx + 0.27 * diameter, cy - 0.19 * diameter))
        draw.line(points, fill=colour, width=stroke, joint="curve")
    elif icon == "cross":
        d = 0.19 * diameter
        draw.line((cx - d, cy - d, cx + d, cy + d), fill=colour, width=stroke)
        draw.line((cx - d, cy + d, cx + d, cy - d), fill=colour, width=stroke)
    elif icon == "half":
        inner = 0.3 * diameter
        box = (cx - inner, cy - inner, cx + inner, cy + inner)
        draw.ellipse(box, outline=colour, width=max(1, round(diameter * 0.08)))
        draw.pieslice(box, 90, 270, fill=colour)
    elif icon == "question":
        font = load_font(round(diameter * 0.72), bold=True)
        draw.text((cx, cy + diameter * 0.02), "?", font=font, fill=colour, anchor="mm")


def draw_verdict_badge(
    draw: ImageDraw.ImageDraw, origin: tuple[float, float], rating: Rating | None, scale: float = 1
) -> tuple[float, float, float, float]:
    """The verdict badge (colour, shape and white label) with its top-left at `origin`; returns its box."""
    # Translated when drawn: a card is drawn in the language of the request for it.
    label = rating.label if rating else pgettext("verdict", "Not yet rated")
    colour = rating.colour if rating else UNRATED_COLOUR
    icon = rating.icon if rating else "question"
    height = 92 * scale
    padding = 22 * scale
    icon_diameter = 58 * scale
    gap = 20 * scale
    font = load_font(round(50 * scale), bold=True)
    x, y = origin
    width = padding + icon_diameter + gap + text_width(label, font) + padding * 1.3
    box = (x, y, x + width, y + height)
    draw.rounded_rectangle(box, radius=round(16 * scale), fill=colour)
    draw_icon(draw, icon, (x + padding + icon_diameter / 2, y + height / 2), icon_diameter, colour)
    draw.text((x + padding + icon_diameter + gap, y + height / 2), label, font=font, fill="white", anchor="lm")
    return box


# Double quotation marks: straight, curly, low-9 and guillemets. Single ones
# are left alone because they double as apostrophes.
DOUBLE_QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb'


def _quoted(statement: str) -> str:
    """The statement in curly quotation marks.

    Editors sometimes paste the quote's own marks too; those are dropped, but
    only when they wrap the whole statement (a quote inside it keeps its marks).
    """
    text = " ".join(statement.split())
    inner = text[1:-1]
    wrapped = len(text) >= 2 and text[0] in DOUBLE_QUOTES and text[-1] in DOUBLE_QUOTES
    if wrapped and not any(mark in inner for mark in DOUBLE_QUOTES):
        text = inner.strip()
    return "\u201c" + text + "\u201d"


def render_claim_card(claim: Claim) -> bytes:
    """The claim's 1200x630 PNG share image: site name, verdict badge, the statement and who said it, and its
    picture if it has one."""
    s = SUPERSAMPLE
    rating = claim.rating
    # A band in the verdict's colour ties the card to the badge at a glance.
    image, draw, content_width = _card_canvas(
        accent=rating.colour if rating else UNRATED_COLOUR, picture=claim.picture if claim.picture_id else None
    )

    badge = draw_verdict_badge(draw, (MARGIN * s, 112 * s), rating, scale=s)

    claimant_font = load_font(36 * s, bold=True)
    claimant_baseline = (CARD_HEIGHT - 58) * s
    statement_top = badge[3] + 40 * s
    statement_bottom = claimant_baseline - 70 * s
    font, lines, line_height = fit_text(
        _quoted(claim.statement),
        sizes=[s * size for size in (72, 64, 58, 52, 48, 44)],
        max_width=content_width,
        max_height=statement_bottom - statement_top,
        ellipsis="…”",
    )
    for number, line in enumerate(lines):
        draw.text((MARGIN * s, statement_top + number * line_height), line, font=font, fill=INK)

    claimant = " ".join(claim.claimant.split())
    if claimant:
        (line,) = wrap_text(f"— {claimant}", claimant_font, content_width, max_lines=1)
        draw.text((MARGIN * s, claimant_baseline), line, font=claimant_font, fill=MUTED, anchor="ls")

    return _png(image)


def _card_canvas(*, accent: str, picture: Picture | None = None) -> tuple[Image.Image, ImageDraw.ImageDraw, int]:
    """What every card shares, drawn at SUPERSAMPLE scale: the accent band, the site name and the rule under it,
    and the picture, if any, filling the right-hand panel (the text then keeps to the left of it)."""
    s = SUPERSAMPLE
    image = Image.new("RGB", (CARD_WIDTH * s, CARD_HEIGHT * s), BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_right = CARD_WIDTH - MARGIN
    photo = _picture_panel(picture) if picture is not None else None
    if photo is not None:
        image.paste(photo, ((CARD_WIDTH - PICTURE_PANEL_WIDTH) * s, 0))
        text_right = CARD_WIDTH - PICTURE_PANEL_WIDTH - MARGIN // 2
    content_width = (text_right - MARGIN) * s
    draw.rectangle((0, 0, 16 * s, CARD_HEIGHT * s), fill=accent)
    site_font = load_font(38 * s, bold=True)
    site_name = next(iter(wrap_text(settings.SITE_NAME, site_font, content_width, max_lines=1)), "")
    draw.text((MARGIN * s, 62 * s), site_name, font=site_font, fill=INK, anchor="ls")
    draw.line((MARGIN * s, 86 * s, text_right * s, 86 * s), fill=RULE, width=2 * s)
    return image, draw, content_width


def _picture_panel(picture: Picture) -> Image.Image | None:
    """The picture cropped from its centre to fill the panel, at SUPERSAMPLE scale; None if its file cannot be
    read (the card is then drawn without it rather than not at all)."""
    from claims.pictures import open_for_drawing

    photo = open_for_drawing([picture.fallback["name"], picture.original] if picture.renditions else [])
    if photo is None:
        return None
    size = (PICTURE_PANEL_WIDTH * SUPERSAMPLE, CARD_HEIGHT * SUPERSAMPLE)
    return ImageOps.fit(photo, size, Image.Resampling.LANCZOS)


def _png(image: Image.Image) -> bytes:
    """The supersampled drawing scaled down to the card's size (smooth edges), as an optimised PNG."""
    buffer = io.BytesIO()
    image.resize((CARD_WIDTH, CARD_HEIGHT), Image.Resampling.LANCZOS).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# The site's accent (static/css/site.css --accent): white text on it is 6.7:1.
ACCENT = "#1d4ed8"


def render_title_card(*, label: str, title: str, footer: str = "", picture: Picture | None = None) -> bytes:
    """A page's 1200x630 PNG share image: the site name, a label ("Quiz"), the title in large type, a footer,
    and the picture of the page's article if it has one.

    For the pages that have no claim to show: quizzes, articles and the site itself.
    """
    s = SUPERSAMPLE
    image, draw, content_width = _card_canvas(accent=ACCENT, picture=picture)

    # The label, as a solid tag where the claim card has its verdict badge.
    label_font = load_font(44 * s, bold=True)
    label_text = next(iter(wrap_text(label, label_font, content_width - 60 * s, max_lines=1)), "")
    x, y = MARGIN * s, 112 * s
    label_box = (x, y, x + text_width(label_text, label_font) + 56 * s, y + 80 * s)
    draw.rounded_rectangle(label_box, radius=16 * s, fill=ACCENT)
    draw.text((x + 28 * s, y + 40 * s), label_text, font=label_font, fill="white", anchor="lm")

    footer_font = load_font(36 * s, bold=True)
    footer_baseline = (CARD_HEIGHT - 58) * s
    title_top = label_box[3] + 40 * s
    title_bottom = (footer_baseline - 70 * s) if footer.strip() else (CARD_HEIGHT - 40) * s
    font, lines, line_height = fit_text(
        " ".join(title.split()),
        sizes=[s * size for size in (76, 68, 60, 54, 48, 44)],
        max_width=content_width,
        max_height=title_bottom - title_top,
        bold=True,
    )
    for number, line in enumerate(lines):
        draw.text((MARGIN * s, title_top + number * line_height), line, font=font, fill=INK)

    footer = " ".join(footer.split())
    if footer:
        (line,) = wrap_text(footer, footer_font, content_width, max_lines=1)
        draw.text((MARGIN * s, footer_baseline), line, font=footer_font, fill=MUTED, anchor="ls")

    return _png(image)
