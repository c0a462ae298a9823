"""The delivery package (issue 18): a PDF per target built by a worker, parsed back here (pages,
totals, a Khmer name drawn from the embedded Khmer font), and a manifest whose hashes match its
rows; flagged signatures and emails never in it; each generation logged; lost jobs time out."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.models import SignatureConfirmation
from reports import services
from reports.delivery_package import content, fonts
from reports.models import ExportLog
from tests.factories import ActionFactory, SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db

Job = ExportLog.JobStatus
KHMER_NAME = ("សុខា", "ចាន់")


@pytest.fixture
def exports_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {**settings.STORAGES["exports"], "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


@pytest.fixture
def campaign():
    rosen = TargetFactory(name="Jeff Rosen", salutation="Dear District Attorney Rosen", jurisdiction="950, 951")
    page = campaign_page(
        targets=[rosen],
        title="Free Kang Hen",
        delivery_letter="We deliver this petition on behalf of every signer.\n\nPlease act now.",
    )
    people = [
        ("Sok", "Chea", "San Jose", "95110", "online", "Bring him home."),
        (*KHMER_NAME, "Phnom Penh", "", "online", ""),
        ("Nguyễn", "Thị Hương", "San José", "95112", "paper", ""),
        ("王", "小明", "Oakland", "94601", "online", '=HYPERLINK("http://evil")'),
        ("Maria", "Lopez", "San Jose", "95110", "paper-abc", ""),
    ]
    for first, last, city, zip_code, source, comment in people:
        supporter = SupporterFactory(first_name=first, last_name=last, city=city, postal_code=zip_code)
        action = ActionFactory(campaign=page, supporter=supporter, source=source, comment=comment)
        if first == "Sok":
            SignatureConfirmation.objects.create(
                action=action, campaign=page, title=page.title, page_url="http://x/", confirmed_at=timezone.now()
            )
    flagged = SupporterFactory(first_name="Bot", last_name="Flagged")
    ActionFactory(campaign=page, supporter=flagged, flagged=True, flag_reason="honeypot")
    return page


def generate(client, campaign, callbacks):
    target = campaign.campaign_targets.get().target
    with callbacks(execute=True):
        response = client.post(reverse("reports:delivery_package", args=[campaign.pk, target.pk]))
    assert response.status_code == 302
    log = ExportLog.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200
    links = re.findall(rb'href="([^"]+/download/[^"]+)"', page.content)
    return log, [link.decode() for link in links], page


def test_the_package_is_built_in_the_background_logged_and_parses_back(
    organiser_client, campaign, exports_dir, django_capture_on_commit_callbacks
):
    log, (pdf_url, manifest_url), page = generate(organiser_client, campaign, django_capture_on_commit_callbacks)
    log.refresh_from_db()
    assert (log.job_status, log.export_format, log.row_count) == (Job.READY, "pdf", 5)
    assert log.report == f"delivery-package:{campaign.pk}:{campaign.campaign_targets.get().target_id}"
    assert len(log.content_sha256) == 64 and log.content_sha256.encode() in page.content

    pdf = organiser_client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert len(reader.pages) == 4  # letter and totals; places; comments; signers
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Dear District Attorney Rosen" in text and "Please act now." in text
    assert "Act now, Jeff Rosen" in text  # the ask
    totals = re.sub(r"\s+", " ", text)
    for line in (
        "All counted signatures 5",
        "Signed online 3",
        "Signed on paper 2",
        "Confirmed by email 1",
        "In the jurisdiction (ZIP 950, 951) 3",
    ):
        assert line in totals
    assert "Bring him home." in text and "Nguyễn Thị Hương" in text and "王 小明" in text
    assert "Flagged" not in text and "@example.org" not in text  # flagged and emails left out
    assert log.content_sha256 in text

    manifest = b"".join(organiser_client.get(manifest_url).streaming_content).decode("utf-8-sig")
    assert content.manifest_check(manifest)
    rows = list(csv.reader(manifest.splitlines()))
    assert rows[0] == content.MANIFEST_HEADINGS and rows[-1][6] == log.content_sha256
    assert [r[1] for r in rows[1:-1]] == [
        "Sok Chea",
        " ".join(KHMER_NAME),
        "Nguyễn Thị Hương",
        "王 小明",
        "Maria Lopez",
    ]
    assert "@" not in manifest


def test_a_khmer_name_is_drawn_with_the_embedded_khmer_font(
    organiser_client, campaign, exports_dir, django_capture_on_commit_callbacks
):
    log, (pdf_url, _), _ = generate(organiser_client, campaign, django_capture_on_commit_callbacks)
    reader = PdfReader(io.BytesIO(b"".join(organiser_client.get(pdf_url).streaming_content)))
    signers = reader.pages[-1]
    used = {}
    for font in signers["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/FontDescriptor"].get_object()
        used[str(font["/BaseFont"]).split("+", 1)[-1]] = descriptor
    assert "NotoSansKhmer-Regular" in used
    assert "/FontFile2" in used["NotoSansKhmer-Regular"]  # the font program itself is in the PDF
    assert all("/FontFile2" in d for d in used.values())  # every font the page uses is embedded
    # The Khmer glyphs are drawn in that font: its text operations carry the Khmer name.
    found = []

    def visit(text, cm, tm, font_dict, size):
        if text.strip() and font_dict is not None:
            found.append((str(font_dict["/BaseFont"]).split("+", 1)[-1], text))

    signers.extract_text(visitor_text=visit)
    khmer_runs = "".join(text for font, text in found if font == "NotoSansKhmer-Regular")
    assert KHMER_NAME[0][0] in khmer_runs and KHMER_NAME[1][:2] in khmer_runs


def test_manifest_hashes_catch_a_changed_row():
    manifest = io.StringIO()
    rows = [
        content.Signer("Sok Chea", "San Jose", "95110", datetime.date(2026, 12, 1), "", False, True),
        content.Signer("Ana Ruiz", "Gilroy", "95020", datetime.date(2026, 12, 2), "", True, False),
    ]
    package = content.package_gather(iter(rows), manifest=manifest, jurisdiction=("950",))
    text = manifest.getvalue()
    assert content.manifest_check(text)
    assert package.in_jurisdiction == 1 and package.paper == 1 and package.confirmed == 1
    assert not content.manifest_check(text.replace("Gilroy", "Gilroy "))
    assert not content.manifest_check(text.replace("Sok Chea", "Sok Chey"))


def test_script_runs():
    assert [(r.font, r.text) for r in fonts.runs("Nguyễn សុខ ជា 王小明")] == [
        (fonts.SANS, "Nguyễn "),
        (fonts.KHMER, "សុខ ជា "),
        (fonts.CJK, "王小明"),
    ]


def test_only_organisers_with_export_permission_and_only_this_campaigns_targets(
    editor, organiser_client, campaign, exports_dir
):
    target = campaign.campaign_targets.get().target
    url = reverse("reports:delivery_package", args=[campaign.pk, target.pk])
    assert Client().post(url).status_code == 302  # to the login page
    editor_client = Client()
    editor_client.force_login(editor)
    assert editor_client.post(url).status_code == 403
    other = TargetFactory()
    assert organiser_client.post(reverse("reports:delivery_package", args=[campaign.pk, other.pk])).status_code == 404
    assert organiser_client.get(url).status_code == 405
    assert not ExportLog.objects.exists()
    overview = organiser_client.get(reverse("reports:overview", args=[campaign.pk])).content.decode()
    assert f'action="{url}"' in overview and "Generate for Jeff Rosen" in overview


def test_a_job_whose_worker_died_times_out_instead_of_building_forever(
    organiser, organiser_client, exports_dir, settings
):
    log = services.delivery_job_start(user=organiser, campaign_id=1, target_id=1, rows_expected=10)
    ExportLog.objects.filter(pk=log.pk).update(
        job_status=Job.RUNNING, job_deadline=timezone.now() - datetime.timedelta(seconds=1)
    )
    waiting = services.export_log_start(user=organiser, report="signatures", export_format="xlsx", query={})
    ExportLog.objects.filter(pk=waiting.pk).update(job_status=Job.QUEUED)
    page = organiser_client.get(reverse("reports:export_job", args=[log.pk]))
    assert b"Timed out" in page.content and b'http-equiv="refresh"' not in page.content
    assert ExportLog.objects.get(pk=log.pk).job_status == Job.TIMED_OUT
    assert ExportLog.objects.get(pk=waiting.pk).job_status == Job.QUEUED  # still within its wait
    later = timezone.now() + datetime.timedelta(seconds=settings.EXPORT_JOB_QUEUE_MAX_SECONDS + 1)
    assert services.jobs_time_out(now=later) == 1
    assert ExportLog.objects.get(pk=waiting.pk).job_status == Job.TIMED_OUT
    assert services.jobs_time_out(now=later) == 0


def test_a_jurisdiction_that_is_not_zip_codes_is_refused_by_its_field():
    from django.core.exceptions import ValidationError

    target = TargetFactory.build(jurisdiction="950, San Jose")
    with pytest.raises(ValidationError) as refused:
        target.clean()
    assert "jurisdiction" in refused.value.message_dict
    assert TargetFactory.build(jurisdiction=" 950 ,95110,").jurisdiction_prefixes() == ("950", "95110")
