from collections import Counter

import pytest

from haven.cases.actions.procedure import spec_for
from haven.cases.models import Case
from haven.demo.cases import generate, scenarios


@pytest.fixture
def profiles(belgium, netherlands):
    return belgium, netherlands


def test_generated_cases_only_reach_states_their_profile_has(profiles):
    counts = generate(cases={"BE": 16, "NL": 6}, seed=7)
    assert counts["BE:cases"] == 16 and counts["NL:cases"] == 6
    for case in Case.objects.select_related("jurisdiction"):
        spec = spec_for(case.jurisdiction)
        assert case.state in spec.states, case.state
        assert case.timeline.exists()
    states = Counter(Case.objects.values_list("state", flat=True))
    assert len(states) >= 3  # the walk spreads cases over the procedure
    assert counts["BE:screenings"] == 16


def test_the_same_seed_gives_the_same_cases(profiles):
    first = generate(cases={"BE": 6, "NL": 0}, seed=3)
    assert generate(cases={"BE": 6, "NL": 0}, seed=3) == first
    assert Case.objects.count() == 12


def test_scenarios_name_only_what_the_profiles_know(profiles):
    for code, scenario in scenarios().items():
        jurisdiction = profiles[0] if code == "BE" else profiles[1]
        spec = spec_for(jurisdiction)
        actions = {t.action for t in spec.transitions}
        assert set(scenario["walk"]) <= set(spec.states)
        for weights in scenario["walk"].values():
            assert set(weights) - {"stay", "justice_grounds"} <= actions
        assert set(scenario["first_actions"]) <= actions
        assert set(scenario["regions"]) <= set(jurisdiction.regions.values_list("code", flat=True))
