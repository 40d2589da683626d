"""A child's guardian and the assessment of a doubtful age: the rules, without HTTP (ADR 0036 §6).

Who acts is decided here, from the actor's seats and what their organisation holds of the case:

- the guardianship service (an organisation of kind ``guardianship``) that holds the child's case (it
  owns it, as Nidos does in the Netherlands, or accepted the child's referral, or holds the share of a
  guardian it appointed) appoints one of its members with the role ``guardian``, replaces or ends the
  appointment;
- any organisation that sees the case's facts may raise a doubt about age; the assessment is held by
  the guardianship service that holds the case, else the one the profile routes minors of the case's
  region to, which alone decides it. The outcome sets ``Case.minor`` (and so which of the profile's
  transitions are possible); an undetermined age counts as the profile says
  (``guardianship.undetermined_is_minor``). An adult needs no guardian: the appointment ends, and so do
  the service's shares of the case (its decision stays visible to it, ``access_rules``).

While a guardian or an assessment is open, the service holds a share of its own (reason ``guardian``), so
that what it must do does not depend on the referral that brought the case (the referrer may revoke it).
The audit trail of these steps is the case's own, as for the whole case chain (CONVENTIONS.md): the
timeline line and the models' history (who, when, what changed).

Each write is one transaction on the locked case: a timeline line (``TimelineEvent.GUARDIAN`` /
``AGE_ASSESSMENT``), the models' history, a new case version, and a notice to whoever must act next.
Refusals are ``haven.core.errors`` and change nothing: ``Invalid`` (a field at fault), ``Refused`` (not
allowed now, ``code`` says why), ``StaleEdit`` (someone saved in between: 409).
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.access.context import context_for
from haven.access.scope import KIND_PARTS, OWNER_ONLY, ROLE_PARTS, parts_for, seats
from haven.cases.actions.common import acting_organisation, log
from haven.cases.models import Case, CaseShare, Referral, ShareReason, TimelineEvent
from haven.core.actor import Actor
from haven.core.errors import Invalid, Refused, StaleEdit
from haven.jurisdictions.models import Region
from haven.jurisdictions.routing import NoRoute, route
from haven.notifications.services import notify_organisation, notify_user, register_kind
from haven.organisations.models import Organisation, User
from haven.organisations.roles import OrganisationKind, Role

from .models import AgeAssessment, GuardianAppointment, GuardianshipPolicy

Outcome = AgeAssessment.Outcome
DECIDED = (Outcome.MINOR, Outcome.ADULT, Outcome.UNDETERMINED)
# The roles of a guardianship service that work on cases (every role that sees some part of a case).
CASEWORK_ROLES = tuple(role for role, parts in ROLE_PARTS.items() if parts)

# --- notices (registered from ``apps.GuardianshipConfig.ready``) ---------------------------------

GUARDIAN_APPOINTED = "guardian_appointed"
GUARDIANSHIP_ENDED = "guardianship_ended"
AGE_ASSESSMENT_OPENED = "age_assessment_opened"
AGE_ASSESSED = "age_assessed"
NOTICES = {
    GUARDIAN_APPOINTED: gettext_lazy("You were appointed guardian of the child of case %(case)s."),
    GUARDIANSHIP_ENDED: gettext_lazy("Your guardianship of the child of case %(case)s ended on %(date)s."),
    AGE_ASSESSMENT_OPENED: gettext_lazy("A doubt about the age of the person of case %(case)s waits for your "
                                        "organisation's assessment."),
    AGE_ASSESSED: gettext_lazy("The age of the person of case %(case)s was assessed: %(outcome)s."),
}


def _outcome_label(value) -> str:
    return str(Outcome(value).label) if value in Outcome.values else str(value)


def register_notices() -> None:
    for kind, sentence in NOTICES.items():
        register_kind(kind, sentence, labels={"outcome": _outcome_label} if kind == AGE_ASSESSED else None)


# --- who ---------------------------------------------------------------------------------------


def _user(actor):
    """The chain's actions take the acting user; an ``Actor`` (a view's or a command's) is accepted too."""
    return actor.user if isinstance(actor, Actor) else actor


