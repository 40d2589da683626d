"""Writing and reading the access log. Every identity shown or exported goes through ``record``."""

import csv
import io
import json

from haven.access.scope import acting_organisation_id
from haven.core.net import client_ip

from .models import AccessLog, Action, Purpose

EXPORT_FIELDS = ["at", "username", "organisation", "owner_organisation", "action", "purpose", "reason", "record",
                 "case_id", "person_id", "ip", "path"]


def record(request, action: str, purpose: str, *, case=None, person=None, reason: str = "", user=None,
           organisation_id: int | None = None, target: str = "", address: str | None = None,
           path: str = "") -> AccessLog:
    """Write one access-log row. ``request`` may be None for commands and services, which say who
    (``user`` or nobody) and, for a page or API call, from where (``address``, ``path``)."""
    user = user if user is not None else getattr(request, "user", None)
    authenticated = getattr(user, "is_authenticated", False)
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
        ip=client_ip(request) if request is not None else address,
        path=(request.get_full_path() if request is not None else path)[:300],
    )


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


def export(queryset, fmt: str) -> str:
    """The rows as CSV or JSON text (the log holds no identity, only references)."""
    if fmt == "json":
        return json.dumps(list(rows(queryset)), ensure_ascii=False, indent=1)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for row in rows(queryset):
        # a cell starting with = + - @ would be a formula in a spreadsheet
        writer.writerow({k: f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for k, v in row.items()})
    return buffer.getvalue()


__all__ = ["Action", "Purpose", "record", "export", "rows"]
