"""The demo writes only values its columns' code lists know: a form would refuse anything else."""

from haven.core.codes import values_outside_code_lists
from haven.demo.cases import generate


def test_generated_cases_hold_only_known_codes(belgium, netherlands):
    counts = generate(cases={"BE": 10, "NL": 4}, seed=11)
    assert counts["BE:cases"] == 10 + counts["BE:waiting"] and counts["NL:cases"] == 4 + counts["NL:waiting"]
    assert counts["BE:requests"] and counts["NL:requests"]  # requests and their answers are checked too
    assert values_outside_code_lists() == []
