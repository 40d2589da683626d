import datetime

import pytest

from haven.access.scope import KIND_PARTS, parts_for
from haven.cases.models import CaseShare, ShareReason
from haven.core.errors import Forbidden, Invalid, Refused, StaleEdit
from haven.justice import services
from haven.justice.models import Investigation, SuspectCount
from haven.justice.services import grounds_for_unlimited_residence as grounds
from haven.organisations.roles import Role

from .helpers import Chain, D


@pytest.fixture
def chain(org, member):
    return Chain(org, member)


def test_conviction_gives_grounds_and_an_appeal_that_overturns_it_takes_them_back(chain, org, case_of,
                                                                                   django_assert_max_num_queries):
    case = case_of(org("police-brussels-capital"))
    investigation = chain.investigation()
    services.link_case(chain.officer, investigation, case)
    prosecution = chain.prosecution(investigation)
    assert grounds(case) is False
    decision = chain.decision(prosecution)
    with django_assert_max_num_queries(2):
        assert grounds(case) is True
    pending = services.record_appeal(chain.magistrate, decision, appellant="defence", lodged=D(2024, 5, 20))
    assert grounds(case) is True  # a pending appeal does not undo the conviction
    services.update_appeal(chain.magistrate, pending, pending.version, decided=D(2025, 1, 15), outcome="acquittal",
                           thb_convicted=False)
    assert grounds(case) is False


def test_acquittal_gives_no_grounds_unless_convicted_on_appeal(chain, org, case_of):
    case = case_of(org("pag-asa"))
    chain.police_org  # noqa: B018
    investigation = chain.investigation()
    # the centre's case becomes visible to the police through a referral-like share
    from haven.cases.tests.factories import share
    share(case, chain.police_org, {"summary", "facts", "justice"})
    services.link_case(chain.officer, investigation, case)
    decision = chain.decision(chain.prosecution(investigation), outcome="acquittal", thb=False)
    assert grounds(case) is False
    services.record_appeal(chain.magistrate, decision, appellant="prosecution", lodged=D(2024, 5, 10),
                           decided=D(2024, 12, 1), outcome="conviction", thb_convicted=True, sentence_months=24)
    assert grounds(case) is True


def test_conviction_for_other_charges_only_is_no_ground(chain, org, case_of):
    case = case_of(org("police-brussels-capital"))
    investigation = chain.investigation()
    services.link_case(chain.officer, investigation, case)
    chain.decision(chain.prosecution(investigation, charges=("thb", "smuggling")), outcome="partial", thb=False)
    assert grounds(case) is False


def test_thb_kept_in_requisitions_gives_grounds_and_unlinking_removes_them(chain, org, case_of):
    case = case_of(org("police-brussels-capital"))
    investigation = chain.investigation()
    link = services.link_case(chain.officer, investigation, case)
    prosecution = chain.prosecution(investigation)
    services.keep_thb_in_requisitions(chain.magistrate, prosecution, date=D(2024, 2, 1),
                                      expected_version=prosecution.version)
    assert grounds(case) is True
    assert grounds(case.pk) is True
    services.unlink_case(chain.officer, link)
    assert grounds(case) is False


def test_requisitions_need_a_thb_charge_and_the_right_office(chain, org, member):
    investigation = chain.investigation()
    prosecution = chain.prosecution(investigation, charges=("smuggling",))
    with pytest.raises(Invalid) as refused:
        services.keep_thb_in_requisitions(chain.magistrate, prosecution, date=D(2024, 2, 1), expected_version=1)
    assert refused.value.code == "thb_not_charged" and list(refused.value.field_errors) == ["kept"]
    other = member(org("prosecutor-liege"), Role.MAGISTRATE)
    with pytest.raises(Forbidden) as refused:
        services.keep_thb_in_requisitions(other, prosecution, date=D(2024, 2, 1), expected_version=1)
    assert refused.value.code == "not_prosecuting_office"
    prosecution.refresh_from_db()
    assert prosecution.thb_in_requisitions is False and prosecution.version == 1


def test_link_shares_the_case_with_the_investigation_organisations_and_unlink_revokes(chain, org, member, case_of):
    case = case_of(org("police-brussels-capital"))
    investigation = chain.investigation()
    link = services.link_case(chain.officer, investigation, case)
    share = CaseShare.objects.get(case=case, reason=ShareReason.JUSTICE_LINK, revoked_at=None)
    assert share.organisation == chain.prosecution_org  # the owner needs no share
    assert share.part_set == KIND_PARTS["prosecution"]
    assert "justice" in parts_for(chain.magistrate, case)
    # a prosecution by another office that sees the investigation adds its share
    labour_auditor = org("labour-auditor-brussels")
    auditor = member(labour_auditor, Role.MAGISTRATE)
    services.update_investigation(chain.officer, investigation, investigation.version,
                                  prosecution_office=labour_auditor)
    services.open_prosecution(auditor, investigation, opened=D(2023, 9, 1), charges=["thb", "social_law"])
    assert CaseShare.objects.get(case=case, organisation=labour_auditor, revoked_at=None).reason == "justice_link"
    # the first office is no longer seized and has no prosecution: its share goes
    assert not CaseShare.objects.filter(case=case, organisation=chain.prosecution_org, revoked_at=None).exists()
    services.unlink_case(chain.officer, link)
    assert not CaseShare.objects.filter(case=case, reason=ShareReason.JUSTICE_LINK, revoked_at=None).exists()
    assert parts_for(chain.magistrate, case) == frozenset()
    link.refresh_from_db()
    assert link.unlinked_at is not None  # kept, never deleted


