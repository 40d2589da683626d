"""Writing and reading the access log. Every identity shown or exported goes through ``record``."""

import csv
import io
import json
from urllib.parse import urlsplit

from haven.access.scope import acting_organisation_id
from haven.core.actor import Actor

from .models import AccessLog, Action, AuditEvent, Purpose

EXPORT_FIELDS = ["at", "username", "organisation", "owner_organisation", "action", "purpose", "reason", "record",
                 "case_id", "person_id", "ip", "path"]


def record(actor: Actor, action: str, purpose: str, *, case=None, person=None, reason: str = "",
           organisation_id: int | None = None, target: str = "", path: str = "") -> AccessLog:
    """Write one access-log row for ``actor`` (an ``Actor``: who, for which organisation, from where).

    ``path`` is the page or endpoint that showed the data. Only its path is kept, never a query string:
    a search's query is a name, and a name never leaves the identity vault (the search itself is logged,
    with its number of results, by the caller)."""
    user = actor.user
    authenticated = getattr(user, "is_authenticated", False)
    if organisation_id is None:
        organisation_id = getattr(actor.organisation, "pk", actor.organisation)
    if organisation_id is None and case is not None and authenticated:
        organisation_id = acting_organisation_id(user, case)
    if person is None and case is not None:
        person_id = case.person_id
    else:
        person_id = getattr(person, "pk", None)
    if not target:
        target = f"cases.case:{case.pk}" if case is not None else (f"cases.person:{person_id}" if person_id else "")
    return AccessLog.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        organisation_id=organisation_id,
        owner_organisation_id=getattr(case, "owner_id", None),
        action=action,
        purpose=purpose,
        reason=reason[:500],
        record=target,
        case_id=getattr(case, "pk", None),
        person_id=person_id,
        ip=actor.address,
        path=path_only(path),
    )


def path_only(path: str) -> str:
    """``path`` without its query string or fragment, cut to the column's length."""
    return urlsplit(path or "").path[:300]


def rows(queryset):
    for entry in queryset.select_related("organisation", "owner_organisation").iterator(chunk_size=2000):
        yield {
            "at": entry.at.isoformat(),
            "username": entry.username,
            "organisation": entry.organisation.slug if entry.organisation_id and entry.organisation else "",
            "owner_organisation": entry.owner_organisation.slug if entry.owner_organisation_id and
            entry.owner_organisation else "",
            "action": entry.action,
            "purpose": entry.purpose,
            "reason": entry.reason,
            "record": entry.record,
            "case_id": entry.case_id,
            "person_id": entry.person_id,
            "ip": entry.ip or "",
            "path": entry.path,
        }


EVENT_FIELDS = ["at", "username", "organisation", "address", "via", "verb", "target", "target_organisation",
                "before", "after"]


def event_rows(queryset):
    for event in queryset.select_related("organisation", "target_organisation").iterator(chunk_size=2000):
        yield {
            "at": event.at.isoformat(),
            "username": event.username,
            "organisation": event.organisation.slug if event.organisation_id and event.organisation else "",
            "address": event.address or "",
            "via": event.via,
            "verb": event.verb,
            "target": event.target,
            "target_organisation": event.target_organisation.slug if event.target_organisation_id and
            event.target_organisation else "",
            "before": event.before,
            "after": event.after,
        }


def export(queryset, fmt: str) -> str:
    """The access log's rows (or, for a queryset of ``AuditEvent``, the events) as CSV or JSON text; the
    log and the events hold no identity, only references."""
    fields, found = (EVENT_FIELDS, event_rows(queryset)) if queryset.model is AuditEvent else (
        EXPORT_FIELDS, rows(queryset))
    if fmt == "json":
        return json.dumps(list(found), ensure_ascii=False, indent=1, default=str)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in found:
        row = {k: json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, dict) else v for k, v in row.items()}
        # a cell starting with = + - @ would be a formula in a spreadsheet
        writer.writerow({k: f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for k, v in row.items()})
    return buffer.getvalue()


__all__ = ["Action", "Purpose", "record", "export", "rows"]
