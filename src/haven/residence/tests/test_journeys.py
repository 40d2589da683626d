"""The four journeys of the case-chain tests, walked by the organisations that really act, through the API and
through the pages, on the Belgian and the Dutch profile: the centre (or the Dutch police) asks, the guardian
co-signs a child's request, the magistrate of the case's district confirms, the Immigration Office (the IND)
decides and issues. At each step the wrong organisation tries first and is refused, and nothing changes."""

import pytest

from haven.cases.models import Case
from haven.cases.tests.chain import day
from haven.guardianship.models import GuardianAppointment
from haven.justice import services as justice
from haven.organisations.models import Organisation
from haven.organisations.roles import Role
from haven.residence.models import DocumentRequest

from .channels import CHANNELS


@pytest.fixture(params=sorted(CHANNELS))
def way(request):
    """``way(users)`` → the channel of this run (API or pages) acting as those users."""
    return lambda users: CHANNELS[request.param](users)


def stage_of(request_id) -> str:
    return DocumentRequest.objects.get(pk=request_id).stage


def refused(result) -> bool:
    return not result.ok and result.status in (400, 404, 409, 422)


def asked(ch, who, case_id, kind, on, **extra) -> int:
    made = ch.request(who, case_id, kind, on, **extra)
    assert made.ok, made.said[:3000]
    return made.data["id"]


def answered(ch, who, request_id, answer, on, **fields) -> None:
    result = ch.answer(who, request_id, answer, on, **fields)
    assert result.ok, (who, answer, result.status, result.said[:3000])


def wrong(ch, who, request_id, answer, on, **fields) -> None:
    """``who`` is not the organisation that acts now: refused, and the request is as it was."""
    before = DocumentRequest.objects.filter(pk=request_id).values().get()
    result = ch.answer(who, request_id, answer, on, **fields)
    assert refused(result), (who, answer, result.status)
    assert DocumentRequest.objects.filter(pk=request_id).values().get() == before


def issued(ch, who, request_id, on, number):
    answered(ch, who, request_id, "issue", on, number=number, commune="Antwerpen")
    return DocumentRequest.objects.get(pk=request_id).document


def convict(police, magistrate, case, district, office, on):
    """The justice chain's records: an investigation linked to the case, a THB conviction."""
    investigation = justice.open_investigation(police, file_number=f"PV-{case.pk}", district=district, opened=on,
                                               prosecution_office=office)
    justice.link_case(magistrate, investigation, case)
    prosecution = justice.open_prosecution(magistrate, investigation, opened=on, charges=["thb"])
    justice.record_decision(magistrate, prosecution, court="Criminal court", date=on, outcome="conviction",
                            thb_convicted=True, sentence_months=30)


# --- Belgium ---------------------------------------------------------------------------------------