def _casework_organisations(user, *, kind: str | None = None) -> list[int]:
    return [s.organisation_id for s in seats(user) if s.parts and (kind is None or s.kind == kind)]


def _holders(case, organisation_ids) -> set[int]:
    """Which of ``organisation_ids`` hold ``case`` for its guardianship: the owner, the organisation of an
    accepted referral, or one holding the share of a guardian it appointed."""
    held = {case.owner_id} & set(organisation_ids)
    held |= set(Referral.objects.filter(case=case, to_organisation_id__in=organisation_ids,
                                        status=Referral.Status.ACCEPTED).values_list("to_organisation_id", flat=True))
    held |= set(CaseShare.objects.filter(case=case, organisation_id__in=organisation_ids, reason=ShareReason.GUARDIAN,
                                         revoked_at__isnull=True).values_list("organisation_id", flat=True))
    return held


def service_of(user, case):
    """The guardianship service through which ``user`` appoints the guardian of ``case`` (None: they may not)."""
    mine = _casework_organisations(user, kind=OrganisationKind.GUARDIANSHIP)
    if not mine or "summary" not in parts_for(user, case):
        return None
    held = _holders(case, mine)
    return next((context_for(user).organisation(pk) for pk in mine if pk in held), None)


def assessing_organisation(case):
    """The guardianship service that assesses a doubt about the age of ``case``'s person: the one holding
    the case, else the one the profile routes the minors of its region to."""
    services = Organisation.objects.filter(jurisdiction_id=case.jurisdiction_id, kind=OrganisationKind.GUARDIANSHIP,
                                           active=True).order_by("slug")
    held = _holders(case, list(services.values_list("pk", flat=True)))
    for organisation in services:
        if organisation.pk in held:
            return organisation
    region = case.region or Region.objects.filter(jurisdiction_id=case.jurisdiction_id, is_national=True).first()
    try:
        routed = route(region, minor=True).guardianship if region is not None else None
    except NoRoute:
        routed = None
    if routed is None or not routed.active:
        raise Refused(_("The profile names no guardianship service for this case."), "no_guardianship")
    return routed


def may_decide(user, assessment) -> bool:
    return assessment.organisation_id in _casework_organisations(user)


def may_raise_doubt(user, case) -> bool:
    return "facts" in parts_for(user, case)


def guardians(organisation):
    """The members of ``organisation`` who may be appointed guardian."""
    return (User.objects.filter(is_active=True, memberships__organisation=organisation,
                                memberships__role=Role.GUARDIAN).distinct().order_by("last_name", "first_name", "pk"))


def guardian_of(case) -> User | None:
    """The guardian appointed now for the child of ``case`` (None: none is). The request engine asks it
    who co-signs the child's requests."""
    appointment = (GuardianAppointment.objects.filter(case_id=getattr(case, "pk", case), ended_on__isnull=True)
                   .select_related("guardian").first())
    return appointment.guardian if appointment is not None else None


def name_of(user) -> str:
    """How a guardian is named to the people working with them (a member of staff, not the child)."""
    return user.get_full_name() or user.get_username()


# --- checks ------------------------------------------------------------------------------------


def _date(on, field: str = "on", *, not_before: datetime.date | None = None) -> datetime.date:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise Invalid(field_errors={field: [_("This date is in the future.")]}, code="date_in_future")
    if not_before is not None and on < not_before:
        raise Invalid(field_errors={field: [_("This date is before %(date)s, the previous step.") % {
            "date": not_before.isoformat()}]}, code="date_before_previous_step")
    return on


