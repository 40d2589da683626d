"""The rules of the justice chain (no HTTP). Every function is one transaction.

Who may write (``haven.organisations.roles``): a police ``officer`` of the investigation's owning
organisation or police unit writes investigations and suspects; a ``magistrate`` of a
prosecution organisation writes prosecutions, requisitions, decisions and appeals (of the
prosecutions of their own office). Linking a case needs a writer on the investigation who may
see the case. Refusals raise ``PermissionDenied`` (rules of who) or ``ValidationError`` (rules
of what) and change nothing; a stale ``expected_version`` raises ``haven.cases.models.StaleEdit``.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access.scope import KIND_PARTS, OWNER_ONLY, scope, seats
from haven.cases.models import Case, CaseShare, ShareReason
from haven.core.codes import join_codes, split_codes
from haven.organisations.models import Organisation
from haven.organisations.roles import OrganisationKind, Role

from .access_rules import visible_investigations
from .models import (
    Appeal,
    Appellant,
    CaseLink,
    Charge,
    Decision,
    DecisionCount,
    ExploitationForm,
    Investigation,
    Outcome,
    PersonOutcome,
    ProsecutedCount,
    Prosecution,
    SuspectCount,
)

POLICE_WRITERS = frozenset({Role.OFFICER})
PROSECUTION_WRITERS = frozenset({Role.MAGISTRATE})
BREAKDOWN_FIELDS = ("sex", "age_band", "citizenship")


# --- who may write -----------------------------------------------------------------------------


def _writer_orgs(user, kind: str, roles: frozenset[str]) -> set[int]:
    return {s.organisation_id for s in seats(user) if s.kind == kind and s.role in roles}


def police_orgs(user) -> set[int]:
    return _writer_orgs(user, OrganisationKind.POLICE, POLICE_WRITERS)


def prosecution_orgs(user) -> set[int]:
    return _writer_orgs(user, OrganisationKind.PROSECUTION, PROSECUTION_WRITERS)


def can_write_investigation(user, investigation: Investigation) -> bool:
    return bool(police_orgs(user) & {investigation.owner_id, investigation.police_unit_id})


def can_prosecute(user, investigation: Investigation) -> bool:
    return bool(prosecution_orgs(user)) and visible_investigations(user).filter(pk=investigation.pk).exists()


def can_write_prosecution(user, prosecution: Prosecution) -> bool:
    return prosecution.organisation_id in prosecution_orgs(user)


def can_link(user, investigation: Investigation) -> bool:
    orgs = {investigation.owner_id, investigation.police_unit_id, investigation.prosecution_office_id,
            *investigation.prosecutions.values_list("organisation_id", flat=True)}
    return bool((police_orgs(user) | prosecution_orgs(user)) & orgs)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role in your organisation does not allow this change."))


# --- validation helpers ------------------------------------------------------------------------


def _not_future(field: str, value: datetime.date | None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _codes(field: str, values: Iterable[str], choices) -> str:
    values = list(values or [])
    unknown = set(values) - set(choices.values)
    if unknown:
        raise ValidationError({field: _("Unknown code(s): %(codes)s") % {"codes": ", ".join(sorted(unknown))}})
    return join_codes(values)


def _organisation(pk_or_obj, kind: str, field: str, jurisdiction_id: int) -> Organisation:
    organisation = pk_or_obj if isinstance(pk_or_obj, Organisation) else Organisation.objects.filter(
        pk=pk_or_obj).first()
    if organisation is None or organisation.kind != kind or not organisation.active \
            or organisation.jurisdiction_id != jurisdiction_id:
        raise ValidationError({field: _("Choose an active organisation of the right kind in this jurisdiction.")})
    return organisation


def _breakdown_rows(model, rows: Iterable[dict], **parent) -> list:
    objects = []
    for row in rows:
        obj = model(**parent, **{k: v for k, v in row.items() if k in {*BREAKDOWN_FIELDS, "count", "role",
                                                                         "outcome"}})
        obj.citizenship = (obj.citizenship or "").upper()
        obj.full_clean(exclude=[*parent])
        if obj.count < 1:
            raise ValidationError({"count": _("Count at least one person.")})
        objects.append(obj)
    return objects


def _save_all(objects: list) -> None:
    for obj in objects:  # one by one so that each row has its history record
        obj.save()


# --- investigations ----------------------------------------------------------------------------


@transaction.atomic
def open_investigation(user, *, file_number: str, district, opened: datetime.date, police_unit=None,
                       prosecution_office=None, forms: Iterable[str] = (), owner=None) -> Investigation:
    """Open an investigation owned by the user's police organisation (``owner`` when they have several)."""
    mine = police_orgs(user)
    owner_id = getattr(owner, "pk", owner) or (min(mine) if mine else None)
    _require(owner_id in mine)
    owner = Organisation.objects.get(pk=owner_id)
    police_unit = _organisation(police_unit or owner, OrganisationKind.POLICE, "police_unit", owner.jurisdiction_id)
    if prosecution_office is not None:
        prosecution_office = _organisation(prosecution_office, OrganisationKind.PROSECUTION, "prosecution_office",
                                           owner.jurisdiction_id)
    if district.jurisdiction_id != owner.jurisdiction_id:
        raise ValidationError({"district": _("Choose a district of your jurisdiction.")})
    _not_future("opened", opened)
    file_number = (file_number or "").strip()
    if not file_number:
        raise ValidationError({"file_number": _("Enter the police file number.")})
    if Investigation.objects.filter(police_unit=police_unit, file_number=file_number).exists():
        raise ValidationError({"file_number": _("This police unit already has an investigation with this number.")})
    return Investigation.objects.create(
        file_number=file_number, district=district, opened=opened, police_unit=police_unit, owner=owner,
        prosecution_office=prosecution_office, forms=_codes("forms", forms, ExploitationForm))