def test_be_adult_labour_victim_to_unlimited_residence(way, org, people):
    ch = way(people)
    case_id = ch.signal("inspector", org("social-law-inspection"), day(0), region="flanders",
                        exploitation_forms=["labour"], sector="A")
    assert ch.step("inspector", case_id, "presume", day(0)).ok
    assert ch.refer("inspector", case_id, day(1)).ok
    assert ch.accept("payoke", case_id, day(2)).ok
    # nobody issues a document nobody asked for, not even the Immigration Office
    assert refused(ch.step("payoke", case_id, "start_reflection", day(3)))
    assert refused(ch.request("immigration", case_id, "reflection", day(3)))  # it asks nothing: it decides
    reflection = asked(ch, "payoke", case_id, "reflection", day(3))
    assert DocumentRequest.objects.get(pk=reflection).holder == org("immigration-office-thb")  # no confirmation
    wrong(ch, "payoke", reflection, "issue", day(3), number="X", commune="Antwerpen")
    annex = issued(ch, "immigration", reflection, day(3), "A15-1")
    assert (annex.kind, annex.number, annex.issued_by) == ("annex_15", "A15-1", org("immigration-office-thb"))
    assert ch.step("payoke", case_id, "file_complaint", day(10)).ok

    # labour exploitation in the Antwerp district: the labour auditor is the competent magistrate
    stay = asked(ch, "payoke", case_id, "provisional_stay", day(20), district="antwerpen")
    request = DocumentRequest.objects.get(pk=stay)
    assert (request.stage, request.holder) == ("confirm", org("labour-auditor-antwerpen"))
    assert request.due_on == day(30)
    wrong(ch, "prosecutor_brussels", stay, "confirm", day(21))  # a magistrate of another district
    wrong(ch, "immigration", stay, "issue", day(21), number="X", commune="Antwerpen")  # not confirmed yet
    answered(ch, "auditor_antwerp", stay, "confirm", day(21))
    wrong(ch, "auditor_antwerp", stay, "issue", day(22), number="X", commune="Antwerpen")
    attestation = issued(ch, "immigration", stay, day(22), "AI-2")
    assert attestation.kind == "attestation" and attestation.commune == "Antwerpen"
    for kind, on in [("extend_provisional_stay", 100), ("temporary_residence", 150),
                     ("renew_temporary_residence", 300)]:
        made = asked(ch, "payoke", case_id, kind, day(on))
        wrong(ch, "payoke", made, "confirm", day(on))
        answered(ch, "auditor_antwerp", made, "confirm", day(on))
        issued(ch, "immigration", made, day(on), f"{kind}-{on}")
    case = Case.objects.get(pk=case_id)
    assert case.state == "temporary_residence" and case.trafficking_status == "presumed"
    assert refused(ch.request("payoke", case_id, "unlimited_residence", day(400)))  # no conviction yet

    convict(people["officer_antwerp"], people["auditor_antwerp"], case, case.district,
            org("labour-auditor-antwerpen"), day(390))
    case.refresh_from_db()  # the conviction identifies the victim, decided by the office of the file
    assert (case.trafficking_status, case.status_decided_by, case.status_decided_on) == (
        "identified", org("labour-auditor-antwerpen"), day(390))
    unlimited = asked(ch, "payoke", case_id, "unlimited_residence", day(400))
    answered(ch, "auditor_antwerp", unlimited, "confirm", day(400))
    assert issued(ch, "immigration", unlimited, day(401), "UL-9").kind == "unlimited_card"
    case.refresh_from_db()
    assert case.state == "unlimited_residence" and case.documents.filter(ended_on=None).count() == 1
    shown = ch.case("payoke", case_id)
    if ch.name == "api":
        assert (shown["trafficking_status"], shown["status_decided_by"]) == ("identified", "labour-auditor-antwerpen")
    else:
        assert "identified victim" in shown and "decided by Labour Auditor" in shown and "UL-9" in shown


def test_be_adult_sexual_exploitation_refused_then_granted_then_ended(way, org, people):
    ch = way(people)
    case_id = ch.signal("officer", org("police-brussels-capital"), day(0), region="brussels",
                        exploitation_forms=["sexual"])
    assert ch.step("officer", case_id, "presume", day(0)).ok
    assert ch.refer("officer", case_id, day(0)).ok
    assert ch.accept("pag_asa", case_id, day(1)).ok
    assert ch.step("pag_asa", case_id, "file_complaint", day(1)).ok  # she complains at once: no reflection
    missing = ch.request("pag_asa", case_id, "provisional_stay", day(2))
    assert missing.status == 400  # the case has no judicial district yet: the form asks for it
    first = asked(ch, "pag_asa", case_id, "provisional_stay", day(2), district="brussels")
    assert DocumentRequest.objects.get(pk=first).holder == org("prosecutor-brussels")
    wrong(ch, "pag_asa", first, "confirm", day(3))
    wrong(ch, "prosecutor_brussels", first, "refuse", day(3), reason="")  # a refusal says why
    answered(ch, "prosecutor_brussels", first, "refuse", day(3), reason="No THB file is open yet.")
    wrong(ch, "prosecutor_brussels", first, "confirm", day(3))  # answered already
    timeline = ch.case("pag_asa", case_id)
    assert "No THB file is open yet." in str(timeline)  # the refusal and its reason are on the timeline
    second = asked(ch, "pag_asa", case_id, "provisional_stay", day(10))
    answered(ch, "prosecutor_brussels", second, "confirm", day(10))
    # a document that ends before it starts is refused, and nothing changes
    wrong(ch, "immigration", second, "issue", day(11), number="AI-7", commune="Ixelles", valid_from=day(11),
          valid_until=day(5))
    assert not Case.objects.get(pk=case_id).documents.exists()
    issued(ch, "immigration", second, day(11), "AI-7")
    assert refused(ch.step("pag_asa", case_id, "end_status", day(40), reason="renewed_contact"))
    assert ch.step("immigration", case_id, "end_status", day(40), reason="renewed_contact").ok
    case = Case.objects.get(pk=case_id)
    assert case.state == "status_ended" and case.close_reason == "renewed_contact"


