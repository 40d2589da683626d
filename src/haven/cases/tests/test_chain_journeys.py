"""The four journeys of issue 4 through the service functions, on the Belgian and the Dutch profile. Every
document is requested by the centre, confirmed by the magistrate and issued by the Immigration Office
(``chain.granted``); the journeys through the API and the pages are ``haven.residence.tests``."""

import datetime

import pytest

from haven.cases.actions import Refused
from haven.cases.actions.closure import reopen_case
from haven.cases.actions.common import add_months
from haven.cases.actions.procedure import apply_transition
from haven.cases.actions.referrals import accept_referral, route_case
from haven.cases.actions.screening import indicator_set, screen
from haven.cases.actions.signals import record_signal
from haven.cases.models import CaseShare, Referral

from .chain import active_document, day, granted, open_deadlines, snapshot


def labour_indicators(minor=False):
    ids = {i.id for i in indicator_set("labour", minor).indicators}
    chosen = ["deceptive_recruitment.deception-about-nature-of-job-location-or-employer",
              "deceptive_recruitment.deception-about-working-conditions",
              "exploitative_conditions.excessive-working-days-or-hours", "exploitative_conditions.low-or-no-pay",
              "coercion_at_destination.confiscation-of-documents", "coercion_at_destination.debt-bondage"]
    assert set(chosen) <= ids
    return chosen


def test_adult_labour_victim_from_inspection_in_flanders_to_unlimited_residence(org, people, conviction_recorded):
    inspector, payoke = people["inspector"], people["payoke"]
    case = record_signal(inspector, org("social-law-inspection"), detected_on=day(0), region="flanders",
                         place="Greenhouse near Sint-Katelijne-Waver", observations="Workers sleeping on site",
                         exploitation_forms={"labour"}, sector="A",
                         person={"family_name": "Popescu", "given_names": "Ion", "sex": "male"})
    assert case.state == "signal" and case.owner == org("social-law-inspection") and case.region.code == "flanders"
    result = screen(inspector, case, labour_indicators(), legal_elements={"act": True, "purpose": True}, on=day(0))
    assert result.reading == "likely" and result.legal_test == "act_purpose" and result.legal_test_met
    assert not result.fallback and result.indicator_set == "adult_labour"
    apply_transition(inspector, case, "presume", on=day(0))
    [referral] = route_case(inspector, case, on=day(1))
    assert referral.to_organisation == org("payoke") and referral.answer_due == day(6)
    assert open_deadlines(case) == [("referral", day(6))]
    accept_referral(payoke, referral, on=day(2))
    case.refresh_from_db()
    assert case.owner == org("payoke") and case.state == "intake" and case.caseworker == payoke
    kept = CaseShare.objects.get(case=case, organisation=org("social-law-inspection"), revoked_at=None)
    assert kept.part_set == {"summary", "facts", "statements"}
    assert open_deadlines(case) == []

    io, auditor = people["immigration"], people["auditor_antwerp"]
    # the centre asks; it no longer issues anything itself
    before = snapshot(case)
    with pytest.raises(Refused, match="only in answer to a request") as refused:
        apply_transition(payoke, case, "start_reflection", on=day(3))
    assert refused.value.code == "requested_only" and snapshot(case) == before
    granted(case, "reflection", by=payoke, immigration=io, on=day(3))
    annex = active_document(case)
    assert (annex.kind, annex.valid_until, annex.issued_by) == ("annex_15", day(3 + 45), org("immigration-office-thb"))
    assert open_deadlines(case) == [("reflection_end", day(48))]
    apply_transition(payoke, case, "file_complaint", on=day(10))
    # labour exploitation in the Antwerp district: the labour auditor confirms
    granted(case, "provisional_stay", by=payoke, magistrate=auditor, immigration=io, on=day(20), district="antwerpen")
    attestation = active_document(case)
    assert attestation.kind == "attestation" and attestation.valid_until == add_months(day(20), 3)
    assert case.documents.get(kind="annex_15").ended_on == day(20)
    assert open_deadlines(case) == [("attestation", add_months(day(20), 3))]
    assert case.steps.get(action="magistrate_confirms").organisation == org("labour-auditor-antwerpen")
    granted(case, "extend_provisional_stay", by=payoke, magistrate=auditor, immigration=io, on=day(100))
    attestation.refresh_from_db()
    assert attestation.valid_until == add_months(day(20), 6) and attestation.extensions == 1
    before = snapshot(case)
    with pytest.raises(Refused, match="1 time"):
        granted(case, "extend_provisional_stay", by=payoke, magistrate=auditor, immigration=io, on=day(150))
    assert snapshot(case) == before
    granted(case, "temporary_residence", by=payoke, magistrate=auditor, immigration=io, on=day(150))
    card = active_document(case)
    assert card.kind == "a_card" and card.valid_until == add_months(day(150), 6)
    granted(case, "renew_temporary_residence", by=payoke, magistrate=auditor, immigration=io, on=day(300))
    renewed = active_document(case)
    assert renewed.renewal_of == card and renewed.valid_from == card.valid_until
    assert renewed.valid_until == add_months(card.valid_until, 6)
    assert open_deadlines(case) == [("a_card", renewed.valid_until)]

    before = snapshot(case)
    with pytest.raises(Refused, match="conviction"):
        granted(case, "unlimited_residence", by=payoke, magistrate=auditor, immigration=io, on=day(400))
    assert snapshot(case) == before
    conviction_recorded(case)
    granted(case, "unlimited_residence", by=payoke, magistrate=auditor, immigration=io, on=day(400))
    case.refresh_from_db()
    assert case.state == "unlimited_residence" and active_document(case).kind == "unlimited_card"
    assert open_deadlines(case) == []
    states = [(e.data["from_state"], e.data["to_state"]) for e in case.timeline.filter(event="transition")]
    assert states[0] == ("signal", "presumed") and states[-1] == ("temporary_residence", "unlimited_residence")
    events = list(case.timeline.values_list("event", flat=True))
    assert events[:5] == ["signal", "screening", "transition", "status", "referral"]
    assert "referral_accepted" in events and events.count("document") == 6 and events.count("request") == 17


