"""Break-glass grants and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BreakGlassQuerySet(models.QuerySet):
    def active(self):
        return self.filter(expires__gt=timezone.now())

    def granted_to(self, user, organisation_ids):
        """Grants of ``user`` through any of ``organisation_ids``, newest first."""
        return self.filter(user=user, organisation_id__in=organisation_ids).order_by("-started", "-pk")


class BreakGlass(models.Model):
    """Emergency access to one case the user's organisation does not take part in.

    Granted at once to a member whose role could see such a case, for a few hours, with a
    stated reason; written to the access log and reported to the owning organisation's admins.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="break_glass")
    reason = models.TextField(_("reason"))
    started = models.DateTimeField(_("started"), default=timezone.now)
    expires = models.DateTimeField(_("expires"))

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        ordering = ["-started"]
        indexes = [models.Index(fields=["user", "expires"])]

    def __str__(self):
        return f"{self.user} → case {self.case_id} ({self.started:%Y-%m-%d %H:%M})"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(expires__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    """A bearer token issued by ``POST /api/v1/auth/token/`` after password and one-time code.

    Only its SHA-256 is stored: a copy of the database does not let anyone call the API.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"token of {self.user} until {self.expires:%Y-%m-%d %H:%M}"

    @classmethod
    def issue(cls, user, lifetime: timedelta | None = None) -> tuple["ApiToken", str]:
        key = secrets.token_urlsafe(32)
        lifetime = lifetime or timedelta(seconds=settings.HAVEN_API_TOKEN_SECONDS)
        token = cls.objects.create(user=user, digest=_digest(key), expires=timezone.now() + lifetime)
        return token, key

    @classmethod
    def find(cls, key: str):
        return cls.objects.valid().select_related("user").filter(digest=_digest(key)).first()