def test_be_unaccompanied_minor_with_the_guardians_cosignature(way, org, people, member):
    people = {**people, "other_guardian": member(org("guardianship-service"), Role.GUARDIAN, "other-guardian")}
    ch = way(people)
    case_id = ch.signal("officer", org("police-brussels-capital"), day(0), region="brussels",
                        exploitation_forms=["sexual"], minor=True, unaccompanied=True)
    assert ch.refer("officer", case_id, day(0), consent="overridden", override_reason="a child").ok
    assert ch.accept("esperanto", case_id, day(1)).ok
    assert ch.accept("guardian", case_id, day(1)).ok
    assert refused(ch.request("esperanto", case_id, "reflection", day(2)))  # a child skips the reflection period
    assert refused(ch.request("esperanto", case_id, "provisional_stay", day(2), district="brussels"))  # no guardian
    GuardianAppointment.objects.create(case_id=case_id, organisation=org("guardianship-service"),
                                       guardian=people["guardian"], appointed_by=people["guardian"],
                                       appointed_on=day(2))
    stay = asked(ch, "esperanto", case_id, "provisional_stay", day(3), district="brussels")
    assert DocumentRequest.objects.get(pk=stay).holder == org("guardianship-service")
    wrong(ch, "esperanto", stay, "cosign", day(3))
    wrong(ch, "other_guardian", stay, "cosign", day(3))  # of the service, but not this child's guardian
    wrong(ch, "other_guardian", stay, "refuse", day(3), reason="not mine to say")
    answered(ch, "guardian", stay, "cosign", day(4))
    assert DocumentRequest.objects.get(pk=stay).holder == org("prosecutor-brussels")
    wrong(ch, "guardian", stay, "confirm", day(4))
    answered(ch, "prosecutor_brussels", stay, "confirm", day(5))
    assert issued(ch, "immigration", stay, day(6), "AI-M").kind == "attestation"
    case = Case.objects.get(pk=case_id)
    assert case.state == "provisional_stay" and not case.documents.filter(kind="annex_15").exists()
    outcomes = list(DocumentRequest.objects.get(pk=stay).answers.values_list("outcome", "organisation__slug"))
    assert outcomes == [("cosigned", "guardianship-service"), ("confirmed", "prosecutor-brussels"),
                        ("issued", "immigration-office-thb")]


