"""Referrals, transfers and assignments (one model): consent, routing, accept / decline, revoke.

While a referral waits, the organisation it was sent to holds a share of the parts it needs to decide
(``PREVIEW_PARTS``: the summary and the facts, never the identity), so that its home page and the answer
page show the case; declining or revoking it takes that share back. Accepting a reception referral or a
transfer moves the case to the centre (``Case.owner``: the centre then sees every part, the shelter too)
and leaves the referring organisation a share of the parts the profile names (``referrer_keeps``);
accepting a guardianship referral or an assignment widens the share to what the kind may see.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access.scope import KIND_PARTS, seats
from haven.jurisdictions.routing import NoRoute, route

from ..models import Case, CaseShare, Referral, ShareReason
from . import deadlines
from .common import Refused, TimelineEvent, acting_organisation, bump, log, today
from .predicates import holds
from .procedure import apply_transition, spec_for

# What the organisation a referral waits for sees of the case while it decides (∩ what its kind may see):
# enough to judge whether it can take the person in, nothing that identifies them (DESIGN.md §3).
PREVIEW_PARTS = frozenset({"summary", "facts"})


def _spec(case):
    return spec_for(case.jurisdiction)


def _open_preview(case, to, actor):
    """The share that lets ``to`` read the case while the referral waits (None when it needs none)."""
    parts = PREVIEW_PARTS & KIND_PARTS.get(to.kind, frozenset())
    if to.pk == case.owner_id or not parts:
        return None
    if CaseShare.objects.filter(case=case, organisation=to, reason=ShareReason.REFERRAL,
                                revoked_at__isnull=True).exists():
        return None  # it already takes part through another referral
    grant = CaseShare(case=case, organisation=to, reason=ShareReason.REFERRAL, granted_by=actor,
                      note="referral waiting for an answer")
    grant.part_set = parts
    grant.save()
    return grant


def _revoke(share, actor) -> None:
    share.revoked_at, share.revoked_by = timezone.now(), actor
    share.save(update_fields=["revoked_at", "revoked_by"])


def _release(referral, actor) -> None:
    """The referral no longer needs its share: another referral still waiting for the same organisation
    takes it over, narrowed to the preview; otherwise it is revoked."""
    share = CaseShare.objects.filter(pk=referral.share_id, revoked_at__isnull=True).first()
    if share is None:
        return
    waiting = Referral.objects.filter(case_id=referral.case_id, to_organisation_id=referral.to_organisation_id,
                                      status=Referral.Status.PENDING, share__isnull=True).exclude(pk=referral.pk)
    heir = waiting.order_by("referred_on", "pk").first()
    preview = PREVIEW_PARTS & KIND_PARTS.get(share.organisation.kind, frozenset())
    if heir is not None and preview:
        share.part_set = preview
        share.save(update_fields=["parts_mask"])
        heir.share = share
        heir.save(update_fields=["share"])
        return
    _revoke(share, actor)


def refer(actor, case, to, *, kind: str = "referral", purpose: str = "reception", consent: str = "given",
          override_reason: str = "", note: str = "", on: datetime.date | None = None):
    """Refer ``case`` to organisation ``to``. Without the person's consent (``consent="overridden"``) a
    reason is required and the profile must allow it (``consent_override_when``)."""
    on = on or today()
    organisation = acting_organisation(actor, case)
    if organisation is None:
        raise Refused(_("Your organisation may not refer this case."), "not_entitled")
    if case.closed_at:
        raise Refused(_("A closed case cannot be referred."), "closed")
    if to.jurisdiction_id != case.jurisdiction_id:
        raise Refused(_("The organisation is not in the case's jurisdiction."), "jurisdiction")
    if to.pk == case.owner_id and kind != Referral.Kind.ASSIGNMENT:
        raise Refused(_("The case already belongs to that organisation."), "owner")
    if kind not in Referral.Kind.values or purpose not in Referral.Purpose.values:
        raise Refused(_("Unknown kind or purpose of referral."), "kind")
    if consent not in Referral.Consent.values:
        raise Refused(_("Record the person's consent."), "consent")
    spec = _spec(case)
    if consent == Referral.Consent.OVERRIDDEN:
        if not override_reason.strip():
            raise Refused(_("Say why the referral goes ahead without the person's consent."), "consent")
        if not any(holds(condition, case) for condition in spec.consent_override_when):
            raise Refused(_("The profile does not allow a referral without consent for this case."), "consent")
    with transaction.atomic():
        # The duplicate check runs under the case's lock: two referrals sent at the same moment cannot
        # both find none waiting.
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.closed_at:
            raise Refused(_("A closed case cannot be referred."), "closed")
        if Referral.objects.filter(case=locked, to_organisation=to, purpose=purpose,
                                   status=Referral.Status.PENDING).exists():
            raise Refused(_("A referral to that organisation is already waiting for an answer."), "duplicate")
        referral = Referral.objects.create(
            case=locked, kind=kind, purpose=purpose, from_organisation=organisation, to_organisation=to,
            consent=consent, consent_override_by=actor if consent == Referral.Consent.OVERRIDDEN else None,
            consent_override_reason=override_reason if consent == Referral.Consent.OVERRIDDEN else "",
            note=note, referred_by=actor, referred_on=on,
            answer_due=on + datetime.timedelta(days=spec.referral_answer_days))
        preview = _open_preview(locked, to, actor)
        if preview is not None:
            referral.share = preview
            referral.save(update_fields=["share"])
        bump(locked, [])
        log(locked, TimelineEvent.REFERRAL, on=on, actor=actor, organisation=organisation, part="summary",
            referral=referral.pk, kind=kind, purpose=purpose, to=to.name, consent=consent)

        deadlines.refresh(locked, spec, on)
    case.refresh_from_db()
    return referral


def route_case(actor, case, *, consent: str = "given", override_reason: str = "", on=None) -> list:
    """Refer the case to the competent centre of its region (minors: the child centre and the
    guardianship service), as the profile's routes say. Returns the referrals made."""
    try:
        routing = route(case.region, minor=case.minor)
    except NoRoute as exc:
        raise Refused(str(exc), "no_route") from None
    made = []
    with transaction.atomic():  # a child's two referrals (centre and guardianship) go together or not at all
        if routing.centre.pk != case.owner_id:
            made.append(refer(actor, case, routing.centre, consent=consent, override_reason=override_reason, on=on))
        if routing.guardianship is not None and routing.guardianship.pk != routing.centre.pk:
            made.append(refer(actor, case, routing.guardianship, purpose="guardianship", consent=consent,
                              override_reason=override_reason, on=on))
    return made


