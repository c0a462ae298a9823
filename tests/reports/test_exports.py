"""Export contents, headers, formula neutralising, escaping and the export log."""

import csv
import io
import re
import tracemalloc
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import cell_safe
from reports.generate import generate
from reports.models import ExportLog
from tests.factories import ActionFactory, SupporterFactory, campaign_page

pytestmark = pytest.mark.django_db

SIGNATURE_HEADINGS = [
    "Signed", "First name", "Last name", "Email", "City", "Postal code", "Country", "Campaign", "Comment",
    "Source", "Referrer code", "Consent", "Flagged", "Flag reason",
]  # fmt: skip


def _csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def signatures():
    campaign = campaign_page(title="Free Kang Hen")
    other = campaign_page(title="Other campaign")
    hostile = SupporterFactory(
        first_name='=HYPERLINK("http://evil")', last_name="@SUM(A1)", city="-2+3", email="h@example.org"
    )
    ActionFactory(campaign=campaign, supporter=hostile, comment="+cmd|' /C calc'!A0", source="facebook", consent=True)
    ActionFactory(
        campaign=campaign,
        supporter=SupporterFactory(first_name="Linh", last_name="Tran", city="San Jose", email="linh.tran@example.org"),
        comment="<b>Bring him home</b>",
        source="twitter",
    )
    ActionFactory(campaign=campaign, supporter=SupporterFactory(first_name="Bot"), flagged=True, flag_reason="too_fast")
    ActionFactory(campaign=other, supporter=SupporterFactory(first_name="Elsewhere"))
    ActionFactory(campaign=campaign, kind="call", outcome="reached", supporter=SupporterFactory(first_name="Caller"))
    return campaign


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("ok", "ok"),
        (5, 5),
    ],
)
def test_cell_safe_neutralises_formulas(value, expected):
    assert cell_safe(value) == expected


def test_signatures_csv_has_headers_rows_and_no_live_formulas(organiser_client, signatures):
    url = reverse("reports:signatures") + f"?campaign={signatures.pk}&export=csv"
    rows = _csv(organiser_client.get(url))
    assert rows[0] == SIGNATURE_HEADINGS
    by_first = {row[1]: dict(zip(SIGNATURE_HEADINGS, row, strict=True)) for row in rows[1:]}
    assert set(by_first) == {'\'=HYPERLINK("http://evil")', "Linh", "Bot"}
    hostile = by_first['\'=HYPERLINK("http://evil")']
    assert (hostile["Last name"], hostile["City"], hostile["Comment"]) == ("'@SUM(A1)", "'-2+3", "'+cmd|' /C calc'!A0")
    assert (hostile["Email"], hostile["Campaign"], hostile["Consent"]) == ("h@example.org", "Free Kang Hen", "yes")
    assert by_first["Bot"]["Flagged"] == "yes" and by_first["Bot"]["Flag reason"] == "too_fast"
    for row in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row if cell), row


def test_signature_filters_apply_to_the_export(organiser_client, signatures):
    base = reverse("reports:signatures") + f"?campaign={signatures.pk}&export=csv"
    assert [r[1] for r in _csv(organiser_client.get(base + "&flagged=false&source=twitter"))[1:]] == ["Linh"]
    assert [r[1] for r in _csv(organiser_client.get(base + "&flagged=true"))[1:]] == ["Bot"]
    assert len(_csv(organiser_client.get(base + "&consent=true"))) == 2
    # Search is by exact email through the blind index (case and +tags folded), never by name.
    assert [r[1] for r in _csv(organiser_client.get(base + "&q=Linh.Tran%2Bx@Example.org"))[1:]] == ["Linh"]
    assert _csv(organiser_client.get(base + "&q=Tran"))[1:] == []


def test_an_invalid_filter_never_widens_the_export(organiser_client, signatures):
    response = organiser_client.get(reverse("reports:signatures") + "?campaign=999999&export=csv")
    assert response.status_code == 400
    assert not ExportLog.objects.exists()


def test_signatures_xlsx_parses_back_with_the_same_rows(organiser_client, signatures):
    url = reverse("reports:signatures") + f"?campaign={signatures.pk}&export=xlsx"
    response = organiser_client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == SIGNATURE_HEADINGS
    assert sorted(row[1] for row in rows[1:]) == sorted(['\'=HYPERLINK("http://evil")', "Linh", "Bot"])
    hostile = next(row for row in rows if row[1].startswith("'="))
    assert hostile[2] == "'@SUM(A1)" and hostile[8] == "'+cmd|' /C calc'!A0"


def test_every_export_is_logged_with_filter_and_row_count(organiser_client, organiser, signatures):
    url = reverse("reports:signatures") + f"?campaign={signatures.pk}&flagged=false&q=someone@example.org&export=csv"
    _csv(organiser_client.get(url))
    log = ExportLog.objects.get()
    assert (log.user, log.report, log.export_format, log.row_count) == (organiser, "signatures", "csv", 0)
    assert f"campaign={signatures.pk}" in log.querystring and "flagged=false" in log.querystring
    assert "someone" not in log.querystring  # a search may be an email address: not logged
    page = organiser_client.get(reverse("reports:export_log")).content.decode()
    assert "olivia-organiser" in page and "signatures" in page


