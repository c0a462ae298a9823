"""Paper signatures: a CSV or XLSX of names collected on paper, previewed, then imported.

``paper_import_prepare`` reads the file, cleans every cell (one line; a leading ``= + - @``, tab or
CR removed, so nothing is a spreadsheet formula when exported again), and lists each row's
problems: a missing name or email, a bad email, a duplicate inside the file, a supporter who
already signed this campaign. Nothing is written but the ``PaperImport`` awaiting confirmation;
the same file twice (same SHA-256 for the campaign) is refused. ``paper_import_run`` (a Celery
task after confirmation) signs each good row through ``actions.intake.signature_create`` with
``source="paper"`` (``paper-<event code>`` for an event's sheets), reporting progress on the row, and can run twice without signing twice.
"""

import csv
import hashlib
import io
import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import intake
from actions.models import Action, ActionKind
from actions.pii import email_index
from actions.text import clean_line, email_key

from .models import PAPER_SOURCE, PaperImport

logger = logging.getLogger(__name__)

SOURCE = PAPER_SOURCE
PROGRESS_EVERY = 250
FIELDS = {
    "first_name": ("first_name", "first name", "firstname", "given name"),
    "last_name": ("last_name", "last name", "lastname", "surname", "family name"),
    "email": ("email", "email address", "e-mail"),
    "city": ("city", "town"),
    "postal_code": ("postal_code", "zip", "zip code", "postal code", "postcode"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class PaperFileError(ValueError):
    """The file cannot be read at all (the message says why, for the organiser)."""


def cell_clean(value) -> str:
    text = clean_line("" if value is None else str(value))
    while text.startswith(_FORMULA_START):
        text = text[1:].lstrip()
    return text[:100]


def _table(filename: str, data: bytes) -> list[list]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception as error:
            raise PaperFileError(_("This is not a readable XLSX file.")) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PaperFileError(_("Save the CSV as UTF-8 and upload it again.")) from error
    return list(csv.reader(io.StringIO(text)))


def rows_read(filename: str, data: bytes) -> list[dict]:
    """The file's rows as dicts of the known fields, every cell cleaned."""
    table = _table(filename, data)
    if not table:
        raise PaperFileError(_("The file is empty."))
    header = [cell_clean(cell).casefold() for cell in table[0]]
    columns = {field: next((header.index(n) for n in names if n in header), None) for field, names in FIELDS.items()}
    if columns["first_name"] is None or columns["email"] is None:
        raise PaperFileError(_("The first row must name the columns, at least first name, last name and email."))
    rows = []
    for cells in table[1:]:
        if not any(cell not in (None, "") for cell in cells):
            continue  # a blank line
        rows.append({f: cell_clean(cells[i]) if i is not None and i < len(cells) else "" for f, i in columns.items()})
    return rows


def _problems(row: dict, *, seen: dict, signed: set, number: int) -> list[str]:
    problems = []
    if not row["first_name"]:
        problems.append(_("missing first name"))
    if not row["last_name"]:
        problems.append(_("missing last name"))
    if not row["email"]:
        problems.append(_("missing email"))
    else:
        try:
            validate_email(row["email"])
        except ValidationError:
            problems.append(_("bad email"))
        key = email_key(row["email"])
        if key in seen:
            problems.append(_("duplicate of row %(row)s") % {"row": seen[key]})
        else:
            seen[key] = number
        if key in signed:
            problems.append(_("already signed online"))
    return problems


def _already_signed(campaign_id: int, emails: list[str]) -> set[str]:
    """The normalised emails among ``emails`` that already signed, found by their blind index."""
    by_index = {email_index(email): email_key(email) for email in emails}
    indexes = sorted(by_index)
    signed = set()
    for start in range(0, len(indexes), 5000):
        signed.update(
            by_index[index]
            for index in Action.objects.filter(
                campaign_id=campaign_id, kind=ActionKind.SIGN, supporter__email_index__in=indexes[start : start + 5000]
            ).values_list("supporter__email_index", flat=True)
        )
    return signed


def paper_import_prepare(*, campaign_id: int, filename: str, data: bytes, collected_on, event=None, user=None):
    """(the new PaperImport awaiting confirmation, None), or (None, the earlier import of this file)."""
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = PaperImport.objects.filter(campaign_id=campaign_id, sha256=sha256).first()
    if earlier is not None:
        return None, earlier
    rows = rows_read(filename, data)
    signed = _already_signed(campaign_id, sorted({r["email"] for r in rows if r["email"]}))
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as a spreadsheet counts
        row["row"] = number
        row["problems"] = _problems(row, seen=seen, signed=signed, number=number)
    try:
        # A savepoint: the same file uploaded twice at the same moment (a double click, two
        # organisers) passes the check above twice; the unique (campaign, sha256) stops the second,
        # which then answers with the first import, as a later upload would.
        with transaction.atomic():
            paper = PaperImport.objects.create(
                campaign_id=campaign_id,
                event=event,
                collected_on=collected_on,
                filename=filename[:200],
                sha256=sha256,
                rows=rows,
                total_rows=len(rows),
                problem_rows=sum(1 for row in rows if row["problems"]),
                created_by=user,
            )
    except IntegrityError:
        return None, PaperImport.objects.get(campaign_id=campaign_id, sha256=sha256)
    logger.info("paper import %s prepared: %d rows", paper.pk, len(rows))
    return paper, None


def paper_import_confirm(*, import_id: int) -> bool:
    """Queue a previewed import; False when it was already confirmed."""
    return bool(
        PaperImport.objects.filter(pk=import_id, status=PaperImport.Status.PREVIEW).update(
            status=PaperImport.Status.QUEUED
        )
    )


def paper_import_run(*, import_id: int) -> int:
    """Sign every good row of a confirmed import; the number signed. Safe to run twice."""
    claimed = PaperImport.objects.filter(
        pk=import_id, status__in=[PaperImport.Status.QUEUED, PaperImport.Status.RUNNING]
    ).update(status=PaperImport.Status.RUNNING)
    if not claimed:
        return 0
    paper = PaperImport.objects.get(pk=import_id)
    imported, skipped = paper.imported, paper.skipped
    for index in range(paper.done_rows, len(paper.rows)):
        row = paper.rows[index]
        if row["problems"]:
            skipped += 1
        elif _row_sign(paper, row):
            imported += 1
        if (index + 1) % PROGRESS_EVERY == 0:
            PaperImport.objects.filter(pk=paper.pk).update(done_rows=index + 1, imported=imported, skipped=skipped)
    PaperImport.objects.filter(pk=paper.pk).update(
        done_rows=len(paper.rows),
        imported=imported,
        skipped=skipped,
        status=PaperImport.Status.DONE,
        finished_at=timezone.now(),
    )
    logger.info("paper import %s done: %d signed, %d skipped", paper.pk, imported, skipped)
    return imported


def paper_source(event) -> str:
    """``paper``, or ``paper-<event code>`` for sheets collected at an event (counted per event)."""
    return f"{SOURCE}-{event.code}" if event is not None else SOURCE


def _row_sign(paper: PaperImport, row: dict) -> bool:
    result = intake.signature_create(
        campaign_id=paper.campaign_id,
        first_name=row["first_name"],
        last_name=row["last_name"],
        email=row["email"],
        city=row["city"],
        postal_code=row["postal_code"],
        submission=intake.Submission(source=paper_source(paper.event)),
    )
    return result.created
