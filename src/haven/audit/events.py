"""Writing audit events: the one trace every action outside the case and justice chains leaves.

An action (``do_…``) calls ``record_event`` inside its own transaction, after its writes, so the
change and its event are committed together or not at all.
"""

from django.db import models, transaction

from haven.core.actor import Actor
from haven.core.trail import changes  # noqa: F401  (re-exported)

from .models import AuditEvent, Verb

# Keys that would carry a person's identity; an event never holds one (the vault keeps them).
IDENTITY_KEYS = frozenset({"first_name", "last_name", "family_name", "given_names", "full_name", "birth_date",
                           "email", "password", "username", "person"})


class OutsideTransaction(RuntimeError):
    """``record_event`` was called outside ``transaction.atomic``: the event could outlive a failed change."""


def target_of(obj) -> str:
    """``app_label.model:pk`` of a model instance (a string is taken as it is)."""
    if isinstance(obj, models.Model):
        return f"{obj._meta.label_lower}:{obj.pk}"
    return str(obj)


def _id(organisation):
    return getattr(organisation, "pk", organisation)


def record_event(actor: Actor, verb: str, target, *, organisation=None, before: dict | None = None,
                 after: dict | None = None) -> AuditEvent:
    """Write one event for ``actor`` having done ``verb`` to ``target`` (a model instance or
    ``app_label.model:pk``). ``organisation`` is the organisation the target belongs to: its admins
    read the event. Refuses to run outside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise OutsideTransaction("record_event must run inside the transaction of the change it records")
    if verb not in Verb.values:
        raise ValueError(f"unknown verb {verb!r}")
    before, after = dict(before or {}), dict(after or {})
    identity = IDENTITY_KEYS & (set(before) | set(after))
    if identity:
        raise ValueError(f"an audit event never holds identity values: {', '.join(sorted(identity))}")
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        user=user, username=actor.username if user is not None else "", organisation_id=_id(actor.organisation),
        address=actor.address or None, via=actor.via, verb=verb, target=target_of(target)[:100],
        target_organisation_id=_id(organisation), before=before, after=after)


__all__ = ["OutsideTransaction", "Verb", "changes", "record_event", "target_of"]
