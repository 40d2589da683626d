"""Scans of residence documents: sealed in the vault, attached by the issuer or the case's owner, shown only to
who sees the case's documents, one access-log row per download (pages and API)."""

import base64
import datetime

import pytest
from django.db import connection

from haven.audit.models import AccessLog, Action, Purpose
from haven.cases.models import ResidenceDocument, ShareReason
from haven.cases.tests.factories import CaseFactory, share
from haven.organisations.models import Organisation
from haven.organisations.roles import Role
from haven.residence.models import DocumentScan

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"unmistakable-scan-bytes" * 8
PDF = b"%PDF-1.7\n" + b"another-scan" * 4


@pytest.fixture
def world(belgium, member):
    org = {slug: Organisation.objects.get(jurisdiction=belgium, slug=slug)
           for slug in ("pag-asa", "payoke", "immigration-office-thb", "police-brussels-capital")}
    case = CaseFactory(owner=org["pag-asa"])
    share(case, org["immigration-office-thb"], {"summary", "identity", "documents"}, reason=ShareReason.REQUEST)
    share(case, org["payoke"], {"summary", "documents"})
    share(case, org["police-brussels-capital"], {"summary", "facts"})
    document = ResidenceDocument.objects.create(case=case, kind="a_card", valid_from=datetime.date(2026, 1, 5),
                                                valid_until=datetime.date(2026, 7, 4), number="B 1234567",
                                                issued_by=org["immigration-office-thb"], commune="Ixelles")
    users = {"worker": member(org["pag-asa"], Role.CASEWORKER),
             "officer": member(org["immigration-office-thb"], Role.IMMIGRATION_OFFICER),
             "payoke": member(org["payoke"], Role.CASEWORKER),
             "police": member(org["police-brussels-capital"], Role.OFFICER)}
    return document, users


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")  # the claimed type is never believed


def test_a_scan_is_sealed_attached_by_the_issuer_and_each_download_is_logged(world, client, settings):
    document, users = world
    page_url = f"/residence/documents/{document.pk}/scans/"
    client.force_login(users["officer"])
    page = client.get(page_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "B 1234567" in text and "Ixelles" in text and "Immigration Office" in text and "Attach a scan" in text

    assert client.post(page_url, {"file": upload("scan.png", PNG)}).status_code == 302
    scan = DocumentScan.objects.get()
    assert (scan.content_type, scan.size, scan.organisation.slug) == ("image/png", len(PNG), "immigration-office-thb")
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM residence_documentscan WHERE id = %s", [scan.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("hv1:") and base64.b64encode(PNG).decode() not in raw and "unmistakable" not in raw

    refused = client.post(page_url, {"file": upload("notes.png", b"just some text, not an image")})
    assert refused.status_code == 400 and "PDF, JPEG or PNG" in refused.content.decode()
    settings.HAVEN_SCAN_MAX_BYTES = 64
    assert "too large" in client.post(page_url, {"file": upload("big.png", PNG)}).content.decode()
    assert DocumentScan.objects.count() == 1

    download = f"/residence/documents/{document.pk}/scans/{scan.pk}/"
    for who in ("worker", "officer", "payoke"):  # the owner, the issuer, a centre the documents were shared with
        client.force_login(users[who])
        before = AccessLog.objects.count()
        response = client.get(download)
        assert response.status_code == 200 and response.content == PNG
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == f'attachment; filename="scan-{scan.pk}.png"'
        assert "no-store" in response["Cache-Control"]
        rows = list(AccessLog.objects.order_by("pk")[before:])
        assert len(rows) == 1, who
        assert (rows[0].action, rows[0].purpose, rows[0].record, rows[0].case_id, rows[0].path) == (
            Action.VIEW_IDENTITY, Purpose.DOCUMENTS, f"residence.documentscan:{scan.pk}", document.case_id, download)

    # Payoke sees the documents but neither issued this one nor owns the case: it may not attach
    client.force_login(users["payoke"])
    assert "Attach a scan" not in client.get(page_url).content.decode()
    settings.HAVEN_SCAN_MAX_BYTES = 5 * 1024 * 1024
    assert client.post(page_url, {"file": upload("scan.pdf", PDF)}).status_code == 400
    assert DocumentScan.objects.count() == 1

    # the police unit sees the case, not its documents: nothing exists for it
    client.force_login(users["police"])
    before = AccessLog.objects.count()
    for url in (page_url, download, f"/api/v1/residence/documents/{document.pk}/scans/",
                f"/api/v1/residence/documents/{document.pk}/scans/{scan.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(page_url, {"file": upload("scan.pdf", PDF)}).status_code == 404
    assert AccessLog.objects.count() == before


def test_the_api_lists_uploads_and_downloads_scans(world, client):
    document, users = world
    url = f"/api/v1/residence/documents/{document.pk}/scans/"
    client.force_login(users["worker"])
    assert client.get(url).json() == []
    created = client.post(url, {"file": upload("scan.pdf", PDF)})
    assert created.status_code == 201
    body = created.json()
    assert (body["content_type"], body["size"], body["organisation"]) == ("application/pdf", len(PDF), "PAG-ASA")
    assert [s["id"] for s in client.get(url).json()] == [body["id"]]

    bad = client.post(url, {"file": upload("scan.exe", b"MZ\x90\x00")})
    assert bad.status_code == 400 and bad.json()["code"] == "scan_type"
    assert client.post(url, {}).json()["code"] == "scan_missing"
    client.force_login(users["payoke"])
    assert client.post(url, {"file": upload("scan.pdf", PDF)}).status_code == 403

    before = AccessLog.objects.count()
    response = client.get(f"{url}{body['id']}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert AccessLog.objects.count() == before + 1
    assert client.get(f"{url}{body['id'] + 1000}/").status_code == 404
    assert AccessLog.objects.count() == before + 1
