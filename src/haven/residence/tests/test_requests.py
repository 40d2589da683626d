"""The rules of requests between organisations, below the pages and the API: who holds a request and sees
what, bad input that changes nothing, two answers at once (409), the trafficking status and who decides it."""

import datetime

import pytest
from rest_framework.test import APIClient

from haven.cases.actions.procedure import apply_transition
from haven.cases.actions.referrals import accept_referral, route_case
from haven.cases.actions.screening import set_trafficking_status
from haven.cases.actions.signals import record_signal
from haven.cases.models import CaseShare, ShareReason
from haven.cases.tests.chain import day, snapshot
from haven.core.errors import Invalid, Refused, StaleEdit
from haven.notifications.models import Notification
from haven.organisations.roles import Role
from haven.residence import services
from haven.residence.models import DocumentRequest


def intake(org, people, *, forms=("labour",), region="brussels", centre="pag_asa"):
    """A case the centre took in, the person having complained."""
    officer = people["officer"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region=region,
                         exploitation_forms=set(forms))
    accept_referral(people[centre], route_case(officer, case, on=day(0))[0], on=day(1))
    apply_transition(people[centre], case, "file_complaint", on=day(1))
    case.refresh_from_db()
    return case


def shares(case) -> dict:
    return {s.organisation.slug: set(s.part_set) for s in
            CaseShare.objects.filter(case=case, reason=ShareReason.REQUEST, revoked_at=None)}


def state(case, request=None):
    """Everything a refused answer must leave as it was."""
    rows = DocumentRequest.objects.filter(case=case).order_by("pk")
    return snapshot(case), list(rows.values()), [list(r.answers.values()) for r in rows], shares(case)


def test_a_request_goes_to_who_acts_and_each_sees_what_it_needs_then_less(org, people):
    case = intake(org, people)
    auditor = _member(org, "labour-auditor-brussels", Role.MAGISTRATE)
    request = services.request_document(people["pag_asa"], case, "provisional_stay", grounds="statements made",
                                        district="brussels", on=day(2))
    # labour exploitation in Brussels: the labour auditor; answer due in the profile's 10 days
    assert (request.stage, request.holder, request.due_on) == ("confirm", org("labour-auditor-brussels"), day(12))
    assert (request.magistrate_office, request.immigration_office) == (org("labour-auditor-brussels"),
                                                                       org("immigration-office-thb"))
    case.refresh_from_db()
    assert case.district.code == "brussels"  # asked for once, kept on the case
    assert shares(case) == {"labour-auditor-brussels": {"summary", "facts", "statements", "justice"}}
    assert Notification.objects.filter(recipient=auditor, kind=services.ARRIVED).exists()
    assert not DocumentRequest.objects.visible_to(people["payoke"]).exists()  # nobody else sees it
    assert DocumentRequest.objects.visible_to(auditor).get() == request

    services.confirm(auditor, request, on=day(3), expected_version=request.version)
    request.refresh_from_db()
    assert (request.stage, request.holder, request.due_on) == ("decide", org("immigration-office-thb"), day(18))
    assert shares(case) == {"labour-auditor-brussels": {"summary"},
                            "immigration-office-thb": {"summary", "identity", "documents"}}
    services.issue(people["immigration"], request, number="AI-1", commune="Ixelles", on=day(4),
                   expected_version=request.version)
    request.refresh_from_db()
    assert (request.stage, request.holder, request.closed_on) == ("issued", None, day(4))
    assert (request.document.number, request.document.commune, request.document.issued_by) == (
        "AI-1", "Ixelles", org("immigration-office-thb"))
    assert shares(case)["immigration-office-thb"] == {"summary", "documents"}
    assert [a.outcome for a in request.answers.all()] == ["confirmed", "issued"]
    assert Notification.objects.filter(recipient=people["pag_asa"], kind=services.ISSUED).exists()
    steps = list(case.timeline.filter(event="request").values_list("data__step", flat=True))
    assert steps == ["requested", "confirmed", "issued"]


def _member(org, slug, role):
    from haven.organisations.models import Membership, User

    user = User.objects.create_user(f"{slug}-{role}-2", password="x" * 16)
    Membership.objects.create(user=user, organisation=org(slug), role=role)
    return user


