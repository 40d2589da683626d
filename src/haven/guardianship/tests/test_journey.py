"""An unaccompanied minor in Belgium, walked by the organisations that really act, through the pages and
the API: the police refer the child; the Guardianship Service sees the referral waiting and what it needs
to decide, accepts it and appoints a named guardian; the child centre raises a doubt about age; the service
decides it, and the adult's path is no longer a child's. Each step by the wrong organisation, bad input and
a concurrent answer are refused and change nothing."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from haven.access.scope import parts_for
from haven.cases import panels as case_panels
from haven.cases.actions.common import Refused
from haven.cases.actions.procedure import request_possible
from haven.cases.actions.referrals import accept_referral, route_case
from haven.cases.actions.signals import record_signal
from haven.cases.models import Case, CaseShare, TimelineEntry
from haven.cases.presenters import timeline_lines
from haven.cases.tests.chain import day
from haven.guardianship import panels
from haven.guardianship.models import AgeAssessment, GuardianAppointment
from haven.guardianship.services import guardian_of
from haven.notifications.models import Notification
from haven.organisations.roles import Role


def page(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    from haven.access.models import ApiToken

    _token, key = ApiToken.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def state(case):
    """What a refused step must leave as it was."""
    fresh = Case.objects.get(pk=case.pk)
    return (fresh.version, fresh.minor, fresh.unaccompanied,
            list(GuardianAppointment.objects.filter(case=case).values()),
            list(AgeAssessment.objects.filter(case=case).values()),
            TimelineEntry.objects.filter(case=case).count(),
            list(CaseShare.objects.filter(case=case).values("organisation_id", "reason", "parts_mask", "revoked_at")))


@pytest.fixture
def guardians(org, member):
    def named(username, first, last):
        user = member(org("guardianship-service"), Role.GUARDIAN, username)
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
        return user

    return named("anne", "Anne", "Dubois"), named("bruno", "Bruno", "Leclercq")


def test_unaccompanied_minor_gets_a_named_guardian_and_an_age_assessment(org, people, guardians):
    officer, esperanto, service, payoke = people["officer"], people["esperanto"], people["guardian"], people["payoke"]
    anne, bruno = guardians
    guardianship_service = org("guardianship-service")
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels",
                         exploitation_forms={"sexual"}, minor=True, unaccompanied=True,
                         person={"family_name": "Quillfeather"})
    made = route_case(officer, case, consent="overridden", override_reason="a child cannot consent", on=day(1))
    centre_referral, guardianship_referral = sorted(made, key=lambda r: r.purpose != "reception")

    # The service sees the referral waiting for it, and the summary and facts it needs to decide; no identity.
    waiting = case_panels.referrals(service, guardianship_service)
    assert waiting.total == 1 and case.reference in waiting[0]["text"]
    assert case.reference in page(service).get("/").content.decode()  # its deadline to answer
    case_page = page(service).get(f"/cases/{case.pk}/")
    assert case_page.status_code == 200 and "Quillfeather" not in case_page.content.decode()
    assert page(service).get(f"/cases/{case.pk}/identity/").status_code == 404
    assert api(service).get(f"/api/v1/cases/{case.pk}/").json()["parts"] == ["facts", "summary"]
    assert page(service).get(f"/cases/referrals/{guardianship_referral.pk}/").status_code == 200
    # another centre sees neither the case nor the referral, and cannot answer it
    assert page(payoke).get(f"/cases/{case.pk}/").status_code == 404
    assert page(payoke).post(f"/cases/referrals/{guardianship_referral.pk}/", {"answer": "accept"}).status_code == 404
    with pytest.raises(Refused, match="referred to"):
        accept_referral(payoke, guardianship_referral, on=day(2))
    answered = api(service).post(f"/api/v1/referrals/{guardianship_referral.pk}/answer/",
                                 {"answer": "accept", "on": day(2).isoformat()}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    accept_referral(esperanto, centre_referral, on=day(2))
    case.refresh_from_db()
    assert case.owner == org("esperanto") and "identity" in parts_for(service, case)
    assert panels.awaiting_guardian(service, guardianship_service).total == 1

    # The child centre may not appoint the guardian; a member who is not a guardian cannot be appointed; a
    # stale version is a conflict. Nothing changes.
    appoint = f"/guardianship/cases/{case.pk}/appoint/"
    before = state(case)
    refused = page(esperanto).post(appoint, {"guardian": anne.pk, "version": case.version})
    assert refused.status_code == 422 and "Only the guardianship service" in refused.content.decode()
    wrong = page(service).post(appoint, {"guardian": payoke.pk, "version": case.version})
    assert wrong.status_code == 400 and 'role="alert"' in wrong.content.decode()
    stale = page(service).post(appoint, {"guardian": anne.pk, "version": case.version - 1})
    assert stale.status_code == 409
    assert state(case) == before

    done = page(service).post(appoint, {"guardian": anne.pk, "version": case.version, "on": day(3).isoformat()},
                              follow=True)
    assert "Anne Dubois is the child&#x27;s guardian." in done.content.decode()
    assert guardian_of(case) == anne
    assert Notification.objects.filter(recipient=anne, kind="guardian_appointed").count() == 1
    wards = panels.wards(anne, guardianship_service)
    assert wards.total == 1 and case.reference in wards[0]["text"]
    assert panels.wards(bruno, guardianship_service).total == 0
    assert case.reference in page(anne).get("/").content.decode()  # her home page lists her ward
    assert panels.awaiting_guardian(service, guardianship_service).total == 0
    assert page(anne).get(f"/cases/{case.pk}/identity/").status_code == 200  # she sees her child's identity
    assert not {"shelter", "statements"} & parts_for(anne, case) and "shelter" in parts_for(esperanto, case)
    assert "Anne Dubois" in page(esperanto).get(f"/cases/{case.pk}/").content.decode()  # the centre knows her

    # Replaced through the API: Anne's appointment ends, Bruno's begins; a second identical call conflicts.
    case.refresh_from_db()
    body = {"case": case.pk, "guardian": bruno.pk, "version": case.version, "on": day(5).isoformat()}
    replaced = api(service).post("/api/v1/guardianship/appointments/", body, format="json")
    assert replaced.status_code == 201 and replaced.json()["guardian_name"] == "Bruno Leclercq"
    assert api(service).post("/api/v1/guardianship/appointments/", body, format="json").status_code == 409
    assert GuardianAppointment.objects.get(guardian=anne).end_reason_label == "another guardian was appointed"
    assert guardian_of(case) == bruno
    listed = api(esperanto).get("/api/v1/guardianship/appointments/", {"case": case.pk, "current": "true"}).json()
    assert [row["guardian"] for row in listed["results"]] == [bruno.pk]
    assert api(payoke).get("/api/v1/guardianship/appointments/").json()["count"] == 0

    # The child centre raises a doubt about age; the service is told; a second doubt waits for the first.
    doubt = page(esperanto).post(f"/guardianship/cases/{case.pk}/age-assessment/",
                                 {"doubt": "Says 15, documents say 23", "on": day(6).isoformat()})
    assert doubt.status_code == 302
    assessment = AgeAssessment.objects.get(case=case)
    assert assessment.organisation == guardianship_service and assessment.outcome == "pending"
    assert assessment.opened_by_organisation == org("esperanto")
    assert Notification.objects.filter(recipient=bruno, kind="age_assessment_opened").exists()
    assert panels.age_assessments(service, guardianship_service).total == 1
    again = api(esperanto).post("/api/v1/guardianship/age-assessments/", {"case": case.pk, "doubt": "again"},
                                format="json")
    assert again.status_code == 422 and again.json()["code"] == "pending"

    # Before the assessment the child's path: no reflection period, the attestation without a complaint.
    case.refresh_from_db()
    with pytest.raises(Refused):
        request_possible(case, "start_reflection")
    request_possible(case, "grant_provisional_stay", assume={"magistrate_confirmed"})

    # Deciding: only the service; bad input and a stale version change nothing; one of two answers wins.
    decide = f"/api/v1/guardianship/age-assessments/{assessment.pk}/decide/"
    version = assessment.version
    before = state(case)
    not_theirs = api(esperanto).post(decide, {"outcome": "adult", "version": version}, format="json")
    assert not_theirs.status_code == 422 and not_theirs.json()["code"] == "not_entitled"
    assert api(payoke).post(decide, {"outcome": "adult", "version": version}, format="json").status_code == 404
    for bad, field in [({"outcome": "teenager"}, "outcome"), ({"outcome": "adult", "on": "2999-01-01"}, "on"),
                       ({"outcome": "minor", "estimated_birth_year": 1990}, "estimated_birth_year")]:
        answer = api(service).post(decide, {"version": version, **bad}, format="json")
        assert answer.status_code == 400 and field in answer.json()["errors"], answer.json()
    form = page(service).post(f"/guardianship/cases/{case.pk}/age-assessment/decide/",
                              {"outcome": "adult", "estimated_birth_year": "2015", "version": version})
    assert form.status_code == 400 and "does not fit the outcome" in form.content.decode()
    assert state(case) == before
    first = api(service).post(decide, {"outcome": "adult", "version": version, "on": day(8).isoformat(),
                                       "estimated_birth_year": 2001, "note": "bone and dental X-ray"}, format="json")
    second = api(bruno).post(decide, {"outcome": "minor", "version": version}, format="json")
    assert first.status_code == 200 and first.json()["outcome"] == "adult"
    assert second.status_code == 409
    twice = api(bruno).post(decide, {"outcome": "minor", "version": version + 1}, format="json")
    assert twice.status_code == 422 and twice.json()["code"] == "decided"

    # An adult: not a minor, no guardian, the reflection period is open and the child's shortcut is not.
    case.refresh_from_db()
    assert not case.minor and not case.unaccompanied and guardian_of(case) is None
    assert GuardianAppointment.objects.get(guardian=bruno).end_reason == "adult"
    request_possible(case, "start_reflection")
    with pytest.raises(Refused, match="minor"):
        request_possible(case, "grant_provisional_stay", assume={"magistrate_confirmed"})
    # the service holds the case no more, but still reads the assessment it decided
    assert parts_for(service, case) == frozenset() and page(service).get(f"/cases/{case.pk}/").status_code == 404
    assert api(service).get(f"/api/v1/guardianship/age-assessments/{assessment.pk}/").status_code == 200
    assert Notification.objects.filter(recipient=esperanto, kind="age_assessed").exists()
    lines = " ".join(line["text"] for line in timeline_lines(esperanto, case))
    assert "Guardian appointed: Anne Dubois" in lines and "replacing Anne Dubois" in lines
    assert "Age assessed: Adult. Estimated year of birth: 2001." in lines
    assert "Guardianship of Bruno Leclercq ended: the person was assessed an adult." in lines
