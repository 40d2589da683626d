"""Pages and API: public reading, editor-only changes, untrusted text stays inert."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haven.library import services
from haven.library.models import Claim, ClaimStatus, Merge, MergeKind, Page, Source
from haven.organisations.roles import Role
from haven.statistics.models import SeriesPoint

HOSTILE = ("A hostile page\n\n"
           "In 2021, 77 victims were identified. <script>alert('owned')</script> <img src=x onerror=alert(1)>\n")


@pytest.fixture
def editor(belgium, member):
    from haven.organisations.models import Organisation

    return member(Organisation.objects.get(slug="library-editors"), Role.EDITOR, username="editor")


@pytest.fixture
def analyst(belgium, member):
    from haven.organisations.models import Organisation

    return member(Organisation.objects.get(slug="myria"), Role.ANALYST, username="analyst")


def test_public_pages_need_no_login(client, library):
    source = Source.objects.get(title="The Protection Project - Belgium")
    page = Page.objects.first()
    for url in [reverse("library-search"), reverse("library-search") + "?q=victims",
                reverse("library-source", args=[source.pk]), reverse("library-country", args=["BE"]),
                reverse("library-page", args=[page.pk]), reverse("library-claims"), reverse("library-merges"),
                reverse("statistics-series"), reverse("library-source-export", args=[source.pk, "bibtex"]),
                reverse("library-export") + f"?ids={source.pk}&format=ris"]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_api_reading_is_public(client, library):
    source = Source.objects.get(title="The Protection Project - Belgium")
    assert client.get("/api/v1/library/search/?q=begging").status_code == 200
    assert client.get("/api/v1/library/sources/").json()["count"] == 23
    detail = client.get(f"/api/v1/library/sources/{source.pk}/").json()
    assert len(detail["appearances"]) == 2 and detail["csl"]["title"] == source.title
    claims = client.get("/api/v1/library/claims/").json()
    assert claims["count"] == 13
    assert client.get("/api/v1/library/merges/").json()["count"] == 11
    bib = client.get(f"/api/v1/library/sources/{source.pk}/citation/?export=bibtex")
    assert bib.status_code == 200 and bib.content.decode().startswith("@techreport{")
    apa = client.get(f"/api/v1/library/sources/{source.pk}/citation/?style=apa").json()
    assert apa["text"].startswith("The Paul H. Nitze School")
    assert client.get("/api/v1/statistics/series/").status_code == 200


def test_the_api_is_in_the_schema(db):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/v1/library/search/", "/api/v1/library/sources/{id}/", "/api/v1/library/claims/{id}/review/",
                 "/api/v1/library/imports/", "/api/v1/library/merges/{id}/undo/", "/api/v1/statistics/series/"):
        assert path in paths, path


def test_a_script_in_an_imported_page_stays_inert(client, db):
    services.import_files([("hostile.txt", HOSTILE.encode())])
    source = Source.objects.get(title="A hostile page")
    pages = [client.get(reverse("library-source", args=[source.pk])),
             client.get(reverse("library-search") + "?q=victims"),
             client.get(reverse("library-page", args=[source.appearances.get().page_id])),
             client.get(reverse("library-claims"))]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in html and "<img src=x" not in html
    for response in pages[:2]:
        assert "alert(" in response.content.decode()  # shown, as text
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in pages[0].content.decode()
    assert "Content-Security-Policy" in pages[0].headers
    assert "'unsafe-inline'" not in pages[0].headers["Content-Security-Policy"]


def test_the_source_page_shows_every_place_and_the_caution(client, library):
    source = Source.objects.get(title="The Protection Project - Belgium")
    html = client.get(reverse("library-source", args=[source.pk])).content.decode()
    assert "Human Trafficking &amp; Modern-day Slavery - Belgium" in html and "Child Prostitution - Belgium" in html
    assert html.count('class="caution"') == 2  # beside each unverified excerpt
    assert "No attempt has been made to validate their authenticity" in html
    for label in ("APA", "Chicago", "MLA", "Harvard", "IEEE", "Vancouver"):
        assert label in html


def test_the_country_page_reads_like_the_seeds(client, belgium, library):
    services.link_helplines()
    html = client.get(reverse("library-country", args=["BE"])).content.decode()
    assert "The World Factbook, U.S.C.I.A. 2009" in html
    assert "02/511.64.64" in html and "tel:+3225116464" in html
    assert "Squalid road that leads to Belgium" in html
    assert html.index("Squalid road") < html.index("Archives")  # current first, then the archives
    assert "No attempt has been made to validate" in html
    assert client.get(reverse("library-country", args=["XX"])).status_code == 404


def test_editor_pages_are_closed_to_others(client, analyst, library):
    claim = Claim.objects.first()
    merge = Merge.objects.first()
    source = Source.objects.first()
    # anonymous: sent to the login page / 401 on the API
    assert client.get(reverse("library-upload")).status_code == 302
    assert client.post(f"/api/v1/library/claims/{claim.pk}/review/", {"status": "confirmed"}).status_code in (401, 403)
    client.force_login(analyst)
    assert client.get(reverse("library-upload")).status_code == 403
    assert client.post(reverse("library-claim-review", args=[claim.pk]), {"status": "confirmed"}).status_code == 403
    assert client.post(reverse("library-merge-undo", args=[merge.pk])).status_code == 403
    assert client.post(reverse("library-source-tags", args=[source.pk]), {"source_type": "ngo"}).status_code == 403
    response = client.post(f"/api/v1/library/claims/{claim.pk}/review/", {"status": "confirmed"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 403
    assert client.patch(f"/api/v1/library/sources/{source.pk}/", {"topics": []},
                        content_type="application/json").status_code == 403
    assert client.post(f"/api/v1/library/merges/{merge.pk}/undo/").status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING and not Merge.objects.filter(undone_at__isnull=False).exists()


def test_an_editor_confirms_a_claim_and_it_is_published(client, editor, library):
    claim = Claim.objects.get(value=350)
    client.force_login(editor)
    response = client.post(reverse("library-claim-review", args=[claim.pk]), {"status": "confirmed"})
    assert response.status_code == 302
    point = SeriesPoint.objects.get(claim=claim)
    assert point.series.measure == "human trafficking cases registered" and point.series.jurisdiction.code == "BE"
    assert point.period_label == "2022" and point.value == 350
    series = client.get("/api/v1/statistics/series/").json()
    assert series["results"][0]["points"][0]["quote"] == claim.quote
    assert series["results"][0]["points"][0]["provenance"].endswith(f"#claim-{claim.pk}")
    html = client.get(reverse("statistics-series")).content.decode()
    assert f"#claim-{claim.pk}" in html
    # 780 cases in the Netherlands: same measure, another jurisdiction, another series
    other = Claim.objects.get(value=780)
    client.post(f"/api/v1/library/claims/{other.pk}/review/", {"status": "confirmed"})
    assert SeriesPoint.objects.get(claim=other).series != point.series
    # rejecting withdraws the point
    client.post(f"/api/v1/library/claims/{claim.pk}/review/", {"status": "rejected"})
    assert not SeriesPoint.objects.filter(claim=claim).exists()


def test_an_editor_corrects_topics_and_a_later_import_keeps_the_correction(client, editor, library, seed):
    source = Source.objects.get(title="The Protection Project - Belgium")
    client.force_login(editor)
    response = client.patch(f"/api/v1/library/sources/{source.pk}/",
                            {"topics": ["begging", "forced_labour"], "countries": ["BE", "RO"],
                             "source_type": "research"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["topics"] == ["begging", "forced_labour"]
    assert response.json()["countries"] == ["BE", "RO"]
    source.refresh_from_db()
    assert source.source_type == "research"
    services.tag_source(source)  # what an import of another page with this source runs
    assert source.topic_codes() == ["begging", "forced_labour"]
    bad = client.patch(f"/api/v1/library/sources/{source.pk}/", {"topics": ["astrology"]},
                       content_type="application/json")
    assert bad.status_code == 400


def test_an_editor_undoes_a_merge(client, editor, library, seed):
    merge = Merge.objects.get(kind=MergeKind.SOURCE, source__title="Sex Trafficking In Belgium, April 2003")
    appearance = merge.appearance
    client.force_login(editor)
    response = client.post(reverse("library-merge-undo", args=[merge.pk]))
    assert response.status_code == 302
    merge.refresh_from_db()
    appearance.refresh_from_db()
    assert merge.undone_at and merge.split_into == appearance.source
    assert appearance.source != merge.source and appearance.source.title == "Sex Trafficking In Belgium, April 2003"
    assert merge.source.appearances.count() == 1
    assert not appearance.excerpts.filter(duplicate_of__isnull=False).exists()
    assert Merge.objects.filter(kind=MergeKind.EXCERPT, appearance=appearance, undone_at__isnull=True).count() == 0
    again = client.post(f"/api/v1/library/merges/{merge.pk}/undo/")  # a step the merge's state refuses
    assert again.status_code == 422 and again.json()["code"] == "already_undone"
    html = client.get(reverse("library-merges")).content.decode()
    assert "undone" in html


def test_an_editor_uploads_files(client, editor, seed):
    client.force_login(editor)
    assert client.get(reverse("library-upload")).status_code == 200
    files = [SimpleUploadedFile(seed("003").name, seed("003").read_bytes(), content_type="text/plain"),
             SimpleUploadedFile("empty.txt", b"", content_type="text/plain")]
    response = client.post(reverse("library-upload"), {"files": files})
    assert response.status_code == 200
    html = response.content.decode()
    assert "the file is empty" in html
    assert Page.objects.count() == 1 and Claim.objects.count() == 3
    api = client.post("/api/v1/library/imports/", {"files": [
        SimpleUploadedFile(seed("004").name, seed("004").read_bytes())]})
    assert api.status_code == 200 and api.json()["claims"] == 4
    failed = client.post("/api/v1/library/imports/", {"files": [SimpleUploadedFile("x.bin", b"\x00\x01" * 100)]})
    assert failed.status_code == 422 and failed.json()["results"][0]["status"] == "failed"


@pytest.mark.parametrize(("language", "heading", "label"), [
    ("fr", "Bibliothèque de sources", "Rechercher"), ("nl", "Bronnenbibliotheek", "Zoeken"),
    ("de", "Quellenbibliothek", "Suchen")])
def test_pages_in_four_languages(client, db, language, heading, label):
    html = client.get(reverse("library-search"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{heading}</h1>" in html and label in html
