"""What goes into one target's delivery package, read in one pass over the counted signatures.

The pass writes the manifest CSV as it goes and keeps what the PDF needs: the totals (online,
paper, confirmed), counts by ZIP code and by city with the target's jurisdiction first, the public
comments and the signer list (name, city, date: never an email). Flagged signatures are left out.
Supporters' details are read through the model's attributes, never raw SQL, so fields stored
encrypted read the same.

**The manifest.** One CSV row per signer: ``row, name, city, date, source, confirmed, sha256``,
where ``sha256`` is the SHA-256 (hex) of the row's first six cells exactly as written, joined by
the unit separator U+001F and encoded as UTF-8. The last row, ``all rows``, holds the SHA-256 of
every row's hash joined by newlines, in order: change, add or drop one signer and it no longer
matches. That list hash is printed in the PDF and kept in the export log.
"""

import csv
import datetime
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from actions.models import Action, ActionKind

from ..exports import CHUNK_SIZE, cell_safe

MANIFEST_HEADINGS = ["row", "name", "city", "date", "source", "confirmed", "sha256"]
LIST_ROW_LABEL = "all rows"
SEPARATOR = "\x1f"
# Beyond this many ZIP codes or cities per table, the rest are summed in one line.
PLACES_SHOWN = 60


@dataclass(frozen=True, slots=True)
class Signer:
    name: str
    city: str
    postal_code: str
    day: datetime.date
    comment: str
    paper: bool
    confirmed: bool


def is_paper(source: str) -> bool:
    return source == "paper" or source.startswith("paper-")


def signers(*, campaign_id: int) -> Iterator[Signer]:
    """Each counted signature of the campaign, oldest first, streamed."""
    actions = (
        Action.objects.filter(campaign_id=campaign_id, kind=ActionKind.SIGN, flagged=False)
        .select_related("supporter")
        .annotate(confirmed_at=F("confirmation__confirmed_at"))
        .order_by("created_at", "id")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for action in actions:
        supporter = action.supporter
        yield Signer(
            name=supporter.full_name,
            city=supporter.city.strip(),
            postal_code=supporter.postal_code.strip(),
            day=timezone.localtime(action.created_at).date(),
            comment=action.comment.strip(),
            paper=is_paper(action.source),
            confirmed=action.confirmed_at is not None,
        )


def zip5(postal_code: str) -> str:
    digits = "".join(ch for ch in postal_code if ch.isdigit())
    return digits[:5]


def in_jurisdiction(postal_code: str, prefixes: tuple[str, ...]) -> bool:
    """Whether a ZIP code is in the target's jurisdiction (no prefixes: everywhere is)."""
    code = zip5(postal_code)
    return not prefixes or (bool(code) and code.startswith(prefixes))


def manifest_row_hash(cells: list[str]) -> str:
    return hashlib.sha256(SEPARATOR.join(cells).encode("utf-8")).hexdigest()


def manifest_list_hash(row_hashes: list[str]) -> str:
    return hashlib.sha256("\n".join(row_hashes).encode("ascii")).hexdigest()


@dataclass
class Places:
    """Signatures per place, split into inside and outside the jurisdiction."""

    inside: Counter = field(default_factory=Counter)
    outside: Counter = field(default_factory=Counter)

    def add(self, key: str, inside: bool) -> None:
        (self.inside if inside else self.outside)[key] += 1


@dataclass
class Package:
    """Everything the PDF shows, gathered while the manifest is written."""

    signers: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    total: int = 0
    paper: int = 0
    confirmed: int = 0
    in_jurisdiction: int = 0
    by_zip: Places = field(default_factory=Places)
    by_city: Places = field(default_factory=Places)
    list_sha256: str = ""

    @property
    def online(self) -> int:
        return self.total - self.paper


def package_gather(rows, *, manifest, jurisdiction: tuple[str, ...], progress=None) -> Package:
    """Read ``rows`` (``Signer``s) once: write the manifest CSV to the text file ``manifest`` and
    return the package's contents. ``progress(done)`` is called every 5,000 rows."""
    writer = csv.writer(manifest, lineterminator="\r\n")
    writer.writerow(MANIFEST_HEADINGS)
    package, hashes = Package(), []
    for number, signer in enumerate(rows, 1):
        cells = [
            str(number),
            cell_safe(signer.name),
            cell_safe(signer.city),
            signer.day.isoformat(),
            "paper" if signer.paper else "online",
            "yes" if signer.confirmed else "no",
        ]
        row_hash = manifest_row_hash(cells)
        writer.writerow([*cells, row_hash])
        hashes.append(row_hash)
        inside = in_jurisdiction(signer.postal_code, jurisdiction)
        package.total += 1
        package.paper += signer.paper
        package.confirmed += signer.confirmed
        package.in_jurisdiction += inside
        package.by_zip.add(zip5(signer.postal_code) or "—", inside)
        package.by_city.add(signer.city.title() or "—", inside)
        package.signers.append((signer.name, signer.city, signer.day))
        if signer.comment:
            package.comments.append((signer.name, signer.city, signer.comment))
        if progress is not None and number % 5000 == 0:
            progress(number)
    package.list_sha256 = manifest_list_hash(hashes)
    writer.writerow([LIST_ROW_LABEL, "", "", "", "", "", package.list_sha256])
    return package


def manifest_check(text: str) -> bool:
    """Whether a manifest's hashes all match its rows (what an organiser runs to prove it)."""
    rows = list(csv.reader(text.splitlines()))[1:]
    *body, last = rows
    hashes = []
    for row in body:
        if manifest_row_hash(row[:6]) != row[6]:
            return False
        hashes.append(row[6])
    return last[0] == LIST_ROW_LABEL and last[6] == manifest_list_hash(hashes)