def test_unaccompanied_minor_in_brussels_skips_reflection_and_gets_a_guardian(org, people):
    from haven.guardianship.models import GuardianAppointment

    officer, esperanto, guardian = people["officer"], people["esperanto"], people["guardian"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels",
                         exploitation_forms={"sexual"}, minor=True, unaccompanied=True)
    result = screen(officer, case, ["exploitative_conditions.excessive-working-days-or-hours",
                                    "exploitative_conditions.low-or-no-pay"], form="sexual", on=day(0))
    assert result.fallback and result.indicator_set == "child_labour" and result.reading == "likely"
    assert "provisional" in result.verification
    with pytest.raises(Refused, match="Say why"):
        route_case(officer, case, consent="overridden", on=day(1))
    referrals = route_case(officer, case, consent="overridden", override_reason="child, cannot consent", on=day(1))
    assert {(r.to_organisation.slug, r.purpose) for r in referrals} == {
        ("esperanto", "reception"), ("guardianship-service", "guardianship")}
    assert all(r.consent_override_by == officer for r in referrals)
    centre, guardianship = sorted(referrals, key=lambda r: r.purpose != "reception")
    accept_referral(esperanto, centre, on=day(1))
    accept_referral(guardian, guardianship, on=day(2))
    case.refresh_from_db()
    assert case.owner == org("esperanto") and case.state == "intake"
    assert CaseShare.objects.filter(case=case, organisation=org("guardianship-service"), revoked_at=None).exists()
    before = snapshot(case)
    with pytest.raises(Refused, match="minor"):
        granted(case, "reflection", by=esperanto, immigration=people["immigration"], on=day(3), guardian=guardian)
    assert snapshot(case) == before
    GuardianAppointment.objects.create(case=case, organisation=org("guardianship-service"), guardian=guardian,
                                       appointed_by=guardian, appointed_on=day(2))
    request = granted(case, "provisional_stay", by=esperanto, guardian=guardian, immigration=people["immigration"],
                      magistrate=people["prosecutor_brussels"], on=day(3), district="brussels")
    assert [a.outcome for a in request.answers.all()] == ["cosigned", "confirmed", "issued"]
    case.refresh_from_db()
    assert case.state == "provisional_stay" and not case.documents.filter(kind="annex_15").exists()
    assert active_document(case).valid_until == add_months(day(3), 3)
    assert open_deadlines(case) == [("attestation", add_months(day(3), 3))]


