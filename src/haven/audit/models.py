"""The access log (who saw or exported what, when, from where and why) and the audit events
(who changed a membership, an organisation or a library record). Both are append-only.

Rows are never changed or deleted through Haven: the model and its queryset refuse, and on
PostgreSQL a trigger refuses UPDATE and DELETE for everyone, whatever code runs (migration
0002). On SQLite a trigger refuses UPDATE. References to users, organisations and records are
kept as plain values (foreign keys without constraints), so deleting or erasing them never
touches a log row.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.trail import Action, Purpose, Verb, Via  # noqa: F401  (the trail's vocabulary lives in core)


class AppendOnly(Exception):
    """The access log cannot be changed or deleted."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the access log is append-only")

    def delete(self):
        raise AppendOnly("the access log is append-only")

    _raw_delete = delete
    bulk_update = update


def _loose_fk(model, **kwargs):
    return models.ForeignKey(model, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
                             related_name="+", **kwargs)


class AccessLog(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = _loose_fk(settings.AUTH_USER_MODEL, verbose_name=_("user"))
    username = models.CharField(_("username"), max_length=150, blank=True)
    organisation = _loose_fk("organisations.Organisation", verbose_name=_("organisation"))
    owner_organisation = _loose_fk("organisations.Organisation", verbose_name=_("owning organisation"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    reason = models.CharField(_("stated reason"), max_length=500, blank=True)
    record = models.CharField(_("record"), max_length=100, blank=True,
                              help_text=_("model and id, e.g. cases.person:12"))
    case_id = models.BigIntegerField(_("case"), null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(_("person"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["owner_organisation", "at"]), models.Index(fields=["organisation", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.record}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnly("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("the access log is append-only")


class AuditEventQuerySet(AccessLogQuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit events are append-only")

    def delete(self):
        raise AppendOnly("audit events are append-only")

    _raw_delete = delete
    bulk_update = update


class AuditEvent(models.Model):
    """One change made through an action, written in the change's own transaction.

    ``before`` and ``after`` hold only the fields that changed, and never an identity value (no
    person's name or birth date): the events are about memberships, organisations and library
    records. The user is kept as a foreign key that a user's deletion empties (the database trigger
    allows exactly that update, migration 0004) and as the username, which stays. Organisations are
    plain references, so deleting one never touches an event and its id still scopes who reads it.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("user"))
    username = models.CharField(_("username"), max_length=150, blank=True)
    organisation = _loose_fk("organisations.Organisation", verbose_name=_("acting organisation"))
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    verb = models.CharField(_("what happened"), max_length=40, choices=Verb.choices, db_index=True)
    target = models.CharField(_("record"), max_length=100,
                              help_text=_("model and id, e.g. organisations.membership:12"))
    target_organisation = _loose_fk("organisations.Organisation", verbose_name=_("organisation concerned"))
    before = models.JSONField(_("before"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_organisation", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.verb} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnly("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit events are append-only")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field the event names, for reading on a page."""
        return [(key, self.before.get(key), self.after.get(key)) for key in dict.fromkeys([*self.before, *self.after])]
