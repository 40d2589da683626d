"""Requests between organisations in the victim-status procedure (Aliens Act arts. 61/2–61/5): rules, no HTTP.

    request_document(user, case, kind, *, grounds, district=None, on=None) -> DocumentRequest
    cosign(user, request, *, expected_version=None, on=None)
    confirm(user, request, *, expected_version=None, on=None, note="")
    refuse(user, request, reason, *, expected_version=None, on=None)
    issue(user, request, *, number, commune, valid_from=None, valid_until=None, expected_version=None, on=None)
    withdraw(user, request, reason, *, expected_version=None, on=None)

Which requests exist is the profile's (``procedure.requests``): who may make each (``by``), when a guardian
co-signs it, which action the magistrate's confirmation applies, who decides, how long each stage may wait.
A request goes to the organisations that really act: the guardian (``guardian_of``), the magistrate of
the case's judicial district routed by its forms of exploitation (``competent_magistrate``), the
jurisdiction's deciding office; ``holder`` says who must act now. Each answer is one ``RequestAnswer`` row,
one timeline line and a notice to who acts next; the magistrate's confirmation and the decision are the
profile's procedure steps, applied here and nowhere else (``apply_transition(..., answering=request)``).

Every answer locks the request first (then the case), checks the version the user read (``StaleEdit``,
409: of two people answering at once one wins), then the stage: an answered request (``answered``), a
withdrawn one (``withdrawn``), an organisation that does not hold it (``not_holder``), an answer the
stage does not take (``wrong_stage``) are refused and change nothing. The holder sees the parts of the
case the profile's ``request_shares`` name for its stage, through a ``CaseShare`` (reason ``request``)
that narrows once it answered (``sync_request_shares``).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access.scope import ROLE_PARTS, seats
from haven.cases.actions.common import acting_organisation, bump, log
from haven.cases.actions.predicates import holds
from haven.cases.actions.procedure import Issued, apply_transition, name_of, request_possible, spec_for
from haven.cases.actions.shares import sync_shares
from haven.cases.models import Case, ShareReason, TimelineEvent
from haven.core.errors import Invalid, Refused, StaleEdit
from haven.guardianship.models import GuardianAppointment
from haven.guardianship.services import guardian_of
from haven.jurisdictions.models import JudicialDistrict
from haven.jurisdictions.routing import NoRoute, competent_magistrate
from haven.notifications.services import notify_organisation
from haven.organisations.models import Organisation
from haven.organisations.roles import OrganisationKind

from .models import OPEN_STAGES, DocumentRequest, RequestAnswer, Stage

Outcome = RequestAnswer.Outcome
STAGES = (Stage.COSIGN, Stage.CONFIRM, Stage.DECIDE)

# The notices this app sends (their sentences are registered in ``notices``).
ARRIVED = "request.arrived"
REFUSED = "request.refused"
ISSUED = "request.issued"
WITHDRAWN = "request.withdrawn"


def today() -> datetime.date:
    return timezone.localdate()


def kinds_of(case):
    """The requests the case's profile declares, ``{key: RequestKind}``."""
    return spec_for(case.jurisdiction).requests


def request_kind(case, kind: str):
    found = kinds_of(case).get(kind)
    if found is None:
        raise Refused(_("The procedure has no request “%(kind)s”.") % {"kind": kind}, "unknown_request")
    return found


def request_name(request_or_case, kind: str | None = None) -> str:
    """The request's name in the reader's language (the profile's ``requests.<kind>.name``)."""
    case = getattr(request_or_case, "case", request_or_case)
    return name_of(spec_for(case.jurisdiction), "request", kind or request_or_case.kind)


def _kind_names(kinds) -> str:
    labels = dict(OrganisationKind.choices)
    return ", ".join(str(labels.get(k, k)) for k in sorted(kinds))


# --- who holds what: the stages ------------------------------------------------------------------


def stages_of(case, rk) -> list[str]:
    """The stages a request of kind ``rk`` goes through for ``case`` (a stage the profile does not ask
    for is skipped): a guardian's co-signature when ``cosign.when`` holds, the magistrate's confirmation
    when the kind names one, the decision always."""
    stages = []
    if rk.cosigned and all(holds(condition, case) for condition in rk.cosign_when):
        stages.append(Stage.COSIGN)
    if rk.confirm:
        stages.append(Stage.CONFIRM)
    stages.append(Stage.DECIDE)
    return stages