def _to_reflection(people, org, region="wallonia", centre="surya"):
    officer = people["officer"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region=region,
                         exploitation_forms={"sexual"})
    apply_transition(officer, case, "presume", on=day(0))
    [referral] = route_case(officer, case, on=day(0))
    accept_referral(people[centre], referral, on=day(1))
    granted(case, "reflection", by=people[centre], immigration=people["immigration"], on=day(2))
    return case


def test_a_person_disappears_during_the_reflection_period(org, people):
    surya = people["surya"]
    case = _to_reflection(people, org)
    assert case.state == "reflection" and open_deadlines(case) == [("reflection_end", day(47))]
    apply_transition(surya, case, "disappear", on=day(20))
    case.refresh_from_db()
    assert case.state == "disappeared" and case.closed_at is not None and case.close_reason == "disappeared"
    assert case.documents.get().ended_on == day(20) and open_deadlines(case) == []
    with pytest.raises(Refused, match="owns"):
        reopen_case(people["officer"], case, on=day(30))
    reopen_case(surya, case, on=day(30), reason="came back to the centre")
    case.refresh_from_db()
    assert case.state == "reflection" and case.closed_at is None
    assert list(case.timeline.values_list("event", flat=True))[-2:] == ["transition", "reopened"]


def test_status_ended_after_renewed_contact_with_the_exploiters(org, people):
    pag_asa, io = people["pag_asa"], people["immigration"]
    case = _to_reflection(people, org, region="brussels", centre="pag_asa")
    apply_transition(pag_asa, case, "file_complaint", on=day(5))
    granted(case, "provisional_stay", by=pag_asa, magistrate=people["prosecutor_brussels"], immigration=io,
            on=day(6), district="brussels")
    with pytest.raises(Refused, match="Immigration office"):  # the Immigration Office ends the status
        apply_transition(pag_asa, case, "end_status", on=day(40), reason="renewed_contact")
    with pytest.raises(Refused, match="reason"):
        apply_transition(io, case, "end_status", on=day(40))
    with pytest.raises(Refused, match="valid"):
        apply_transition(io, case, "end_status", on=day(40), reason="bored")
    apply_transition(io, case, "end_status", on=day(40), reason="renewed_contact")
    case.refresh_from_db()
    assert case.state == "status_ended" and case.close_reason == "renewed_contact"
    assert not case.documents.filter(ended_on=None).exists() and open_deadlines(case) == []
    assert case.timeline.filter(event="transition").last().data["reason"] == "renewed_contact"


def test_only_entitled_kinds_may_act_and_refusals_say_why(org, people):
    case = _to_reflection(people, org, region="brussels", centre="pag_asa")
    before = snapshot(case)
    with pytest.raises(Refused, match="Immigration office"):
        apply_transition(people["officer"], case, "end_status", on=day(5), reason="public_order")
    with pytest.raises(Refused, match="not possible"):
        apply_transition(people["pag_asa"], case, "presume", on=day(5))
    with pytest.raises(Refused, match="no action"):
        apply_transition(people["pag_asa"], case, "teleport", on=day(5))
    with pytest.raises(Refused, match="may not act"):
        apply_transition(people["payoke"], case, "disappear", on=day(5))
    with pytest.raises(Refused, match="before the previous"):
        apply_transition(people["pag_asa"], case, "disappear", on=day(1))
    with pytest.raises(Refused, match="future"):
        apply_transition(people["pag_asa"], case, "disappear", on=datetime.date.today() + datetime.timedelta(days=3))
    assert snapshot(case) == before