@transaction.atomic
def update_investigation(user, investigation: Investigation, expected_version: int, **changes) -> Investigation:
    """Edit ``district``, ``opened``, ``prosecution_office``, ``forms``, ``file_number`` (version-checked)."""
    _require(can_write_investigation(user, investigation))
    allowed = {"district", "opened", "prosecution_office", "forms", "file_number"}
    if set(changes) - allowed:
        raise ValidationError(_("These fields cannot be changed here."))
    jurisdiction_id = investigation.owner.jurisdiction_id
    if "forms" in changes:
        changes["forms"] = _codes("forms", changes["forms"], ExploitationForm)
    if changes.get("prosecution_office") is not None:
        changes["prosecution_office"] = _organisation(changes["prosecution_office"], OrganisationKind.PROSECUTION,
                                                      "prosecution_office", jurisdiction_id)
    if "district" in changes and changes["district"].jurisdiction_id != jurisdiction_id:
        raise ValidationError({"district": _("Choose a district of your jurisdiction.")})
    _not_future("opened", changes.get("opened"))
    if "file_number" in changes:
        changes["file_number"] = (changes["file_number"] or "").strip()
        if not changes["file_number"]:
            raise ValidationError({"file_number": _("Enter the police file number.")})
        if Investigation.objects.filter(police_unit_id=investigation.police_unit_id,
                                        file_number=changes["file_number"]).exclude(pk=investigation.pk).exists():
            raise ValidationError({"file_number": _("This police unit already has an investigation with this "
                                                    "number.")})
    for field, value in changes.items():
        setattr(investigation, field, value)
    investigation.save_versioned(expected_version, list(changes))
    if "prosecution_office" in changes:
        _sync_investigation_shares(investigation, user)
    return investigation


@transaction.atomic
def record_suspects(user, investigation: Investigation, rows: Iterable[dict], replace: bool = False) -> list:
    """Add counted suspects (``sex``, ``age_band``, ``citizenship``, ``role``, ``count``); a row with the
    same breakdown and role adds to the existing count. ``replace=True`` replaces all rows."""
    _require(can_write_investigation(user, investigation))
    objects = _breakdown_rows(SuspectCount, rows, investigation=investigation)
    if replace:
        for old in investigation.suspects.all():
            old.delete()
    for obj in objects:
        existing = investigation.suspects.filter(sex=obj.sex, age_band=obj.age_band, citizenship=obj.citizenship,
                                                 role=obj.role).first()
        if existing:
            existing.count += obj.count
            existing.save()
        else:
            obj.save()
    return list(investigation.suspects.all())


# --- links to cases ----------------------------------------------------------------------------


def _investigation_organisations(investigation_ids) -> set[int]:
    orgs = set()
    for owner, unit, office in Investigation.objects.filter(pk__in=investigation_ids).values_list(
            "owner_id", "police_unit_id", "prosecution_office_id"):
        orgs |= {owner, unit, office}
    orgs |= set(Prosecution.objects.filter(investigation_id__in=investigation_ids)
                .values_list("organisation_id", flat=True))
    orgs.discard(None)
    return orgs


