from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import OrganisationKind, Role


class User(AbstractUser):
    """A person who signs in to Haven. What they may do comes from their memberships."""

    # The language of pages and of the notices Haven sends them (e-mail, in-page); blank: the browser's.
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def membership_in(self, organisation):
        return self.memberships.filter(organisation=organisation).first()


class Organisation(models.Model):
    """A body that takes part in the mechanism: a centre, a police unit, a prosecutor's office…"""

    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", on_delete=models.PROTECT, related_name="organisations"
    )
    slug = models.SlugField(_("short name"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        "jurisdictions.Region", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    languages = models.JSONField(_("languages"), default=list, help_text=_("ISO 639-1 codes, e.g. [\"nl\", \"fr\"]"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "slug"], name="organisation_slug_unique")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in one organisation. A user may belong to several organisations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ORG_ADMIN


class MembershipRequest(models.Model):
    """An organisation's admin asking to take in someone who is a member elsewhere.

    Taking in a member of another organisation needs that organisation's knowledge: one of its
    admins accepts (and the membership is created) or declines. Until then nothing is granted.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="membership_requests",
                             verbose_name=_("user"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="membership_requests",
                                     verbose_name=_("asking organisation"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True,
                              help_text=_("Why the request was declined (optional)."))

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # asking again is allowed once the previous request was answered or withdrawn
            models.UniqueConstraint(fields=["user", "organisation"], condition=models.Q(status="pending"),
                                    name="membership_request_one_pending"),
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
