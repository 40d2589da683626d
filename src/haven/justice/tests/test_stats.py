import pytest

from haven.justice import services, stats

from .helpers import Chain, D


@pytest.fixture
def chain(org, member):
    return Chain(org, member)


def test_suspects_prosecuted_and_convicted_by_year_sex_age_and_citizenship(chain, django_assert_max_num_queries):
    first = chain.investigation("A/1", opened=D(2022, 4, 1))
    second = chain.investigation("A/2", opened=D(2023, 2, 1))
    services.record_suspects(chain.officer, first, [
        {"sex": "male", "age_band": "25-34", "citizenship": "RO", "role": "recruiter", "count": 2},
        {"sex": "female", "age_band": "35-44", "citizenship": "BE", "role": "exploiter", "count": 1}])
    services.record_suspects(chain.officer, second, [
        {"sex": "male", "age_band": "25-34", "citizenship": "RO", "role": "exploiter", "count": 3}])
    prosecution = chain.prosecution(first, persons=[
        {"sex": "male", "age_band": "25-34", "citizenship": "RO", "count": 2}])
    convicted = [{"sex": "male", "age_band": "25-34", "citizenship": "RO", "outcome": "convicted", "count": 1},
                 {"sex": "male", "age_band": "25-34", "citizenship": "RO", "outcome": "acquitted", "count": 1}]
    chain.decision(prosecution, outcome="partial", persons=convicted)
    overturned = chain.decision(chain.prosecution(second, persons=[{"sex": "male", "count": 1}]),
                                persons=[{"sex": "male", "outcome": "convicted", "count": 1}])
    services.record_appeal(chain.magistrate, overturned, appellant="defence", lodged=D(2024, 6, 1),
                           decided=D(2024, 11, 1), outcome="acquittal")

    with django_assert_max_num_queries(3):
        assert stats.totals() == {"suspects": {2022: 3, 2023: 3}, "prosecuted": {2023: 3}, "convicted": {2024: 1}}
    by_sex = stats.aggregate(by=("sex",))
    assert {(r["measure"], r["sex"], r["count"]) for r in by_sex} == {
        ("suspects", "male", 5), ("suspects", "female", 1), ("prosecuted", "male", 3), ("convicted", "male", 1)}
    full = stats.aggregate(years=[2022])
    assert full == [
        {"measure": "suspects", "year": 2022, "sex": "female", "age_band": "35-44", "citizenship": "BE", "count": 1},
        {"measure": "suspects", "year": 2022, "sex": "male", "age_band": "25-34", "citizenship": "RO", "count": 2},
    ]
    assert stats.aggregate(jurisdiction=chain.police_org.jurisdiction, by=("year",)) == stats.aggregate(by=("year",))