def sync_case_shares(case: Case, user=None) -> None:
    """Make the case's ``justice_link`` shares match its active links: each organisation of a linked
    investigation (other than the case's owner) holds one share with the parts its kind may see
    (``KIND_PARTS``, never the owner-only parts); shares no link justifies any more are revoked."""
    linked = CaseLink.objects.filter(case=case, unlinked_at__isnull=True).values_list("investigation_id", flat=True)
    orgs = _investigation_organisations(list(linked)) - {case.owner_id}
    desired = {}
    for pk, kind in Organisation.objects.filter(pk__in=orgs).values_list("pk", "kind"):
        parts = KIND_PARTS.get(kind, frozenset()) - OWNER_ONLY
        if parts:
            desired[pk] = parts
    now = timezone.now()
    for share in CaseShare.objects.select_for_update().filter(case=case, reason=ShareReason.JUSTICE_LINK,
                                                              revoked_at__isnull=True):
        if desired.get(share.organisation_id) == share.part_set:
            del desired[share.organisation_id]
        else:
            share.revoked_at, share.revoked_by = now, user
            share.save()
    for organisation_id, parts in desired.items():
        share = CaseShare(case=case, organisation_id=organisation_id, reason=ShareReason.JUSTICE_LINK,
                          granted_by=user, note="justice")
        share.part_set = parts
        share.save()


def _sync_investigation_shares(investigation: Investigation, user) -> None:
    for case in Case.objects.filter(investigation_links__investigation=investigation,
                                    investigation_links__unlinked_at__isnull=True).distinct():
        sync_case_shares(case, user)


@transaction.atomic
def link_case(user, investigation: Investigation, case: Case) -> CaseLink:
    """Link a case the user may see to an investigation they write on; shares the case (``justice_link``)."""
    _require(can_link(user, investigation))
    if not scope(Case.objects.filter(pk=case.pk), user).exists():
        raise ValidationError({"case": _("No case with this reference is visible to you.")})
    if CaseLink.objects.filter(investigation=investigation, case=case, unlinked_at__isnull=True).exists():
        raise ValidationError({"case": _("This case is already linked to the investigation.")})
    link = CaseLink.objects.create(investigation=investigation, case=case, linked_by=user)
    sync_case_shares(case, user)
    return link


@transaction.atomic
def unlink_case(user, link: CaseLink) -> CaseLink:
    """End a link (kept, with who and when) and revoke the shares no other link justifies."""
    _require(can_link(user, link.investigation))
    if link.unlinked_at is None:
        link.unlinked_at, link.unlinked_by = timezone.now(), user
        link.save()
        sync_case_shares(link.case, user)
    return link


# --- prosecutions, decisions, appeals ----------------------------------------------------------


@transaction.atomic
def open_prosecution(user, investigation: Investigation, *, opened: datetime.date, charges: Iterable[str],
                     persons: Iterable[dict] = (), organisation=None) -> Prosecution:
    """Open a prosecution by the magistrate's office on an investigation they may see."""
    _require(can_prosecute(user, investigation))
    mine = prosecution_orgs(user)
    organisation_id = getattr(organisation, "pk", organisation) or min(mine)
    _require(organisation_id in mine)
    charges = _codes("charges", charges, Charge)
    if not charges:
        raise ValidationError({"charges": _("Choose at least one charge.")})
    _not_future("opened", opened)
    if opened < investigation.opened:
        raise ValidationError({"opened": _("A prosecution cannot open before its investigation.")})
    prosecution = Prosecution.objects.create(investigation=investigation, organisation_id=organisation_id,
                                             opened=opened, charges=charges)
    _save_all(_breakdown_rows(ProsecutedCount, persons, prosecution=prosecution))
    _sync_investigation_shares(investigation, user)
    return prosecution


@transaction.atomic
def keep_thb_in_requisitions(user, prosecution: Prosecution, *, date: datetime.date, expected_version: int,
                             kept: bool = True) -> Prosecution:
    """Record that the prosecutor kept (or, ``kept=False``, dropped) THB in the requisitions."""
    _require(can_write_prosecution(user, prosecution))
    if kept and Charge.THB not in split_codes(prosecution.charges):
        raise ValidationError({"thb_in_requisitions": _("THB (art. 433quinquies) is not among the charges.")})
    _not_future("requisitions_date", date)
    if date and date < prosecution.opened:
        raise ValidationError({"requisitions_date": _("The requisitions cannot precede the prosecution.")})
    prosecution.thb_in_requisitions, prosecution.requisitions_date = kept, date
    prosecution.save_versioned(expected_version, ["thb_in_requisitions", "requisitions_date"])
    return prosecution


def _check_judgment(obj, charges: list[str], after: datetime.date, date_field: str) -> None:
    if obj.outcome == Outcome.ACQUITTAL and (obj.thb_convicted or obj.sentence_months):
        raise ValidationError({"outcome": _("An acquittal carries no conviction and no sentence.")})
    if obj.thb_convicted and Charge.THB not in charges:
        raise ValidationError({"thb_convicted": _("THB (art. 433quinquies) is not among the charges.")})
    if obj.suspended_months and obj.suspended_months > (obj.sentence_months or 0):
        raise ValidationError({"suspended_months": _("The suspended part cannot exceed the sentence.")})
    value = getattr(obj, date_field)
    _not_future(date_field, value)
    if value and value < after:
        raise ValidationError({date_field: _("This date is before the step it follows.")})