def test_a_case_the_user_cannot_see_cannot_be_linked(chain, org, case_of):
    case = case_of(org("payoke"))
    with pytest.raises(Invalid) as refused:
        services.link_case(chain.officer, chain.investigation(), case)
    assert refused.value.code == "case_not_visible" and "case" in refused.value.field_errors
    assert not CaseShare.objects.filter(case=case).exists()


def test_a_case_is_linked_once(chain, org, case_of):
    case = case_of(org("police-brussels-capital"))
    investigation = chain.investigation()
    services.link_case(chain.officer, investigation, case)
    with pytest.raises(Refused) as refused:
        services.link_case(chain.magistrate, investigation, case)
    assert refused.value.code == "already_linked" and refused.value.status == 422
    assert investigation.links.count() == 1


def test_only_police_officers_open_investigations(chain, org, member):
    for user in (chain.magistrate, member(chain.police_org, Role.ANALYST),
                 member(org("pag-asa"), Role.CASEWORKER)):
        with pytest.raises(Forbidden) as refused:
            services.open_investigation(user, file_number="X1", district=chain.district, opened=D(2024, 1, 1))
        assert refused.value.code == "not_police_officer"
    assert not Investigation.objects.exists()


def _refusal(call) -> tuple[str, list[str]]:
    with pytest.raises(Invalid) as refused:
        call()
    return refused.value.code, sorted(refused.value.field_errors)


def test_validation_refuses_naming_the_field_and_changes_nothing(chain):
    future = datetime.date.today() + datetime.timedelta(days=3)
    assert _refusal(lambda: chain.investigation(opened=future)) == ("date_in_future", ["opened"])
    assert _refusal(lambda: chain.investigation(forms=["nonsense"])) == ("unknown_code", ["forms"])
    investigation = chain.investigation()
    assert _refusal(lambda: chain.investigation()) == ("file_number_taken", ["file_number"])  # same number and unit
    prosecution = chain.prosecution(investigation)
    assert _refusal(lambda: chain.decision(prosecution, outcome="acquittal", thb=True)) == (
        "acquittal_with_sentence", ["outcome"])
    assert _refusal(lambda: chain.decision(prosecution, suspended_months=48)) == (
        "suspended_exceeds_sentence", ["suspended_months"])
    assert _refusal(lambda: services.record_suspects(chain.officer, investigation, [
        {"sex": "male", "citizenship": "romania", "count": 1}])) == ("invalid_value", ["citizenship"])
    assert _refusal(lambda: services.update_investigation(chain.officer, investigation, investigation.version,
                                                          owner=None)) == ("field_not_editable", ["owner"])
    assert not prosecution.decisions.exists() and not SuspectCount.objects.exists()


def test_suspects_add_up_by_breakdown_and_role(chain):
    investigation = chain.investigation()
    row = {"sex": "male", "age_band": "25-34", "citizenship": "ro", "role": "recruiter", "count": 2}
    services.record_suspects(chain.officer, investigation, [row])
    services.record_suspects(chain.officer, investigation, [row, {**row, "role": "exploiter", "count": 1}])
    assert sorted(investigation.suspects.values_list("role", "citizenship", "count")) == [
        ("exploiter", "RO", 1), ("recruiter", "RO", 4)]
    with pytest.raises(Forbidden) as refused:
        services.record_suspects(chain.magistrate, investigation, [row])
    assert refused.value.code == "not_investigation_writer"


def test_a_stale_edit_is_refused_and_changes_nothing(chain):
    investigation = chain.investigation()
    version = investigation.version
    services.update_investigation(chain.officer, investigation, version, forms=["labour", "sexual"])
    stale = Investigation.objects.get(pk=investigation.pk)
    stale.version = version
    with pytest.raises(StaleEdit) as refused:
        services.update_investigation(chain.officer, Investigation.objects.get(pk=investigation.pk), version,
                                      forms=["begging"])
    assert refused.value.code == "stale"
    investigation.refresh_from_db()
    assert investigation.form_list == ["labour", "sexual"] and investigation.version == version + 1
    assert investigation.history.count() == 2


def test_the_requisitions_or_a_conviction_identify_the_victim_decided_by_the_office_of_the_file(chain, org,
                                                                                               case_of):
    from django.utils import timezone

    case, unlinked = case_of(org("police-brussels-capital")), case_of(org("police-brussels-capital"))
    investigation = chain.investigation()
    services.link_case(chain.officer, investigation, case)
    prosecution = chain.prosecution(investigation)
    case.refresh_from_db()
    assert case.trafficking_status == ""  # a prosecution alone identifies nobody
    services.keep_thb_in_requisitions(chain.magistrate, prosecution, date=D(2024, 2, 1),
                                      expected_version=prosecution.version)
    case.refresh_from_db()
    assert (case.trafficking_status, case.status_decided_by, case.status_decided_on) == (
        "identified", chain.prosecution_org, D(2024, 2, 1))
    line = case.timeline.filter(event="status").get()
    assert (line.organisation, line.data["status"]) == (chain.prosecution_org, "identified")
    unlinked.refresh_from_db()
    assert unlinked.trafficking_status == ""
    chain.decision(prosecution)  # already identified: no second decision, no second line
    assert case.timeline.filter(event="status").count() == 1
    # a case linked to the file afterwards is identified when it is linked
    late = case_of(org("police-brussels-capital"))
    services.link_case(chain.officer, investigation, late)
    late.refresh_from_db()
    assert (late.trafficking_status, late.status_decided_by, late.status_decided_on) == (
        "identified", chain.prosecution_org, timezone.localdate())
