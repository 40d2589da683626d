"""The support plan (HTCDS): shelter, psychological, medical, legal, administrative help,
interpretation, voluntary return with IOM; planned and actual dates. A shelter's address is kept
apart (``ShelterAddress``, part ``shelter``): only the centre that recorded it sees it."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ShelterAddress, SupportService
from .common import Refused, TimelineEvent, acting_organisation, log, today

DATES = ("planned_start", "planned_end", "actual_start", "actual_end")


def _check_dates(values):
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if values.get(start) and values.get(end) and values[end] < values[start]:
            raise Refused(_("An end date cannot be before its start date."), "dates")


def add_service(actor, case, kind: str, *, provider: str = "", note: str = "", shelter_address: str = "",
                on: datetime.date | None = None, **dates):
    on = on or today()
    if kind not in SupportService.Kind.values:
        raise Refused(_("Unknown service."), "kind")
    if set(dates) - set(DATES):
        raise Refused(_("Unknown date field."), "dates")
    _check_dates(dates)
    organisation = acting_organisation(actor, case, part="psychosocial")
    if organisation is None:
        raise Refused(_("Your organisation may not plan services for this case."), "not_entitled")
    owner_id = type(case).objects.filter(pk=case.pk).values_list("owner_id", flat=True).first()
    if shelter_address and (kind != SupportService.Kind.SHELTER or organisation.pk != owner_id):
        raise Refused(_("Only the centre that owns the case records a shelter address."), "shelter")
    with transaction.atomic():
        service = SupportService.objects.create(case=case, kind=kind, organisation=organisation, provider=provider,
                                                note=note, created_by=actor, **dates)
        if shelter_address:
            ShelterAddress.objects.create(service=service, case=case, organisation=organisation,
                                          address=shelter_address)
        log(case, TimelineEvent.SERVICE, on=on, actor=actor, organisation=organisation, part="psychosocial", kind=kind,
            service=service.pk)
    return service


def update_service(actor, service, *, on: datetime.date | None = None, **values):
    """Change dates, provider or note of a service (e.g. record the actual start)."""
    on = on or today()
    allowed = {*DATES, "provider", "note"}
    if set(values) - allowed:
        raise Refused(_("Unknown field."), "fields")
    organisation = acting_organisation(actor, service.case, part="psychosocial")
    if organisation is None or organisation.pk != service.organisation_id:
        raise Refused(_("Only the organisation that planned the service can change it."), "not_entitled")
    merged = {d: values.get(d, getattr(service, d)) for d in DATES}
    _check_dates(merged)
    with transaction.atomic():
        for key, value in values.items():
            setattr(service, key, value)
        service.save()
        log(service.case, TimelineEvent.SERVICE_UPDATED, on=on, actor=actor, organisation=organisation,
            part="psychosocial", kind=service.kind, service=service.pk)
    return service
