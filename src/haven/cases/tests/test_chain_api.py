"""The case chain through the API (``/api/v1/``): signal, screening, referral, transitions, conflicts. The
documents are requested, confirmed and issued through ``/api/v1/residence/`` (``haven.residence.tests``)."""

import pytest
from rest_framework.test import APIClient

from haven.cases.models import Case

from .chain import day, granted


def api(user):
    """An API client with a bearer token of ``user`` (``POST /api/v1/auth/token/`` issues the same kind)."""
    from haven.access.models import ApiToken

    _token, key = ApiToken.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def act(client, case_id, action, on, expect=200, **params):
    version = client.get(f"/api/v1/cases/{case_id}/").json()["version"]
    response = client.post(f"/api/v1/cases/{case_id}/transitions/",
                           {"action": action, "version": version, "on": on.isoformat(), "params": params},
                           format="json")
    assert response.status_code == expect, response.content
    return response.json()


def answer_all(client, case_id, on) -> dict:
    """Accept, as ``client``, the first pending referral of the case it may accept; return that
    referral with the answer's status. Fails when none could be accepted (a broken screening or
    routing sent nothing, or sent it elsewhere), listing what was tried."""
    tried = []
    for referral in client.get("/api/v1/referrals/", {"status": "pending"}).json()["results"]:
        if referral["case"] == case_id:
            r = client.post(f"/api/v1/referrals/{referral['id']}/answer/", {"answer": "accept", "on": on.isoformat()},
                            format="json")
            if r.status_code == 200:
                return {**referral, "status": r.json()["status"]}
            tried.append((referral["to_organisation"], r.status_code))
    raise AssertionError(f"no pending referral of case {case_id} could be accepted; tried {tried}")


def test_adult_labour_journey_through_the_api(org, people):
    inspector, payoke = api(people["inspector"]), api(people["payoke"])
    response = inspector.post("/api/v1/cases/", {
        "organisation": "social-law-inspection", "detected_on": day(0).isoformat(), "region": "flanders",
        "exploitation_forms": ["labour"], "sector": "A", "person": {"family_name": "Popescu"}}, format="json")
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    catalogue = inspector.get(f"/api/v1/cases/{case_id}/screenings/").json()
    assert catalogue["indicator_set"] == "adult_labour" and catalogue["version"] and catalogue["verification"]
    ids = [i["id"] for i in catalogue["indicators"] if i["strength"] == "strong"][:6]
    screened = inspector.post(f"/api/v1/cases/{case_id}/screenings/", {"indicators": ids, "on": day(0).isoformat()},
                              format="json")
    assert screened.status_code == 201 and screened.json()["reading"] in {"likely", "possible", "insufficient"}
    assert act(inspector, case_id, "presume", day(0))["trafficking_status"] == "presumed"  # the step says so
    sent = inspector.post(f"/api/v1/cases/{case_id}/referrals/", {"consent": "given", "on": day(1).isoformat()},
                          format="json")
    assert sent.status_code == 201 and sent.json()[0]["to"] == "payoke"
    # while it decides, the centre reads the case but not who the person is (haven.cases.actions.referrals)
    assert payoke.get(f"/api/v1/cases/{case_id}/identity/", {"purpose": "casework"}).status_code == 404
    answered = answer_all(payoke, case_id, day(2))
    assert (answered["to_organisation"], answered["status"]) == ("payoke", "accepted")
    data = payoke.get(f"/api/v1/cases/{case_id}/").json()
    assert data["state"] == "intake" and data["owner"] == "payoke"
    # a document step is not an option any more: it is requested (and refused when applied directly)
    assert "start_reflection" not in {a["action"] for a in data["actions"]}
    refused = act(payoke, case_id, "start_reflection", day(3), expect=422)
    assert refused["status"] == 422 and refused["code"] == "requested_only"  # a program learns why
    assert api(people["immigration"]).get(f"/api/v1/cases/{case_id}/").status_code == 404  # nothing asked of it yet
    unknown = act(payoke, case_id, "no_such_step", day(20), expect=422)
    assert unknown["code"] == "unknown_action"
    granted(Case.objects.get(pk=case_id), "reflection", by=people["payoke"], immigration=people["immigration"],
            on=day(3))
    data = payoke.get(f"/api/v1/cases/{case_id}/").json()
    assert data["documents"][-1]["valid_until"] == day(48).isoformat()
    assert data["documents"][-1]["number"] and data["documents"][-1]["issued_by"] == "immigration-office-thb"
    assert data["deadlines"] == [{"kind": "reflection_end", "due_on": day(48).isoformat(), "organisation": "payoke"}]
    act(payoke, case_id, "file_complaint", day(10))
    texts = [line["text"] for line in payoke.get(f"/api/v1/cases/{case_id}/").json()["timeline"]]
    assert texts[0] == "Signal recorded." and "Requested: reflection period (annex 15)" in " ".join(texts)


