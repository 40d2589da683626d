"""The rules of the justice chain (no HTTP). Every function is one transaction.

Who may write (``haven.organisations.roles``): a police ``officer`` of the investigation's owning
organisation or police unit writes investigations and suspects; a ``magistrate`` of a
prosecution organisation writes prosecutions, requisitions, decisions and appeals (of the
prosecutions of their own office). Linking a case needs a writer on the investigation who may
see the case. Refusals raise ``haven.core.errors`` and change nothing: ``Forbidden`` (rules of
who), ``Invalid`` naming the field at fault (rules of what), ``Refused`` (a step the chain does not
allow now), ``StaleEdit`` for a stale ``expected_version``; each distinct refusal has its own
``code`` so that a program can tell them apart.

What makes a victim "identified" (the profile's ``identified_when``: a conviction, THB kept in the
requisitions) is recorded here, so every write that may make it hold asks the linked cases
(``identify_linked_cases``), in the same transaction, decided by the prosecution office of the file.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access.parts import ALL
from haven.access.scope import scope, seats
from haven.cases.actions.screening import identify_if_due
from haven.cases.actions.shares import sync_shares
from haven.cases.models import Case, ShareReason
from haven.core.codes import join_codes, split_codes
from haven.core.errors import Forbidden, Invalid, Refused
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


def _require(allowed: bool, code: str) -> None:
    if not allowed:
        raise Forbidden(_("Your role in your organisation does not allow this change."), code)


# --- validation helpers ------------------------------------------------------------------------


def _invalid(field: str, message: str, code: str) -> Invalid:
    return Invalid(field_errors={field: [message]}, code=code)


def _full_clean(obj, exclude: list[str]) -> None:
    """The model's own checks (choices, lengths, validators), refused in the services' vocabulary."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise Invalid(field_errors=exc.message_dict, code="invalid_value") from exc


def _only(changes: dict, allowed) -> None:
    extra = set(changes) - set(allowed)
    if extra:
        raise Invalid(field_errors={field: [_("These fields cannot be changed here.")] for field in sorted(extra)},
                      code="field_not_editable")


def _not_future(field: str, value: datetime.date | None) -> None:
    if value and value > timezone.localdate():
        raise _invalid(field, _("This date is in the future."), "date_in_future")


def _codes(field: str, values: Iterable[str], choices) -> str:
    values = list(values or [])
    unknown = set(values) - set(choices.values)
    if unknown:
        raise _invalid(field, _("Unknown code(s): %(codes)s") % {"codes": ", ".join(sorted(unknown))},
                       "unknown_code")
    return join_codes(values)


def _organisation(pk_or_obj, kind: str, field: str, jurisdiction_id: int) -> Organisation:
    organisation = pk_or_obj if isinstance(pk_or_obj, Organisation) else Organisation.objects.filter(
        pk=pk_or_obj).first()
    if organisation is None or organisation.kind != kind or not organisation.active \
            or organisation.jurisdiction_id != jurisdiction_id:
        raise _invalid(field, _("Choose an active organisation of the right kind in this jurisdiction."),
                       "wrong_organisation")
    return organisation