def _guardian_seat(case, rk):
    """The child's guardian and the organisation (of a ``cosign.by`` kind) they co-sign for."""
    guardian = guardian_of(case)
    organisation = None
    if guardian is not None:
        organisation = Organisation.objects.filter(
            memberships__user=guardian, kind__in=rk.cosign_by, jurisdiction_id=case.jurisdiction_id,
            active=True).order_by("slug").first()
    if organisation is None:
        raise Refused(_("The child has no guardian yet: the guardian co-signs this request, so the guardianship "
                        "service appoints one first."), "no_guardian")
    return guardian, organisation


def _deciding_office(case, rk):
    office = Organisation.objects.filter(jurisdiction_id=case.jurisdiction_id, kind__in=rk.decide_by,
                                         active=True).order_by("slug").first()
    if office is None:
        raise Refused(_("No active organisation of this jurisdiction decides this request (%(kinds)s).") % {
            "kinds": _kind_names(rk.decide_by)}, "no_deciding_office")
    return office


def _district(case, district) -> JudicialDistrict | None:
    """The judicial district that routes the request: the case's, or the one given when the case has none."""
    if district in (None, ""):
        return case.district
    if not isinstance(district, JudicialDistrict):
        district = JudicialDistrict.objects.filter(jurisdiction_id=case.jurisdiction_id, code=str(district)).first()
    if district is None or district.jurisdiction_id != case.jurisdiction_id:
        raise Invalid(field_errors={"district": [_("Choose a judicial district of the case's jurisdiction.")]},
                      code="unknown_district")
    if case.district_id and case.district_id != district.pk:
        raise Invalid(field_errors={"district": [_("The case's judicial district is already %(district)s.") % {
            "district": case.district}]}, code="district_set")
    return district


def _magistrate(case, district):
    if district is None:
        raise Invalid(field_errors={"district": [
            _("Give the case's judicial district: it routes the request to the competent magistrate.")]},
            code="district_missing")
    try:
        return competent_magistrate(district, case.form_set)
    except NoRoute:
        raise Refused(_("The profile routes no magistrate for the district %(district)s.") % {
            "district": district}, "no_magistrate") from None


def holder_for(request, stage: str, rk=None):
    """The organisation that holds ``request`` at ``stage``."""
    if stage == Stage.CONFIRM:
        return request.magistrate_office
    if stage == Stage.DECIDE:
        return request.immigration_office
    _guardian, organisation = _guardian_seat(request.case, rk or request_kind(request.case, request.kind))
    return organisation


def _move_to(request, stage: str, on: datetime.date, rk) -> None:
    request.stage = stage
    request.holder = holder_for(request, stage, rk)
    request.due_on = on + datetime.timedelta(days=rk.answer_days[stage])


def _close(request, stage: str, on: datetime.date) -> None:
    request.stage, request.holder, request.due_on, request.closed_on = stage, None, None, on


def _next_stage(request, rk) -> str:
    stages = stages_of(request.case, rk)
    position = stages.index(request.stage) if request.stage in stages else -1
    return stages[position + 1]


# --- what each organisation sees: the request's shares -------------------------------------------


def sync_request_shares(case, user=None) -> None:
    """Make the case's ``request`` shares match its requests: the holder of an open request sees the
    profile's ``open`` parts for its stage; an organisation that answered keeps the ``after`` parts
    (none: its share ends). The owning organisation needs none; a share never carries more than the
    organisation's kind may see, nor the owner-only parts."""
    spec = spec_for(case.jurisdiction)
    desired: dict[int, set] = {}
    requests = DocumentRequest.objects.filter(case=case).prefetch_related("answers")
    for request in requests:
        for answer in request.answers.all():
            share = spec.request_shares.get(answer.stage)
            if share is not None and answer.outcome != Outcome.WITHDRAWN:
                desired.setdefault(answer.organisation_id, set()).update(share.after)
        if request.stage in OPEN_STAGES and request.holder_id:
            share = spec.request_shares.get(request.stage)
            if share is not None:
                desired.setdefault(request.holder_id, set()).update(share.open)
    sync_shares(case, ShareReason.REQUEST, desired, user, note="request")


# --- notices --------------------------------------------------------------------------------------


def acting_roles() -> list[str]:
    """The roles that work on cases (they see a case's summary): who may answer a request."""
    return sorted(role for role, parts in ROLE_PARTS.items() if "summary" in parts)


def request_url(request) -> str:
    return reverse("residence-request", args=[request.pk])


