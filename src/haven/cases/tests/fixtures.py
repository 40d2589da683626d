"""Fixtures for the tests of cases, access and audit (import them in a conftest with ``*``)."""

import pytest

from haven.organisations.models import Organisation


@pytest.fixture
def org(belgium):
    """``org("pag-asa")`` → that Belgian organisation."""
    return lambda slug: Organisation.objects.get(jurisdiction=belgium, slug=slug)


@pytest.fixture
def case_of(db):
    """``case_of(organisation, **person_fields)`` → a new case owned by it."""
    from .factories import CaseFactory

    def make(owner, **person):
        return CaseFactory(owner=owner, **{f"person__{k}": v for k, v in person.items()})

    return make
