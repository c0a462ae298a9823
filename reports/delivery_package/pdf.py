"""The delivery PDF for one target, drawn with ReportLab.

ReportLab rather than WeasyPrint: it is pure Python plus one wheel (no Pango or Cairo on the
server), embeds subset TrueType fonts, shapes Khmer through HarfBuzz, and draws the signer list
straight onto the page, so a petition of 100,000 names takes seconds, not minutes (see
``bench/delivery_bench.py``). The first pages (cover letter, the ask, totals, places, comments)
are Platypus paragraphs and tables; the signer list is ``SignerRows`` flowables that draw rows
directly, one font run at a time (``fonts.runs``).
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import number_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import fonts
from .content import PLACES_SHOWN, Package

MARGIN = 18 * mm
ROW_HEIGHT = 13.5
ROWS_PER_BLOCK = 50
LIST_FONT_SIZE = 9
COMMENTS_SHOWN = 2000


@dataclass(frozen=True)
class Heading:
    """What the PDF says about the campaign and the target (plain values, no models)."""

    campaign_title: str
    target_name: str
    target_title: str
    salutation: str
    ask: str
    letter: str
    sender_name: str
    jurisdiction: str


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.SANS, fontSize=10.5, leading=15, spaceAfter=6, shaping=1)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=18, leading=23, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=base, fontName=fonts.BOLD, fontSize=13, leading=18, spaceBefore=8),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444")),
        "comment": ParagraphStyle("comment", parent=base, fontSize=9.5, leading=13, leftIndent=8, spaceAfter=4),
    }


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _p(text: str, style) -> Paragraph:
    return Paragraph(fonts.markup(text, base=style.fontName), style)


def _letter(heading: Heading, styles) -> list:
    story = [_p(heading.campaign_title, styles["title"])]
    story.append(_p(f"{heading.target_name}, {heading.target_title}", styles["h2"]))
    story.append(_p(f"{timezone.localdate():%B %-d, %Y}", styles["small"]))
    story.append(Spacer(1, 6 * mm))
    if heading.salutation:
        story.append(_p(heading.salutation + ",", styles["body"]))
    for paragraph in (heading.letter or "").replace("\r\n", "\n").split("\n\n"):
        if paragraph.strip():
            story.append(_p(" ".join(paragraph.split()), styles["body"]))
    if heading.sender_name:
        story.append(_p(heading.sender_name, styles["body"]))
    if heading.ask:
        story += [_p("The ask", styles["h2"]), _p(heading.ask, styles["body"])]
    return story


def _table(rows, widths, header=True) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), fonts.SANS, 9.5),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        style.append(("FONT", (0, 0), (-1, 0), fonts.BOLD, 9.5))
    table.setStyle(TableStyle(style))
    return table


def _totals(package: Package, heading: Heading, styles) -> list:
    rows = [
        ["", "Signatures"],
        ["All counted signatures", _n(package.total)],
        ["Signed online", _n(package.online)],
        ["Signed on paper", _n(package.paper)],
        ["Confirmed by email", _n(package.confirmed)],
    ]
    if heading.jurisdiction:
        rows.append([f"In the jurisdiction (ZIP {heading.jurisdiction})", _n(package.in_jurisdiction)])
    return [_p("Totals", styles["h2"]), _table(rows, [110 * mm, 35 * mm])]


def _places(title: str, places, styles) -> list:
    story = [_p(title, styles["h2"])]
    for label, counter in (("In the jurisdiction", places.inside), ("Elsewhere", places.outside)):
        if not counter:
            continue
        shown = counter.most_common(PLACES_SHOWN)
        rows = [[label, "Signatures"]] + [[Paragraph(fonts.markup(k), styles["body"]), _n(n)] for k, n in shown]
        rest = sum(counter.values()) - sum(n for _, n in shown)
        if rest:
            rows.append([f"{_n(len(counter) - len(shown))} more", _n(rest)])
        story += [_table(rows, [110 * mm, 35 * mm]), Spacer(1, 4 * mm)]
    return story


def _comments(package: Package, styles) -> list:
    if not package.comments:
        return []
    story = [PageBreak(), _p("What supporters wrote", styles["h2"])]
    for name, city, comment in package.comments[:COMMENTS_SHOWN]:
        who = f"{name}, {city}" if city else name
        story.append(_p(f"“{' '.join(comment.split())}” — {who}", styles["comment"]))
    if len(package.comments) > COMMENTS_SHOWN:
        story.append(_p(f"…and {_n(len(package.comments) - COMMENTS_SHOWN)} more comments.", styles["small"]))
    return story


class SignerRows(Flowable):
    """Up to ``ROWS_PER_BLOCK`` rows of the signer list with its column headings, drawn directly
    (a Platypus table per row would be far slower for 100,000 names)."""

    COLUMNS = (("", 14 * mm), ("Name", 78 * mm), ("City", 52 * mm), ("Date", 30 * mm))

    def __init__(self, rows, first_number: int):
        super().__init__()
        self.rows, self.first_number = rows, first_number

    def wrap(self, available_width, available_height):
        return available_width, ROW_HEIGHT * (len(self.rows) + 1) + 4

    def _cell(self, canvas, x, y, text, width):
        for run in fonts.runs(_fit(text, width)):
            canvas.setFont(run.font, LIST_FONT_SIZE)
            shaped = run.font == fonts.KHMER
            canvas.drawString(x, y, run.text, shaping=shaped)
            x += stringWidth(run.text, run.font, LIST_FONT_SIZE)

    def draw(self):
        canvas = self.canv
        top = ROW_HEIGHT * (len(self.rows) + 1)
        x = 0
        canvas.setFont(fonts.BOLD, LIST_FONT_SIZE)
        for title, width in self.COLUMNS:
            canvas.drawString(x, top - ROW_HEIGHT + 3, title)
            x += width
        canvas.setLineWidth(0.5)
        canvas.line(0, top - ROW_HEIGHT, sum(w for _, w in self.COLUMNS), top - ROW_HEIGHT)
        for index, (name, city, day) in enumerate(self.rows):
            y = top - ROW_HEIGHT * (index + 2) + 3
            canvas.setFont(fonts.SANS, LIST_FONT_SIZE)
            canvas.drawRightString(self.COLUMNS[0][1] - 6, y, str(self.first_number + index))
            x = self.COLUMNS[0][1]
            self._cell(canvas, x, y, name, self.COLUMNS[1][1] - 4)
            x += self.COLUMNS[1][1]
            self._cell(canvas, x, y, city, self.COLUMNS[2][1] - 4)
            x += self.COLUMNS[2][1]
            canvas.setFont(fonts.SANS, LIST_FONT_SIZE)
            canvas.drawString(x, y, day.isoformat())


def _fit(text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points (measured in the base font: close
    enough for a cut, and the column keeps a margin)."""
    if stringWidth(text, fonts.SANS, LIST_FONT_SIZE) <= width:
        return text
    while text and stringWidth(text + "…", fonts.SANS, LIST_FONT_SIZE) > width:
        text = text[:-1]
    return text + "…"


