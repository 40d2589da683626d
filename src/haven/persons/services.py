"""A person's identity: showing it, its part of a subject-access export, erasing it. Rules, no HTTP.

Every function here that returns or erases an identity writes exactly one access-log row. Nothing
here knows cases: a caller that shows an identity because of a case passes that case for the log
as an opaque object (its ``pk``, ``person_id`` and ``owner_id`` are written, nothing else is read).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.audit.models import Action, Purpose
from haven.audit.services import record
from haven.core.actor import Actor
from haven.core.errors import Invalid

from .models import IDENTITY_FIELDS, Person

# Purposes a member may state when opening an identity (the others are written by Haven itself).
STATED_PURPOSES = [Purpose.CASEWORK, Purpose.REFERRAL, Purpose.DOCUMENTS, Purpose.JUSTICE, Purpose.EMERGENCY]


def log(actor: Actor, action: str, purpose: str, *, path: str = "", **details):
    """One access-log row for ``actor`` (``details``: ``case``, ``person``, ``reason``, ``target``).

    ``path`` is the page or endpoint that showed the data; an ``Actor`` does not carry it."""
    return record(actor, action, purpose, path=path, **details)


def identity_of(person: Person) -> dict:
    return {field: getattr(person, field) for field in IDENTITY_FIELDS}


def reveal(actor: Actor, person: Person, purpose: str, reason: str = "", *, case=None, path: str = "") -> dict:
    """The identity of ``person``, logged (one row) with the stated purpose and, if given, the case
    through which ``actor`` may see it. Whether they may is the caller's to check."""
    if purpose not in STATED_PURPOSES:
        message = _("State the purpose: one of %(choices)s.") % {"choices": ", ".join(STATED_PURPOSES)}
        raise Invalid(message, code="purpose", field_errors={"purpose": [message]})
    log(actor, Action.VIEW_IDENTITY, purpose, case=case, person=person, reason=reason, path=path)
    return identity_of(person)


def history_entries(queryset, fields) -> list[dict]:
    """Rows of a django-simple-history table, oldest first: when, what kind of change, by whom, ``fields``."""
    out = []
    for row in queryset.order_by("history_date"):
        entry = {"date": row.history_date, "change": row.get_history_type_display(),
                 "by": row.history_user.get_username() if row.history_user_id and row.history_user else ""}
        entry.update({field: getattr(row, field) for field in fields})
        out.append(entry)
    return out


def subject_access_part(person: Person) -> dict:
    """The person's own part of a subject-access export (GDPR art. 15): identity, the pseudonymous
    columns, and every earlier version of the identity. Not logged: the caller assembles the whole
    export and logs it once."""
    return {
        "person": {"id": person.pk, **identity_of(person), "sex": person.sex, "created": person.created,
                   "identity_erased": person.erased_at},
        "person_history": history_entries(Person.history.filter(id=person.pk), IDENTITY_FIELDS),
    }


@transaction.atomic
def erase_identity(person: Person, actor: Actor) -> None:
    """Erase the identity (and its history); keep the pseudonymous statistics columns and the person row,
    so that whatever refers to the person stays whole."""
    blank = dict.fromkeys(IDENTITY_FIELDS)
    Person.objects.filter(pk=person.pk).update(erased_at=timezone.now(), **blank)
    Person.history.filter(id=person.pk).update(**blank)
    person.name_index.all().delete()
    # "cases.person" is the access log's name for a person since its first row.
    log(actor, Action.ERASE, Purpose.RETENTION, person=person, target=f"cases.person:{person.pk}")


def reindex_names(batch: int = 500) -> int:
    """Rebuild name indexes and person keys under the primary key."""
    count = 0
    queryset = Person.objects.filter(erased_at__isnull=True).order_by("pk")
    last = 0
    while True:
        people = list(queryset.filter(pk__gt=last)[:batch])
        if not people:
            return count
        with transaction.atomic():
            for person in people:
                key = person.compute_person_key()
                if key != person.person_key:
                    Person.objects.filter(pk=person.pk).update(person_key=key)
                person.reindex()
                count += 1
        last = people[-1].pk
