"""The journeys through the pages (Django's test client), forms, conflicts, home panels and the digest."""

from django.core import mail
from django.test import Client
from django.utils import timezone

from haven.cases.actions.closure import reopen_case  # noqa: F401
from haven.cases.actions.procedure import apply_transition
from haven.cases.actions.referrals import accept_referral, route_case
from haven.cases.actions.signals import record_signal
from haven.cases.actions.support import add_service
from haven.cases.models import Case, Referral

from .chain import day, granted


def browser_of(user):
    client = Client()
    client.force_login(user)
    try:
        from haven.access.testing import verify_session

        verify_session(client, user)
    except ImportError:
        pass
    return client


def step(client, case, action, on, **extra):
    case.refresh_from_db()
    return client.post(f"/cases/{case.pk}/transition/", {"action": action, "version": case.version,
                                                         "on": on.isoformat(), **extra}, follow=True)


def test_adult_journey_through_the_pages(org, people):
    inspector, payoke = browser_of(people["inspector"]), browser_of(people["payoke"])
    police = org("social-law-inspection")
    # a refused signal keeps what was typed
    page = inspector.post("/cases/new/", {"organisation": police.pk, "detected_on": "2999-01-01", "region": "flanders",
                                          "place": "Greenhouse 7", "exploitation_forms": ["labour"]})
    assert page.status_code == 400 and "Greenhouse 7" in page.content.decode()
    page = inspector.post("/cases/new/", {"organisation": police.pk, "detected_on": day(0).isoformat(),
                                          "region": "flanders", "place": "Greenhouse 7",
                                          "exploitation_forms": ["labour"], "sector": "A"}, follow=True)
    case = Case.objects.get()
    assert page.status_code == 200 and case.reference in page.content.decode()
    screening = inspector.get(f"/cases/{case.pk}/screening/").content.decode()
    assert "ilo-ec-2009.haven-1" in screening and "unconfirmed" in screening
    page = inspector.post(f"/cases/{case.pk}/screening/", {
        "form": "labour", "act": "on", "purpose": "on",
        "indicators": ["exploitative_conditions.excessive-working-days-or-hours",
                       "exploitative_conditions.low-or-no-pay"]}, follow=True)
    assert "possible victim" in page.content.decode()
    step(inspector, case, "presume", day(0))
    page = inspector.post(f"/cases/{case.pk}/refer/", {"kind": "referral", "purpose": "reception",
                                                       "consent": "given", "on": day(1).isoformat()}, follow=True)
    assert "Referral sent." in page.content.decode()
    referral = Referral.objects.get()
    home = payoke.get("/").content.decode()
    assert case.reference in home  # the waiting referral on the centre's home page
    assert payoke.get(f"/cases/{case.pk}/identity/").status_code == 404  # not who the person is, before accepting
    assert case.reference in payoke.get(f"/cases/referrals/{referral.pk}/").content.decode()
    payoke.post(f"/cases/referrals/{referral.pk}/", {"answer": "accept", "on": day(2).isoformat()})
    case.refresh_from_db()
    assert case.owner == org("payoke") and case.state == "intake"
    page = step(payoke, case, "start_reflection", day(3)).content.decode()
    assert "Refused, nothing was changed" in page and "only in answer to a request" in page
    assert "Request a document" in page  # the case page's Requests section, for the centre
    granted(case, "reflection", by=people["payoke"], immigration=people["immigration"], on=day(3))
    step(payoke, case, "file_complaint", day(10))
    page = payoke.get(f"/cases/{case.pk}/").content.decode()
    assert "Reflection period" in page and f"DOC-{case.document_requests.get().pk}" in page
    assert "Immigration Office – THB cell" in page and "Timeline" in page


