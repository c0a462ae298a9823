"""Spreadsheet and print exports that stream: memory stays flat whatever the row count.

Rows come from ``values_list(...).iterator(chunk_size=...)`` (a server-side cursor on
PostgreSQL), are made safe cell by cell, and leave the process as they are produced: CSV and the
printable page through ``StreamingHttpResponse``, XLSX through openpyxl's write-only workbook
spooled to a temporary file.
"""

import csv
import datetime
import io
import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator

from django.utils import timezone
from django.utils.html import escape

CHUNK_SIZE = 2000
# Cells a spreadsheet would read as a formula (or that hide one behind whitespace).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_STARTS = frozenset(FORMULA_PREFIXES)
# One sheet holds 1,048,576 rows; start a new sheet well before that.
XLSX_ROWS_PER_SHEET = 1_000_000


def cell_safe(value):
    """Neutralise spreadsheet formula injection: a text cell starting like a formula gets a
    leading apostrophe, which spreadsheets show as text and never evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return cell_safe(value)


def _xlsx_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # Spreadsheets have no time zones: show the campaign's local time.
        return timezone.make_naive(timezone.localtime(value)).replace(microsecond=0)
    return cell_safe(value)


# Rows written to the buffer between checks of its size, and the size at which it is sent: a
# chunk per row would cost a WSGI write (and a socket send) per row, which capped the export far
# below the speed of the database cursor.
CSV_ROWS_PER_WRITE = 500
CSV_CHUNK_CHARS = 1 << 16


def _csv_cell(value, time_zone):
    """One cell as text: like ``_plain``, with the time zone looked up once per export."""
    if value.__class__ is datetime.datetime and value.tzinfo is not None:
        return value.astimezone(time_zone).strftime("%Y-%m-%d %H:%M:%S")
    return _plain(value)


def csv_stream(headings: list[str], rows: Iterable[tuple], on_done: Callable[[int], None] | None = None) -> Iterator:
    """Yield CSV text in chunks of about 64 KB; ``on_done(row_count)`` runs once the last row has gone.

    Most cells are plain text that cannot be read as a formula: those pass through untouched,
    without a function call; everything else goes through ``_csv_cell``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    time_zone = timezone.get_current_timezone()
    # A byte-order mark lets spreadsheet programs detect UTF-8 (names in any script).
    buffer.write("\ufeff")
    writer.writerow([cell_safe(h) for h in headings])
    count = 0
    rows = iter(rows)
    while batch := list(itertools.islice(rows, CSV_ROWS_PER_WRITE)):
        count += len(batch)
        writer.writerows(
            [
                value if value.__class__ is str and value[:1] not in FORMULA_STARTS else _csv_cell(value, time_zone)
                for value in row
            ]
            for row in batch
        )
        if buffer.tell() >= CSV_CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
    if on_done is not None:
        on_done(count)


def xlsx_file(headings: list[str], rows: Iterable[tuple]):
    """Write an XLSX workbook to an anonymous temporary file; returns (file, row_count).

    openpyxl's write-only mode keeps each sheet on disk as it grows, so memory does not grow
    with the number of rows. The file disappears when closed.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = None
    count = 0

    def new_sheet(number):
        ws = workbook.create_sheet(title=f"Rows {number}")
        ws.append([cell_safe(h) for h in headings])
        return ws

    for row in rows:
        if count % XLSX_ROWS_PER_SHEET == 0:
            sheet = new_sheet(count // XLSX_ROWS_PER_SHEET + 1)
        # Plain values are several times faster than WriteOnlyCell objects. openpyxl would store
        # a text starting with "=" as a formula, but cell_safe has already prefixed every such
        # text with an apostrophe, so none reaches it.
        sheet.append([_xlsx_value(value) for value in row])
        count += 1
    if sheet is None:
        new_sheet(1)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output, count


def html_rows_stream(
    head: str, foot: str, rows: Iterable[tuple], on_done: Callable[[int], None] | None = None
) -> Iterator[str]:
    """Yield a printable HTML page: ``head``, one escaped table row per item, then ``foot``."""
    yield head
    count = 0
    buffer = []
    for row in rows:
        count += 1
        buffer.append("<tr>" + "".join(f"<td>{escape(_plain(value))}</td>" for value in row) + "</tr>\n")
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)
    yield foot
    if on_done is not None:
        on_done(count)
