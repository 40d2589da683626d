"""The screening rule per branch (adult and child), random action sequences (hypothesis), concurrent edits."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.cases.actions import Refused
from haven.cases.actions.procedure import apply_transition, spec_for
from haven.cases.actions.screening import dimension_present, evaluate, indicator_set
from haven.cases.actions.signals import record_signal
from haven.cases.models import Case, StaleEdit

from .chain import day, snapshot


def pick(the_set, dimension, **counts):
    """Ids of ``counts`` indicators of each strength in ``dimension``."""
    chosen = []
    for strength, n in counts.items():
        pool = [i.id for i in the_set.indicators if i.dimension == dimension and i.strength == strength]
        assert len(pool) >= n, (dimension, strength)
        chosen += pool[:n]
    return chosen


@pytest.mark.parametrize("counts, present", [
    ({"strong": 2}, True),
    ({"strong": 1, "medium": 1}, True),
    ({"strong": 1, "weak": 1}, True),
    ({"medium": 3}, True),
    ({"medium": 2, "weak": 1}, True),
    ({"strong": 1}, False),
    ({"medium": 2}, False),
    ({"medium": 1, "weak": 1}, False),
    ({"weak": 2}, False),
    ({}, False),
])
def test_dimension_rule_each_branch(counts, present):
    assert dimension_present(counts) is present


ADULT = indicator_set("labour", minor=False)
CHILD = indicator_set("labour", minor=True)


def test_adult_likely_needs_recruitment_exploitation_and_coercion():
    recruitment = pick(ADULT, "deceptive_recruitment", strong=1, medium=1)
    exploitation = pick(ADULT, "exploitative_conditions", strong=1, medium=1)
    coercion = pick(ADULT, "coercion_at_destination", strong=2)
    vulnerability = pick(ADULT, "abuse_of_vulnerability_at_destination", medium=3)
    assert evaluate(set(recruitment + exploitation + coercion), ADULT)[1] == "likely"
    assert evaluate(set(recruitment + exploitation + vulnerability), ADULT)[1] == "likely"
    # each missing element: only possible
    assert evaluate(set(exploitation + coercion), ADULT)[1] == "possible"
    assert evaluate(set(recruitment + coercion), ADULT)[1] == "possible"
    assert evaluate(set(recruitment + exploitation), ADULT)[1] == "possible"
    # indicators below the dimension threshold count for nothing
    assert evaluate(set(pick(ADULT, "exploitative_conditions", medium=2)), ADULT)[1] == "insufficient"
    assert evaluate(set(), ADULT)[1] == "insufficient"


def test_adult_reading_explains_which_indicators_made_which_dimension():
    chosen = set(pick(ADULT, "coercive_recruitment", strong=1, medium=1))
    dimensions, _ = evaluate(chosen, ADULT)
    assert dimensions["coercive_recruitment"]["present"]
    assert {b["id"] for b in dimensions["coercive_recruitment"]["because"]} == chosen
    assert not dimensions["exploitative_conditions"]["present"]


def test_child_likely_needs_exploitation_only_and_uses_the_child_set():
    assert CHILD.key == "child_labour" and "provisional" in CHILD.verification
    assert evaluate(set(pick(CHILD, "exploitative_conditions", strong=1, medium=1)), CHILD)[1] == "likely"
    assert evaluate(set(pick(CHILD, "exploitative_conditions", medium=3)), CHILD)[1] == "likely"
    assert evaluate(set(pick(CHILD, "coercive_recruitment", strong=2)), CHILD)[1] == "possible"
    assert evaluate(set(pick(CHILD, "exploitative_conditions", medium=2)), CHILD)[1] == "insufficient"


def test_sexual_exploitation_falls_back_to_the_labour_set_of_the_same_age():
    adult, child = indicator_set("sexual", minor=False), indicator_set("sexual", minor=True)
    assert (adult.requested, adult.key, adult.fallback) == ("adult_sexual", "adult_labour", True)
    assert (child.requested, child.key, child.fallback) == ("child_sexual", "child_labour", True)
    assert adult.version and "unconfirmed" in adult.rule_status


# --- random sequences of actions ----------------------------------------------------------------

ACTORS = ["officer", "pag_asa", "immigration", "payoke", "esperanto"]
ACTIONS = ["presume", "intake", "file_complaint", "magistrate_confirms", "start_reflection",
           "grant_provisional_stay", "extend_provisional_stay", "grant_temporary_residence",
           "renew_temporary_residence", "grant_unlimited_residence", "voluntary_return", "end_status", "disappear",
           "close", "reopen"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTIONS), st.integers(0, 60),
                                st.sampled_from([None, "renewed_contact", "other", "bogus"])), max_size=14),
       minor=st.booleans())
def test_random_sequences_stay_within_the_profile(org, people, belgium, steps, minor):
    from haven.cases.actions.closure import reopen_case
    from haven.cases.actions.referrals import accept_referral, route_case
    from haven.cases.tests.factories import share

    officer = people["officer"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels",
                         minor=minor, unaccompanied=minor)
    share(case, org("pag-asa"), {"summary", "facts", "documents"})
    if minor:
        route_case(officer, case, consent="overridden", override_reason="child", on=day(0))
        accept_referral(people["esperanto"], case.referrals.get(purpose="reception"), on=day(0))
    spec = spec_for(case.jurisdiction)
    allowed = {(s, t.to or s) for t in spec.transitions for s in t.sources}
    offset = 0
    for actor, action, gap, reason in steps:
        offset += gap
        before = snapshot(case)
        params = {"reason": reason} if reason else {}
        try:
            if action == "reopen":
                reopen_case(people[actor], case, on=day(offset))
            else:
                apply_transition(people[actor], case, action, on=day(offset), **params)
        except Refused:
            assert snapshot(case) == before
            continue
        case.refresh_from_db()
        step = case.steps.last()
        assert case.state in spec.states
        assert (step.from_state, step.to_state) in allowed or step.action == "reopen"
        assert (case.closed_at is not None) == spec.states[case.state].closes
        assert case.documents.filter(ended_on__isnull=True).count() <= 1


# --- concurrent edits ---------------------------------------------------------------------------


def test_two_concurrent_edits_one_wins_the_other_gets_the_conflict(org, people):
    from haven.cases.actions.screening import set_trafficking_status

    officer = people["officer"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels")
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)  # two people read version 1
    version = first.version
    apply_transition(officer, first, "presume", on=day(1), expected_version=version)
    before = snapshot(case)
    with pytest.raises(StaleEdit):
        set_trafficking_status(officer, second, "presumed", on=day(1), expected_version=version)
    with pytest.raises(StaleEdit):
        apply_transition(officer, second, "close", on=day(1), reason="other", expected_version=version)
    assert snapshot(case) == before  # the loser changed nothing; the winner's edit is kept
    case.refresh_from_db()
    assert case.state == "presumed" and case.version == version + 1
    set_trafficking_status(officer, case, "presumed", on=day(1), expected_version=case.version)  # re-read: fine
    case.refresh_from_db()
    assert case.trafficking_status == "presumed" and case.status_decided_by == org("police-brussels-capital")