def test_be_a_person_disappears_while_a_request_waits(way, org, people):
    ch = way(people)
    case_id = ch.signal("officer", org("police-brussels-capital"), day(0), region="wallonia",
                        exploitation_forms=["sexual"])
    assert ch.step("officer", case_id, "presume", day(0)).ok
    assert ch.refer("officer", case_id, day(0)).ok
    assert ch.accept("surya", case_id, day(1)).ok
    issued(ch, "immigration", asked(ch, "surya", case_id, "reflection", day(2)), day(2), "A15-L")
    assert ch.step("surya", case_id, "file_complaint", day(5)).ok
    stay = asked(ch, "surya", case_id, "provisional_stay", day(6), district="liege")
    assert DocumentRequest.objects.get(pk=stay).holder == org("prosecutor-liege")
    assert refused(ch.step("immigration", case_id, "disappear", day(20)))  # the centre (or the police) says so
    assert ch.step("surya", case_id, "disappear", day(20)).ok
    wrong(ch, "prosecutor_liege", stay, "confirm", day(21))  # the case closed: nothing to confirm any more
    wrong(ch, "prosecutor_liege", stay, "withdraw", day(21), reason="gone")  # only the centre that asked
    answered(ch, "surya", stay, "withdraw", day(21), reason="The person disappeared.")
    wrong(ch, "prosecutor_liege", stay, "confirm", day(22))  # withdrawn
    wrong(ch, "surya", stay, "withdraw", day(22), reason="again")
    assert stage_of(stay) == "withdrawn"
    case = Case.objects.get(pk=case_id)
    assert case.state == "disappeared" and case.closed_at is not None
    # the magistrate, who never answered, no longer sees the case or the request
    assert not ch.sees_request("prosecutor_liege", stay) and ch.case("prosecutor_liege", case_id) is None


# --- the Netherlands: the police and the IND decide; CoMensha registers ------------------------------


@pytest.fixture
def nl(nl_org, nl_people, member):
    return {**nl_people, "other_nidos": member(nl_org("nidos"), Role.GUARDIAN, "other-nidos")}


def registered(ch, nl_org, reporter, case_id, on):
    """Reported to CoMensha, which registers the presumed victim; then routed to the shelter (COSM)."""
    assert refused(ch.step(reporter, case_id, "register", on))  # CoMensha registers, not the reporter
    assert ch.refer(reporter, case_id, on, to="comensha", purpose="other").ok
    assert ch.accept("comensha", case_id, on).ok
    assert ch.step("comensha", case_id, "register", on).ok
    case = Case.objects.get(pk=case_id)
    assert (case.state, case.trafficking_status, case.status_decided_by) == ("registered", "presumed",
                                                                            nl_org("comensha"))


def test_nl_adult_labour_victim_to_continued_residence(way, nl, nl_org):
    ch = way(nl)
    case_id = ch.signal("inspector", nl_org("labour-inspectorate-nl"), day(0), region="national",
                        exploitation_forms=["labour"], sector="C")
    registered(ch, nl_org, "inspector", case_id, day(0))
    assert ch.refer("inspector", case_id, day(1)).ok
    assert ch.accept("cosm", case_id, day(1)).ok
    assert ch.refer("inspector", case_id, day(1), to="police-avim", kind="assignment", purpose="other").ok
    assert ch.accept("officer", case_id, day(1)).ok
    assert refused(ch.request("cosm", case_id, "reflection", day(2)))  # the police offers the bedenktijd
    reflection = asked(ch, "officer", case_id, "reflection", day(2))
    wrong(ch, "officer", reflection, "issue", day(2), number="X", commune="Amsterdam")
    issued(ch, "ind", reflection, day(2), "BT-1")
    assert ch.step("cosm", case_id, "file_complaint", day(30)).ok
    b8 = asked(ch, "cosm", case_id, "b8", day(31), district="amsterdam")
    assert DocumentRequest.objects.get(pk=b8).holder == nl_org("om")  # the OM even for labour exploitation
    wrong(ch, "ind", b8, "issue", day(31), number="X", commune="Amsterdam")
    answered(ch, "om", b8, "confirm", day(31))
    assert issued(ch, "ind", b8, day(32), "B8-1").issued_by == nl_org("ind")
    renewal = asked(ch, "cosm", case_id, "renew_b8", day(380))
    assert stage_of(renewal) == "decide"  # a renewal needs no confirmation in the Dutch procedure
    issued(ch, "ind", renewal, day(380), "B8-2")
    case = Case.objects.get(pk=case_id)
    convict(nl["officer"], nl["om"], case, case.district, nl_org("om"), day(450))
    case.refresh_from_db()
    assert (case.trafficking_status, case.status_decided_by) == ("identified", nl_org("om"))
    continued = asked(ch, "cosm", case_id, "continued_residence", day(500))
    answered(ch, "om", continued, "confirm", day(500))
    issued(ch, "ind", continued, day(500), "VV-1")
    assert Case.objects.get(pk=case_id).state == "continued_residence"


