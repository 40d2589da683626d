"""What every rule of the case chain shares: refusals, the acting organisation, the timeline, dates."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access.context import context_for
from haven.access.scope import parts_for, seats
from haven.core.errors import Refused  # noqa: F401  (the chain's refusals are the core vocabulary)

from ..models import TimelineEntry
from ..models.chain import TimelineEvent


def today() -> datetime.date:
    return timezone.localdate()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``months`` calendar months later, clipped to the month's last day (31 January + 1 = 28/29 February)."""
    return day + relativedelta(months=months)


def add_duration(day: datetime.date, duration: dict | None) -> datetime.date | None:
    """``{"days": 45}``, ``{"months": 3}`` (both may be combined); None: no end."""
    if not duration:
        return None
    return day + relativedelta(months=int(duration.get("months", 0)), days=int(duration.get("days", 0)))


def acting_organisation(actor, case, *, kinds=None, organisation=None, part: str = "summary"):
    """The organisation ``actor`` acts for on ``case``: one of theirs that sees ``part`` of it (and is of
    one of ``kinds`` when given). Raises ``Refused`` otherwise."""
    access = context_for(actor)  # the user's seats, organisations and shares, read once per request
    if access.owner_id(case) != case.owner_id:
        case = type(case).objects.get(pk=case.pk)  # the owner as stored now, never a stale copy's
    if part not in parts_for(actor, case):
        raise Refused(_("You may not act on this case."), "not_visible")
    candidates = [s for s in seats(actor) if part in s.parts]
    if organisation is not None:
        candidates = [s for s in candidates if s.organisation_id == organisation.pk]
    if kinds is not None:
        candidates = [s for s in candidates if s.kind in kinds]
    if not candidates:
        return None
    # Prefer the owner, then an organisation holding a share of the case.
    ids = [s.organisation_id for s in candidates]
    if case.owner_id in ids:
        return access.organisation(case.owner_id)
    shared = set(access.shared_with(case))
    for organisation_id in ids:
        if organisation_id in shared:
            return access.organisation(organisation_id)
    return None


def log(case, event, *, on, actor=None, organisation=None, part: str = "summary", **data):
    """Write one line of the case timeline. ``event`` is a ``TimelineEvent``: a line nobody can render
    is a programming error, so an unknown value raises ``ValueError`` before anything is written."""
    event = TimelineEvent(event)
    return TimelineEntry.objects.create(case=case, on=on, event=event, part=part, data=data, actor=actor,
                                        organisation=organisation)


def bump(case, fields: list[str]) -> None:
    """Save ``fields`` of a case already locked in this transaction, counting a new version."""
    case.save_versioned(case.version, fields)
