"""Columns holding a code list take their values from a TextChoices; ``,a,b,`` columns validate against one."""

import pytest
from django.core.exceptions import ValidationError

from haven.cases.models import (
    Case,
    Deadline,
    ExploitationForm,
    IsicSection,
    Part,
    Reading,
    Screening,
    TimelineEntry,
    TimelineEvent,
    TraffickingStatus,
)
from haven.core.codes import CodeListValidator
from haven.jurisdictions.models import LegalTest
from haven.justice.models import Investigation, Prosecution
from haven.library.models import Appearance, Claim, Merge, Page, Qualifier, Source
from haven.statistics.models import SeriesPoint

CODED = [
    (Case, "sector", IsicSection), (Case, "trafficking_status", TraffickingStatus),
    (Screening, "exploitation_form", ExploitationForm), (Screening, "reading", Reading),
    (Screening, "legal_test", LegalTest), (Deadline, "part", Part), (TimelineEntry, "part", Part),
    (TimelineEntry, "event", TimelineEvent), (SeriesPoint, "qualifier", Qualifier),
]


@pytest.mark.parametrize(("model", "name", "codes"), CODED)
def test_coded_columns_take_their_code_list(model, name, codes):
    assert model._meta.get_field(name).choices == codes.choices


def test_parts_are_the_scoping_parts():
    from haven.access.scope import PARTS

    assert Part.values == list(PARTS)


@pytest.mark.parametrize(("model", "name"), [(Page, "language"), (Source, "language"), (Appearance, "language"),
                                             (Claim, "period_kind"), (Merge, "method")])
def test_the_library_columns_have_code_lists(model, name):
    assert model._meta.get_field(name).choices


def _errors(instance, *fields) -> dict:
    others = [f.name for f in instance._meta.fields if f.name not in fields]
    try:
        instance.clean_fields(exclude=others)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def test_a_case_refuses_codes_outside_its_lists():
    case = Case(sector="Z", trafficking_status="maybe", exploitation_forms=",labour,slavery,")
    errors = _errors(case, "sector", "trafficking_status", "exploitation_forms")
    assert set(errors) == {"sector", "trafficking_status", "exploitation_forms"}
    assert "slavery" in errors["exploitation_forms"][0] and "labour" not in errors["exploitation_forms"][0]
    fine = Case(sector="T", trafficking_status="presumed", exploitation_forms=",labour,sexual,")
    assert _errors(fine, "sector", "trafficking_status", "exploitation_forms") == {}


def test_justice_code_lists_validate_their_comma_columns():
    assert "forms" in _errors(Investigation(forms=",begging,slavery,"), "forms")
    assert _errors(Investigation(forms=",begging,"), "forms") == {}
    assert "charges" in _errors(Prosecution(charges=",thb,kidnapping,"), "charges")
    assert _errors(Prosecution(charges=",thb,laundering,"), "charges") == {}


def test_the_comma_list_validator_says_which_codes_it_does_not_know():
    validator = CodeListValidator(["a", "b"])
    validator(",a,b,")
    validator("")
    with pytest.raises(ValidationError, match="c, d"):
        validator(",a,d,c,")
    assert validator == CodeListValidator(["b", "a"]) and validator != CodeListValidator(["a"])


def test_the_walk_names_a_stored_value_outside_its_code_list(org, case_of):
    from haven.core.codes import values_outside_code_lists

    case = case_of(org("pag-asa"))
    assert not [line for line in values_outside_code_lists() if line.startswith("cases.Case.")]
    Case.objects.filter(pk=case.pk).update(sector="Z", exploitation_forms=",labour,slavery,")
    found = values_outside_code_lists()
    assert "cases.Case.sector: 'Z'" in found and "cases.Case.exploitation_forms: 'slavery'" in found