def test_bad_input_is_refused_with_a_reason_and_changes_nothing(org, people, netherlands):
    case = intake(org, people, forms={"sexual"})
    pag_asa, io, magistrate = people["pag_asa"], people["immigration"], people["prosecutor_brussels"]
    before = state(case)
    for attempt, error, code in [
        (lambda: services.request_document(pag_asa, case, "teleport", grounds="x"), Refused, "unknown_request"),
        (lambda: services.request_document(pag_asa, case, "provisional_stay", grounds=" ", district="brussels"),
         Invalid, "grounds_missing"),
        (lambda: services.request_document(pag_asa, case, "provisional_stay", grounds="x"), Invalid,
         "district_missing"),
        (lambda: services.request_document(pag_asa, case, "provisional_stay", grounds="x", district="amsterdam"),
         Invalid, "unknown_district"),
        (lambda: services.request_document(people["officer"], case, "provisional_stay", grounds="x",
                                           district="brussels"), Refused, "not_entitled"),
        (lambda: services.request_document(pag_asa, case, "temporary_residence", grounds="x", district="brussels"),
         Refused, "not_from_state"),
        (lambda: services.request_document(pag_asa, case, "provisional_stay", grounds="x", district="brussels",
                                           on=datetime.date.today() + datetime.timedelta(days=2)), Refused, "date"),
        (lambda: apply_transition(io, case, "grant_provisional_stay", on=day(2)), Refused, "requested_only"),
    ]:
        with pytest.raises(error) as refused:
            attempt()
        assert refused.value.code == code
        assert state(case) == before, code

    request = services.request_document(pag_asa, case, "provisional_stay", grounds="x", district="brussels",
                                        on=day(2))
    before = state(case)
    for attempt, error, code in [
        (lambda: services.request_document(pag_asa, case, "provisional_stay", grounds="x", on=day(2)), Refused,
         "open_request"),
        (lambda: services.confirm(people["prosecutor_liege"], request, on=day(3)), Refused, "not_holder"),
        (lambda: services.confirm(people["auditor_antwerp"], request, on=day(3)), Refused, "not_holder"),
        (lambda: services.issue(io, request, number="X", commune="Y", on=day(3)), Refused, "not_holder"),
        (lambda: services.refuse(magistrate, request, "  ", on=day(3)), Invalid, "reason_missing"),
        (lambda: services.confirm(magistrate, request, on=day(1)), Refused, "date"),  # before it was asked
        (lambda: services.withdraw(magistrate, request, "no", on=day(3)), Refused, "not_requester"),
        (lambda: services.confirm(magistrate, request, on=day(3), expected_version=request.version + 1), StaleEdit,
         "stale"),
    ]:
        with pytest.raises(error) as refused:
            attempt()
        assert refused.value.code == code
        assert state(case) == before, code

    services.confirm(magistrate, request, on=day(3))
    before = state(case)
    for attempt, error, code in [
        (lambda: services.confirm(magistrate, request, on=day(3)), Refused, "not_holder"),  # answered already
        (lambda: services.issue(io, request, number="AI-9", commune="Ixelles", valid_from=day(10),
                                valid_until=day(9), on=day(4)), Invalid, "invalid_document"),
        (lambda: services.issue(io, request, number="AI-9", commune="Ixelles", valid_until=day(3), on=day(4)),
         Invalid, "ends_before_start"),  # before the decision it would start on
        (lambda: services.issue(io, request, number=" ", commune="", on=day(4)), Invalid, "invalid_document"),
    ]:
        with pytest.raises(error) as refused:
            attempt()
        assert refused.value.code == code
        assert state(case) == before, code
    services.issue(io, request, number="AI-9", commune="Ixelles", on=day(4))
    with pytest.raises(Refused) as refused:
        services.issue(io, request, number="AI-9", commune="Ixelles", on=day(4))
    assert refused.value.code == "answered"

    with pytest.raises(Invalid, match="already") as refused:  # another district than the case's
        services.request_document(pag_asa, case, "temporary_residence", grounds="x", district="liege", on=day(50))
    assert refused.value.code == "district_set"
    again = services.request_document(pag_asa, case, "temporary_residence", grounds="x", on=day(50))
    services.withdraw(pag_asa, again, "the person left", on=day(51))
    before = state(case)
    for attempt in (lambda: services.confirm(magistrate, again, on=day(52)),
                    lambda: services.withdraw(pag_asa, again, "twice", on=day(52))):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "withdrawn" and state(case) == before