DECISION_FIELDS = ("court", "date", "outcome", "thb_convicted", "sentence_months", "suspended_months",
                   "confiscation_euro", "fines_euro")


@transaction.atomic
def record_decision(user, prosecution: Prosecution, *, persons: Iterable[dict] = (), **fields) -> Decision:
    """Record a first-instance decision; ``persons`` counts the judged persons by outcome and breakdown."""
    _require(can_write_prosecution(user, prosecution))
    decision = Decision(prosecution=prosecution, **{k: v for k, v in fields.items() if k in DECISION_FIELDS})
    decision.full_clean(exclude=["prosecution"])
    _check_judgment(decision, split_codes(prosecution.charges), prosecution.opened, "date")
    rows = _breakdown_rows(DecisionCount, persons, decision=decision)
    if decision.outcome == Outcome.ACQUITTAL and any(r.outcome == PersonOutcome.CONVICTED for r in rows):
        raise ValidationError({"outcome": _("An acquittal carries no conviction and no sentence.")})
    decision.save()
    _save_all(rows)
    return decision


@transaction.atomic
def update_decision(user, decision: Decision, expected_version: int, **changes) -> Decision:
    _require(can_write_prosecution(user, decision.prosecution))
    if set(changes) - set(DECISION_FIELDS):
        raise ValidationError(_("These fields cannot be changed here."))
    for field, value in changes.items():
        setattr(decision, field, value)
    decision.full_clean(exclude=["prosecution"])
    _check_judgment(decision, split_codes(decision.prosecution.charges), decision.prosecution.opened, "date")
    decision.save_versioned(expected_version, list(changes))
    return decision


APPEAL_FIELDS = ("appellant", "lodged", "decided", "outcome", "thb_convicted", "sentence_months", "suspended_months")


def _check_appeal(appeal: Appeal) -> None:
    appeal.full_clean(exclude=["decision"])
    if appeal.appellant not in Appellant.values:
        raise ValidationError({"appellant": _("Choose who appealed.")})
    if bool(appeal.decided) != bool(appeal.outcome):
        raise ValidationError({"outcome": _("A decided appeal needs both its date and its outcome.")})
    if appeal.lodged < appeal.decision.date:
        raise ValidationError({"lodged": _("This date is before the step it follows.")})
    _check_judgment(appeal, split_codes(appeal.decision.prosecution.charges), appeal.lodged, "decided")


@transaction.atomic
def record_appeal(user, decision: Decision, **fields) -> Appeal:
    """Record an appeal (pending: no ``decided``/``outcome``; decided: both)."""
    _require(can_write_prosecution(user, decision.prosecution))
    appeal = Appeal(decision=decision, **{k: v for k, v in fields.items() if k in APPEAL_FIELDS})
    _not_future("lodged", appeal.lodged)
    _check_appeal(appeal)
    appeal.save()
    return appeal


@transaction.atomic
def update_appeal(user, appeal: Appeal, expected_version: int, **changes) -> Appeal:
    """Edit an appeal, e.g. record its outcome once decided (version-checked)."""
    _require(can_write_prosecution(user, appeal.decision.prosecution))
    if set(changes) - set(APPEAL_FIELDS):
        raise ValidationError(_("These fields cannot be changed here."))
    for field, value in changes.items():
        setattr(appeal, field, value)
    _check_appeal(appeal)
    appeal.save_versioned(expected_version, list(changes))
    return appeal


# --- the victim-status procedure asks ----------------------------------------------------------


def _latest_decided_appeal(field: str):
    return Subquery(Appeal.objects.filter(decision=OuterRef("pk"), decided__isnull=False)
                    .order_by("-decided", "-pk").values(field)[:1])


def effective_thb_convictions():
    """Decisions whose THB conviction stands: convicted of THB at first instance and not overturned by
    the latest decided appeal, or acquitted of THB and convicted of it on appeal."""
    return Decision.objects.annotate(appeal_thb=_latest_decided_appeal("thb_convicted")).filter(
        Q(appeal_thb=True) | Q(appeal_thb__isnull=True, thb_convicted=True))


def grounds_for_unlimited_residence(case) -> bool:
    """True when an investigation linked to ``case`` (active link) has a THB conviction that stands
    (not overturned on appeal), or a prosecution on it kept THB in the prosecutor's requisitions
    (DESIGN.md §2, unlimited residence). Two queries at most. Not scoped: the procedure asks it
    for a case its caller may already act on; it reveals no justice data."""
    case_id = getattr(case, "pk", case)
    linked = CaseLink.objects.filter(case_id=case_id, unlinked_at__isnull=True).values("investigation_id")
    if Prosecution.objects.filter(investigation_id__in=linked, thb_in_requisitions=True).exists():
        return True
    return effective_thb_convictions().filter(prosecution__investigation_id__in=linked).exists()
