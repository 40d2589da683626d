"""Break-glass: emergency access to a case, logged and reported to the owning organisation's admins."""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.actor import Actor
from haven.core.errors import Invalid
from haven.core.trail import Action, Purpose, record_access
from haven.organisations.models import Membership
from haven.organisations.roles import Role

from .case_models import case_model
from .models import BreakGlass
from .scope import seats

BREAK_GLASS_HOURS = 4
MIN_REASON = 20


@transaction.atomic
def break_glass(actor: Actor, reference: str, reason: str) -> BreakGlass:
    """Open case ``reference`` to ``actor.user`` for a few hours; the access log keeps the actor's address.

    Refusals are ``Invalid`` naming the field (codes ``reason_too_short``, ``case_not_openable``).
    The answer does not say whether the reference exists when the user may not break glass: a
    role that may not and a reference that does not exist get the same refusal.
    """
    user = actor.user
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Invalid(field_errors={"reason": _("Explain the emergency in at least %(n)d characters.") % {
            "n": MIN_REASON}}, code="reason_too_short")
    candidates = sorted((s for s in seats(user) if "summary" in s.parts), key=lambda s: len(s.parts), reverse=True)
    case = case_model().objects.filter(reference=(reference or "").strip().upper()).select_related("owner").first()
    if not candidates or case is None:
        raise Invalid(field_errors={"reference": _("No case with this reference can be opened by you.")},
                      code="case_not_openable")
    seat = candidates[0]
    grant = BreakGlass.objects.create(user=user, organisation_id=seat.organisation_id, case=case, reason=reason,
                                      expires=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS))
    record_access(Actor(user=user, organisation=seat.organisation_id, address=actor.address, via=actor.via),
                  Action.BREAK_GLASS, Purpose.EMERGENCY, case=case, reason=reason)
    transaction.on_commit(lambda: report_to_admins(grant))
    return grant


def report_to_admins(grant: BreakGlass) -> int:
    """E-mail the owning organisation's admins (no identity in the message, only the reference)."""
    admins = Membership.objects.filter(organisation_id=grant.case.owner_id, role=Role.ORG_ADMIN).exclude(
        user__email="").values_list("user__email", flat=True)
    if not admins:
        return 0
    subject = _("Haven: emergency access to case %(reference)s") % {"reference": grant.case.reference}
    body = _(
        "%(user)s (%(organisation)s) used emergency access to case %(reference)s of your organisation "
        "at %(when)s, until %(until)s.\n\nReason given: %(reason)s\n\nThe access log has the details. "
        "If this was not justified, contact your data-protection officer."
    ) % {"user": grant.user.get_username(), "organisation": grant.organisation.name,
         "reference": grant.case.reference, "when": f"{timezone.localtime(grant.started):%Y-%m-%d %H:%M}",
         "until": f"{timezone.localtime(grant.expires):%H:%M}", "reason": grant.reason}
    return send_mail(subject, body, None, list(admins))


def recent_break_glass(organisation, days: int = 30):
    """Emergency accesses to ``organisation``'s cases, for its admins' home page."""
    since = timezone.now() - timedelta(days=days)
    return BreakGlass.objects.filter(case__owner=organisation, started__gte=since).select_related(
        "user", "organisation", "case")


def break_glass_rows(user, organisation) -> list[dict]:
    """The home panel of an organisation's admins: who opened which of its cases in an emergency, and why."""
    if not user.memberships.filter(organisation=organisation, role=Role.ORG_ADMIN).exists():
        return []
    return [{"url": "", "overdue": False, "text": _("%(when)s: %(user)s (%(organisation)s) opened %(reference)s. "
                                                    "Reason: %(reason)s") % {
        "when": f"{timezone.localtime(grant.started):%Y-%m-%d %H:%M}", "user": grant.user.get_username(),
        "organisation": grant.organisation.name, "reference": grant.case.reference, "reason": grant.reason}}
        for grant in recent_break_glass(organisation)[:20]]
