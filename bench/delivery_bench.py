"""How long the petition's delivery package takes for a large petition (issue 18).

    make bench-delivery                       # 100,000 signatures (the default)
    DELIVERY_BENCH_SIGNERS=20000 make bench-delivery

Fills its own PostgreSQL database (``DELIVERY_BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/advocacy_bench_delivery; created when missing, migrated, never
dropped) with the Kang Hen campaign and that many counted signatures (names in Latin,
Vietnamese, Khmer and Chinese; a tenth on paper, a third confirmed, one in twenty with a comment),
then builds the package for the first target exactly as the worker does
(``build.package_write``: one pass over the signatures that writes the manifest, then the PDF)
and prints the time of each part, the pages and the sizes. Writes the PDF and a JSON of the
figures to ``bench/results/``. ``DELIVERY_BENCH_PNG=<folder>`` also renders the first page and
the first page of the signer list as PNGs there (``pdftoppm``, from poppler-utils), which is how
``docs/img/`` was made (with ``DELIVERY_BENCH_SIGNERS=180``).
"""

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "DELIVERY_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/advocacy_bench_delivery"
)
SIGNERS = int(os.environ.get("DELIVERY_BENCH_SIGNERS", "100000"))
FIRST = ["Sok", "សុខា", "Nguyễn Thị", "王", "Maria", "Trần Văn", "ចាន់", "Li", "Đặng", "James"]
LAST = ["Chea", "ចាន់ធី", "Hương", "小明", "Lopez", "Đức", "សុវណ្ណ", "Wei", "Quỳnh Anh", "Okafor"]
CITIES = [("San Jose", "95110"), ("San José", "95112"), ("Milpitas", "95035"), ("Oakland", "94601")]
CITIES += [("Phnom Penh", ""), ("Sacramento", "95814"), ("Gilroy", "95020"), ("Fresno", "93721")]


def say(message: str) -> None:
    print(message, flush=True)


def database_ensure() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def campaign_prepare():
    from io import StringIO

    from django.core.management import call_command

    from cms.models import CampaignPage

    call_command("migrate", "--no-input", verbosity=0)
    call_command("load_campaign", stdout=StringIO())
    page = CampaignPage.campaigns().live().order_by("pk").first()
    if not page.delivery_letter:
        page.delivery_letter = (
            "We, the undersigned, ask you to use the power of your office for Kang Hen, a father, "
            "neighbour and member of our community who faces deportation to a country he left as a child.\n\n"
            "Each name in this petition is a person who signed online, at a rally or on a paper sheet at "
            "church or a community fair. Flagged signatures have been left out, and the manifest delivered "
            "with this document lets anyone check later that the list is unchanged."
        )
        page.save_revision().publish()
    link = page.campaign_targets.select_related("target").first()
    if not link.target.jurisdiction:
        link.target.jurisdiction = "940, 950, 951"
        link.target.save(update_fields=["jurisdiction"])
    return page, link


def signatures_fill(page) -> None:
    """Top the campaign up to SIGNERS counted signatures, in bulk (not measured)."""
    from django.utils import timezone

    from actions.models import Action, ActionKind, SignatureConfirmation, Supporter
    from actions.pii import email_index

    have = Action.objects.filter(campaign=page, kind=ActionKind.SIGN, flagged=False).count()
    start = timezone.now() - datetime.timedelta(days=30)
    for offset in range(have, SIGNERS, 5000):
        numbers = range(offset, min(offset + 5000, SIGNERS))
        supporters = Supporter.objects.bulk_create(
            Supporter(
                email=f"bench{page.pk}-{n}@example.org",
                email_index=email_index(f"bench{page.pk}-{n}@example.org"),
                first_name=FIRST[n % 10],
                last_name=LAST[(n // 10) % 10],
                city=CITIES[n % 8][0],
                postal_code=CITIES[n % 8][1],
            )
            for n in numbers
        )
        actions = Action.objects.bulk_create(
            Action(
                campaign=page,
                kind=ActionKind.SIGN,
                supporter=supporter,
                source="paper" if n % 10 == 0 else "",
                comment="Bring him home to his family." if n % 20 == 0 else "",
                tallied=True,
            )
            for n, supporter in zip(numbers, supporters, strict=True)
        )
        Action.objects.filter(pk__in=[a.pk for a in actions]).update(
            created_at=start + datetime.timedelta(seconds=offset * 20)
        )
        SignatureConfirmation.objects.bulk_create(
            SignatureConfirmation(action=a, campaign=page, title=page.title, page_url="/", confirmed_at=start)
            for n, a in zip(numbers, actions, strict=True)
            if n % 3 == 0
        )
        say(f"  {numbers[-1] + 1:,} signatures")


def measure(page, link) -> dict:
    import io

    from reports.delivery_package import content, fonts, pdf
    from reports.delivery_package.build import heading_for

    fonts.fonts_register()
    manifest = io.StringIO()
    started = time.perf_counter()
    package = content.package_gather(
        content.signers(campaign_id=page.pk), manifest=manifest, jurisdiction=link.target.jurisdiction_prefixes()
    )
    gathered = time.perf_counter()
    output = io.BytesIO()
    pages = pdf.pdf_build(output, package=package, heading=heading_for(page, link))
    drawn = time.perf_counter()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    pdf_path = results / f"delivery-{stamp}.pdf"
    pdf_path.write_bytes(output.getvalue())
    figures = {
        "signatures": package.total,
        "read_and_manifest_seconds": round(gathered - started, 2),
        "pdf_seconds": round(drawn - gathered, 2),
        "total_seconds": round(drawn - started, 2),
        "pages": pages,
        "pdf_bytes": len(output.getvalue()),
        "manifest_bytes": len(manifest.getvalue().encode()),
        "pdf": str(pdf_path.relative_to(ROOT)),
    }
    (results / f"delivery-{stamp}.json").write_text(json.dumps(figures, indent=2))
    return figures


def pngs_render(pdf_path: Path, folder: Path, signer_page: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for page, name in ((1, "delivery-letter"), (signer_page, "delivery-signers")):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", pdf_path, folder / name],
            check=True,
        )
        say(f"  wrote {folder / name}.png")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(DJANGO_SETTINGS_MODULE="advocacy.settings.test", DATABASE_URL=DATABASE_URL)
    os.environ.setdefault("REDIS_URL", "")
    database_ensure()
    import django

    django.setup()
    page, link = campaign_prepare()
    say(f"Filling {DATABASE_URL.rsplit('/', 1)[-1]} to {SIGNERS:,} signatures (not measured)")
    signatures_fill(page)
    say(f"Building the delivery package for {link.target.name}")
    figures = measure(page, link)
    for key, value in figures.items():
        say(f"  {key:28} {value:,}" if isinstance(value, int | float) else f"  {key:28} {value}")
    if folder := os.environ.get("DELIVERY_BENCH_PNG"):
        from pypdf import PdfReader

        reader = PdfReader(ROOT / figures["pdf"])
        signer_page = next(n for n, p in enumerate(reader.pages, 1) if "The signers" in (p.extract_text() or ""))
        pngs_render(ROOT / figures["pdf"], Path(folder), signer_page)


if __name__ == "__main__":
    main()
