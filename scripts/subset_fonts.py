"""Build the self-hosted fallback fonts in static/fonts/ (run by hand; the output is committed).

    python scripts/subset_fonts.py

Khmer: Noto Sans Khmer (SIL Open Font License 1.1, from Debian's fonts-noto-core), cut to the
Khmer blocks plus the spaces and joiners Khmer text uses, as WOFF2. Traditional Chinese: Noto
Sans CJK TC (OFL 1.1, fonts-noto-cjk), cut to the characters our Chinese interface and campaign
text use (locale/zh_Hant and cms/management/kang_hen_translations.py), so a phone without a CJK
font still renders every word we wrote; an editor's new words fall back to the system's fonts.
Needs fontTools and brotli (requirements-dev.txt). Browsers download a file only when the page
has characters in its unicode-range, so English pages never fetch them.
"""

import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
KHMER_UNICODES = "U+1780-17FF,U+19E0-19FF,U+200B-200D,U+25CC"


def _subset(source: Path, target: Path, *, unicodes=None, text=None, font_number=0) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # Khmer shaping needs every GSUB/GPOS feature
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.font_number = font_number
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(unicodes) if unicodes else [], text=text or "")
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    print(f"{target.relative_to(ROOT)}: {target.stat().st_size:,} bytes")


def _chinese_text() -> str:
    import polib

    sys.path.insert(0, str(ROOT))
    from cms.management.kang_hen_translations import TRANSLATIONS

    po = polib.pofile(str(ROOT / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"))
    texts = [entry.msgstr for entry in po] + [s for e in po for s in e.msgstr_plural.values()]
    texts.append(repr(TRANSLATIONS["zh-hant"]))
    texts.append("繁體中文")
    return "".join(sorted({ch for text in texts for ch in text if ord(ch) > 0x2E7F}))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for weight in ("Regular", "Bold"):
        source = NOTO / f"NotoSansKhmer-{weight}.ttf"
        _subset(source, OUT / f"noto-sans-khmer-{weight.lower()}.woff2", unicodes=KHMER_UNICODES)
    if CJK.exists():
        # Index 3 of the collection is the Traditional Chinese (TC) face.
        _subset(CJK, OUT / "noto-sans-tc-subset.woff2", text=_chinese_text(), font_number=3)
    else:
        print(f"{CJK} not found (apt-get install fonts-noto-cjk): the Chinese subset was not rebuilt")


if __name__ == "__main__":
    main()
