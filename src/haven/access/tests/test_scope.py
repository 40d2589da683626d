import pytest
from django.http import Http404

from haven.access import scope
from haven.access.scope import KIND_PARTS, PARTS, ROLE_PARTS, get_visible_or_404, parts_for, visible_cases
from haven.cases.models import Case, CaseShare, ShareReason, StaleEdit
from haven.cases.tests.factories import share
from haven.organisations.roles import OrganisationKind, Role
from haven.persons.models import Person, PersonNameIndex


def visible(model, user, part=None):
    return set(scope.scope(model.objects.all(), user, part))


def test_every_kind_and_role_has_a_rule():
    assert set(KIND_PARTS) == set(OrganisationKind.values)
    assert set(ROLE_PARTS) == set(Role.values)
    assert all(parts <= set(PARTS) for parts in [*KIND_PARTS.values(), *ROLE_PARTS.values()])


def test_the_owner_sees_its_cases_and_nobody_else_does(org, member, case_of):
    pag_asa, payoke = org("pag-asa"), org("payoke")
    mine, theirs = case_of(pag_asa), case_of(payoke)
    worker = member(pag_asa, Role.CASEWORKER)
    assert visible(Case, worker) == {mine}
    assert visible(Person, worker) == {mine.person}
    assert visible(Case.history.model, worker) == set(mine.history.all())
    assert parts_for(worker, mine) == KIND_PARTS[OrganisationKind.RECEPTION_CENTRE]
    assert parts_for(worker, theirs) == frozenset()
    with pytest.raises(Http404):
        get_visible_or_404(Case, worker, pk=theirs.pk)
    assert get_visible_or_404(Case.objects.select_related("person"), worker, pk=mine.pk) == mine


@pytest.mark.parametrize("role", [Role.ANALYST, Role.EDITOR, Role.ORG_ADMIN, Role.DPO])
def test_roles_without_casework_see_no_case_even_of_their_own(org, member, case_of, role):
    pag_asa = org("pag-asa")
    case_of(pag_asa)
    user = member(pag_asa, role)
    assert visible(Case, user) == set() and visible(Person, user) == set()


def test_the_national_rapporteur_sees_nothing_row_level_even_when_shared(org, member, case_of):
    case = case_of(org("pag-asa"))
    share(case, org("myria"), PARTS)
    for role in Role.values:
        user = member(org("myria"), role, username=f"myria-{role}")
        assert visible(Case, user) == set() and visible(Person, user) == set()


def test_a_share_admits_the_parts_it_grants_within_the_kind(org, member, case_of):
    case = case_of(org("pag-asa"))
    officer = member(org("police-central-thb"), Role.OFFICER)
    immigration = member(org("immigration-office-thb"), Role.IMMIGRATION_OFFICER)
    assert visible(Case, officer) == set()
    grant = share(case, org("police-central-thb"), PARTS, reason=ShareReason.JUSTICE_LINK)
    share(case, org("immigration-office-thb"), {"summary", "identity", "documents", "facts"})
    assert parts_for(officer, case) == {"summary", "identity", "facts", "statements", "justice"}
    assert "psychosocial" not in parts_for(officer, case) and "shelter" not in parts_for(officer, case)
    assert parts_for(immigration, case) == {"summary", "identity", "documents"}
    assert visible(Case, officer, "facts") == {case} and visible(Case, immigration, "facts") == set()
    assert visible(Case, officer, "shelter") == set()  # the owning centre's members only
    assert visible(Person, immigration) == {case.person}
    grant.revoked_at = grant.granted_at
    grant.save()
    assert visible(Case, officer) == set() and parts_for(officer, case) == frozenset()


def test_shelter_is_for_the_owning_centre_only(org, member, case_of):
    case = case_of(org("pag-asa"))
    share(case, org("payoke"), PARTS)
    assert visible_cases(member(org("payoke"), Role.CASEWORKER), "shelter").count() == 0
    assert visible_cases(member(org("pag-asa"), Role.CASEWORKER), "shelter").count() == 1


def test_a_person_is_visible_through_any_of_their_visible_cases(org, member, case_of):
    first = case_of(org("police-central-thb"))
    second = Case.objects.create(owner=org("pag-asa"), person=first.person, jurisdiction=first.jurisdiction)
    worker = member(org("pag-asa"), Role.CASEWORKER)
    assert visible(Person, worker) == {first.person}
    assert visible(Case, worker) == {second}


def test_unregistered_models_show_nothing(org, member, case_of):
    case_of(org("pag-asa"))
    worker = member(org("pag-asa"), Role.CASEWORKER)
    assert PersonNameIndex.objects.exists()
    assert not scope.registered(PersonNameIndex)
    assert visible(PersonNameIndex, worker) == set()


def test_inactive_users_and_anonymous_see_nothing(org, member, case_of):
    from django.contrib.auth.models import AnonymousUser

    case_of(org("pag-asa"))
    worker = member(org("pag-asa"), Role.CASEWORKER)
    worker.is_active = False
    assert visible(Case, worker) == set() and visible(Case, AnonymousUser()) == set()


def test_share_parts_are_checked(org, case_of):
    grant = CaseShare(case=case_of(org("pag-asa")), organisation=org("payoke"), reason=ShareReason.REFERRAL)
    with pytest.raises(ValueError, match="unknown part"):
        grant.part_set = {"summary", "everything"}


def test_a_stale_edit_is_refused_and_changes_nothing(org, case_of):
    case = case_of(org("pag-asa"))
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    first.closed_at = first.created
    first.save_versioned(1, ["closed_at"])
    second.owner = org("payoke")
    with pytest.raises(StaleEdit):
        second.save_versioned(1, ["owner"])
    case.refresh_from_db()
    assert (case.version, case.owner, case.closed_at) == (2, org("pag-asa"), first.created)
    assert case.history.count() == 2