def _lock(case, expected_version: int | None):
    """The case, locked for this transaction; ``StaleEdit`` when it changed since ``expected_version``."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit()
    if locked.closed_at is not None:
        raise Refused(_("The case is closed."), "closed")
    return locked


def _open_share(case, organisation, actor_user):
    """The service's own share while a guardian or an assessment is open: what its kind may see (never the
    shelter), whatever happens to the referral that brought the case. None for the owner."""
    if organisation.pk == case.owner_id:
        return None
    parts = KIND_PARTS.get(organisation.kind, frozenset()) - OWNER_ONLY
    share = CaseShare.objects.filter(case=case, organisation=organisation, reason=ShareReason.GUARDIAN,
                                     revoked_at__isnull=True).first()
    if share is None:
        share = CaseShare(case=case, organisation=organisation, reason=ShareReason.GUARDIAN, granted_by=actor_user)
    elif parts <= share.part_set:
        return share
    share.part_set = set(share.part_set) | parts
    share.save()
    return share


def _close_share_if_done(case, organisation, actor_user) -> None:
    """Revoke the service's share once it has neither a guardian nor an assessment open for the case."""
    if GuardianAppointment.objects.filter(case=case, organisation=organisation, ended_on__isnull=True).exists():
        return
    if AgeAssessment.objects.filter(case=case, organisation=organisation, outcome=Outcome.PENDING).exists():
        return
    for share in CaseShare.objects.filter(case=case, organisation=organisation, reason=ShareReason.GUARDIAN,
                                          revoked_at__isnull=True):
        share.revoked_at, share.revoked_by = timezone.now(), actor_user
        share.save(update_fields=["revoked_at", "revoked_by"])


def _end_guardianship_referrals(case, organisation, actor_user) -> None:
    """An adult needs no guardian: the shares the service holds through the case's guardianship referrals end."""
    for referral in Referral.objects.filter(case=case, to_organisation=organisation, status=Referral.Status.ACCEPTED,
                                            purpose=Referral.Purpose.GUARDIANSHIP, share__revoked_at__isnull=True,
                                            share__isnull=False).select_related("share"):
        share = referral.share
        share.revoked_at, share.revoked_by = timezone.now(), actor_user
        share.save(update_fields=["revoked_at", "revoked_by"])


def _page(case) -> str:
    return reverse("guardianship-case", args=[case.pk])


def _bump(case, fields=()) -> None:
    case.save_versioned(case.version, list(fields))


# --- the guardian --------------------------------------------------------------------------------


def appoint_guardian(actor, case, guardian, *, on: datetime.date | None = None,
                     expected_version: int | None = None) -> GuardianAppointment:
    """Appoint ``guardian`` (a member of the service with the role guardian) for the child of ``case``;
    the guardian appointed until now, if any, is replaced."""
    user = _user(actor)
    service = service_of(user, case)
    if service is None:
        raise Refused(_("Only the guardianship service that holds the child's case appoints a guardian."),
                      "not_entitled")
    if guardian is None or not guardians(service).filter(pk=guardian.pk).exists():
        raise Invalid(field_errors={"guardian": [_("Choose a guardian of %(service)s.") % {"service": service.name}]},
                      code="not_a_guardian")
    with transaction.atomic():
        locked = _lock(case, expected_version)
        if not locked.minor:
            raise Refused(_("Only a minor gets a guardian."), "not_minor")
        current = GuardianAppointment.objects.select_for_update().filter(case=locked, ended_on__isnull=True).first()
        on = _date(on, not_before=current.appointed_on if current else None)
        if current is not None and current.guardian_id == guardian.pk:
            raise Refused(_("%(name)s is already the child's guardian.") % {"name": name_of(guardian)},
                          "already_guardian")
        if current is not None:
            _end(current, user, on, "replaced")  # a key of ``models.END_REASONS``
        appointment = GuardianAppointment(case=locked, organisation=service, guardian=guardian, appointed_on=on,
                                          appointed_by=user)
        appointment._history_user = user
        appointment.save()
        _open_share(locked, service, user)
        _bump(locked)
        log(locked, TimelineEvent.GUARDIAN, on=on, actor=user, organisation=service, part="summary",
            change="appointed", appointment=appointment.pk, guardian=name_of(guardian), service=service.name,
            replaced=name_of(current.guardian) if current else "")
        notify_user(guardian, GUARDIAN_APPOINTED, params={"case": locked.reference}, url=_page(locked),
                    key=f"guardian:{appointment.pk}", organisation=service)
    case.refresh_from_db()
    return appointment