def _member_of(actor, organisation) -> bool:
    return any(s.organisation_id == organisation.pk and s.parts for s in seats(actor))


def _pending(referral, *, stored: bool = False):
    """Refuse an answered referral. ``stored``: read its status again (under the case's lock, which every
    answer takes first, so two answers given at the same moment cannot both pass)."""
    status = (Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).first()
              if stored else referral.status)
    if status != Referral.Status.PENDING:
        raise Refused(_("This referral was already answered."), "answered")


def accept_referral(actor, referral, *, on: datetime.date | None = None, note: str = ""):
    """Accept as a member of the receiving organisation. Reception referrals and transfers move the case
    to it (and apply the profile's ``intake_action`` if the state allows); the rest give a share."""
    on = on or today()
    if not _member_of(actor, referral.to_organisation):
        raise Refused(_("Only the organisation the case was referred to can accept it."), "not_entitled")
    _pending(referral)
    spec = _spec(referral.case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=referral.case_id)
        _pending(referral, stored=True)
        to = referral.to_organisation
        moves = referral.kind == Referral.Kind.TRANSFER or (
            referral.kind == Referral.Kind.REFERRAL and referral.purpose == Referral.Purpose.RECEPTION)
        fields = []
        preview = CaseShare.objects.filter(pk=referral.share_id, revoked_at__isnull=True).first()
        if moves:
            previous = case.owner
            case.owner, case.caseworker = to, actor
            fields += ["owner", "caseworker"]
            keeps = set(spec.referrer_keeps) & KIND_PARTS.get(previous.kind, frozenset())
            if keeps:
                _share(case, previous, keeps, ShareReason.REFERRAL, actor)
            if preview is not None:
                _revoke(preview, actor)  # the centre owns the case now: it sees every part
            referral.owner_changed = True
        else:
            parts = KIND_PARTS.get(to.kind, frozenset()) - {"shelter"}
            reason = ShareReason.ASSIGNMENT if referral.kind == Referral.Kind.ASSIGNMENT else ShareReason.REFERRAL
            if preview is not None and preview.reason != reason:
                _release(referral, actor)  # an assignment is held by a share of its own reason
            referral.share = _share(case, to, parts, reason, actor)
        referral.status, referral.decided_by, referral.decided_on = Referral.Status.ACCEPTED, actor, on
        referral.decision_reason = note
        referral.save()
        bump(case, fields)
        log(case, TimelineEvent.REFERRAL_ACCEPTED, on=on, actor=actor, organisation=to, part="summary",
            referral=referral.pk)

        deadlines.refresh(case, spec, on)
    intake = spec.intake_action
    if moves and intake and any(case.state in t.sources for t in spec.named(intake)):
        apply_transition(actor, case, intake, on=on, organisation=to)
    referral.refresh_from_db()
    return referral


