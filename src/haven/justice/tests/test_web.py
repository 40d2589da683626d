"""Pages and API: scope (404 and empty lists for others), version conflicts, forms keeping input."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from haven.cli import main as haven
from haven.justice import services
from haven.justice.models import Investigation
from haven.organisations.roles import Role

from .helpers import Chain, D


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    try:  # a session that gave its second factor, where the second factor is required
        from haven.access.testing import verify_session
    except ImportError:
        return client
    verify_session(client, user)
    return client


@pytest.fixture
def chain(org, member):
    return Chain(org, member)


@pytest.fixture
def investigation(chain, org, case_of):
    investigation = chain.investigation()
    services.record_suspects(chain.officer, investigation, [{"sex": "female", "citizenship": "NG", "count": 1}])
    case = case_of(chain.police_org)
    services.link_case(chain.officer, investigation, case)
    chain.decision(chain.prosecution(investigation))
    investigation.case = case
    return investigation


def test_another_organisation_gets_404_and_empty_lists(chain, investigation, org, member):
    owner = signed_in(chain.officer)
    page = owner.get(reverse("justice:investigation", args=[investigation.pk]))
    assert page.status_code == 200
    assert investigation.case.reference.encode() in page.content
    assert investigation.case.person.family_name.encode() not in page.content  # the reference only
    assert owner.get("/api/v1/justice/investigations/").json()["count"] == 1
    for user in (member(org("police-antwerpen"), Role.OFFICER), member(org("myria"), Role.ANALYST),
                 member(org("prosecutor-liege"), Role.MAGISTRATE)):
        client = signed_in(user)
        assert client.get(reverse("justice:investigation", args=[investigation.pk])).status_code == 404
        assert client.get(reverse("justice:investigation-edit", args=[investigation.pk])).status_code == 404
        assert client.get(f"/api/v1/justice/investigations/{investigation.pk}/").status_code == 404
        prosecution = investigation.prosecutions.get()
        assert client.get(f"/api/v1/justice/prosecutions/{prosecution.pk}/").status_code == 404
        assert client.post(f"/api/v1/justice/prosecutions/{prosecution.pk}/requisitions/",
                           {"version": 1, "date": "2024-01-01"}).status_code == 404
        assert client.get("/api/v1/justice/investigations/").json()["count"] == 0
        listing = client.get(reverse("justice:investigations"))
        assert listing.status_code == 200 and investigation.file_number.encode() not in listing.content


def test_api_detail_and_filters(chain, investigation):
    client = signed_in(chain.magistrate)
    detail = client.get(f"/api/v1/justice/investigations/{investigation.pk}/").json()
    assert detail["linked_cases"][0]["case"] == investigation.case.reference
    assert set(detail["linked_cases"][0]) == {"id", "case", "linked_at"}
    assert detail["prosecutions"][0]["decisions"][0]["outcome"] == "conviction"
    assert client.get("/api/v1/justice/investigations/?outcome=acquittal").json()["count"] == 0
    url = "/api/v1/justice/investigations/?outcome=conviction&exploitation_form=labour"
    assert client.get(url).json()["count"] == 1
    assert client.get("/api/v1/justice/investigations/?opened_after=2024-01-01").json()["count"] == 0
    page = client.get(reverse("justice:investigations"), {"exploitation_form": "sexual"})
    assert investigation.file_number.encode() not in page.content


def test_api_writes_through_the_services_and_a_stale_edit_gets_409(chain, investigation):
    officer = signed_in(chain.officer)
    url = f"/api/v1/justice/investigations/{investigation.pk}/"
    ok = officer.patch(url, {"version": 1, "exploitation_forms": ["labour", "begging"]},
                       content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = officer.patch(url, {"version": 1, "exploitation_forms": ["sexual"]}, content_type="application/json")
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json" and stale.json()["status"] == 409
    assert stale.json()["code"] == "stale"
    investigation.refresh_from_db()
    assert investigation.form_list == ["begging", "labour"]
    # the magistrate cannot edit the investigation; the officer cannot record requisitions
    refused = signed_in(chain.magistrate).patch(url, {"version": 2, "exploitation_forms": []},
                                                content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_investigation_writer"
    prosecution = investigation.prosecutions.get()
    refused = officer.post(f"/api/v1/justice/prosecutions/{prosecution.pk}/requisitions/",
                           {"version": 1, "date": "2024-01-01"})
    assert refused.status_code == 403 and refused.json()["code"] == "not_prosecuting_office"
    created = officer.post("/api/v1/justice/investigations/", {
        "file_number": "NEW/1", "district": "brussels", "opened": "2024-02-02", "exploitation_forms": ["sexual"]},
        content_type="application/json")
    assert created.status_code == 201, created.content
    assert Investigation.objects.get(file_number="NEW/1").owner == chain.police_org
    invalid = officer.post("/api/v1/justice/investigations/", {"file_number": "NEW/1", "district": "brussels",
                                                               "opened": "2024-02-02"}, content_type="application/json")
    assert invalid.status_code == 400 and "file_number" in invalid.json()["errors"]
    assert invalid.json()["code"] == "file_number_taken"


def test_api_refusals_are_problems_with_their_code_in_the_users_language(chain, investigation):
    officer = signed_in(chain.officer)
    links = f"/api/v1/justice/investigations/{investigation.pk}/links/"
    again = officer.post(links, {"case": investigation.case.reference}, HTTP_ACCEPT_LANGUAGE="fr")
    assert again.status_code == 422 and again["Content-Type"] == "application/problem+json"
    assert again.json()["code"] == "already_linked" and again.json()["status"] == 422
    assert again.json()["detail"] == "Ce dossier est déjà lié à l'enquête."
    unknown = officer.post(links, {"case": "NO-SUCH-CASE"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "case_not_visible"
    assert unknown.json()["errors"] == {"case": ["No case with this reference is visible to you."]}
    forbidden = signed_in(chain.magistrate).patch(f"/api/v1/justice/investigations/{investigation.pk}/",
                                                  {"version": 1, "file_number": "X"}, content_type="application/json",
                                                  HTTP_ACCEPT_LANGUAGE="fr")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "not_investigation_writer"
    assert forbidden.json()["detail"] == "Votre rôle dans votre organisation ne permet pas cette modification."
    no_version = officer.patch(f"/api/v1/justice/investigations/{investigation.pk}/", {"file_number": "X"},
                               content_type="application/json")
    assert no_version.status_code == 400 and no_version.json()["code"] == "version_missing"
    assert "version" in no_version.json()["errors"]


def test_page_edit_conflict_says_in_the_users_language_that_nothing_was_saved(chain, investigation):
    client = signed_in(chain.officer)
    url = reverse("justice:investigation-edit", args=[investigation.pk])
    services.update_investigation(chain.officer, investigation, 1, forms=["sexual"])  # someone else saves first
    data = {"file_number": "BR/CHANGED", "district": investigation.district_id, "opened": "2023-03-01",
            "forms": ["begging"], "version": 1}
    response = client.post(url, data)
    assert response.status_code == 409
    assert "Someone else changed this record since you opened the form. Nothing was saved" in response.content.decode()
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 409 and "Rien n&#x27;a été enregistré" in response.content.decode()
    # posted from the form page: back to it (read again, with their change) and the message on it
    response = client.post(url, data, HTTP_REFERER=f"http://testserver{url}", HTTP_ACCEPT_LANGUAGE="fr",
                           follow=True)
    assert response.redirect_chain == [(f"http://testserver{url}", 302)]
    assert "Rien n&#x27;a été enregistré" in response.content.decode()
    investigation.refresh_from_db()
    assert investigation.file_number != "BR/CHANGED" and investigation.form_list == ["sexual"]


def test_page_refusals_other_than_invalid_input_reach_the_error_pages(chain, investigation):
    officer = signed_in(chain.officer)
    link = reverse("justice:link-add", args=[investigation.pk])
    again = officer.post(link, {"case": investigation.case.reference}, HTTP_ACCEPT_LANGUAGE="fr")
    assert again.status_code == 422 and "Ce dossier est déjà lié à l&#x27;enquête." in again.content.decode()
    back = officer.post(link, {"case": investigation.case.reference}, HTTP_REFERER=f"http://testserver{link}",
                        follow=True)
    assert back.redirect_chain == [(f"http://testserver{link}", 302)]
    assert "This case is already linked to the investigation." in back.content.decode()
    edit = reverse("justice:investigation-edit", args=[investigation.pk])
    forbidden = signed_in(chain.magistrate).post(edit, {"file_number": "X", "district": investigation.district_id,
                                                        "opened": "2023-03-01", "version": 1})
    assert forbidden.status_code == 403
    investigation.refresh_from_db()
    assert investigation.file_number != "X" and investigation.links.count() == 1


def test_forms_keep_the_input_on_validation_errors(chain, investigation):
    client = signed_in(chain.officer)
    response = client.post(reverse("justice:investigation-new"), {
        "file_number": "KEEP/ME", "district": investigation.district_id, "opened": "2999-01-01",
        "forms": ["begging"]})
    assert response.status_code == 400
    assert b'value="KEEP/ME"' in response.content and re.search(rb'value="begging"[^>]*checked', response.content)
    assert b"This date is in the future." in response.content
    response = client.post(reverse("justice:investigation-new"), {
        "file_number": "KEEP/ME", "district": investigation.district_id, "opened": "2999-01-01"},
        HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400 and "Cette date est dans le futur." in response.content.decode()
    response = client.post(reverse("justice:suspects-add", args=[investigation.pk]), {
        "sex": "male", "age_band": "25-34", "citizenship": "R0", "role": "recruiter", "count": "3"})
    assert response.status_code == 400 and b'value="R0"' in response.content and b'value="3"' in response.content
    ok = client.post(reverse("justice:investigation-new"), {
        "file_number": "KEEP/ME", "district": investigation.district_id, "opened": "2024-01-01"})
    assert ok.status_code == 302


def test_page_flow_of_the_prosecutor(chain, investigation):
    client = signed_in(chain.magistrate)
    prosecution = investigation.prosecutions.get()
    response = client.post(reverse("justice:requisitions", args=[prosecution.pk]),
                           {"kept": "on", "date": "2024-03-01", "version": 1})
    assert response.status_code == 302
    assert services.grounds_for_unlimited_residence(investigation.case)
    decision = prosecution.decisions.get()
    response = client.post(reverse("justice:appeal-new", args=[decision.pk]),
                           {"appellant": "defence", "lodged": "2024-05-30"})
    assert response.status_code == 302
    page = client.get(reverse("justice:investigation", args=[investigation.pk]))
    assert page.status_code == 200 and b"pending" in page.content


def test_cli_stats(chain, investigation, capsys):
    assert haven(["justice", "stats", "--json", "--by", "year"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"measure": "suspects", "year": 2023, "count": 1} in out["rows"] and out["exact"] is True
    assert haven(["justice", "stats", "--by", "sex"]) == 0
    assert "suspects\tfemale\t1" in capsys.readouterr().out


def test_cli_import_is_all_or_nothing(chain, tmp_path, capsys):
    path = tmp_path / "investigations.csv"
    path.write_text("file_number,district,opened,prosecution_office,forms\n"
                    "IMP/1,brussels,2024-01-10,prosecutor-brussels,labour|sexual\n"
                    "IMP/2,nowhere,2024-01-11,,\n")
    assert haven(["justice", "import", str(path), "--as", chain.officer.username]) == 1
    assert not Investigation.objects.exists()
    path.write_text("file_number,district,opened,prosecution_office,forms\n"
                    "IMP/1,brussels,2024-01-10,prosecutor-brussels,labour|sexual\n")
    assert haven(["justice", "import", str(path), "--as", chain.officer.username]) == 0
    assert Investigation.objects.get().form_list == ["labour", "sexual"]
    assert D(2024, 1, 10) == Investigation.objects.get().opened
