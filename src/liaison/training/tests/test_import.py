"""CSV import of completions: every row's outcome before anything is saved, then the
valid rows in one transaction and a file of the rejected ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.core.roles import Role
from liaison.directory.models import Person
from liaison.ledger.models import Entry
from liaison.training import services
from liaison.training.models import Completion, CompletionImport
from liaison.training.tests.conftest import complete

pytestmark = pytest.mark.django_db


def _file(world, catalog) -> str:  # type: ignore[no-untyped-def]
    bca = world.people["BCA"]
    Person.objects.filter(pk=bca.pk).update(badge_number="BCA-7")
    complete(bca, catalog.privacy, timezone.localdate() - timedelta(days=30))
    day = (timezone.localdate() - timedelta(days=30)).isoformat()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    hsi = world.people["HSI"].email  # not someone the BCA supervisor may record for
    return "\n".join(
        [
            "person,course,date,hours,score",
            f"bca-7,ICE-287G,{day},40,91",  # valid (badge in any case)
            f"{bca.email},cfr-23,{day},,",  # valid (by e-mail, course code in any case)
            f"BCA-7,ICE-287G,{day},40,91",  # duplicate of line 2
            f"BCA-7,ST-PRIV,{day},4,",  # duplicate of a recorded completion
            f"nobody@example.test,ICE-287G,{day},1,",  # unknown person
            f"{hsi},ICE-287G,{day},1,",  # out of scope: also unknown
            f"BCA-7,NOPE,{day},1,",  # unknown course
            "BCA-7,ICE-287G,01/02/2025,1,",  # bad date
            f"BCA-7,ICE-287G,{future},1,",  # future date
            f"BCA-7,ST-PRIV,{day},x,101",  # bad hours and score
        ]
    )


def _upload(client, content: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/training/imports/new/",
        {"file": SimpleUploadedFile("completions.csv", content.encode(), "text/csv")},
    )


def test_the_preview_shows_every_rows_outcome_and_saves_nothing(world, catalog, client_as):
    client = client_as(Role.SUPERVISOR)
    content = _file(world, catalog)
    before = Completion.objects.count()
    response = _upload(client, content)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "2 of 10 rows will be imported; 8 will be rejected" in page
    for error in (
        "Duplicate: the same completion is on an earlier line of the file.",
        "Duplicate: this completion is recorded already.",
        "Unknown person",
        "Unknown course",
        "Bad date: write it as YYYY-MM-DD.",
        "Bad date: it is in the future.",
        "Bad hours",
        "Bad score",
    ):
        assert error in page, error
    assert page.count("Unknown person") == 2
    assert Completion.objects.count() == before


def test_commit_imports_the_valid_rows_verified_by_the_supervisor_and_returns_the_rejected(
    world, catalog, client_as
):
    client = client_as(Role.SUPERVISOR)
    url = _upload(client, _file(world, catalog))["Location"]
    entries = Entry.objects.count()
    assert client.post(url).status_code == 302
    batch = CompletionImport.objects.get()
    assert batch.imported_rows == 2
    assert batch.content == ""
    imported = Completion.objects.filter(source=Completion.Source.IMPORTED)
    assert imported.count() == 2
    assert all(c.verified_by == world.users[Role.SUPERVISOR] for c in imported)
    assert Entry.objects.count() == entries + 1  # one entry for the whole import
    rejected = client.get(f"/training/imports/{batch.pk}/rejected.csv").content.decode()
    assert len(rejected.strip().splitlines()) == 1 + 8
    assert "Unknown course" in rejected
    assert client.post(url).status_code == 302  # committed once only
    assert Completion.objects.filter(source=Completion.Source.IMPORTED).count() == 2


def test_a_coordinators_import_waits_for_verification(world, catalog):
    content = _file(world, catalog)
    batch = services.completion_import_preview(
        actor=world.users[Role.COORDINATOR], file_name="f.csv", content=content
    )
    services.completion_import_commit(actor=world.users[Role.COORDINATOR], batch=batch)
    assert not Completion.objects.filter(source="imported", verified_at__isnull=False).exists()


def test_another_users_import_answers_404(world, catalog, client_as):
    url = _upload(client_as(Role.SUPERVISOR), _file(world, catalog))["Location"]
    assert client_as(Role.COORDINATOR).get(url).status_code == 404


def test_a_file_without_the_columns_is_refused_on_the_form(world, catalog, client_as):
    response = _upload(client_as(Role.SUPERVISOR), "name,when\nx,y\n")
    assert response.status_code == 400
    assert "Missing column: person, course, date" in response.content.decode()


def test_a_large_file_is_checked_by_the_worker_with_progress(
    world, catalog, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaison.training import tasks
    from liaison.training.services import imports

    monkeypatch.setattr(imports, "INLINE_ROWS", 2)
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    queued: list[int] = []
    monkeypatch.setattr(
        tasks,
        "check_completion_import",
        type("Queued", (), {"enqueue": staticmethod(queued.append)}),
    )
    content = _file(world, catalog)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.completion_import_preview(
            actor=world.users[Role.SUPERVISOR], file_name="f.csv", content=content
        )
    assert batch.status == "checking"
    assert queued == [batch.pk]
    with CaptureQueriesContext(connection) as queries:
        checked = services.completion_import_check(batch_id=batch.pk)
    progress = [q for q in queries.captured_queries if '"processed_rows" =' in q["sql"]]
    assert len(progress) >= 5  # after every 2 of the 10 rows, then the counts
    assert checked.status == "previewed"
    assert checked.processed_rows == 10
    assert checked.valid_rows == 2
