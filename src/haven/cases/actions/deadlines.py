"""Deadlines: every active document's end, the reflection period's end, unanswered referrals.

Deadlines are rows (``Deadline``) kept in step with the case by ``refresh`` after every change, so
that home pages and the daily digest are plain queries.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from haven.access.scope import scope
from haven.jurisdictions.models import localized
from haven.organisations.models import User
from haven.organisations.roles import Role

from ..models import Deadline, Referral, ResidenceDocument
from .procedure import name_of, spec_for

HORIZON_DAYS = 14
CASEWORK_ROLES = (Role.CASEWORKER, Role.CASE_MANAGER)


def refresh(case, spec, on: datetime.date) -> None:
    """Bring the case's open deadlines in line with its documents and referrals."""
    wanted = {}
    if case.closed_at is None:
        for doc in ResidenceDocument.objects.filter(case=case, ended_on__isnull=True, valid_until__isnull=False):
            declared = spec.documents.get(doc.kind)
            kind = (declared.deadline if declared else None) or doc.kind
            wanted[f"document:{doc.pk}"] = (kind, "documents", doc.valid_until, case.owner_id)
    for referral in Referral.objects.filter(case=case, status=Referral.Status.PENDING, answer_due__isnull=False):
        wanted[f"referral:{referral.pk}"] = ("referral", "summary", referral.answer_due, referral.to_organisation_id)
    open_rows = {d.key: d for d in Deadline.objects.filter(case=case, done_on__isnull=True)}
    for key, row in open_rows.items():
        if key not in wanted:
            row.done_on = on
            row.save(update_fields=["done_on"])
    for key, (kind, part, due, organisation_id) in wanted.items():
        row = open_rows.get(key)
        if row is None:
            Deadline.objects.update_or_create(case=case, key=key, defaults={
                "kind": kind, "part": part, "due_on": due, "organisation_id": organisation_id, "done_on": None})
        elif (row.due_on, row.organisation_id) != (due, organisation_id):
            row.due_on, row.organisation_id = due, organisation_id
            row.save(update_fields=["due_on", "organisation_id"])


def due(organisation, today: datetime.date, horizon: int = HORIZON_DAYS):
    """Open deadlines of ``organisation`` that are overdue or fall due within ``horizon`` days."""
    return (Deadline.objects.filter(organisation=organisation, done_on__isnull=True,
                                    due_on__lte=today + datetime.timedelta(days=horizon))
            .select_related("case").order_by("due_on", "pk"))


def due_deadlines(user, organisation, today: datetime.date, horizon: int = HORIZON_DAYS) -> dict:
    """What ``user`` may see of their organisation's deadlines: ``{"overdue": [...], "soon": [...]}``."""
    rows = list(scope(due(organisation, today, horizon), user))
    return {"overdue": [d for d in rows if d.due_on < today], "soon": [d for d in rows if d.due_on >= today]}


def overdue_cases(today: datetime.date):
    """Case ids with an open deadline before ``today`` (the case list's ``overdue`` filter)."""
    return Deadline.objects.filter(done_on__isnull=True, due_on__lt=today).values("case_id")


def recipients(deadline) -> list:
    """The responsible caseworker of the case when they belong to the organisation; otherwise its
    caseworkers and case managers."""
    case = deadline.case
    if case.caseworker_id and case.caseworker.memberships.filter(organisation_id=deadline.organisation_id).exists():
        users = [case.caseworker]
    else:
        users = list(User.objects.filter(is_active=True, memberships__organisation_id=deadline.organisation_id,
                                         memberships__role__in=CASEWORK_ROLES).distinct())
    return [u for u in users if u.email]


def send_digest(today: datetime.date, horizon: int = HORIZON_DAYS) -> int:
    """E-mail each responsible caseworker the deadlines due within ``horizon`` days or overdue.

    The mail names case references, kinds and dates only: never a person, never an address.
    Returns the number of e-mails sent.
    """
    per_user = defaultdict(list)
    rows = (Deadline.objects.filter(done_on__isnull=True, due_on__lte=today + datetime.timedelta(days=horizon))
            .filter(Q(case__closed_at__isnull=True) | Q(kind="referral"))
            .select_related("case", "case__caseworker", "organisation").order_by("due_on"))
    for deadline in rows:
        for user in recipients(deadline):
            per_user[user].append(deadline)
    sent = 0
    for user, items in per_user.items():
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                (_("OVERDUE") + " " if d.due_on < today else "") + f"{d.due_on.isoformat()}  {d.case.reference}  "
                + kind_label(d) for d in items
            ]
            body = _("Deadlines of your cases in the next %(days)s days and overdue:") % {"days": horizon}
            body += "\n\n" + "\n".join(lines) + "\n"
            subject = _("Haven: %(count)s deadline(s)") % {"count": len(items)}
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent


def kind_label(deadline) -> str:
    if deadline.kind == "referral":
        return _("referral waiting for an answer")
    try:
        spec = spec_for(deadline.case.jurisdiction)
    except Exception:  # noqa: BLE001 - a label must never break a digest
        return deadline.kind
    names = spec.deadlines
    if deadline.kind in names:
        return localized(names[deadline.kind])
    return _("end of %(document)s") % {"document": name_of(spec, "document", deadline.kind)}
