"""Paper signatures: preview with every row's problems, confirm, import through intake, once."""

import io
import time

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from actions import intake
from actions.models import Action
from actions.totals import totals_fold
from events.models import PaperImport
from events.paper import cell_clean, paper_import_run
from events.selectors import event_counts

pytestmark = pytest.mark.django_db

SHEET = (
    "First name,Last name,Email,City,ZIP\n"
    "Sophea,Keo,sophea.keo@example.org,San Jose,95112\n"  # row 2: good
    ",Hernandez,maria@example.org,San Jose,95110\n"  # row 3: missing first name
    "Dara,Nguyen,not-an-email,Milpitas,95035\n"  # row 4: bad email
    "Sophea,Keo,Sophea.Keo@Example.org,San Jose,95112\n"  # row 5: duplicate of row 2
    "Grace,Okafor,grace@example.org,San Jose,95112\n"  # row 6: already signed online
    'Luis,Sok,luis@example.org,"=HYPERLINK(""http://evil.example"")",95116\n'  # row 7: good, formula neutralised
    ",,,,\n"  # a blank line is no row
)


def upload(client, campaign, content, name="sheet.csv", **extra):
    data = {"campaign": campaign.pk, "collected_on": "2026-11-28", "file": SimpleUploadedFile(name, content), **extra}
    return client.post("/admin/paper-signatures/", data)


@pytest.fixture
def online_signer(campaign):
    intake.signature_create(
        campaign_id=campaign.pk,
        first_name="Grace",
        last_name="Okafor",
        email="grace@example.org",
        submission=intake.Submission(),
    )


def test_preview_lists_every_rows_problems_and_imports_nothing(organiser_client, campaign, online_signer):
    response = upload(organiser_client, campaign, SHEET.encode())
    assert response.status_code == 302
    preview = organiser_client.get(response["Location"]).content.decode()
    assert "6 rows: 2 ready to import, 4 with problems" in preview
    for problem in ("missing first name", "bad email", "duplicate of row 2", "already signed online"):
        assert problem in preview
    assert "HYPERLINK" in preview and "=HYPERLINK" not in preview
    assert Action.objects.count() == 1  # only the online signer


def test_confirm_imports_through_intake_once(
    organiser_client, campaign, online_signer, django_capture_on_commit_callbacks
):
    location = upload(organiser_client, campaign, SHEET.encode())["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(location, {"confirm": "1"})
    paper = PaperImport.objects.get()
    assert (paper.status, paper.imported, paper.skipped, paper.done_rows) == ("done", 2, 4, 6)
    signed = Action.objects.filter(campaign_id=campaign.pk, source="paper", flagged=False)
    assert sorted(signed.values_list("supporter__first_name", "supporter__city")) == [
        ("Luis", 'HYPERLINK("http://evil.example")'),
        ("Sophea", "San Jose"),
    ]
    assert "2 signed, 4 skipped." in organiser_client.get(location).content.decode()
    # The same file again adds nothing: the earlier import is shown instead.
    again = upload(organiser_client, campaign, SHEET.encode(), name="renamed.csv")
    assert again["Location"] == location
    assert paper_import_run(import_id=paper.pk) == 0
    assert (PaperImport.objects.count(), Action.objects.count()) == (1, 3)


def test_an_xlsx_file_is_read_too(organiser_client, campaign):
    book = Workbook()
    book.active.append(["first_name", "last_name", "email", "postal_code"])
    book.active.append(["កាង", "ហេន", "kang@example.org", 95112])
    book.active.append(["@SUM(A1)", "Evil", "evil@example.org", None])
    buffer = io.BytesIO()
    book.save(buffer)
    location = upload(organiser_client, campaign, buffer.getvalue(), name="sheet.xlsx")["Location"]
    assert "2 rows: 2 ready to import" in organiser_client.get(location).content.decode()
    assert PaperImport.objects.get().rows[1]["first_name"] == "SUM(A1)"


def test_a_file_without_column_names_is_refused_by_its_field(organiser_client, campaign):
    response = upload(organiser_client, campaign, b"Sophea,Keo,sophea@example.org\n")
    assert response.status_code == 400
    assert "The first row must name the columns" in response.content.decode()
    assert not PaperImport.objects.exists()


def test_cells_never_start_a_formula():
    assert [cell_clean(v) for v in ("=1+2", "+1", "-@x", "\tname", " Dara ")] == ["1+2", "1", "x", "name", "Dara"]


def test_a_fifty_thousand_row_file_is_previewed_in_one_request(organiser_client, campaign):
    lines = ["first_name,last_name,email,city,zip"]
    lines += [f"Person{n},Paper,paper{n}@example.org,San Jose,95112" for n in range(50_000)]
    began = time.monotonic()
    response = upload(organiser_client, campaign, "\n".join(lines).encode())
    assert response.status_code == 302 and time.monotonic() - began < 30
    paper = PaperImport.objects.defer("rows").get()
    assert (paper.total_rows, paper.problem_rows, paper.status) == (50_000, 0, "preview")
    assert "50000 rows: 50000 ready to import" in organiser_client.get(response["Location"]).content.decode()


def test_an_events_paper_sheets_count_for_the_event(
    organiser_client, campaign, event, django_capture_on_commit_callbacks
):
    location = upload(organiser_client, campaign, SHEET.encode(), event=event.pk)["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(location, {"confirm": "1"})
    totals_fold()
    assert Action.objects.filter(source=f"paper-{event.code}").count() == 3
    (row,) = event_counts(campaign_id=campaign.pk)
    assert (row["signatures"], row["paper"]) == (0, 3)


def test_paper_signatures_are_for_organisers(client, organiser_client, campaign):
    page = organiser_client.get("/admin/paper-signatures/")
    assert page.status_code == 200 and "No paper signatures imported yet." in page.content.decode()
    assert "Paper signatures" in organiser_client.get("/admin/").content.decode()  # in the menu
    editor = User.objects.create_user(username="eddie", password="not-used")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/paper-signatures/").status_code in (302, 403)  # Wagtail: back to the dashboard


@pytest.mark.django_db(transaction=True)
def test_the_same_file_uploaded_twice_at_the_same_moment_gives_the_one_import(campaign):
    """Both uploads pass the "seen this file?" check before either has stored it (the file takes a
    moment to read); the second must get the first's import, not a 500."""
    import threading

    from django.db import connection

    from events.paper import paper_import_prepare

    lines = ["First name,Last name,Email,City,ZIP"]
    lines += [f"Person{n},Sok,person{n}@example.org,San Jose,95112" for n in range(20_000)]
    data = "\n".join(lines).encode()
    barrier, results, errors = threading.Barrier(2), [], []

    def upload_now():
        try:
            barrier.wait()
            results.append(
                paper_import_prepare(
                    campaign_id=campaign.pk, filename="sheet.csv", data=data, collected_on="2026-11-28"
                )
            )
        except Exception as exc:  # the failure this test exists for
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    (only,) = PaperImport.objects.all()
    assert sorted((new is None, (new or earlier).pk) for new, earlier in results) == [(False, only.pk), (True, only.pk)]