def _signer_list(package: Package, styles) -> list:
    story = [PageBreak(), _p(f"The signers ({_n(package.total)})", styles["h2"])]
    rows = package.signers
    for start in range(0, len(rows), ROWS_PER_BLOCK):
        story.append(SignerRows(rows[start : start + ROWS_PER_BLOCK], start + 1))
    return story


def pdf_build(output, *, package: Package, heading: Heading) -> int:
    """Write the PDF to ``output`` (a binary file); the number of pages."""
    fonts.fonts_register()
    styles = _styles()
    footer = f"{heading.campaign_title} · to {heading.target_name} · manifest SHA-256 {package.list_sha256[:16]}…"

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont(fonts.SANS, 7.5)
        canvas.drawString(MARGIN, 10 * mm, footer[:140])
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    story = _letter(heading, styles)
    story += _totals(package, heading, styles)
    story += (
        [PageBreak()] + _places("By ZIP code", package.by_zip, styles) + _places("By city", package.by_city, styles)
    )
    story += _comments(package, styles)
    story += _signer_list(package, styles)
    story += [
        Spacer(1, 6 * mm),
        _p("Manifest", styles["h2"]),
        _p(
            "Every signer above is one row of the manifest CSV delivered with this document. Each row "
            "carries the SHA-256 of its cells; the SHA-256 of the whole list is:",
            styles["small"],
        ),
        _p(package.list_sha256, styles["small"]),
    ]
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{heading.campaign_title}: petition to {heading.target_name}",
        author=heading.sender_name,
        initialFontName=fonts.SANS,
        initialFontSize=10,
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return document.page