def _breakdown_rows(model, rows: Iterable[dict], **parent) -> list:
    objects = []
    for row in rows:
        obj = model(**parent, **{k: v for k, v in row.items() if k in {*BREAKDOWN_FIELDS, "count", "role",
                                                                         "outcome"}})
        obj.citizenship = (obj.citizenship or "").upper()
        _full_clean(obj, [*parent])
        if obj.count < 1:
            raise _invalid("count", _("Count at least one person."), "count_below_one")
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
    _require(owner_id in mine, "not_police_officer")
    owner = Organisation.objects.get(pk=owner_id)
    police_unit = _organisation(police_unit or owner, OrganisationKind.POLICE, "police_unit", owner.jurisdiction_id)
    if prosecution_office is not None:
        prosecution_office = _organisation(prosecution_office, OrganisationKind.PROSECUTION, "prosecution_office",
                                           owner.jurisdiction_id)
    if district.jurisdiction_id != owner.jurisdiction_id:
        raise _invalid("district", _("Choose a district of your jurisdiction."), "district_outside_jurisdiction")
    _not_future("opened", opened)
    file_number = (file_number or "").strip()
    if not file_number:
        raise _invalid("file_number", _("Enter the police file number."), "file_number_missing")
    if Investigation.objects.filter(police_unit=police_unit, file_number=file_number).exists():
        raise _invalid("file_number", _("This police unit already has an investigation with this number."),
                       "file_number_taken")
    return Investigation.objects.create(
        file_number=file_number, district=district, opened=opened, police_unit=police_unit, owner=owner,
        prosecution_office=prosecution_office, forms=_codes("forms", forms, ExploitationForm))


@transaction.atomic
def update_investigation(user, investigation: Investigation, expected_version: int, **changes) -> Investigation:
    """Edit ``district``, ``opened``, ``prosecution_office``, ``forms``, ``file_number`` (version-checked)."""
    _require(can_write_investigation(user, investigation), "not_investigation_writer")
    _only(changes, {"district", "opened", "prosecution_office", "forms", "file_number"})
    jurisdiction_id = investigation.owner.jurisdiction_id
    if "forms" in changes:
        changes["forms"] = _codes("forms", changes["forms"], ExploitationForm)
    if changes.get("prosecution_office") is not None:
        changes["prosecution_office"] = _organisation(changes["prosecution_office"], OrganisationKind.PROSECUTION,
                                                      "prosecution_office", jurisdiction_id)
    if "district" in changes and changes["district"].jurisdiction_id != jurisdiction_id:
        raise _invalid("district", _("Choose a district of your jurisdiction."), "district_outside_jurisdiction")
    _not_future("opened", changes.get("opened"))
    if "file_number" in changes:
        changes["file_number"] = (changes["file_number"] or "").strip()
        if not changes["file_number"]:
            raise _invalid("file_number", _("Enter the police file number."), "file_number_missing")
        if Investigation.objects.filter(police_unit_id=investigation.police_unit_id,
                                        file_number=changes["file_number"]).exclude(pk=investigation.pk).exists():
            raise _invalid("file_number", _("This police unit already has an investigation with this number."),
                           "file_number_taken")
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
    _require(can_write_investigation(user, investigation), "not_investigation_writer")
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
    sync_shares(case, ShareReason.JUSTICE_LINK, dict.fromkeys(orgs, ALL), user, note="justice")


def _sync_investigation_shares(investigation: Investigation, user) -> None:
    for case in Case.objects.filter(investigation_links__investigation=investigation,
                                    investigation_links__unlinked_at__isnull=True).distinct():
        sync_case_shares(case, user)


@transaction.atomic
def link_case(user, investigation: Investigation, case: Case) -> CaseLink:
    """Link a case the user may see to an investigation they write on; shares the case (``justice_link``)."""
    _require(can_link(user, investigation), "not_on_investigation")
    if not scope(Case.objects.filter(pk=case.pk), user).exists():
        # the same answer as for a reference that does not exist: the case is input, not the page's object
        raise _invalid("case", _("No case with this reference is visible to you."), "case_not_visible")
    if CaseLink.objects.filter(investigation=investigation, case=case, unlinked_at__isnull=True).exists():
        raise Refused(_("This case is already linked to the investigation."), "already_linked")
    link = CaseLink.objects.create(investigation=investigation, case=case, linked_by=user)
    sync_case_shares(case, user)
    office = next((p.organisation for p in investigation.prosecutions.select_related("organisation")
                   .order_by("opened", "pk")), None) or investigation.prosecution_office
    identify_linked_cases(user, investigation, office, timezone.localdate(), cases=[case])
    return link


