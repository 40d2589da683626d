"""Identity, subject access and retention: the rules, no HTTP.

Every function here that returns identity writes exactly one access-log row.
"""

import datetime
import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from haven.access.scope import get_visible_or_404, scope, seats
from haven.audit.models import AccessLog, Action, Purpose
from haven.audit.services import record

from .models import IDENTITY_FIELDS, Case, Person, RetentionPolicy

# Purposes a member may state when opening an identity (the others are written by Haven itself).
STATED_PURPOSES = [Purpose.CASEWORK, Purpose.REFERRAL, Purpose.DOCUMENTS, Purpose.JUSTICE, Purpose.EMERGENCY]


def identity_of(person: Person) -> dict:
    return {field: getattr(person, field) for field in IDENTITY_FIELDS}


def case_for_identity(user, pk: int) -> Case:
    """The case, if ``user`` may see the identity of its person; else 404."""
    return get_visible_or_404(Case.objects.select_related("person", "owner"), user, part="identity", pk=pk)


def reveal_identity(request, case: Case, purpose: str, reason: str = "") -> dict:
    """The identity of ``case``'s person, logged (one row) with the stated purpose."""
    if purpose not in STATED_PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    record(request, Action.VIEW_IDENTITY, purpose, case=case, reason=reason)
    return identity_of(case.person)


def search_persons(request, user, name: str) -> list[dict]:
    """Persons the user may see whose names contain every word of ``name`` (blind index).

    Returns case references, not identities; the search itself is logged (never the query).
    """
    persons = scope(Person.objects.all(), user).search_name(name)
    visible = scope(Case.objects.all(), user, part="identity").filter(person__in=persons)
    results: dict[int, list] = {}
    for case_id, reference, person_id in visible.values_list("pk", "reference", "person_id").order_by("pk"):
        results.setdefault(person_id, []).append({"id": case_id, "reference": reference})
    record(request, Action.SEARCH, Purpose.CASEWORK, reason=f"{len(results)} result(s)", target="cases.person:search")
    return [{"person": person_id, "cases": cases} for person_id, cases in results.items()]


def case_for_subject_access(user, pk: int) -> Case:
    """Subject access is answered by the organisation that owns the case (identity part needed)."""
    owners = [seat.organisation_id for seat in seats(user) if "identity" in seat.parts]
    case = get_visible_or_404(Case.objects.select_related("person", "owner"), user, part="identity", pk=pk)
    if case.owner_id not in owners:
        raise Http404
    return case


def _history(queryset, fields) -> list[dict]:
    out = []
    for row in queryset.order_by("history_date"):
        entry = {"date": row.history_date, "change": row.get_history_type_display(),
                 "by": row.history_user.get_username() if row.history_user_id and row.history_user else ""}
        entry.update({field: getattr(row, field) for field in fields})
        out.append(entry)
    return out


def subject_access_export(request, case: Case) -> dict:
    """Everything the owning organisation holds about the case's person (GDPR art. 15), logged."""
    person = case.person
    owned = Case.objects.filter(person=person, owner_id=case.owner_id).select_related("owner", "jurisdiction")
    export = {
        "generated": timezone.now(),
        "organisation": case.owner.name,
        "person": {"id": person.pk, **identity_of(person), "sex": person.sex, "created": person.created,
                   "identity_erased": person.erased_at},
        "person_history": _history(Person.history.filter(id=person.pk), IDENTITY_FIELDS),
        "cases": [],
        "access_log": [],
    }
    for owned_case in owned:
        export["cases"].append({
            "reference": owned_case.reference,
            "jurisdiction": owned_case.jurisdiction.code,
            "owner": owned_case.owner.name,
            "created": owned_case.created,
            "closed": owned_case.closed_at,
            "shared_with": [
                {"organisation": s.organisation.name, "reason": s.reason, "parts": sorted(s.part_set),
                 "granted": s.granted_at, "revoked": s.revoked_at}
                for s in owned_case.shares.select_related("organisation")
            ],
            "history": _history(Case.history.filter(id=owned_case.pk), ["owner_id", "closed_at", "version"]),
        })
    log = AccessLog.objects.filter(case_id__in=[c.pk for c in owned]).order_by("at")
    export["access_log"] = [
        {"at": e.at, "organisation": e.organisation.name if e.organisation_id and e.organisation else "",
         "action": e.action, "purpose": e.purpose}
        for e in log.select_related("organisation")
    ]
    record(request, Action.SUBJECT_ACCESS, Purpose.SUBJECT_ACCESS, case=case)
    return export


def to_json(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# --- retention --------------------------------------------------------------------------------


def erasable_persons(now: datetime.datetime | None = None):
    """Persons whose every case is closed, each for longer than its jurisdiction's retention period."""
    now = now or timezone.now()
    policies = {p.jurisdiction_id: p.identity_years_after_closure for p in RetentionPolicy.objects.all()}
    candidates = Person.objects.filter(erased_at__isnull=True, cases__isnull=False).exclude(
        cases__closed_at__isnull=True).distinct()
    for person in candidates.iterator(chunk_size=500):
        cases = list(person.cases.values_list("jurisdiction_id", "closed_at"))
        if all(jur in policies and closed + timedelta(days=round(365.25 * policies[jur])) <= now
               for jur, closed in cases):
            yield person


@transaction.atomic
def erase_identity(person: Person) -> None:
    """Erase the identity (and its history); keep the pseudonymous statistics columns and the cases."""
    blank = dict.fromkeys(IDENTITY_FIELDS)
    Person.objects.filter(pk=person.pk).update(erased_at=timezone.now(), **blank)
    Person.history.filter(id=person.pk).update(**blank)
    person.name_index.all().delete()
    record(None, Action.ERASE, Purpose.RETENTION, person=person, target=f"cases.person:{person.pk}")


def apply_retention(now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    count = 0
    for person in list(erasable_persons(now)):
        if not dry_run:
            erase_identity(person)
        count += 1
    return count
