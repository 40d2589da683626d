"""Cases, their shares with other organisations, and the retention policy.

Read ``haven.access.scope`` before showing any of it: nothing here is safe to list without ``scope(…)``.
"""

import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from haven.access.parts import PartsMaskField, mask_of, parts_of
from haven.core.codes import CodeListValidator, join_codes, split_codes
from haven.core.errors import StaleEdit  # noqa: F401  (raised by save_versioned)
from haven.persons.models import Person

from .chain import ExploitationForm, IsicSection, TraffickingStatus


def new_reference(jurisdiction_code: str) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"{jurisdiction_code}-{timezone.now():%Y}-" + "".join(secrets.choice(alphabet) for _ in range(6))


class Case(models.Model):
    """One person's path through the mechanism, owned by one organisation (DESIGN.md §3)."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    jurisdiction = models.ForeignKey("jurisdictions.Jurisdiction", on_delete=models.PROTECT, related_name="cases",
                                     verbose_name=_("jurisdiction"))
    owner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="cases",
                              verbose_name=_("owning organisation"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # --- the case chain (haven.cases.services; the procedure is data in the profile) ---
    state = models.CharField(_("procedure state"), max_length=40, default="signal", db_index=True)
    region = models.ForeignKey("jurisdictions.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="cases", verbose_name=_("region"))
    district = models.ForeignKey("jurisdictions.JudicialDistrict", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("judicial district"),
                                 help_text=_("Where the facts are prosecuted: it routes requests to the magistrate."))
    minor = models.BooleanField(_("may be a minor"), default=False)
    unaccompanied = models.BooleanField(_("unaccompanied"), default=False)
    exploitation_forms = models.CharField(_("forms of exploitation"), max_length=200, default=",", blank=True,
                                          help_text=_("Stored as ,form,form, (see form_set)."),
                                          validators=[CodeListValidator(ExploitationForm.values)])
    sector = models.CharField(_("sector (ISIC section)"), max_length=1, blank=True, choices=IsicSection.choices)
    detected_on = models.DateField(_("detected on"), null=True, blank=True)
    trafficking_status = models.CharField(_("trafficking status"), max_length=16, blank=True,
                                          choices=TraffickingStatus.choices)
    status_decided_by = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+", verbose_name=_("status decided by"))
    status_decided_on = models.DateField(_("status decided on"), null=True, blank=True)
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("responsible caseworker"))
    close_reason = models.CharField(_("closure reason"), max_length=40, blank=True)
    state_before_close = models.CharField(max_length=40, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created"]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference(self.jurisdiction.code)
        super().save(*args, **kwargs)

    @property
    def form_set(self) -> frozenset[str]:
        return frozenset(split_codes(self.exploitation_forms))

    @form_set.setter
    def form_set(self, forms) -> None:
        self.exploitation_forms = join_codes(forms)

    def fact(self, name: str):
        """The date of the case's fact ``name`` (``CaseFact``, declared by the profile), or None.

        The facts are read once per instance (or come from ``prefetch_related("facts")``)."""
        if "facts" not in getattr(self, "_prefetched_objects_cache", {}):
            models.prefetch_related_objects([self], "facts")
        return next((fact.on for fact in self.facts.all() if fact.name == name), None)

    def forget_facts(self) -> None:
        """Drop the facts read by ``fact``: they were changed through another query."""
        getattr(self, "_prefetched_objects_cache", {}).pop("facts", None)

    def save_versioned(self, expected_version: int, fields: list[str]) -> None:
        """Save ``fields`` only if nobody saved the case since ``expected_version`` was read.

        Raises ``StaleEdit`` (409 on the API, a message on the page) and changes nothing otherwise.
        """
        with transaction.atomic():
            locked = Case.objects.select_for_update().filter(pk=self.pk).values_list("version", flat=True).first()
            if locked != expected_version:
                raise StaleEdit()
            self.version = expected_version + 1
            self.save(update_fields=[*fields, "version", "updated"])


class ShareReason(models.TextChoices):
    REFERRAL = "referral", _("Accepted referral")
    JUSTICE_LINK = "justice_link", _("Justice link")
    ASSIGNMENT = "assignment", _("Assignment")
    REQUEST = "request", _("Request to confirm or decide")
    GUARDIAN = "guardian", _("Guardian appointed")


class CaseShare(models.Model):
    """Another organisation's access to a case, and which parts of it (``haven.access.scope.PARTS``).

    Created when a referral is accepted or a justice link is made; revoked, never deleted.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="case_shares", verbose_name=_("organisation"))
    reason = models.CharField(_("reason"), max_length=16, choices=ShareReason.choices)
    parts_mask = PartsMaskField(_("parts"), default=0,
                                help_text=_("One bit per part, in haven.access.scope.PART_BITS_ORDER (see part_set)."))
    note = models.TextField(_("note"), blank=True)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case share")
        verbose_name_plural = _("case shares")
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation", "reason"], condition=models.Q(revoked_at=None),
                                    name="case_share_active_unique"),
        ]
        # Visibility joins the active shares of the member's organisations to the cases, then tests a bit.
        indexes = [models.Index(fields=["organisation", "revoked_at", "case"], name="case_share_visibility")]

    def __str__(self):
        return f"{self.case} → {self.organisation} ({self.reason})"

    @property
    def part_set(self) -> frozenset[str]:
        return parts_of(self.parts_mask)

    @part_set.setter
    def part_set(self, parts) -> None:
        self.parts_mask = mask_of(parts)  # ValueError for a name outside PARTS

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class RetentionPolicy(models.Model):
    """How long a jurisdiction keeps identities (profile section ``retention``)."""

    jurisdiction = models.OneToOneField("jurisdictions.Jurisdiction", on_delete=models.CASCADE,
                                        related_name="retention")
    identity_years_after_closure = models.PositiveSmallIntegerField(
        _("years an identity is kept after the case closed"))

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self):
        return f"{self.jurisdiction}: {self.identity_years_after_closure} years"
