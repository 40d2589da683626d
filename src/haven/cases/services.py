"""What of identity, subject access and retention needs a case: the rules, no HTTP.

The identity itself (showing it, erasing it, its part of an export) is ``haven.persons.services``;
here is who may reach it through which case. Every function here that returns identity writes
exactly one access-log row.
"""

import datetime
import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils import timezone

from haven.access.scope import get_visible_or_404, scope, seats
from haven.audit.models import AccessLog, Action, Purpose
from haven.core.actor import Actor
from haven.persons import services as persons
from haven.persons.models import Person

from .models import Case, RetentionPolicy


def case_for_identity(user, pk: int) -> Case:
    """The case, if ``user`` may see the identity of its person; else 404."""
    return get_visible_or_404(Case.objects.select_related("person", "owner"), user, part="identity", pk=pk)


def reveal_identity(actor: Actor, case: Case, purpose: str, reason: str = "", *, path: str = "") -> dict:
    """The identity of ``case``'s person, logged (one row, naming the case) with the stated purpose."""
    return persons.reveal(actor, case.person, purpose, reason, case=case, path=path)


def search_persons(actor: Actor, name: str, *, path: str = "") -> list[dict]:
    """Persons the actor may see whose names contain every word of ``name`` (blind index).

    Returns case references, not identities; the search itself is logged (never the query).
    """
    found = scope(Person.objects.all(), actor.user).search_name(name)
    visible = scope(Case.objects.all(), actor.user, part="identity").filter(person__in=found)
    results: dict[int, list] = {}
    for case_id, reference, person_id in visible.values_list("pk", "reference", "person_id").order_by("pk"):
        results.setdefault(person_id, []).append({"id": case_id, "reference": reference})
    persons.log(actor, Action.SEARCH, Purpose.CASEWORK, reason=f"{len(results)} result(s)",
                target="cases.person:search", path=path)
    return [{"person": person_id, "cases": cases} for person_id, cases in results.items()]


def case_for_subject_access(user, pk: int) -> Case:
    """Subject access is answered by the organisation that owns the case (identity part needed)."""
    owners = [seat.organisation_id for seat in seats(user) if "identity" in seat.parts]
    case = get_visible_or_404(Case.objects.select_related("person", "owner"), user, part="identity", pk=pk)
    if case.owner_id not in owners:
        raise Http404
    return case


def subject_access_export(actor: Actor, case: Case, *, path: str = "") -> dict:
    """Everything the owning organisation holds about the case's person (GDPR art. 15), logged."""
    person = case.person
    owned = Case.objects.filter(person=person, owner_id=case.owner_id).select_related("owner", "jurisdiction")
    export = {
        "generated": timezone.now(),
        "organisation": case.owner.name,
        **persons.subject_access_part(person),
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
            "history": persons.history_entries(Case.history.filter(id=owned_case.pk),
                                               ["owner_id", "closed_at", "version"]),
        })
    log = AccessLog.objects.filter(case_id__in=[c.pk for c in owned]).order_by("at")
    export["access_log"] = [
        {"at": e.at, "organisation": e.organisation.name if e.organisation_id and e.organisation else "",
         "action": e.action, "purpose": e.purpose}
        for e in log.select_related("organisation")
    ]
    persons.log(actor, Action.SUBJECT_ACCESS, Purpose.SUBJECT_ACCESS, case=case, path=path)
    return export


def to_json(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# --- retention: the policy counts from the closure of cases, so which persons are due is decided here ---


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


def apply_retention(now: datetime.datetime | None = None, dry_run: bool = False, actor: Actor | None = None) -> int:
    """Erase the identity of every person :func:`erasable_persons` names; how many (would be) erased."""
    actor = actor or Actor.system()
    count = 0
    for person in list(erasable_persons(now)):
        if not dry_run:
            persons.erase_identity(person, actor)
        count += 1
    return count
