"""Notices to a person: something arrived in their organisation's queue or falls due.

A notice stores what happened (``kind``, ``params``), not a sentence: it is written in the
recipient's language when shown or e-mailed (``services.render``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", help_text=_("The seat the notice is for."))
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(default=dict, blank=True)  # never an identity: a reference, a date, a name of a kind
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=80, blank=True, help_text=_("What it is about, so one thing is notified once."))
    created = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [models.UniqueConstraint(fields=["recipient", "kind", "key"], condition=~models.Q(key=""),
                                               name="notification_once")]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"
