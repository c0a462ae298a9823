"""The printable QR code of an event's short link, drawn here with segno (no outside service)."""

import io

import segno


def qr_code(url: str):
    # Error correction "Q" (25%): still scans from a creased poster or a sign held at an angle.
    return segno.make_qr(url, error="q")


def qr_svg(url: str, *, inline: bool = False) -> bytes:
    """The SVG file, or (``inline``) one to put in a page: no XML declaration, and a viewBox
    instead of a fixed size so CSS can make it as large as the sign."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=10, border=4, xmldecl=not inline, omitsize=inline, title=url)
    return buffer.getvalue()


def qr_png(url: str, *, scale: int = 16) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
