"""A child's guardian and the assessment of a doubtful age (Guardianship Act; DESIGN.md §1–2).

The Guardianship Service accepts the child's referral and appoints a guardian, a named member of
the service; a doubt about age opens an ``AgeAssessment`` whose outcome changes the path the
profile prescribes (it sets the case's ``minor``). The rules are in ``services``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

# Why an appointment ended when the system ended it (stored as the key, said in the reader's language); a
# service that ends one itself writes its own reason.
END_REASONS = {
    "replaced": _("another guardian was appointed"),
    "adult": _("the person was assessed an adult"),
}


class GuardianAppointment(models.Model):
    """The guardian of the child of a case; ended, never deleted, when another is appointed or the child
    comes of age."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="guardian_appointments")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("guardianship service"))
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wards",
                                 verbose_name=_("guardian"))
    appointed_on = models.DateField(_("appointed on"), default=timezone.localdate)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guardian appointment")
        verbose_name_plural = _("guardian appointments")
        ordering = ["appointed_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(ended_on=None),
                                               name="one_guardian_per_case")]

    def __str__(self):
        return f"guardian {self.guardian_id} of case {self.case_id}"

    @property
    def end_reason_label(self) -> str:
        return str(END_REASONS.get(self.end_reason, self.end_reason))


class AgeAssessment(models.Model):
    """A doubt about a person's age and how the Guardianship Service settled it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        MINOR = "minor", pgettext_lazy("age assessment", "Minor")
        ADULT = "adult", pgettext_lazy("age assessment", "Adult")
        UNDETERMINED = "undetermined", _("Undetermined")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="age_assessments")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("assessing organisation"))
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_by_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                               related_name="+", verbose_name=_("raised by"))
    doubt = models.TextField(_("why the age is in doubt"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    estimated_birth_year = models.PositiveSmallIntegerField(_("estimated year of birth"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("age assessment")
        verbose_name_plural = _("age assessments")
        ordering = ["opened_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(outcome="pending"),
                                               name="one_open_age_assessment")]

    def __str__(self):
        return f"age assessment of case {self.case_id} ({self.outcome})"


class GuardianshipPolicy(models.Model):
    """How a jurisdiction settles a doubt about age (profile section ``guardianship``)."""

    jurisdiction = models.OneToOneField("jurisdictions.Jurisdiction", on_delete=models.CASCADE,
                                        related_name="guardianship_policy")
    undetermined_is_minor = models.BooleanField(
        _("an undetermined age counts as a minor"), default=True,
        help_text=_("When the assessment cannot settle the age, the person keeps the protection of a minor."))

    class Meta:
        verbose_name = _("guardianship policy")
        verbose_name_plural = _("guardianship policies")

    def __str__(self):
        return f"guardianship policy of {self.jurisdiction_id}"
