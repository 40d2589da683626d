"""The access log: who saw or exported what, when, from where and why. Append-only.

Rows are never changed or deleted through Haven: the model and its queryset refuse, and on
PostgreSQL a trigger refuses UPDATE and DELETE for everyone, whatever code runs (migration
0002). On SQLite a trigger refuses UPDATE. References to users, organisations and records are
kept as plain values (foreign keys without constraints), so deleting or erasing them never
touches a log row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """The access log cannot be changed or deleted."""


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