def _notify(organisation, kind: str, request, key: str) -> None:
    if organisation is None:
        return
    notify_organisation(organisation, kind, url=request_url(request), key=f"request:{request.pk}:{key}",
                        roles=acting_roles(),
                        params={"case": request.case.reference, "date": request.due_on,
                                "request": f"{request.case.jurisdiction.code}/{request.kind}"})


# --- making a request -----------------------------------------------------------------------------


def _date(on: datetime.date | None, *, after: datetime.date | None = None) -> datetime.date:
    on = on or today()
    if on > today():
        raise Refused(_("A request or an answer cannot be dated in the future."), "date")
    if after is not None and on < after:
        raise Refused(_("This answer cannot be dated before the request's last step (%(date)s).") % {
            "date": after.isoformat()}, "date")
    return on


def requestable(user, case) -> list:
    """The requests ``user`` may make on ``case`` now, as ``(RequestKind, refusal or "")``: the kinds their
    organisations may make, each with why the case does not allow it now (empty when it does)."""
    spec = spec_for(case.jurisdiction)
    mine = {s.kind for s in seats(user) if "summary" in s.parts}
    result = []
    for rk in spec.requests.values():
        if not rk.by & mine:
            continue
        try:
            request_possible(case, rk.action, assume=_assumed(spec, rk), spec=spec)
            if rk.confirm:
                request_possible(case, rk.confirm, spec=spec)
        except Refused as refusal:
            result.append((rk, refusal.message))
        else:
            result.append((rk, ""))
    return result


def _assumed(spec, rk) -> frozenset[str]:
    """The facts the request's confirmation will set: a request need not wait for them."""
    if not rk.confirm:
        return frozenset()
    return frozenset(fact for t in spec.named(rk.confirm) for fact in t.sets)


def request_document(user, case, kind: str, *, grounds: str, district=None, on: datetime.date | None = None):
    """Request a document (or an extension, a renewal, unlimited residence) for ``case`` as an organisation
    the profile entitles, stating what it rests on. Returns the ``DocumentRequest``."""
    spec = spec_for(case.jurisdiction)
    rk = request_kind(case, kind)
    on = _date(on)
    requester = acting_organisation(user, case, kinds=rk.by)
    if requester is None:
        raise Refused(_("Your organisation may not request the %(request)s; it is for: %(kinds)s.") % {
            "request": request_name(case, kind), "kinds": _kind_names(rk.by)}, "not_entitled")
    grounds = (grounds or "").strip()
    if not grounds:
        raise Invalid(field_errors={"grounds": [_("Say what the request rests on.")]}, code="grounds_missing")
    with transaction.atomic():
        locked = (Case.objects.select_for_update(of=("self",)).select_related("jurisdiction", "district")
                  .get(pk=case.pk))
        if locked.closed_at:
            raise Refused(_("A closed case takes no new request."), "closed")
        request_possible(locked, rk.action, assume=_assumed(spec, rk), spec=spec)
        if rk.confirm:
            request_possible(locked, rk.confirm, spec=spec)
        open_request = DocumentRequest.objects.filter(case=locked, stage__in=OPEN_STAGES).first()
        if open_request is not None:
            raise Refused(_("The request for the %(request)s is still open: answer or withdraw it first.") % {
                "request": request_name(open_request)}, "open_request")
        chosen = _district(locked, district)
        magistrate = _magistrate(locked, chosen) if rk.confirm else None
        office = _deciding_office(locked, rk)
        fields = []
        if chosen is not None and locked.district_id is None:
            locked.district = chosen
            fields.append("district")
        request = DocumentRequest(case=locked, kind=kind, action=rk.action, grounds=grounds, requested_by=requester,
                                  requested_by_user=user, requested_on=on, magistrate_office=magistrate,
                                  immigration_office=office)
        _move_to(request, stages_of(locked, rk)[0], on, rk)
        request.save()
        bump(locked, fields)
        log(locked, TimelineEvent.REQUEST, on=on, actor=user, organisation=requester, part="summary",
            request=request.pk, kind=kind, step="requested", to=request.holder.name)
        sync_request_shares(locked, user)
        _notify(request.holder, ARRIVED, request, request.stage)
    return request


# --- answering --------------------------------------------------------------------------------------


@dataclass
class Answering:
    """A request locked for an answer, with the organisation that answers it."""
    request: DocumentRequest
    organisation: Organisation
    rk: object
    on: datetime.date


