"""The per-request access context, share parts as a bit mask and ``visible_to`` on registered models."""

import pytest

from haven.access.context import context_for
from haven.access.scope import ALL, PART_BIT, PART_BITS_ORDER, PARTS, forget, mask_of, parts_for, parts_of, scope
from haven.cases.models import Case, CaseShare, ShareReason
from haven.cases.tests.factories import share
from haven.organisations.models import Membership
from haven.organisations.roles import Role


def test_the_bit_order_is_fixed_and_covers_every_part():
    # Stored masks depend on this order: a new part goes at the end, nothing moves.
    assert PART_BITS_ORDER[:8] == ("summary", "identity", "documents", "facts", "statements", "psychosocial",
                                   "shelter", "justice")
    assert set(PART_BITS_ORDER) == set(PARTS) and len(set(PART_BIT.values())) == len(PARTS)
    assert parts_of(mask_of({"facts", "justice"})) == {"facts", "justice"}
    assert mask_of(()) == 0 and parts_of(mask_of(ALL)) == ALL
    with pytest.raises(ValueError, match="unknown part"):
        mask_of({"everything"})


def test_hasbit_finds_the_shares_granting_a_part(org, case_of):
    case = case_of(org("pag-asa"))
    facts = share(case, org("payoke"), {"summary", "facts"})
    share(case, org("immigration-office-thb"), {"summary", "documents"})
    assert set(CaseShare.objects.filter(parts_mask__hasbit=PART_BIT["facts"])) == {facts}
    assert CaseShare.objects.filter(parts_mask__hasbit=PART_BIT["summary"]).count() == 2
    assert not CaseShare.objects.filter(parts_mask__hasbit=PART_BIT["shelter"]).exists()
    facts.refresh_from_db()
    assert facts.part_set == {"summary", "facts"}


def test_parts_of_a_page_of_shared_cases_take_two_queries(org, member, case_of, django_assert_num_queries):
    cases = [case_of(org("pag-asa")) for _ in range(6)]
    for case in cases[:4]:
        share(case, org("payoke"), {"summary", "facts"})
    worker = member(org("payoke"), Role.CASEWORKER)
    context = context_for(worker)
    context.seats  # noqa: B018  (read once per request, before the page)
    with django_assert_num_queries(2):  # the shares, the break-glass grants
        parts = context.parts_for_many(cases)
    with django_assert_num_queries(0):
        assert [parts_for(worker, case) for case in cases] == [parts[case.pk] for case in cases]
    assert parts[cases[0].pk] == {"summary", "facts"} and parts[cases[5].pk] == frozenset()


def test_the_owner_needs_no_query_for_parts_and_a_new_share_is_seen_at_once(org, member, case_of,
                                                                            django_assert_num_queries):
    case = case_of(org("pag-asa"))
    owner, other = member(org("pag-asa"), Role.CASEWORKER), member(org("payoke"), Role.CASEWORKER)
    owner_context = context_for(owner)
    owner_context.seats  # noqa: B018
    with django_assert_num_queries(0):
        assert parts_for(owner, case) == ALL
    assert parts_for(other, case) == frozenset()
    grant = share(case, org("payoke"), {"summary"})
    assert parts_for(other, case) == {"summary"}
    grant.revoked_at = grant.granted_at
    grant.save()
    assert parts_for(other, case) == frozenset()


def test_forget_sees_a_role_change_in_the_same_request(org, member, case_of):
    case = case_of(org("pag-asa"))
    user = member(org("pag-asa"), Role.ANALYST)
    assert parts_for(user, case) == frozenset()
    Membership.objects.filter(user=user).update(role=Role.CASEWORKER)
    assert parts_for(user, case) == frozenset()  # the seats are read once per request
    forget(user)
    assert parts_for(user, case) == ALL


def test_acting_organisation_is_the_owner_then_a_share(org, member, case_of):
    from haven.access.scope import acting_organisation_id

    case = case_of(org("pag-asa"))
    share(case, org("payoke"), {"summary"}, reason=ShareReason.ASSIGNMENT)
    assert acting_organisation_id(member(org("pag-asa"), Role.CASEWORKER), case) == org("pag-asa").pk
    assert acting_organisation_id(member(org("payoke"), Role.CASEWORKER), case) == org("payoke").pk
    assert acting_organisation_id(member(org("surya"), Role.CASEWORKER), case) is None


def test_visible_to_is_scope_on_every_registered_model(org, member, case_of):
    from haven.access import scope as registry

    mine, theirs = case_of(org("pag-asa")), case_of(org("payoke"))
    share(theirs, org("pag-asa"), {"summary"})
    case_of(org("surya"))
    worker = member(org("pag-asa"), Role.CASEWORKER)
    assert set(Case.objects.visible_to(worker)) == {mine, theirs} == set(scope(Case.objects.all(), worker))
    assert set(Case.objects.filter(pk=mine.pk).visible_to(worker)) == {mine}
    assert set(Case.objects.visible_to(worker, "facts")) == {mine}
    assert set(Case.history.model.objects.visible_to(worker)) == set(scope(Case.history.model.objects.all(), worker))
    assert set(mine.shares.visible_to(worker)) == set(mine.shares.all())  # related managers too
    for model in registry._RULES:
        assert hasattr(model.objects, "visible_to"), model
        assert hasattr(model.objects.all(), "visible_to"), model
