"""The delivery PDF's fonts, and which of them draws each piece of a name.

ReportLab embeds TrueType fonts (subset to the glyphs used) but never falls back from one font to
another, so text is cut into runs by script here: Khmer in Noto Sans Khmer (shaped with HarfBuzz,
so vowels and subscript consonants sit where a reader expects them), Chinese, Japanese and Korean
in WenQuanYi Micro Hei, everything else (Latin with Vietnamese diacritics, Greek, Cyrillic) in
Noto Sans. The files are looked for in ``DELIVERY_FONT_DIRS``, then ``fonts/`` in the checkout
(Noto, committed with their licence), then Debian's font folders (``scripts/fonts.sh``).
"""

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SANS, BOLD, KHMER, CJK = "DeliverySans", "DeliverySans-Bold", "DeliveryKhmer", "DeliveryCJK"

# Each font: file names to try, in order (a .ttc holds several; the first face is used).
FILES = {
    SANS: ("NotoSans-Regular.ttf", "DejaVuSans.ttf"),
    BOLD: ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    KHMER: ("NotoSansKhmer-Regular.ttf", "KhmerOS.ttf"),
    CJK: ("wqy-microhei.ttc", "wqy-zenhei.ttc"),
}
SYSTEM_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/wqy",
    "/usr/share/fonts/truetype/khmeros",
    "/usr/share/fonts/truetype/dejavu",
)


class FontMissing(RuntimeError):
    """A font the PDF needs is on none of the folders searched."""


def _dirs() -> list[Path]:
    return (
        [Path(d) for d in settings.DELIVERY_FONT_DIRS] + [settings.BASE_DIR / "fonts"] + [Path(d) for d in SYSTEM_DIRS]
    )


def font_path(name: str) -> Path | None:
    for file_name in FILES[name]:
        for folder in _dirs():
            if (folder / file_name).is_file():
                return folder / file_name
    return None


@functools.cache
def fonts_register() -> frozenset[str]:
    """Register every font found (once per process); the names available. The Latin and Khmer
    fonts are required (they are committed); a missing CJK font leaves those names to Noto Sans,
    which draws empty boxes: ``scripts/fonts.sh`` installs it."""
    found = set()
    for name in FILES:
        path = font_path(name)
        if path is None:
            if name in (SANS, BOLD, KHMER):
                raise FontMissing(f"No file for the {name} font in {', '.join(map(str, _dirs()))}")
            continue
        # Shaping is for Khmer only: Latin and CJK need none, and it costs time per string.
        pdfmetrics.registerFont(TTFont(name, str(path), shapable=name == KHMER))
        found.add(name)
    return frozenset(found)


def _script_font(char: str, cjk: str) -> str:
    code = ord(char)
    if 0x1780 <= code <= 0x17FF or 0x19E0 <= code <= 0x19FF:
        return KHMER
    if (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x2FA1F
    ):
        return cjk
    return ""  # the base font


@dataclass(frozen=True)
class Run:
    font: str
    text: str


def runs(text: str, *, base: str = SANS) -> list[Run]:
    """``text`` cut into pieces each drawn by one font. Spaces and punctuation stay with the run
    they sit in, so a Khmer name keeps its spaces inside one shaped run."""
    cjk = CJK if CJK in fonts_register() else base
    pieces: list[Run] = []
    font, start = None, 0
    for index, char in enumerate(text):
        wanted = _script_font(char, cjk) or (font if (font and not char.isalnum()) else base)
        if wanted != font:
            if font is not None and index > start:
                pieces.append(Run(font, text[start:index]))
            font, start = wanted, index
    if font is not None:
        pieces.append(Run(font, text[start:]))
    return pieces


def markup(text: str, *, base: str = SANS) -> str:
    """``text`` as Paragraph markup with a ``<font>`` tag around each run not in ``base``."""
    from xml.sax.saxutils import escape

    out = []
    for run in runs(text, base=base):
        piece = escape(run.text)
        out.append(piece if run.font == base else f'<font name="{run.font}">{piece}</font>')
    return "".join(out)