def _last_step(request) -> datetime.date:
    last = request.answers.order_by("-on").values_list("on", flat=True).first()
    return max(filter(None, [request.requested_on, last]))


def _lock(request, expected_version: int | None) -> DocumentRequest:
    locked = DocumentRequest.objects.select_for_update().get(pk=request.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit()
    if locked.stage == Stage.WITHDRAWN:
        raise Refused(_("This request was withdrawn: it takes no answer."), "withdrawn")
    if locked.stage not in OPEN_STAGES:
        raise Refused(_("This request was already answered."), "answered")
    return locked


def _member_of(user, organisation_id) -> Organisation | None:
    for seat in seats(user):
        if seat.organisation_id == organisation_id and "summary" in seat.parts:
            return Organisation.objects.get(pk=organisation_id)
    return None


def _answering(user, request, expected_version, on, stage: str) -> Answering:
    """Lock ``request`` for an answer at ``stage`` by the organisation that holds it."""
    locked = _lock(request, expected_version)
    organisation = _member_of(user, locked.holder_id)
    if organisation is None:
        raise Refused(_("This request waits for %(holder)s: your organisation cannot answer it now.") % {
            "holder": locked.holder.name}, "not_holder")
    if locked.stage != stage:
        raise Refused(_("This request waits for another answer: %(stage)s.") % {
            "stage": locked.get_stage_display()}, "wrong_stage")
    on = _date(on, after=_last_step(locked))
    return Answering(locked, organisation, request_kind(locked.case, locked.kind), on)


def _answered(answering: Answering, user, outcome: str, reason: str = "") -> RequestAnswer:
    request = answering.request
    return RequestAnswer.objects.create(request=request, stage=request.stage, outcome=outcome,
                                        organisation=answering.organisation, user=user, on=answering.on, reason=reason)


def _save(request) -> None:
    request.version += 1
    request.save()


def _case_line(request, user, organisation, on, step: str, **data) -> None:
    case = Case.objects.select_for_update().get(pk=request.case_id)
    bump(case, [])
    log(case, TimelineEvent.REQUEST, on=on, actor=user, organisation=organisation, part="summary",
        request=request.pk, kind=request.kind, step=step, **data)
    sync_request_shares(case, user)


def _advance(answering: Answering, user, step: str) -> DocumentRequest:
    """Move the request to its next stage after an answer that lets it go on."""
    request = answering.request
    _move_to(request, _next_stage(request, answering.rk), answering.on, answering.rk)
    _save(request)
    _case_line(request, user, answering.organisation, answering.on, step, to=request.holder.name)
    _notify(request.holder, ARRIVED, request, request.stage)
    return request


def _the_guardian(user, answering: Answering) -> None:
    guardian = guardian_of(answering.request.case)
    if guardian is None or guardian.pk != user.pk:
        raise Refused(_("Only the child's guardian co-signs the child's requests, or refuses to."), "not_guardian")


def cosign(user, request, *, expected_version: int | None = None, on: datetime.date | None = None):
    """The child's guardian co-signs the request; it goes on to the magistrate or the deciding office."""
    with transaction.atomic():
        answering = _answering(user, request, expected_version, on, Stage.COSIGN)
        _the_guardian(user, answering)
        _answered(answering, user, Outcome.COSIGNED)
        return _advance(answering, user, "cosigned")


def confirm(user, request, *, expected_version: int | None = None, on: datetime.date | None = None, note: str = ""):
    """The magistrate of the request's office confirms that the person is still treated as a victim, the file
    is open and the person cooperates: the profile's confirmation step, then the deciding office holds it."""
    with transaction.atomic():
        answering = _answering(user, request, expected_version, on, Stage.CONFIRM)
        locked = answering.request
        apply_transition(user, locked.case, answering.rk.confirm, on=answering.on, organisation=answering.organisation,
                         answering=locked)
        _answered(answering, user, Outcome.CONFIRMED, (note or "").strip())
        return _advance(answering, user, "confirmed")


def refuse(user, request, reason: str, *, expected_version: int | None = None, on: datetime.date | None = None):
    """The organisation holding the request refuses it, saying why (shown on the case's timeline)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(request, expected_version)
        stage = locked.stage
        answering = _answering(user, locked, None, on, stage)
        if stage == Stage.COSIGN:
            _the_guardian(user, answering)
        if not reason:
            raise Invalid(field_errors={"reason": [_("Say why the request is refused.")]}, code="reason_missing")
        _answered(answering, user, Outcome.REFUSED, reason)
        _close(locked, Stage.REFUSED, answering.on)
        _save(locked)
        _case_line(locked, user, answering.organisation, answering.on, "refused", stage=stage, reason=reason)
        _notify(locked.requested_by, REFUSED, locked, "refused")
    return locked


def issue(user, request, *, number: str, commune: str, valid_from: datetime.date | None = None,
          valid_until: datetime.date | None = None, expected_version: int | None = None,
          on: datetime.date | None = None):
    """The deciding office decides and issues: the profile's step the request leads to, applied as that
    office, and the document's number, issuing commune and dates (by default the profile's duration from
    the decision). Returns the request, its ``document`` set."""
    number, commune = (number or "").strip(), (commune or "").strip()
    errors = {}
    if not number:
        errors["number"] = [_("Give the document's number.")]
    elif len(number) > 40:
        errors["number"] = [_("A document number has at most 40 characters.")]
    if not commune:
        errors["commune"] = [_("Give the commune that hands the document over.")]
    elif len(commune) > 100:
        errors["commune"] = [_("A commune's name has at most 100 characters.")]
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = [_("A document cannot end before it starts (%(date)s).") % {
            "date": valid_from.isoformat()}]
    with transaction.atomic():
        answering = _answering(user, request, expected_version, on, Stage.DECIDE)
        if errors:
            raise Invalid(field_errors=errors, code="invalid_document")
        locked = answering.request
        step = apply_transition(user, locked.case, locked.action, on=answering.on, organisation=answering.organisation,
                                answering=locked, issued=Issued(number=number, commune=commune,
                                                                issued_by=answering.organisation,
                                                                valid_from=valid_from, valid_until=valid_until))
        _answered(answering, user, Outcome.ISSUED)
        _close(locked, Stage.ISSUED, answering.on)
        locked.document = step.document
        _save(locked)
        _case_line(locked, user, answering.organisation, answering.on, "issued")
        _notify(locked.requested_by, ISSUED, locked, "issued")
    return locked


def withdraw(user, request, reason: str, *, expected_version: int | None = None, on: datetime.date | None = None):
    """The requesting organisation withdraws its open request, saying why; whoever held it is told."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(request, expected_version)
        organisation = _member_of(user, locked.requested_by_id)
        if organisation is None:
            raise Refused(_("Only the organisation that made the request can withdraw it."), "not_requester")
        if not reason:
            raise Invalid(field_errors={"reason": [_("Say why the request is withdrawn.")]}, code="reason_missing")
        on = _date(on, after=_last_step(locked))
        holder, stage = locked.holder, locked.stage
        RequestAnswer.objects.create(request=locked, stage=stage, outcome=Outcome.WITHDRAWN, organisation=organisation,
                                     user=user, on=on, reason=reason)
        _close(locked, Stage.WITHDRAWN, on)
        _save(locked)
        _case_line(locked, user, organisation, on, "withdrawn", stage=stage, reason=reason)
        _notify(holder, WITHDRAWN, locked, "withdrawn")
    return locked