def test_minor_disappearance_and_status_ended_through_the_api(org, people):
    officer, esperanto, pag_asa = api(people["officer"]), api(people["esperanto"]), api(people["pag_asa"])
    minor = officer.post("/api/v1/cases/", {"organisation": "police-brussels-capital", "region": "brussels",
                                            "detected_on": day(0).isoformat(), "minor": True, "unaccompanied": True},
                         format="json").json()["id"]
    made = officer.post(f"/api/v1/cases/{minor}/referrals/", {"consent": "overridden", "override_reason": "child",
                                                              "on": day(0).isoformat()}, format="json").json()
    assert {r["to"] for r in made} == {"esperanto", "guardianship-service"}
    answered = answer_all(esperanto, minor, day(1))
    assert (answered["to_organisation"], answered["purpose"], answered["status"]) == ("esperanto", "reception",
                                                                                      "accepted")
    made = esperanto.post(f"/api/v1/residence/cases/{minor}/requests/", {"kind": "reflection", "grounds": "x"},
                          format="json")
    assert made.status_code == 422 and "minor" in made.json()["detail"]  # a child skips the reflection period

    adult = officer.post("/api/v1/cases/", {"organisation": "police-brussels-capital", "region": "brussels",
                                            "detected_on": day(0).isoformat()}, format="json").json()["id"]
    act(officer, adult, "presume", day(0))
    officer.post(f"/api/v1/cases/{adult}/referrals/", {"consent": "given", "on": day(0).isoformat()}, format="json")
    answered = answer_all(pag_asa, adult, day(1))
    assert (answered["to_organisation"], answered["status"]) == ("pag-asa", "accepted")
    granted(Case.objects.get(pk=adult), "reflection", by=people["pag_asa"], immigration=people["immigration"],
            on=day(2))
    assert act(pag_asa, adult, "end_status", day(20), expect=422, reason="renewed_contact")["code"] == "not_entitled"
    data = act(api(people["immigration"]), adult, "end_status", day(20), reason="renewed_contact")
    assert data["state"] == "status_ended" and data["close_reason"] == "renewed_contact" and data["deadlines"] == []
    reopened = pag_asa.post(f"/api/v1/cases/{adult}/reopen/", {"version": data["version"], "on": day(21).isoformat()},
                            format="json")
    assert reopened.json()["state"] == "reflection"
    data = act(pag_asa, adult, "disappear", day(25))
    assert data["state"] == "disappeared" and data["closed_at"]


def test_a_stale_version_is_a_409_and_changes_nothing(org, people):
    officer = api(people["officer"])
    case_id = officer.post("/api/v1/cases/", {"organisation": "police-brussels-capital", "region": "brussels",
                                              "detected_on": day(0).isoformat()}, format="json").json()["id"]
    version = officer.get(f"/api/v1/cases/{case_id}/").json()["version"]
    first = officer.post(f"/api/v1/cases/{case_id}/transitions/", {"action": "presume", "version": version},
                         format="json")
    second = officer.post(f"/api/v1/cases/{case_id}/transitions/",
                          {"action": "close", "version": version, "params": {"reason": "other"}}, format="json")
    assert first.status_code == 200 and second.status_code == 409
    assert second["Content-Type"] == "application/problem+json" and second.json()["code"] == "stale"
    assert officer.get(f"/api/v1/cases/{case_id}/").json()["state"] == "presumed"


@pytest.mark.parametrize("query, expected", [
    ({}, {"a", "b", "c"}), ({"minor": "true"}, {"b"}), ({"region": "wallonia"}, {"c"}),
    ({"exploitation_form": "sexual"}, {"a"}), ({"state": "presumed"}, {"a"}), ({"overdue": "true"}, {"c"}),
    ({"detected_after": day(5).isoformat()}, {"c"}), ({"owner": "police-brussels-capital"}, {"a", "b", "c"}),
])
def test_case_list_filters_and_pagination(org, people, query, expected):
    from haven.cases.actions.procedure import apply_transition
    from haven.cases.actions.signals import record_signal
    from haven.cases.models import Deadline

    user = people["officer"]
    police = org("police-brussels-capital")
    a = record_signal(user, police, detected_on=day(0), region="brussels", exploitation_forms={"sexual"})
    b = record_signal(user, police, detected_on=day(1), region="brussels", minor=True)
    c = record_signal(user, police, detected_on=day(6), region="wallonia")
    apply_transition(user, a, "presume", on=day(1))
    Deadline.objects.create(case=c, key="x", kind="referral", part="summary", due_on=day(7), organisation=police)
    names = {a.pk: "a", b.pk: "b", c.pk: "c"}
    response = api(user).get("/api/v1/cases/", query)
    assert response.status_code == 200
    assert {names[row["id"]] for row in response.json()["results"]} == expected
    assert api(people["payoke"]).get("/api/v1/cases/", query).json()["count"] == 0


def test_a_signal_with_a_typed_person_is_recorded_and_bad_identity_fields_are_refused(people):
    from haven.persons.models import Person

    officer = api(people["officer"])
    body = {"organisation": "police-brussels-capital", "region": "brussels", "detected_on": day(0).isoformat(),
            "person": {"family_name": "Quillfeather", "given_names": "Ana", "birth_date": "1991-03-04",
                       "sex": "female", "citizenships": ["RO", "MD"], "languages": ["ro"],
                       "contact": {"phone": "+32 470 00 00 00"},
                       "identity_documents": [{"kind": "passport", "number": "X1", "country": "RO",
                                               "expires": "2030-01-01"}]}}
    response = officer.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.content
    person = Case.objects.get(pk=response.json()["id"]).person
    assert person.birth_year == 1991 and person.citizenship == "RO" and len(person.person_key) == 32
    assert Person.objects.search_name("quillfeather").get() == person
    assert person.identity_documents[0]["expires"] == "2030-01-01"
    before = Case.objects.count()
    for bad in ({"birth_date": "04/03/1991"}, {"citizenships": ["XX"]}, {"languages": ["romanian"]},
                {"sex": "f"}, {"contact": {"email": "not an address"}}, {"birth_date": "2999-01-01"},
                {"familyname": "typo"}, {"identity_documents": [{"number": "no kind"}]}):
        refused = officer.post("/api/v1/cases/", {**body, "person": bad}, format="json")
        assert refused.status_code == 400, (bad, refused.content)
        assert refused["Content-Type"] == "application/problem+json" and "person" in refused.json()["errors"]
    assert Case.objects.count() == before  # a refused signal leaves nothing behind
