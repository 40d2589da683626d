"""The rules of guardians and age assessments that the Belgian journey does not walk: the Netherlands (Nidos
owns the child's case), the profile's word on an undetermined age, ending a guardianship, a doubt about an
adult's age, and what the target of a referral sees before and after it answers."""

import pytest

from haven.access.scope import parts_for
from haven.cases.actions.common import Refused
from haven.cases.actions.procedure import apply_transition
from haven.cases.actions.referrals import accept_referral, decline_referral, refer, revoke_referral, route_case
from haven.cases.actions.signals import record_signal
from haven.cases.models import CaseShare, Referral, ShareReason
from haven.cases.tests.chain import day
from haven.core.errors import Invalid
from haven.guardianship import panels
from haven.guardianship.models import AgeAssessment, GuardianshipPolicy
from haven.guardianship.profile_sections import parse_guardianship
from haven.guardianship.services import (
    appoint_guardian,
    decide_age_assessment,
    end_guardianship,
    guardian_of,
    open_age_assessment,
)
from haven.jurisdictions import profile
from haven.jurisdictions.profile import ProfileError
from haven.organisations.roles import Role


def test_nl_nidos_owns_the_childs_case_and_an_undetermined_age_counts_as_the_profile_says(nl_org, nl_people,
                                                                                            member):
    officer, nidos = nl_people["officer"], nl_people["nidos"]
    guardian = member(nl_org("nidos"), Role.GUARDIAN, "nidos-voogd")
    case = record_signal(officer, nl_org("police-avim"), detected_on=day(0), minor=True, unaccompanied=True,
                         exploitation_forms={"criminal"})
    [referral] = route_case(officer, case, consent="overridden", override_reason="child", on=day(0))
    accept_referral(nidos, referral, on=day(1))
    case.refresh_from_db()
    appoint_guardian(nidos, case, guardian, on=day(1), expected_version=case.version)
    assert guardian_of(case) == guardian
    assert not CaseShare.objects.filter(case=case, reason=ShareReason.GUARDIAN).exists()  # the owner needs none
    with pytest.raises(Refused, match="already the child"):
        appoint_guardian(nidos, case, guardian, on=day(2))

    # the police (who keep the facts of the case they referred) raise a doubt; Nidos assesses it
    assessment = open_age_assessment(officer, case, "no documents, looks older", on=day(2))
    assert assessment.organisation == nl_org("nidos")
    with pytest.raises(Refused, match="Only the guardianship service"):
        decide_age_assessment(officer, assessment, "adult", on=day(3))
    decide_age_assessment(nidos, assessment, "undetermined", on=day(3), expected_version=assessment.version)
    case.refresh_from_db()
    assert case.minor and guardian_of(case) == guardian  # undetermined_is_minor: true in nl.yaml

    # a profile that says otherwise: an undetermined age counts as an adult's, and the child's path closes
    GuardianshipPolicy.objects.filter(jurisdiction=case.jurisdiction).update(undetermined_is_minor=False)
    second = open_age_assessment(officer, case, "new documents", on=day(4))
    decide_age_assessment(guardian, second, "undetermined", on=day(5), expected_version=second.version)
    case.refresh_from_db()
    assert not case.minor and not case.unaccompanied and guardian_of(case) is None
    with pytest.raises(Refused, match="Only a minor"):
        appoint_guardian(nidos, case, guardian, on=day(5))
    lines = list(case.timeline.filter(event="age_assessment").values_list("data", flat=True))
    assert [line.get("minor") for line in lines if line["change"] == "decided"] == [True, False]
    # without a child, a referral without the person's consent is no longer allowed (consent_override_when)
    with pytest.raises(Refused, match="consent"):
        refer(nidos, case, nl_org("cosm"), consent="overridden", override_reason="urgent", on=day(6))


def test_the_profiles_say_how_an_undetermined_age_counts(belgium, netherlands):
    assert GuardianshipPolicy.objects.get(jurisdiction=belgium).undetermined_is_minor is True
    assert GuardianshipPolicy.objects.get(jurisdiction=netherlands).undetermined_is_minor is True
    assert profile.load("be")["guardianship"] == {"unchanged": 1}
    assert parse_guardianship({"undetermined_is_minor": False}).undetermined_is_minor is False
    for bad, message in [({"undetermined_is_minor": "false"}, "true or false"), ({}, "missing field"),
                         ({"undetermined_is_minor": True, "undetermned": 1}, "unknown field"),
                         ([True], "mapping")]:
        with pytest.raises(ProfileError, match=message):
            parse_guardianship(bad)


@pytest.fixture
def child(org, people):
    """An unaccompanied child's case of Esperanto, whose guardianship referral the service accepted."""
    officer = people["officer"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="wallonia",
                         exploitation_forms={"labour"}, minor=True, unaccompanied=True)
    for referral in route_case(officer, case, consent="overridden", override_reason="child", on=day(0)):
        accept_referral(people["esperanto" if referral.purpose == "reception" else "guardian"], referral, on=day(1))
    case.refresh_from_db()
    return case