@transaction.atomic
def unlink_case(user, link: CaseLink) -> CaseLink:
    """End a link (kept, with who and when) and revoke the shares no other link justifies."""
    _require(can_link(user, link.investigation), "not_on_investigation")
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
    _require(can_prosecute(user, investigation), "not_prosecutor")
    mine = prosecution_orgs(user)
    organisation_id = getattr(organisation, "pk", organisation) or min(mine)
    _require(organisation_id in mine, "not_prosecuting_office")
    charges = _codes("charges", charges, Charge)
    if not charges:
        raise _invalid("charges", _("Choose at least one charge."), "charges_missing")
    _not_future("opened", opened)
    if opened < investigation.opened:
        raise _invalid("opened", _("A prosecution cannot open before its investigation."),
                       "date_before_previous_step")
    prosecution = Prosecution.objects.create(investigation=investigation, organisation_id=organisation_id,
                                             opened=opened, charges=charges)
    _save_all(_breakdown_rows(ProsecutedCount, persons, prosecution=prosecution))
    _sync_investigation_shares(investigation, user)
    return prosecution


@transaction.atomic
def keep_thb_in_requisitions(user, prosecution: Prosecution, *, date: datetime.date, expected_version: int,
                             kept: bool = True) -> Prosecution:
    """Record that the prosecutor kept (or, ``kept=False``, dropped) THB in the requisitions."""
    _require(can_write_prosecution(user, prosecution), "not_prosecuting_office")
    # the fields are named as the caller sends them (``kept``, ``date``), so a form can show the error in place
    if kept and Charge.THB not in split_codes(prosecution.charges):
        raise _invalid("kept", _("THB (art. 433quinquies) is not among the charges."), "thb_not_charged")
    _not_future("date", date)
    if date and date < prosecution.opened:
        raise _invalid("date", _("The requisitions cannot precede the prosecution."), "date_before_previous_step")
    prosecution.thb_in_requisitions, prosecution.requisitions_date = kept, date
    prosecution.save_versioned(expected_version, ["thb_in_requisitions", "requisitions_date"])
    identify_linked_cases(user, prosecution.investigation, prosecution.organisation, date)
    return prosecution


def _check_judgment(obj, charges: list[str], after: datetime.date, date_field: str) -> None:
    if obj.outcome == Outcome.ACQUITTAL and (obj.thb_convicted or obj.sentence_months):
        raise _invalid("outcome", _("An acquittal carries no conviction and no sentence."), "acquittal_with_sentence")
    if obj.thb_convicted and Charge.THB not in charges:
        raise _invalid("thb_convicted", _("THB (art. 433quinquies) is not among the charges."), "thb_not_charged")
    if obj.suspended_months and obj.suspended_months > (obj.sentence_months or 0):
        raise _invalid("suspended_months", _("The suspended part cannot exceed the sentence."),
                       "suspended_exceeds_sentence")
    value = getattr(obj, date_field)
    _not_future(date_field, value)
    if value and value < after:
        raise _invalid(date_field, _("This date is before the step it follows."), "date_before_previous_step")


DECISION_FIELDS = ("court", "date", "outcome", "thb_convicted", "sentence_months", "suspended_months",
                   "confiscation_euro", "fines_euro")


@transaction.atomic
def record_decision(user, prosecution: Prosecution, *, persons: Iterable[dict] = (), **fields) -> Decision:
    """Record a first-instance decision; ``persons`` counts the judged persons by outcome and breakdown."""
    _require(can_write_prosecution(user, prosecution), "not_prosecuting_office")
    decision = Decision(prosecution=prosecution, **{k: v for k, v in fields.items() if k in DECISION_FIELDS})
    _full_clean(decision, ["prosecution"])
    _check_judgment(decision, split_codes(prosecution.charges), prosecution.opened, "date")
    rows = _breakdown_rows(DecisionCount, persons, decision=decision)
    if decision.outcome == Outcome.ACQUITTAL and any(r.outcome == PersonOutcome.CONVICTED for r in rows):
        raise _invalid("outcome", _("An acquittal carries no conviction and no sentence."), "acquittal_with_sentence")
    decision.save()
    _save_all(rows)
    identify_linked_cases(user, prosecution.investigation, prosecution.organisation, decision.date)
    return decision


