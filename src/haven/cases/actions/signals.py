"""A signal from the front line: creates the person (identity vault) and the case."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from haven.access.scope import seats
from haven.core.errors import Invalid
from haven.jurisdictions.models import Region
from haven.persons.models import Person

from ..models import Case, ExploitationForm, IsicSection, Signal
from .common import Refused, TimelineEvent, log, today
from .procedure import spec_for

PERSON_FIELDS = ("family_name", "given_names", "aliases", "birth_date", "citizenships", "languages", "contact",
                 "identity_documents", "sex")


def record_signal(actor, organisation, *, detected_on: datetime.date | None = None, region=None, place: str = "",
                  observations: str = "", exploitation_forms=(), sector: str = "", minor: bool = False,
                  unaccompanied: bool = False, person: dict | None = None, on: datetime.date | None = None):
    """Record a signal as ``actor`` for ``organisation``; returns the new ``Case`` (state: the profile's
    initial state, owner: ``organisation``). ``region`` is a ``Region`` or its code; ``person`` holds
    identity fields if known (``PERSON_FIELDS``)."""
    if not any(s.organisation_id == organisation.pk and "facts" in s.parts for s in seats(actor)):
        raise Refused(_("You may record signals only for an organisation where you do casework."), "not_member")
    detected_on = detected_on or today()
    on = on or detected_on
    if detected_on > today():
        raise Refused(_("The detection date cannot be in the future."), "date")
    if isinstance(region, str):
        region = Region.objects.filter(jurisdiction_id=organisation.jurisdiction_id, code=region).first()
        if region is None:
            raise Refused(_("Unknown region."), "region")
    region = region or organisation.region
    if region.jurisdiction_id != organisation.jurisdiction_id:
        raise Refused(_("The region is not in your organisation's jurisdiction."), "region")
    forms = set(exploitation_forms)
    if forms - set(ExploitationForm.values):
        raise Refused(_("Unknown form of exploitation."), "forms")
    if sector and sector not in IsicSection.values:
        raise Refused(_("Unknown sector."), "sector")
    person = dict(person or {})
    if isinstance(person.get("birth_date"), str):  # a caller that did not parse it (a command, a script)
        try:
            person["birth_date"] = datetime.date.fromisoformat(person["birth_date"])
        except ValueError:
            raise Invalid(field_errors={"birth_date": _("Give the birth date as YYYY-MM-DD.")},
                          code="birth_date") from None
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise Refused(_("Unknown identity field(s): %(names)s.") % {"names": ", ".join(sorted(unknown))}, "person")
    spec = spec_for(organisation.jurisdiction)
    with transaction.atomic():
        subject = Person.objects.create(**person)
        case = Case(jurisdiction=organisation.jurisdiction, owner=organisation, person=subject, region=region,
                    minor=minor, unaccompanied=unaccompanied and minor, sector=sector, detected_on=detected_on,
                    state=spec.initial)
        case.form_set = forms
        case.save()
        Signal.objects.create(case=case, organisation=organisation, recorded_by=actor, detected_on=detected_on,
                              place=place, observations=observations)
        log(case, TimelineEvent.SIGNAL, on=on, actor=actor, organisation=organisation, part="summary",
            forms=sorted(forms), region=region.code, minor=case.minor)
    return case
