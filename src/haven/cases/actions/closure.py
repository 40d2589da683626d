"""Closing a case (the procedure's ``close`` transition, with a reason) and reopening it (owner only)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from haven.access.scope import seats

from ..models import Case, ProcedureStep, StaleEdit
from . import deadlines
from .common import Refused, TimelineEvent, bump, log, today
from .procedure import apply_transition, last_step_date, spec_for


def close_case(actor, case, reason: str, *, on: datetime.date | None = None, expected_version=None):
    return apply_transition(actor, case, "close", on=on, reason=reason, expected_version=expected_version)


def reopen_case(actor, case, *, on: datetime.date | None = None, reason: str = "", expected_version=None):
    """Reopen a closed case into the state it left; only its owner may."""
    on = on or today()
    if not any(s.organisation_id == case.owner_id and "summary" in s.parts for s in seats(actor)):
        raise Refused(_("Only the organisation that owns the case can reopen it."), "not_entitled")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleEdit()
        if locked.closed_at is None:
            raise Refused(_("The case is not closed."), "not_closed")
        previous = last_step_date(locked)
        if previous and on < previous:
            raise Refused(_("This step cannot be dated before the previous one (%(date)s).") % {
                "date": previous.isoformat()}, "date")
        from_state, to_state = locked.state, locked.state_before_close or spec_for(locked.jurisdiction).initial
        locked.state, locked.closed_at, locked.close_reason, locked.state_before_close = to_state, None, "", ""
        bump(locked, ["state", "closed_at", "close_reason", "state_before_close"])

        ProcedureStep.objects.create(case=locked, action="reopen", from_state=from_state, to_state=to_state,
                                     on=on, actor=actor, organisation=locked.owner,
                                     params={"reason": reason} if reason else {})
        log(locked, TimelineEvent.REOPENED, on=on, actor=actor, organisation=locked.owner, part="summary",
            from_state=from_state, to_state=to_state, reason=reason)

        deadlines.refresh(locked, spec_for(locked.jurisdiction), on)
    case.refresh_from_db()
    return case