def test_petition_delivery_csv_lists_counted_signatures_only(organiser_client, signatures):
    rows = _csv(organiser_client.get(reverse("reports:delivery_csv", args=[signatures.pk])))
    assert rows[0] == ["Name", "City", "Comment", "Date"]
    names = [row[0] for row in rows[1:]]
    assert sorted(names) == sorted(['\'=HYPERLINK("http://evil") @SUM(A1)', "Linh Tran"])
    linh = next(row for row in rows if row[0] == "Linh Tran")
    assert linh[1:3] == ["San Jose", "<b>Bring him home</b>"]
    assert ExportLog.objects.get().row_count == 2


def test_printable_petition_escapes_markup(organiser_client, signatures):
    response = organiser_client.get(reverse("reports:delivery_print", args=[signatures.pk]))
    html = b"".join(response.streaming_content).decode()
    assert "<b>Bring him home</b>" not in html
    assert "&lt;b&gt;Bring him home&lt;/b&gt;" in html
    assert html.count("<tr><td>") == 2 and html.rstrip().endswith("</html>")
    assert "Bot" not in html and "Elsewhere" not in html


def test_calls_report_sums_totals_per_day_target_and_outcome(organiser_client):
    from actions import totals
    from tests.factories import TargetFactory

    target = TargetFactory(name="DA Rosen")
    campaign = campaign_page(targets=[target])
    for outcome in ["reached", "reached", "voicemail"]:
        ActionFactory(campaign=campaign, kind="call", target=target, outcome=outcome)
    totals.totals_fold()
    rows = _csv(organiser_client.get(reverse("reports:calls") + f"?campaign={campaign.pk}&export=csv"))
    assert rows[0] == ["Day", "Target", "Outcome", "Calls counted", "Flagged"]
    assert sorted(row[1:] for row in rows[1:]) == [
        ["DA Rosen, District Attorney", "reached", "2", "0"],
        ["DA Rosen, District Attorney", "voicemail", "1", "0"],
    ]
    page = organiser_client.get(reverse("reports:calls") + f"?campaign={campaign.pk}").content.decode()
    assert "DA Rosen" in page


def _status_kb(field):
    with open("/proc/self/status") as status:
        return int(re.search(rf"{field}:\s+(\d+)", status.read()).group(1))


class _PeakMemory:
    """Growth of the process's peak resident memory over a block, in bytes.

    On Linux the kernel's high-water mark is reset first (cheap and exact for the whole
    process); elsewhere tracemalloc measures Python allocations instead.
    """

    def __enter__(self):
        try:
            with open("/proc/self/clear_refs", "w") as clear_refs:
                clear_refs.write("5")
            self.rss_before = _status_kb("VmRSS")
            self.tracing = False
        except OSError:
            tracemalloc.start()
            self.tracing = True
        return self

    def __exit__(self, *exc):
        if self.tracing:
            self.growth = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        else:
            self.growth = (_status_kb("VmHWM") - self.rss_before) * 1024


def test_exporting_200000_signatures_keeps_memory_flat(organiser_client):
    campaign = campaign_page()
    generate(campaign=campaign, targets=[], actions=200_000, seed=3, mix={"sign": 1.0})
    url = reverse("reports:signatures") + f"?campaign={campaign.pk}&export=csv"
    rows = size = 0
    with _PeakMemory() as memory:
        response = organiser_client.get(url)
        for chunk in response.streaming_content:
            rows += chunk.count(b"\n")
            size += len(chunk)
    assert rows == 200_001
    # 200,000 rows are about 27 MB of CSV; holding them, or their rows as Python objects
    # (hundreds of MB), would break this bound. Streaming costs a few chunks.
    assert size > 15_000_000
    assert memory.growth < 20_000_000, f"peak memory grew by {memory.growth:,} bytes"


def test_a_report_without_an_export_does_not_pretend_to_have_one(organiser_client):
    assert organiser_client.get(reverse("reports:export_log") + "?export=csv").status_code == 404
    assert not ExportLog.objects.exists()


def test_the_csv_leaves_in_large_chunks_not_a_write_per_row(organiser_client):
    campaign = campaign_page()
    generate(campaign=campaign, targets=[], actions=3_000, seed=5, mix={"sign": 1.0})
    response = organiser_client.get(reverse("reports:signatures") + f"?campaign={campaign.pk}&export=csv")
    chunks = list(response.streaming_content)
    assert sum(chunk.count(b"\n") for chunk in chunks) == 3_001
    # About 400 KB of CSV: a handful of ~64 KB chunks, each ending on a whole row.
    assert len(chunks) < 20 and all(chunk.endswith(b"\n") for chunk in chunks)


def test_csv_cells_are_the_same_whether_the_database_or_python_writes_them(signatures, settings):
    from actions.models import Action
    from reports import exports, selectors

    settings.TIME_ZONE = "America/Los_Angeles"
    lookups = ["created_at", "supporter__first_name", "consent", "flagged", "comment"]
    queryset = Action.objects.filter(campaign=signatures, kind="sign").order_by("pk")
    from_text = list(selectors.export_values(queryset, lookups, as_text=True))
    from_values = list(selectors.export_values(queryset, lookups))
    assert len(from_text) == len(from_values) == 3

    def written(rows):
        return list(csv.reader(io.StringIO("".join(exports.csv_stream(lookups, rows)).lstrip("\ufeff"))))

    assert written(from_text) == written(from_values)
    signed = written(from_values)[1][0]
    local = Action.objects.get(pk=queryset.first().pk).created_at.astimezone(ZoneInfo("America/Los_Angeles"))
    assert signed == local.strftime("%Y-%m-%d %H:%M:%S")