def _end(appointment, user, on, reason) -> None:
    appointment.ended_on, appointment.end_reason = on, reason[:200]
    appointment._history_user = user
    appointment.save(update_fields=["ended_on", "end_reason"])
    notify_user(appointment.guardian, GUARDIANSHIP_ENDED, params={"case": appointment.case.reference, "date": on},
                url=_page(appointment.case), key=f"guardian-ended:{appointment.pk}",
                organisation=appointment.organisation)


def end_guardianship(actor, appointment, reason: str, *, on: datetime.date | None = None,
                     expected_version: int | None = None) -> GuardianAppointment:
    """End a guardian's appointment (the child came of age, left the country, …) without appointing another."""
    user = _user(actor)
    case = appointment.case
    service = service_of(user, case)
    if service is None or service.pk != appointment.organisation_id:
        raise Refused(_("Only the guardianship service that appointed the guardian ends the guardianship."),
                      "not_entitled")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(field_errors={"reason": [_("Say why the guardianship ends.")]}, code="reason_required")
    with transaction.atomic():
        locked = _lock(case, expected_version)
        current = GuardianAppointment.objects.select_for_update().filter(pk=appointment.pk).first()
        if current is None or current.ended_on is not None:
            raise Refused(_("This guardianship has already ended."), "ended")
        on = _date(on, not_before=current.appointed_on)
        _end(current, user, on, reason)
        _close_share_if_done(locked, current.organisation, user)
        _bump(locked)
        log(locked, TimelineEvent.GUARDIAN, on=on, actor=user, organisation=current.organisation, part="summary",
            change="ended", appointment=current.pk, guardian=name_of(current.guardian), reason=reason)
    appointment.refresh_from_db()
    return appointment


# --- the age -------------------------------------------------------------------------------------


def open_age_assessment(actor, case, doubt: str, *, on: datetime.date | None = None) -> AgeAssessment:
    """Raise a doubt about the age of ``case``'s person: the guardianship service assesses it."""
    user = _user(actor)
    raised_by = acting_organisation(user, case, part="facts") if may_raise_doubt(user, case) else None
    if raised_by is None:
        raise Refused(_("Your organisation does not see this case's facts."), "not_entitled")
    doubt = (doubt or "").strip()
    if not doubt:
        raise Invalid(field_errors={"doubt": [_("Say why the age is in doubt.")]}, code="doubt_required")
    on = _date(on)
    with transaction.atomic():
        locked = _lock(case, None)
        if AgeAssessment.objects.filter(case=locked, outcome=Outcome.PENDING).exists():
            raise Refused(_("An age assessment of this case is already waiting for a decision."), "pending")
        assessing = assessing_organisation(locked)
        assessment = AgeAssessment(case=locked, organisation=assessing, opened_on=on, opened_by=user,
                                   opened_by_organisation=raised_by, doubt=doubt)
        assessment._history_user = user
        assessment.save()
        _open_share(locked, assessing, user)
        _bump(locked)
        log(locked, TimelineEvent.AGE_ASSESSMENT, on=on, actor=user, organisation=raised_by, part="facts",
            change="opened", assessment=assessment.pk, assessed_by=assessing.name)
        notify_organisation(assessing, AGE_ASSESSMENT_OPENED, params={"case": locked.reference}, url=_page(locked),
                            key=f"age-assessment:{assessment.pk}", roles=CASEWORK_ROLES)
    case.refresh_from_db()
    return assessment