def test_nl_adult_sexual_exploitation_refused_then_granted_then_ended(way, nl, nl_org):
    ch = way(nl)
    case_id = ch.signal("officer", nl_org("police-avim"), day(0), region="national", exploitation_forms=["sexual"])
    registered(ch, nl_org, "officer", case_id, day(0))
    assert ch.refer("officer", case_id, day(0)).ok
    assert ch.accept("cosm", case_id, day(1)).ok
    assert ch.step("cosm", case_id, "file_complaint", day(1)).ok
    first = asked(ch, "officer", case_id, "b8", day(2), district="rotterdam")
    wrong(ch, "cosm", first, "refuse", day(3), reason="not ours to say")
    answered(ch, "om", first, "refuse", day(3), reason="The statements do not support a THB file.")
    second = asked(ch, "officer", case_id, "b8", day(20))
    answered(ch, "om", second, "confirm", day(20))
    issued(ch, "ind", second, day(21), "B8-S")
    assert refused(ch.step("cosm", case_id, "end_status", day(60), reason="renewed_contact"))
    assert ch.step("ind", case_id, "end_status", day(60), reason="renewed_contact").ok
    case = Case.objects.get(pk=case_id)
    assert case.state == "status_ended"
    assert case.timeline.filter(event="request", data__step="refused").count() == 1


def test_nl_unaccompanied_minor_with_the_guardians_cosignature(way, nl, nl_org):
    ch = way(nl)
    case_id = ch.signal("officer", nl_org("police-avim"), day(0), region="national",
                        exploitation_forms=["criminal"], minor=True, unaccompanied=True)
    assert ch.refer("officer", case_id, day(0), consent="overridden", override_reason="a child").ok
    assert ch.accept("nidos", case_id, day(1)).ok
    GuardianAppointment.objects.create(case_id=case_id, organisation=nl_org("nidos"), guardian=nl["nidos"],
                                       appointed_by=nl["nidos"], appointed_on=day(1))
    assert ch.step("nidos", case_id, "file_complaint", day(2)).ok
    b8 = asked(ch, "officer", case_id, "b8", day(2), district="rotterdam")
    assert stage_of(b8) == "cosign"
    wrong(ch, "other_nidos", b8, "cosign", day(3))
    wrong(ch, "om", b8, "confirm", day(3))
    answered(ch, "nidos", b8, "cosign", day(3))
    answered(ch, "om", b8, "confirm", day(4))
    assert issued(ch, "ind", b8, day(5), "B8-M").kind == "b8_permit"
    assert Case.objects.get(pk=case_id).state == "b8_residence"


def test_nl_a_person_disappears_while_a_request_waits(way, nl, nl_org):
    ch = way(nl)
    case_id = ch.signal("officer", nl_org("police-avim"), day(0), region="national", exploitation_forms=["sexual"])
    registered(ch, nl_org, "officer", case_id, day(0))
    assert ch.refer("officer", case_id, day(0)).ok
    assert ch.accept("cosm", case_id, day(1)).ok
    issued(ch, "ind", asked(ch, "officer", case_id, "reflection", day(1)), day(1), "BT-D")
    assert ch.step("cosm", case_id, "file_complaint", day(5)).ok
    b8 = asked(ch, "cosm", case_id, "b8", day(6), district="amsterdam")
    assert ch.step("cosm", case_id, "disappear", day(10)).ok
    wrong(ch, "om", b8, "confirm", day(11))
    wrong(ch, "officer", b8, "withdraw", day(11), reason="not the police's request")
    answered(ch, "cosm", b8, "withdraw", day(11), reason="The person disappeared.")
    wrong(ch, "om", b8, "confirm", day(12))
    assert Case.objects.get(pk=case_id).state == "disappeared" and stage_of(b8) == "withdrawn"
    assert Organisation.objects.get(slug="om").case_shares.filter(revoked_at=None, case_id=case_id).count() == 0
