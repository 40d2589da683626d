"""Rows of the home-page panels (``haven.organisations.home``): real, scoped querysets."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access.scope import scope
from haven.organisations.home import PanelRows

from .actions import deadlines as deadline_rules
from .actions import procedure
from .models import Case, CaseShare, Referral

LIMIT = 20


def _case_row(case, text=None, overdue=False):
    text = text or f"{case.reference} · {case.state_name}"
    return {"url": reverse("case-page", args=[case.pk]), "text": text, "overdue": overdue}


def _case_rows(queryset):
    return [_case_row(c) for c in procedure.name_states(list(queryset.select_related("jurisdiction")[:LIMIT]))]


def deadlines(user, organisation, kinds=None):
    today = timezone.localdate()
    rows = scope(deadline_rules.due(organisation, today), user)
    if kinds is not None:
        rows = rows.exclude(kind="referral")
    return [_case_row(d.case, f"{d.due_on.isoformat()} · {d.case.reference} · {deadline_rules.kind_label(d)}"
                      + (" · " + _("overdue") if d.due_on < today else ""), d.due_on < today) for d in rows[:LIMIT]]


def documents(user, organisation):
    return deadlines(user, organisation, kinds="documents")


def referrals(user, organisation) -> PanelRows:
    """The referrals waiting for ``organisation``'s answer, the oldest first, and how many wait in all."""
    waiting = scope(Referral.objects.filter(to_organisation=organisation, status=Referral.Status.PENDING), user)
    waiting = waiting.order_by("referred_on", "pk")
    today = timezone.localdate()
    rows = [{"url": reverse("case-referral-answer", args=[r.pk]),
             "text": _("%(reference)s from %(organisation)s, answer by %(date)s") % {
                 "reference": r.case.reference, "organisation": r.from_organisation.name,
                 "date": r.answer_due.isoformat() if r.answer_due else "—"},
             "overdue": bool(r.answer_due and r.answer_due < today)}
            for r in waiting.select_related("case", "from_organisation")[:LIMIT]]
    return PanelRows(rows, total=waiting.count())


def cases(user, organisation):
    return _case_rows(scope(Case.objects.filter(owner=organisation, closed_at__isnull=True), user)
                      .order_by("-created"))


def signals(user, organisation):
    return _case_rows(scope(Case.objects.filter(signal__organisation=organisation), user).order_by("-created"))


def minors(user, organisation) -> PanelRows:
    """The open cases of minors in which ``organisation`` takes part (not those it only reads while a
    referral to it waits for its answer), the longest known first."""
    previews = Referral.objects.filter(to_organisation=organisation, status=Referral.Status.PENDING,
                                       share__isnull=False).values("share_id")  # never a NULL in a NOT IN
    held = CaseShare.objects.filter(organisation=organisation, revoked_at__isnull=True).exclude(pk__in=previews)
    cases = scope(Case.objects.filter(Q(owner=organisation) | Q(pk__in=held.values("case_id")), minor=True,
                                      closed_at__isnull=True), user).order_by("created", "pk")
    return PanelRows(_case_rows(cases), total=cases.count())