def _year(estimated_birth_year, outcome, on) -> int | None:
    if estimated_birth_year in (None, ""):
        return None
    try:
        year = int(estimated_birth_year)
    except (TypeError, ValueError):
        year = 0
    if not on.year - 100 <= year <= on.year:
        raise Invalid(field_errors={"estimated_birth_year": [_("Give a year between %(first)s and %(last)s.") % {
            "first": on.year - 100, "last": on.year}]}, code="birth_year")
    age = on.year - year  # the age reached in the year of the decision
    if (outcome == Outcome.MINOR and age > 18) or (outcome == Outcome.ADULT and age < 18):
        raise Invalid(field_errors={"estimated_birth_year": [
            _("This year of birth does not fit the outcome %(outcome)s.") % {"outcome": _outcome_label(outcome)}]},
            code="birth_year_outcome")
    return year


def _counts_as_minor(case, outcome) -> bool:
    if outcome == Outcome.MINOR:
        return True
    if outcome == Outcome.ADULT:
        return False
    policy = GuardianshipPolicy.objects.filter(jurisdiction_id=case.jurisdiction_id).first()
    if policy is None:
        raise Refused(_("The jurisdiction's profile does not say how an undetermined age counts."), "no_policy")
    return policy.undetermined_is_minor


def decide_age_assessment(actor, assessment, outcome: str, *, on: datetime.date | None = None,
                          estimated_birth_year: int | None = None, note: str = "",
                          expected_version: int | None = None) -> AgeAssessment:
    """Settle the doubt: minor, adult or undetermined (as the profile says). The case's ``minor`` follows,
    and with it the procedure's path; an adult's guardianship ends."""
    user = _user(actor)
    if not may_decide(user, assessment):
        raise Refused(_("Only the guardianship service that holds the assessment decides it."), "not_entitled")
    if outcome not in DECIDED:
        raise Invalid(field_errors={"outcome": [_("Choose minor, adult or undetermined.")]}, code="outcome")
    on = _date(on, not_before=assessment.opened_on)
    year = _year(estimated_birth_year, outcome, on)
    with transaction.atomic():
        locked = _lock(assessment.case, None)
        current = AgeAssessment.objects.select_for_update().get(pk=assessment.pk)
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit()
        if current.outcome != Outcome.PENDING:
            raise Refused(_("This age assessment was already decided."), "decided")
        minor = _counts_as_minor(locked, outcome)
        current.outcome, current.decided_on, current.decided_by = outcome, on, user
        current.estimated_birth_year, current.note = year, (note or "").strip()
        current.version += 1
        current._history_user = user
        current.save()
        fields = []
        if locked.minor != minor:
            locked.minor = minor
            fields.append("minor")
        if not minor:
            if locked.unaccompanied:
                locked.unaccompanied = False
                fields.append("unaccompanied")
            ended = GuardianAppointment.objects.select_for_update().filter(case=locked, ended_on__isnull=True).first()
            if ended is not None:
                reason = "adult"  # a key of ``models.END_REASONS``
                _end(ended, user, max(on, ended.appointed_on), reason)
                log(locked, TimelineEvent.GUARDIAN, on=on, actor=user, organisation=ended.organisation,
                    part="summary", change="ended", appointment=ended.pk, guardian=name_of(ended.guardian),
                    reason=reason)
            _close_share_if_done(locked, current.organisation, user)  # a minor's service goes on to appoint
            _end_guardianship_referrals(locked, current.organisation, user)
        _bump(locked, fields)
        log(locked, TimelineEvent.AGE_ASSESSMENT, on=on, actor=user, organisation=current.organisation, part="facts",
            change="decided", assessment=current.pk, outcome=outcome, minor=minor, estimated_birth_year=year)
        notify_organisation(current.opened_by_organisation, AGE_ASSESSED,
                            params={"case": locked.reference, "outcome": outcome}, url=_page(locked),
                            key=f"age-assessed:{current.pk}", roles=CASEWORK_ROLES)
    assessment.refresh_from_db()
    assessment.case.refresh_from_db()
    return assessment