def test_declined_and_revoked_referrals(org, people):
    officer = people["officer"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels")
    [referral] = route_case(officer, case, on=day(0))
    with pytest.raises(Refused, match="reason"):
        from haven.cases.actions.referrals import decline_referral

        decline_referral(people["pag_asa"], referral, "", on=day(1))
    decline_referral(people["pag_asa"], referral, "no place", on=day(1))
    assert Referral.objects.get(pk=referral.pk).status == "declined"
    from haven.cases.actions.referrals import refer, revoke_referral

    assignment = refer(officer, case, org("immigration-office-thb"), kind="assignment", purpose="other", on=day(2))
    accept_referral(people["immigration"], assignment, on=day(2))
    share = CaseShare.objects.get(case=case, organisation=org("immigration-office-thb"), revoked_at=None)
    assert share.part_set == {"summary", "identity", "documents"}
    revoke_referral(officer, Referral.objects.get(pk=assignment.pk), "sent by mistake", on=day(3))
    share.refresh_from_db()
    assert share.revoked_at is not None
    assert not case.timeline.filter(event="referral_revoked").count() == 0


# --- the Netherlands: the same engine, the Dutch procedure -------------------------------------


def _registered_by_comensha(nl_org, nl_people, reporter, case, on):
    """The case is referred to CoMensha, which registers the presumed victim."""
    from haven.cases.actions.referrals import refer

    referral = refer(reporter, case, nl_org("comensha"), purpose="other", on=on)
    accept_referral(nl_people["comensha"], referral, on=on)
    apply_transition(nl_people["comensha"], case, "register", on=on)
    case.refresh_from_db()
    assert case.state == "registered" and case.trafficking_status == "presumed"
    assert case.status_decided_by == nl_org("comensha")


def test_nl_adult_labour_victim_to_continued_residence(nl_org, nl_people, conviction_recorded):
    inspector, cosm, officer = nl_people["inspector"], nl_people["cosm"], nl_people["officer"]
    ind, om = nl_people["ind"], nl_people["om"]
    case = record_signal(inspector, nl_org("labour-inspectorate-nl"), detected_on=day(0), region="national",
                         exploitation_forms={"labour"}, sector="C")
    result = screen(inspector, case, labour_indicators(), legal_elements={"act": True, "purpose": True}, on=day(0))
    assert result.legal_test == "act_means_purpose" and not result.legal_test_met  # means are required here
    with pytest.raises(Refused, match="Other NGO"):  # CoMensha registers, not the inspectorate
        apply_transition(inspector, case, "register", on=day(0))
    _registered_by_comensha(nl_org, nl_people, inspector, case, day(0))
    [referral] = route_case(inspector, case, on=day(1))
    assert referral.to_organisation == nl_org("cosm")
    accept_referral(cosm, referral, on=day(1))
    # in the Netherlands the police asks for the reflection period (bedenktijd): the case is assigned to it
    from haven.cases.actions.referrals import refer

    accept_referral(officer, refer(inspector, case, nl_org("police-avim"), kind="assignment", purpose="other",
                                   on=day(2)), on=day(2))
    with pytest.raises(Refused, match="Police"):
        granted(case, "reflection", by=cosm, immigration=ind, on=day(2))
    granted(case, "reflection", by=officer, immigration=ind, on=day(2))
    assert active_document(case).valid_until == add_months(day(2), 3)
    assert open_deadlines(case) == [("reflection_end", add_months(day(2), 3))]
    with pytest.raises(Refused, match="complaint"):
        granted(case, "b8", by=cosm, magistrate=om, immigration=ind, on=day(30), district="amsterdam")
    apply_transition(cosm, case, "file_complaint", on=day(30))
    granted(case, "b8", by=cosm, magistrate=om, immigration=ind, on=day(31), district="amsterdam")
    permit = active_document(case)
    assert permit.kind == "b8_permit" and permit.valid_until == add_months(day(31), 12)
    assert permit.issued_by == nl_org("ind")
    request = granted(case, "renew_b8", by=cosm, immigration=ind, on=day(380))  # no confirmation for a renewal
    assert [a.outcome for a in request.answers.all()] == ["issued"]
    assert active_document(case).valid_until == add_months(permit.valid_until, 12)
    conviction_recorded(case)
    granted(case, "continued_residence", by=cosm, magistrate=om, immigration=ind, on=day(500))
    case.refresh_from_db()
    assert case.state == "continued_residence"


def test_nl_unaccompanied_minor_goes_to_nidos(nl_org, nl_people):
    from haven.guardianship.models import GuardianAppointment

    officer, nidos = nl_people["officer"], nl_people["nidos"]
    case = record_signal(officer, nl_org("police-avim"), detected_on=day(0), minor=True, unaccompanied=True,
                         exploitation_forms={"criminal"}, region="national")
    referrals = route_case(officer, case, consent="overridden", override_reason="child", on=day(0))
    assert [(r.to_organisation.slug, r.purpose) for r in referrals] == [("nidos", "reception")]
    accept_referral(nidos, referrals[0], on=day(1))
    case.refresh_from_db()
    assert case.owner == nl_org("nidos") and case.state == "intake"
    GuardianAppointment.objects.create(case=case, organisation=nl_org("nidos"), guardian=nidos, appointed_by=nidos,
                                       appointed_on=day(1))
    apply_transition(nidos, case, "file_complaint", on=day(2))
    # a complainant goes straight to the B8 permit: the police asks, the guardian co-signs, the OM confirms
    request = granted(case, "b8", by=officer, guardian=nidos, magistrate=nl_people["om"], immigration=nl_people["ind"],
                      on=day(2), district="rotterdam")
    assert [a.outcome for a in request.answers.all()] == ["cosigned", "confirmed", "issued"]
    assert active_document(case).kind == "b8_permit"


def test_nl_disappearance_and_status_ended(nl_org, nl_people):
    officer, cosm, ind = nl_people["officer"], nl_people["cosm"], nl_people["ind"]
    gone = record_signal(officer, nl_org("police-avim"), detected_on=day(0), exploitation_forms={"sexual"},
                         region="national")
    _registered_by_comensha(nl_org, nl_people, officer, gone, day(0))
    accept_referral(cosm, route_case(officer, gone, on=day(0))[0], on=day(1))
    granted(gone, "reflection", by=officer, immigration=ind, on=day(1))
    apply_transition(cosm, gone, "disappear", on=day(10))
    gone.refresh_from_db()
    assert gone.state == "disappeared" and open_deadlines(gone) == []
    ended = record_signal(officer, nl_org("police-avim"), detected_on=day(0), exploitation_forms={"sexual"},
                          region="national")
    accept_referral(cosm, route_case(officer, ended, on=day(0))[0], on=day(1))
    apply_transition(cosm, ended, "file_complaint", on=day(1))
    granted(ended, "b8", by=officer, magistrate=nl_people["om"], immigration=ind, on=day(2), district="amsterdam")
    with pytest.raises(Refused, match="Immigration office"):
        apply_transition(cosm, ended, "end_status", on=day(60), reason="renewed_contact")
    apply_transition(ind, ended, "end_status", on=day(60), reason="renewed_contact")
    ended.refresh_from_db()
    assert ended.state == "status_ended" and ended.close_reason == "renewed_contact"