def test_ending_a_guardianship(org, people, member, child):
    service, esperanto = people["guardian"], people["esperanto"]
    anne = member(org("guardianship-service"), Role.GUARDIAN, "anne")
    appointment = appoint_guardian(service, child, anne, on=day(2))
    with pytest.raises(Refused, match="Only the guardianship service that appointed"):
        end_guardianship(esperanto, appointment, "left the country", on=day(3))
    with pytest.raises(Invalid) as missing:
        end_guardianship(service, appointment, "  ", on=day(3))
    assert missing.value.field_errors.keys() == {"reason"}
    with pytest.raises(Invalid, match="before"):
        end_guardianship(service, appointment, "left the country", on=day(1))
    end_guardianship(service, appointment, "left the country", on=day(3))
    assert guardian_of(child) is None and appointment.ended_on == day(3)
    with pytest.raises(Refused, match="already ended"):
        end_guardianship(service, appointment, "again", on=day(3))
    # the guardian's own share went with her; the accepted referral's share stays
    assert not CaseShare.objects.filter(case=child, reason=ShareReason.GUARDIAN, revoked_at=None).exists()
    assert "facts" in parts_for(service, child)
    assert child.timeline.filter(event="guardian").count() == 2


def test_a_doubt_about_an_adults_age_brings_in_the_guardianship_service(org, people, member):
    """A case the service never received: the doubt gives it a share until it decided; a minor's stays so that
    it appoints the guardian."""
    officer, pag_asa, service = people["officer"], people["pag_asa"], people["guardian"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels",
                         exploitation_forms={"sexual"})
    apply_transition(officer, case, "presume", on=day(0))
    [referral] = route_case(officer, case, on=day(0))
    accept_referral(pag_asa, referral, on=day(1))
    case.refresh_from_db()
    with pytest.raises(Refused, match="Only the guardianship service that holds"):
        appoint_guardian(service, case, member(org("guardianship-service"), Role.GUARDIAN, "anne"))
    assert parts_for(service, case) == frozenset()
    with pytest.raises(Refused, match="facts"):
        open_age_assessment(people["immigration"], case, "looks 15", on=day(2))
    with pytest.raises(Invalid) as empty:
        open_age_assessment(pag_asa, case, "", on=day(2))
    assert empty.value.field_errors.keys() == {"doubt"}
    assessment = open_age_assessment(pag_asa, case, "looks 15, no documents", on=day(2))
    assert "facts" in parts_for(service, case) and "shelter" not in parts_for(service, case)
    assert panels.age_assessments(service, org("guardianship-service")).total == 1
    decide_age_assessment(service, assessment, AgeAssessment.Outcome.MINOR, on=day(3), estimated_birth_year=2010)
    case.refresh_from_db()
    assert case.minor and "summary" in parts_for(service, case)
    assert panels.awaiting_guardian(service, org("guardianship-service")).total == 1
    appoint_guardian(service, case, member(org("guardianship-service"), Role.GUARDIAN, "bruno"), on=day(4))
    assert panels.awaiting_guardian(service, org("guardianship-service")).total == 0


def test_the_target_of_a_referral_reads_the_case_until_it_declines(org, people):
    officer, payoke, pag_asa = people["officer"], people["payoke"], people["pag_asa"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels",
                         exploitation_forms={"labour"}, person={"family_name": "Quillfeather"})
    apply_transition(officer, case, "presume", on=day(0))
    [first] = route_case(officer, case, on=day(0))
    assert parts_for(pag_asa, case) == {"summary", "facts"}
    assert Referral.objects.visible_to(pag_asa).filter(pk=first.pk).exists()
    decline_referral(pag_asa, first, "no place", on=day(1))
    assert parts_for(pag_asa, case) == frozenset()
    assert not Referral.objects.visible_to(pag_asa).exists()

    # two referrals waiting for the same centre: answering one leaves the other's reading in place
    kept = refer(officer, case, org("payoke"), purpose="reception", on=day(2))
    other = refer(officer, case, org("payoke"), purpose="other", on=day(2))
    assert other.share_id is None and parts_for(payoke, case) == {"summary", "facts"}
    revoke_referral(officer, Referral.objects.get(pk=kept.pk), "sent twice", on=day(3))
    assert parts_for(payoke, case) == {"summary", "facts"}
    assert Referral.objects.get(pk=other.pk).share_id == kept.share_id
    accept_referral(payoke, Referral.objects.get(pk=other.pk), on=day(4))
    assert "identity" in parts_for(payoke, case)
    assert CaseShare.objects.filter(case=case, organisation=org("payoke"), revoked_at=None).count() == 1
