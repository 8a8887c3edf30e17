"""PDF attachments: checked by type and content, size-limited, hashed and versioned."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.agreements.models import AgreementDocument, DocumentVersion
from liaison.agreements.services import MAX_DOCUMENT_BYTES

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def upload(client, agreement, content=PDF, content_type="application/pdf", **data):
    payload = {"title": "Signed MOU", **data}
    payload["file"] = SimpleUploadedFile("mou.pdf", content, content_type=content_type)
    return client.post(f"/agreements/{agreement.pk}/documents/new/", payload)


def test_a_pdf_is_stored_with_its_sha256(world, client_as):
    agreement = world.active()
    response = upload(client_as("coordinator"), agreement)
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (version.version, version.size, version.document.title) == (1, len(PDF), "Signed MOU")
    with version.file.open("rb") as stored:
        assert stored.read() == PDF


def test_a_new_version_keeps_the_old_one(world, client_as):
    agreement = world.active()
    client = client_as("coordinator")
    upload(client, agreement)
    document = AgreementDocument.objects.get()
    second = PDF.replace(b"1.7", b"2.0")
    assert upload(client, agreement, content=second, document=document.pk).status_code == 302
    versions = list(document.versions.order_by("version").values_list("version", "sha256"))
    assert versions == [
        (1, hashlib.sha256(PDF).hexdigest()),
        (2, hashlib.sha256(second).hexdigest()),
    ]
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Version 1" in page
    assert "Version 2" in page


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"<html>not a pdf</html>", "application/pdf"),  # says PDF, is not
        (PDF, "text/html"),  # is PDF, says otherwise
        (b"MZ\x90\x00 an executable", "application/octet-stream"),
    ],
)
def test_anything_but_a_pdf_is_refused_with_a_field_error_and_nothing_is_saved(
    world, client_as, tmp_path, content, content_type
):
    agreement = world.active()
    response = upload(
        client_as("coordinator"), agreement, content=content, content_type=content_type
    )
    assert response.status_code == 400
    assert "not a PDF" in " ".join(response.context["form"].errors["file"])
    assert not AgreementDocument.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_an_oversize_file_is_refused_and_nothing_is_saved(world, client_as, tmp_path):
    agreement = world.active()
    big = PDF + b"0" * (MAX_DOCUMENT_BYTES + 1 - len(PDF))
    response = upload(client_as("coordinator"), agreement, content=big)
    assert response.status_code == 400
    assert "at most 20 MB" in " ".join(response.context["form"].errors["file"])
    assert not DocumentVersion.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_documents_download_only_for_users_who_see_the_agreement(world, client_as):
    agreement = world.active()
    upload(client_as("coordinator"), agreement)
    version = DocumentVersion.objects.get()
    ok = client_as("partner").get(f"/agreements/documents/{version.pk}/")
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content) == PDF
    assert (
        client_as("outside_partner").get(f"/agreements/documents/{version.pk}/").status_code == 404
    )


def test_someone_who_may_not_upload_gets_403(world, client_as):
    agreement = world.active()
    assert upload(client_as("supervisor"), agreement).status_code == 403
    assert not DocumentVersion.objects.exists()