def test_stale_page_edit_says_so_and_changes_nothing(org, people):
    officer = people["officer"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels")
    client = browser_of(officer)
    stale_version = case.version
    apply_transition(officer, case, "presume", on=day(1))
    page = client.post(f"/cases/{case.pk}/transition/", {"action": "close", "version": stale_version,
                                                         "reason": "other"}, follow=True).content.decode()
    assert "Someone else changed this case" in page
    case.refresh_from_db()
    assert case.state == "presumed" and case.closed_at is None


def test_minor_disappearance_and_status_ended_through_the_pages(org, people):
    officer, esperanto = browser_of(people["officer"]), browser_of(people["esperanto"])
    police = org("police-brussels-capital")
    officer.post("/cases/new/", {"organisation": police.pk, "detected_on": day(0).isoformat(), "region": "brussels",
                                 "minor": "on", "unaccompanied": "on"})
    case = Case.objects.get()
    page = officer.post(f"/cases/{case.pk}/refer/", {"kind": "referral", "purpose": "reception",
                                                     "consent": "overridden", "override_reason": ""})
    assert page.status_code == 400  # the reason is missing; the form comes back with the choice kept
    officer.post(f"/cases/{case.pk}/refer/", {"kind": "referral", "purpose": "reception", "consent": "overridden",
                                              "override_reason": "a child", "on": day(0).isoformat()})
    assert Referral.objects.filter(case=case).count() == 2
    reception = Referral.objects.get(purpose="reception")
    esperanto.post(f"/cases/referrals/{reception.pk}/", {"answer": "accept", "on": day(1).isoformat()})
    page = esperanto.post(f"/residence/cases/{case.pk}/requests/new/", {"kind": "reflection", "grounds": "x"})
    assert page.status_code == 400 and "Select a valid choice" in page.content.decode()  # not offered: a minor
    assert "minor" in esperanto.get(f"/residence/cases/{case.pk}/requests/new/").content.decode()
    from haven.guardianship.models import GuardianAppointment

    GuardianAppointment.objects.create(case=case, organisation=org("guardianship-service"), guardian=people["guardian"],
                                       appointed_by=people["guardian"], appointed_on=day(1))
    granted(case, "provisional_stay", by=people["esperanto"], guardian=people["guardian"], district="brussels",
            magistrate=people["prosecutor_brussels"], immigration=people["immigration"], on=day(1))
    step(browser_of(people["immigration"]), case, "end_status", day(30), reason="renewed_contact")
    case.refresh_from_db()
    assert case.state == "status_ended" and case.close_reason == "renewed_contact"
    case.refresh_from_db()
    esperanto.post(f"/cases/{case.pk}/reopen/", {"version": case.version, "reason": "back"})
    case.refresh_from_db()
    assert case.state == "provisional_stay"
    step(esperanto, case, "disappear", timezone.localdate())
    case.refresh_from_db()
    assert case.state == "disappeared"


def test_shelter_address_only_for_the_centre_and_the_case_list(org, people):
    officer, pag_asa = people["officer"], people["pag_asa"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels")
    accept_referral(pag_asa, route_case(officer, case, on=day(0))[0], on=day(0))
    add_service(pag_asa, case, "shelter", shelter_address="Rue Secrète 12", planned_start=day(1))
    assert "Rue Secrète 12" in browser_of(pag_asa).get(f"/cases/{case.pk}/").content.decode()
    police_page = browser_of(officer).get(f"/cases/{case.pk}/").content.decode()
    assert case.reference in police_page and "Rue Secrète" not in police_page
    listing = browser_of(officer).get("/cases/", {"region": "brussels"}).content.decode()
    assert case.reference in listing


def test_home_deadlines_and_the_daily_digest(org, people):
    from haven.cli import main as haven

    officer, pag_asa = people["officer"], people["pag_asa"]
    pag_asa.email = "worker@example.org"
    pag_asa.save()
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels")
    apply_transition(officer, case, "presume", on=day(0))
    accept_referral(pag_asa, route_case(officer, case, on=day(0))[0], on=day(0))
    granted(case, "reflection", by=pag_asa, immigration=people["immigration"], on=day(1))  # until day 46: overdue
    home = browser_of(pag_asa).get("/").content.decode()
    assert case.reference in home and "overdue" in home
    assert haven(["deadlines", "digest"]) == 0
    [message] = mail.outbox
    assert message.to == ["worker@example.org"] and case.reference in message.body
    assert "OVERDUE" in message.body and "reflection" in message.body
