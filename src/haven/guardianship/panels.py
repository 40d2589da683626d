"""The guardianship work queues on the home page (``haven.organisations.home``): real, scoped querysets,
the oldest waiting first, with how many wait in all (``PanelRows.total``).

- ``wards``: the guardian's own children (open cases where she is the guardian appointed now);
- ``awaiting_guardian``: the children whose case the service holds and who have no guardian yet;
- ``age_assessments``: the doubts about age waiting for the service's decision.

The service's referrals waiting for an answer are the ``referrals`` queue of ``haven.cases.panels``.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from haven.cases.actions.procedure import name_states
from haven.cases.models import Case, CaseShare, Referral, ShareReason
from haven.organisations.home import PanelRows, register_panel_source

from .models import AgeAssessment, GuardianAppointment

LIMIT = 20


def _url(case_id) -> str:
    return reverse("guardianship-case", args=[case_id])


def wards(user, organisation) -> PanelRows:
    appointments = (GuardianAppointment.objects.visible_to(user)
                    .filter(guardian=user, organisation=organisation, ended_on__isnull=True,
                            case__closed_at__isnull=True).order_by("appointed_on", "pk"))
    first = list(appointments.select_related("case", "case__jurisdiction")[:LIMIT])
    name_states([a.case for a in first])
    return PanelRows(({"url": _url(a.case_id), "overdue": False,
                       "text": f"{a.case.reference} · {a.case.state_name} · "
                               + _("your ward since %(date)s") % {"date": a.appointed_on.isoformat()}}
                      for a in first), total=appointments.count())


def awaiting_guardian(user, organisation) -> PanelRows:
    held = (Q(owner=organisation)
            | Q(pk__in=Referral.objects.filter(to_organisation=organisation, status=Referral.Status.ACCEPTED)
                .values("case_id"))
            | Q(pk__in=CaseShare.objects.filter(organisation=organisation, reason=ShareReason.GUARDIAN,
                                                revoked_at__isnull=True).values("case_id")))
    cases = (Case.objects.visible_to(user).filter(held, minor=True, closed_at__isnull=True)
             .exclude(pk__in=GuardianAppointment.objects.filter(ended_on__isnull=True).values("case_id"))
             .order_by("created", "pk"))
    first = name_states(list(cases.select_related("jurisdiction")[:LIMIT]))
    return PanelRows(({"url": _url(c.pk), "overdue": False, "text": f"{c.reference} · {c.state_name}"}
                      for c in first), total=cases.count())


def age_assessments(user, organisation) -> PanelRows:
    waiting = (AgeAssessment.objects.visible_to(user)
               .filter(organisation=organisation, outcome=AgeAssessment.Outcome.PENDING).order_by("opened_on", "pk"))
    first = waiting.select_related("case", "opened_by_organisation")[:LIMIT]
    return PanelRows(({"url": _url(a.case_id), "overdue": False,
                       "text": f"{a.case.reference} · " + _("doubt raised by %(organisation)s on %(date)s") % {
                           "organisation": a.opened_by_organisation.name, "date": a.opened_on.isoformat()}}
                      for a in first), total=waiting.count())


def register() -> None:
    for key, rows in (("wards", wards), ("awaiting_guardian", awaiting_guardian),
                      ("age_assessments", age_assessments)):
        register_panel_source(key, rows)
