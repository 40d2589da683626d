"""The audit trail as every layer sees it: its vocabulary, and the two ways to write to it.

Organisations, jurisdiction profiles and access sit below the audit app, yet their changes must be
recorded in the same transaction. They call ``record_event`` / ``record_access`` here; the audit app
plugs its writers in from ``AppConfig.ready()``. With no writer plugged in, recording fails loudly:
a change that should leave a trace never goes through silently.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW_IDENTITY = "view_identity", _("Viewed an identity")
    SUBJECT_ACCESS = "subject_access", _("Exported everything about a person (subject access)")
    SEARCH = "search", _("Searched persons by name")
    HISTORY = "history", _("Viewed a case's history")
    BREAK_GLASS = "break_glass", _("Emergency access (break-glass)")
    ERASE = "erase", _("Erased an identity (retention)")
    LOG_EXPORT = "log_export", _("Exported the access log")
    LOCKOUT = "lockout", _("Locked out after failed sign-ins")


class Purpose(models.TextChoices):
    CASEWORK = "casework", _("Casework: guidance and support")
    REFERRAL = "referral", _("Referral to or from another organisation")
    DOCUMENTS = "documents", _("Residence documents")
    JUSTICE = "justice", _("Investigation or prosecution")
    EMERGENCY = "emergency", _("Emergency (break-glass)")
    SUBJECT_ACCESS = "subject_access", _("Subject-access request")
    OVERSIGHT = "oversight", _("Data-protection oversight")
    RETENTION = "retention", _("Retention period over")
    SECURITY = "security", _("Security")


class Via(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    COMMAND = "command", _("Command")
    SYSTEM = "system", _("System")


class Verb(models.TextChoices):
    """What an action did; one event per act (see ``haven.audit.events.record_event``)."""

    MEMBERSHIP_ADDED = "membership.added", _("Added a member")
    MEMBERSHIP_ROLE_CHANGED = "membership.role_changed", _("Changed a member's role")
    MEMBERSHIP_REMOVED = "membership.removed", _("Removed a member")
    ORGANISATION_CREATED = "organisation.created", _("Created an organisation")
    ORGANISATION_CHANGED = "organisation.changed", _("Changed an organisation")
    ORGANISATION_DELETED = "organisation.deleted", _("Deleted an organisation")
    LIBRARY_PAGE_IMPORTED = "library.page_imported", _("Imported a page into the library")
    LIBRARY_CLAIM_CONFIRMED = "library.claim_confirmed", _("Confirmed a claim (published)")
    LIBRARY_CLAIM_REJECTED = "library.claim_rejected", _("Rejected a claim")
    LIBRARY_CLAIM_REOPENED = "library.claim_reopened", _("Reopened a claim for review")
    LIBRARY_SOURCE_CORRECTED = "library.source_corrected", _("Corrected a source's topics, countries or type")
    LIBRARY_MERGE_UNDONE = "library.merge_undone", _("Undid a merge of the importer")
    PROFILE_LOADED = "jurisdiction.profile_loaded", _("Loaded a jurisdiction profile")
    MEMBERSHIP_REQUESTED = "membership.requested", _("Asked to take in a member of another organisation")
    MEMBERSHIP_REQUEST_ACCEPTED = "membership.request_accepted", _("Accepted a membership request")
    MEMBERSHIP_REQUEST_DECLINED = "membership.request_declined", _("Declined a membership request")
    MEMBERSHIP_REQUEST_WITHDRAWN = "membership.request_withdrawn", _("Withdrew a membership request")
    BACKUP_WRITTEN = "system.backup_written", _("Wrote a backup")
    BACKUP_RESTORED = "system.backup_restored", _("Restored a backup")


_writers: dict[str, Callable] = {}


def plug(*, event: Callable, access: Callable) -> None:
    """Called once by the audit app: ``event`` writes an AuditEvent, ``access`` an access-log row."""
    _writers.update(event=event, access=access)


def _writer(kind: str) -> Callable:
    try:
        return _writers[kind]
    except KeyError:
        raise ImproperlyConfigured("haven.audit is not installed: nothing would record this change") from None


def record_event(actor, verb: str, target, *, organisation=None, before: dict | None = None,
                 after: dict | None = None):
    """One audit event for a change (see ``haven.audit.events.record_event``); inside the change's transaction."""
    return _writer("event")(actor, verb, target, organisation=organisation, before=before, after=after)


def record_access(actor, action: str, purpose: str, **fields):
    """One access-log row for ``actor`` (see ``haven.audit.services.record``)."""
    return _writer("access")(actor, action, purpose, **fields)


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose value differs, from each side."""
    keys = [key for key in dict.fromkeys([*before, *after]) if before.get(key) != after.get(key)]
    return ({key: before[key] for key in keys if key in before}, {key: after[key] for key in keys if key in after})