@transaction.atomic
def update_decision(user, decision: Decision, expected_version: int, **changes) -> Decision:
    _require(can_write_prosecution(user, decision.prosecution), "not_prosecuting_office")
    _only(changes, DECISION_FIELDS)
    for field, value in changes.items():
        setattr(decision, field, value)
    _full_clean(decision, ["prosecution"])
    _check_judgment(decision, split_codes(decision.prosecution.charges), decision.prosecution.opened, "date")
    decision.save_versioned(expected_version, list(changes))
    identify_linked_cases(user, decision.prosecution.investigation, decision.prosecution.organisation, decision.date)
    return decision


APPEAL_FIELDS = ("appellant", "lodged", "decided", "outcome", "thb_convicted", "sentence_months", "suspended_months")


def _check_appeal(appeal: Appeal) -> None:
    _full_clean(appeal, ["decision"])
    if appeal.appellant not in Appellant.values:
        raise _invalid("appellant", _("Choose who appealed."), "appellant_missing")
    if bool(appeal.decided) != bool(appeal.outcome):
        raise _invalid("outcome", _("A decided appeal needs both its date and its outcome."), "appeal_incomplete")
    if appeal.lodged < appeal.decision.date:
        raise _invalid("lodged", _("This date is before the step it follows."), "date_before_previous_step")
    _check_judgment(appeal, split_codes(appeal.decision.prosecution.charges), appeal.lodged, "decided")


@transaction.atomic
def record_appeal(user, decision: Decision, **fields) -> Appeal:
    """Record an appeal (pending: no ``decided``/``outcome``; decided: both)."""
    _require(can_write_prosecution(user, decision.prosecution), "not_prosecuting_office")
    appeal = Appeal(decision=decision, **{k: v for k, v in fields.items() if k in APPEAL_FIELDS})
    _not_future("lodged", appeal.lodged)
    _check_appeal(appeal)
    appeal.save()
    prosecution = decision.prosecution
    identify_linked_cases(user, prosecution.investigation, prosecution.organisation, appeal.decided or appeal.lodged)
    return appeal


@transaction.atomic
def update_appeal(user, appeal: Appeal, expected_version: int, **changes) -> Appeal:
    """Edit an appeal, e.g. record its outcome once decided (version-checked)."""
    _require(can_write_prosecution(user, appeal.decision.prosecution), "not_prosecuting_office")
    _only(changes, APPEAL_FIELDS)
    for field, value in changes.items():
        setattr(appeal, field, value)
    _check_appeal(appeal)
    appeal.save_versioned(expected_version, list(changes))
    prosecution = appeal.decision.prosecution
    identify_linked_cases(user, prosecution.investigation, prosecution.organisation, appeal.decided or appeal.lodged)
    return appeal


# --- the victim-status procedure asks ----------------------------------------------------------


def identify_linked_cases(user, investigation: Investigation, office, on: datetime.date | None,
                          cases=None) -> list:
    """Set "identified" on the cases linked to ``investigation`` (or ``cases``) for which the profile's
    ``identified_when`` now holds, decided by ``office`` (the prosecution office of the file) on ``on``.
    Returns the cases it identified."""
    if office is None:
        return []
    if cases is None:
        cases = Case.objects.filter(investigation_links__investigation=investigation,
                                    investigation_links__unlinked_at__isnull=True).select_related(
            "jurisdiction").distinct()
    return [case for case in cases if identify_if_due(user, case, decided_by=office, on=on)]


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
