"""factory-boy factories for persons and cases (tests, the demo, benchmarks)."""

import datetime

import factory

from haven.cases.models import Case, CaseShare, ShareReason
from haven.persons.models import Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family_name = factory.Faker("last_name")
    given_names = factory.Faker("first_name")
    aliases = factory.LazyFunction(list)
    birth_date = factory.Faker("date_between", start_date=datetime.date(1970, 1, 1), end_date=datetime.date(2008, 1, 1))
    citizenships = factory.LazyFunction(lambda: ["RO"])
    languages = factory.LazyFunction(lambda: ["ro", "en"])
    contact = factory.LazyFunction(lambda: {"phone": "+32 470 12 34 56"})
    identity_documents = factory.LazyFunction(lambda: [{"kind": "passport", "number": "RO1234567", "country": "RO"}])
    sex = "female"


class CaseFactory(factory.django.DjangoModelFactory):
    """``CaseFactory(owner=organisation)``: the jurisdiction follows the owner."""

    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory)
    jurisdiction = factory.LazyAttribute(lambda case: case.owner.jurisdiction)


def share(case, organisation, parts, reason=ShareReason.REFERRAL, **kwargs) -> CaseShare:
    grant = CaseShare(case=case, organisation=organisation, reason=reason, **kwargs)
    grant.part_set = parts
    grant.save()
    return grant
