"""The work queues on requests (ADR 0036): what waits for the magistrate, the Immigration Office and
the centre that asked, on each member's home page (``haven.organisations.home``), and the notices
of what in them falls due (``haven notify``).

Each queue is a real, scoped queryset: the requests the member may see (``DocumentRequest``'s
access rule), the oldest due first, with how many wait in all. ``register()`` plugs the queues and
the due notices in; the app calls it from ``ready()``.
"""

import datetime

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.access.scope import ROLE_PARTS
from haven.cases.actions.procedure import name_of, spec_for
from haven.cases.models import Deadline
from haven.notifications.services import notify_organisation, register_due_source, register_kind
from haven.organisations.home import (
    CONFIRMATIONS,
    DECISIONS,
    REQUESTS_IN_PROGRESS,
    PanelRows,
    register_panel_source,
)

from .models import OPEN_STAGES, DocumentRequest, Stage

LIMIT = 20


def visible_requests(user) -> QuerySet:
    """The requests ``user`` may see (``DocumentRequest``'s rule in ``access_rules``)."""
    return DocumentRequest.objects.visible_to(user)


def request_url(request: DocumentRequest) -> str:
    return reverse("residence-request", args=[request.pk])


def what(request: DocumentRequest) -> str:
    """The request's name (the profile's ``procedure.requests``), in the reader's language."""
    try:
        return name_of(spec_for(request.case.jurisdiction), "request", request.kind)
    except Exception:  # noqa: BLE001 - a queue's label must never hide the queue
        return request.kind


def _rows(requests: QuerySet, text) -> PanelRows:
    """The first ``LIMIT`` rows, oldest due first (no due date last), and the total."""
    requests = requests.order_by(F("due_on").asc(nulls_last=True), "requested_on", "pk")
    total = requests.count()
    today = timezone.localdate()
    first = requests.select_related("case", "case__jurisdiction", "holder", "requested_by")[:LIMIT]
    return PanelRows(({"url": request_url(r), "text": text(r, today), "overdue": _overdue(r, today)} for r in first),
                     total=total)


def _overdue(request: DocumentRequest, today: datetime.date) -> bool:
    return bool(request.due_on and request.due_on < today)


def _due(request: DocumentRequest, today: datetime.date) -> str:
    if request.due_on is None:
        return ""
    if _overdue(request, today):
        return " · " + _("overdue since %(date)s") % {"date": request.due_on.isoformat()}
    return " · " + _("answer by %(date)s") % {"date": request.due_on.isoformat()}


def _waiting(user, organisation, stage: str) -> PanelRows:
    requests = visible_requests(user).filter(holder=organisation, stage=stage)
    return _rows(requests, lambda r, today: f"{r.case.reference} · {what(r)} · {r.requested_by.name}"
                 + _due(r, today))


def confirmations(user, organisation) -> PanelRows:
    """The magistrate's queue: requests waiting for their office's confirmation."""
    return _waiting(user, organisation, Stage.CONFIRM)


def decisions(user, organisation) -> PanelRows:
    """The Immigration Office's queue: requests waiting for its decision."""
    return _waiting(user, organisation, Stage.DECIDE)


def requests_in_progress(user, organisation) -> PanelRows:
    """The centre's queue: the open requests it made, and who holds each now."""
    requests = visible_requests(user).filter(requested_by=organisation, stage__in=OPEN_STAGES)

    def text(r, today):
        holder = r.holder.name if r.holder_id else "—"
        return (f"{r.case.reference} · {what(r)} · " + _("with %(organisation)s") % {"organisation": holder}
                + f" ({r.get_stage_display()})" + _due(r, today))

    return _rows(requests, text)


# --- what falls due: notices of ``haven notify`` ------------------------------------------------

REQUEST_DUE = "request.due"
REQUEST_OVERDUE = "request.overdue"
DEADLINE_DUE = "deadline.due"
DEADLINE_OVERDUE = "deadline.overdue"
KINDS = {
    REQUEST_DUE: gettext_lazy("A request about case %(case)s waits for your organisation's answer by %(date)s."),
    REQUEST_OVERDUE: gettext_lazy("A request about case %(case)s is overdue: your organisation's answer was due "
                                  "on %(date)s."),
    DEADLINE_DUE: gettext_lazy("A deadline of case %(case)s falls on %(date)s."),
    DEADLINE_OVERDUE: gettext_lazy("A deadline of case %(case)s passed on %(date)s and is still open."),
}


def roles_seeing(part: str) -> list[str]:
    """The roles that may see ``part`` of a case: those who can act on what falls due in it."""
    return sorted(role for role, parts in ROLE_PARTS.items() if part in parts)


def notify_requests_due(today: datetime.date, days: int) -> int:
    """Notify the holder of every open request that is overdue or due within ``days`` days: once when it
    comes near, once when it is overdue (a new stage or due date is a new notice)."""
    written = 0
    requests = (DocumentRequest.objects.filter(stage__in=OPEN_STAGES, holder__isnull=False,
                                               due_on__lte=today + datetime.timedelta(days=days))
                .select_related("case", "holder").order_by("due_on", "pk"))
    for request in requests:
        kind = REQUEST_OVERDUE if request.due_on < today else REQUEST_DUE
        written += len(notify_organisation(
            request.holder, kind, params={"case": request.case.reference, "date": request.due_on},
            url=request_url(request), key=f"request:{request.pk}:{request.stage}:{request.due_on.isoformat()}",
            roles=roles_seeing("documents")))
    return written


def notify_deadlines_due(today: datetime.date, days: int) -> int:
    """Notify the organisation of every open deadline (documents' ends, referrals unanswered…) that is
    overdue or due within ``days`` days, to the members who see the deadline's part of the case."""
    written = 0
    deadlines = (Deadline.objects.filter(done_on__isnull=True, due_on__lte=today + datetime.timedelta(days=days))
                 .filter(Q(case__closed_at__isnull=True) | Q(kind="referral"))
                 .select_related("case", "organisation").order_by("due_on", "pk"))
    for deadline in deadlines:
        kind = DEADLINE_OVERDUE if deadline.due_on < today else DEADLINE_DUE
        written += len(notify_organisation(
            deadline.organisation, kind, params={"case": deadline.case.reference, "date": deadline.due_on},
            url=reverse("case-page", args=[deadline.case_id]),
            key=f"deadline:{deadline.pk}:{deadline.due_on.isoformat()}", roles=roles_seeing(deadline.part)))
    return written


def register() -> None:
    """Register the residence work queues (``haven.organisations.home``) and their due notices."""
    register_panel_source(CONFIRMATIONS.key, confirmations)
    register_panel_source(DECISIONS.key, decisions)
    register_panel_source(REQUESTS_IN_PROGRESS.key, requests_in_progress)
    for kind, sentence in KINDS.items():
        register_kind(kind, sentence)
    register_due_source("requests", notify_requests_due)
    register_due_source("deadlines", notify_deadlines_due)
