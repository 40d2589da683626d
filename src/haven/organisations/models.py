from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import OrganisationKind, Role


class User(AbstractUser):
    """A person who signs in to Haven. What they may do comes from their memberships."""

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