# --- what a user may do now -----------------------------------------------------------------------


def guardians_of(requests) -> dict[int, int]:
    """``{case id: the guardian's user id}`` for the cases of ``requests`` waiting for a co-signature (one
    query for a whole page)."""
    waiting = {r.case_id for r in requests if r.stage == Stage.COSIGN}
    if not waiting:
        return {}
    return dict(GuardianAppointment.objects.filter(case_id__in=waiting, ended_on__isnull=True).values_list(
        "case_id", "guardian_id"))


def answers_open_to(user, request, guardians: dict | None = None) -> list[str]:
    """The answers ``user`` may give ``request`` now: ``cosign``, ``confirm``, ``issue``, ``refuse``,
    ``withdraw`` (the service checks again when they are given). ``guardians``: ``guardians_of`` a page."""
    if request.stage not in OPEN_STAGES:
        return []
    mine = {s.organisation_id for s in seats(user) if "summary" in s.parts}
    result = []
    if request.holder_id in mine:
        if request.stage == Stage.COSIGN:
            guardian_id = (guardians if guardians is not None else guardians_of([request])).get(request.case_id)
            if guardian_id == user.pk:
                result += ["cosign", "refuse"]
        else:
            result += ["confirm" if request.stage == Stage.CONFIRM else "issue", "refuse"]
    if request.requested_by_id in mine:
        result.append("withdraw")
    return result