def _share(case, organisation, parts, reason, actor):
    existing = CaseShare.objects.filter(case=case, organisation=organisation, reason=reason,
                                        revoked_at__isnull=True).first()
    if existing:
        existing.part_set = set(existing.part_set) | set(parts)
        existing.save(update_fields=["parts_mask"])
        return existing
    grant = CaseShare(case=case, organisation=organisation, reason=reason, granted_by=actor)
    grant.part_set = parts
    grant.save()
    return grant


def decline_referral(actor, referral, reason: str, *, on: datetime.date | None = None):
    on = on or today()
    if not _member_of(actor, referral.to_organisation):
        raise Refused(_("Only the organisation the case was referred to can decline it."), "not_entitled")
    _pending(referral)
    if not reason.strip():
        raise Refused(_("Give the reason for declining."), "reason")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=referral.case_id)
        _pending(referral, stored=True)
        _release(referral, actor)  # what it read to decide, it reads no more
        referral.status, referral.decided_by, referral.decided_on = Referral.Status.DECLINED, actor, on
        referral.decision_reason = reason
        referral.save()
        bump(case, [])
        log(case, TimelineEvent.REFERRAL_DECLINED, on=on, actor=actor, organisation=referral.to_organisation,
            part="summary", referral=referral.pk, reason=reason)

        deadlines.refresh(case, _spec(case), on)
    return referral


def revoke_referral(actor, referral, reason: str = "", *, on: datetime.date | None = None):
    """Withdraw a referral (by the referring organisation): a pending one is cancelled, an accepted one's
    share is revoked. A referral that moved the case cannot be revoked: transfer the case back."""
    on = on or today()
    if not _member_of(actor, referral.from_organisation):
        raise Refused(_("Only the referring organisation can revoke a referral."), "not_entitled")
    if referral.status not in (Referral.Status.PENDING, Referral.Status.ACCEPTED):
        raise Refused(_("This referral is no longer active."), "inactive")
    if referral.owner_changed:
        raise Refused(_("The case now belongs to the centre; transfer it back instead."), "owner_changed")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=referral.case_id)
        if Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).first() not in (
                Referral.Status.PENDING, Referral.Status.ACCEPTED):
            raise Refused(_("This referral is no longer active."), "inactive")
        _release(referral, actor)
        referral.status, referral.revoked_by, referral.revoked_on = Referral.Status.REVOKED, actor, on
        referral.decision_reason = reason or referral.decision_reason
        referral.save()
        bump(case, [])
        log(case, TimelineEvent.REFERRAL_REVOKED, on=on, actor=actor, organisation=referral.from_organisation,
            part="summary", referral=referral.pk, reason=reason)

        deadlines.refresh(case, _spec(case), on)
    return referral