def api(user):
    from haven.access.models import ApiToken

    _token, key = ApiToken.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_two_people_answering_at_once_one_wins_the_other_gets_a_conflict(org, people):
    case = intake(org, people, forms={"sexual"})
    request = services.request_document(people["pag_asa"], case, "provisional_stay", grounds="x",
                                        district="brussels", on=day(2))
    colleague = _member(org, "prosecutor-brussels", Role.MAGISTRATE)
    first, second = api(people["prosecutor_brussels"]), api(colleague)
    version = first.get(f"/api/v1/residence/requests/{request.pk}/").json()["version"]
    assert second.get(f"/api/v1/residence/requests/{request.pk}/").json()["version"] == version  # both read it
    won = first.post(f"/api/v1/residence/requests/{request.pk}/confirm/", {"version": version}, format="json")
    lost = second.post(f"/api/v1/residence/requests/{request.pk}/refuse/",
                       {"version": version, "reason": "no file"}, format="json")
    assert won.status_code == 200 and won.json()["stage"] == "decide"
    assert lost.status_code == 409 and lost["Content-Type"] == "application/problem+json"
    assert lost.json()["code"] == "stale"
    request.refresh_from_db()
    assert request.stage == "decide" and [a.outcome for a in request.answers.all()] == ["confirmed"]
    # the pages say the same: a stale answer changes nothing
    from django.test import Client

    page = Client()
    page.force_login(people["immigration"])
    stale = page.post(f"/residence/requests/{request.pk}/refuse/", {"version": version, "reason": "no"})
    assert stale.status_code == 409 and "Someone else changed this record" in stale.content.decode()
    assert DocumentRequest.objects.get(pk=request.pk).stage == "decide"
    # a bad body is a 400 problem naming the field, and an answer nobody may give a 422 with its code
    bad = api(people["immigration"]).post(f"/api/v1/residence/requests/{request.pk}/issue/",
                                          {"version": request.version, "number": "A1"}, format="json")
    assert bad.status_code == 400 and "commune" in bad.json()["errors"]
    other = api(people["pag_asa"]).post(f"/api/v1/residence/requests/{request.pk}/issue/",
                                        {"version": request.version, "number": "A1", "commune": "X"}, format="json")
    assert other.status_code == 422 and other.json()["code"] == "not_holder"


def test_who_decides_the_trafficking_status_is_the_profiles(org, people):
    case = intake(org, people, forms={"sexual"})
    with pytest.raises(Refused) as refused:
        set_trafficking_status(people["pag_asa"], case, "identified", on=day(2))  # a centre presumes, never identifies
    assert refused.value.code == "not_entitled"
    set_trafficking_status(people["pag_asa"], case, "presumed", on=day(2))
    request = services.request_document(people["pag_asa"], case, "provisional_stay", grounds="x",
                                        district="brussels", on=day(2))
    magistrate = people["prosecutor_brussels"]
    set_trafficking_status(magistrate, case, "identified", on=day(3))  # the magistrate identifies
    case.refresh_from_db()
    assert (case.trafficking_status, case.status_decided_by) == ("identified", org("prosecutor-brussels"))
    assert request.pk


def test_the_case_page_offers_each_organisation_the_answers_it_may_give(org, people, client):
    case = intake(org, people, forms={"sexual"})
    request = services.request_document(people["pag_asa"], case, "provisional_stay", grounds="x",
                                        district="brussels", on=day(2))
    client.force_login(people["pag_asa"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Request a document" in page and "Withdraw the request" in page and ">Confirm<" not in page
    client.force_login(people["prosecutor_brussels"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert ">Confirm<" in page and "Refuse" in page and "Request a document" not in page
    assert "Rue" not in page  # nor anything of the psychosocial or identity parts
    page = client.get(f"/residence/requests/{request.pk}/").content.decode()
    assert "What the request rests on" in page and 'name="note"' in page
    client.force_login(people["immigration"])
    assert client.get(f"/cases/{case.pk}/").status_code == 404  # nothing asked of it yet
    assert client.get(f"/residence/requests/{request.pk}/").status_code == 404
    listing = client.get("/residence/requests/", {"waiting": "true"}).content.decode()
    assert case.reference not in listing
    client.force_login(people["prosecutor_brussels"])
    listing = client.get("/residence/requests/", {"waiting": "true"}).content.decode()
    assert case.reference in listing
