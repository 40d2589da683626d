"""The justice chain (DESIGN.md §2): investigation → prosecution → court decision → appeal.

No suspect or defendant is identified here: persons are *counted* (``SuspectCount``,
``ProsecutedCount``, ``DecisionCount``) by sex, age band, citizenship and, for suspects, role.
Investigations are linked to cases (``CaseLink``); a link shares the case with the
investigation's organisations (``CaseShare`` reason ``justice_link``, see ``services``).
Read ``haven.access.scope`` before listing anything: ``justice/access_rules.py`` says who sees what.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from haven.cases.models import ExploitationForm  # one code list for cases and investigations
from haven.core.codes import CodeListValidator, split_codes
from haven.core.errors import StaleEdit
from haven.persons.models import Sex


class AgeBand(models.TextChoices):
    MINOR = "0-17", _("Under 18")
    A18 = "18-24", "18–24"
    A25 = "25-34", "25–34"
    A35 = "35-44", "35–44"
    A45 = "45-54", "45–54"
    A55 = "55+", _("55 and over")
    UNKNOWN = "unknown", _("Unknown age")


class SuspectRole(models.TextChoices):
    RECRUITER = "recruiter", _("Recruiter")
    TRANSPORTER = "transporter", _("Transporter")
    EXPLOITER = "exploiter", _("Exploiter")
    ORGANISER = "organiser", _("Organiser")
    OTHER = "other", _("Other role")
    UNKNOWN = "unknown", _("Unknown role")


class Charge(models.TextChoices):
    THB = "thb", _("Trafficking in human beings (Criminal Code art. 433quinquies)")
    SMUGGLING = "smuggling", _("Smuggling of migrants (Aliens Act art. 77bis)")
    SLUM_LANDLORD = "slum_landlord", _("Slum landlording (Criminal Code art. 433decies)")
    CRIMINAL_ORGANISATION = "criminal_organisation", _("Criminal organisation (Criminal Code art. 324bis)")
    LAUNDERING = "laundering", _("Money laundering (Criminal Code art. 505)")
    SOCIAL_LAW = "social_law", _("Social Criminal Code offences")
    OTHER = "other", _("Other charge")


class Outcome(models.TextChoices):
    CONVICTION = "conviction", _("Conviction")
    ACQUITTAL = "acquittal", _("Acquittal")
    PARTIAL = "partial", _("Partial conviction")


class PersonOutcome(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")


class Appellant(models.TextChoices):
    PROSECUTION = "prosecution", _("Prosecution")
    DEFENCE = "defence", _("Defence")
    BOTH = "both", _("Prosecution and defence")
    CIVIL_PARTY = "civil_party", _("Civil party")




citizenship_validator = RegexValidator(r"^[A-Z]{2}$", _("Use an ISO 3166-1 alpha-2 code, e.g. RO."))


class Versioned(models.Model):
    """Optimistic locking: ``save_versioned(expected_version, fields)`` refuses a stale edit."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(self, expected_version: int, fields: list[str]) -> None:
        with transaction.atomic():
            current = (type(self).objects.select_for_update().filter(pk=self.pk)
                       .values_list("version", flat=True).first())
            if current != expected_version:
                raise StaleEdit()
            self.version = expected_version + 1
            self.save(update_fields=[*fields, "version"])


class Investigation(Versioned):
    file_number = models.CharField(_("police file number"), max_length=64)
    district = models.ForeignKey("jurisdictions.JudicialDistrict", on_delete=models.PROTECT,
                                 related_name="investigations", verbose_name=_("judicial district"))
    opened = models.DateField(_("opened"))
    police_unit = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("police unit"), limit_choices_to={"kind": "police"})
    owner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                              related_name="owned_investigations", verbose_name=_("owning organisation"))
    prosecution_office = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("prosecution office seized"), limit_choices_to={"kind": "prosecution"},
        help_text=_("The prosecutor's or labour auditor's office the file was sent to; it then sees it."))
    forms = models.CharField(_("forms of exploitation"), max_length=200, blank=True,
                             validators=[CodeListValidator(ExploitationForm.values)])
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["-opened", "-pk"]
        constraints = [models.UniqueConstraint(fields=["police_unit", "file_number"],
                                               name="investigation_file_number_unique")]

    def __str__(self):
        return self.file_number

    @property
    def form_list(self) -> list[str]:
        return split_codes(self.forms)

    def get_forms_display(self) -> list[str]:
        labels = dict(ExploitationForm.choices)
        return [str(labels.get(code, code)) for code in self.form_list]


class Breakdown(models.Model):
    """A number of persons sharing sex, age band and citizenship (never who they are)."""

    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True, validators=[citizenship_validator],
                                   help_text=_("ISO 3166-1 alpha-2; empty when unknown"))
    count = models.PositiveIntegerField(_("number of persons"))

    class Meta:
        abstract = True


class SuspectCount(Breakdown):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="suspects")
    role = models.CharField(_("role"), max_length=12, choices=SuspectRole.choices, default=SuspectRole.UNKNOWN)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suspects")
        verbose_name_plural = _("suspects")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.count} suspect(s) in investigation {self.investigation_id}"


class Prosecution(Versioned):
    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="prosecutions")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("prosecuting organisation"),
                                     limit_choices_to={"kind": "prosecution"})
    opened = models.DateField(_("opened"))
    charges = models.CharField(_("charges"), max_length=200, validators=[CodeListValidator(Charge.values)])
    thb_in_requisitions = models.BooleanField(_("THB kept in the requisitions"), default=False)
    requisitions_date = models.DateField(_("date of the requisitions"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prosecution")
        verbose_name_plural = _("prosecutions")
        ordering = ["opened", "pk"]

    def __str__(self):
        return f"prosecution {self.pk}"

    def get_charges_display(self) -> list[str]:
        labels = dict(Charge.choices)
        return [str(labels.get(code, code)) for code in split_codes(self.charges)]


class ProsecutedCount(Breakdown):
    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="persons")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prosecuted persons")
        verbose_name_plural = _("prosecuted persons")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.count} prosecuted in prosecution {self.prosecution_id}"


class Decision(Versioned):
    """A court decision at first instance."""

    prosecution = models.ForeignKey(Prosecution, on_delete=models.PROTECT, related_name="decisions")
    court = models.CharField(_("court"), max_length=200)
    date = models.DateField(_("date of the decision"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    thb_convicted = models.BooleanField(_("convicted of THB"), default=False,
                                        help_text=_("At least one person convicted under art. 433quinquies."))
    sentence_months = models.PositiveIntegerField(_("prison sentence (months)"), null=True, blank=True)
    suspended_months = models.PositiveIntegerField(_("of which suspended (months)"), null=True, blank=True)
    confiscation_euro = models.DecimalField(_("confiscation (euro)"), max_digits=14, decimal_places=2,
                                            null=True, blank=True)
    fines_euro = models.DecimalField(_("fines (euro)"), max_digits=14, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("court decision")
        verbose_name_plural = _("court decisions")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"decision {self.pk}"


class DecisionCount(Breakdown):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="persons")
    outcome = models.CharField(_("outcome"), max_length=12, choices=PersonOutcome.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("judged persons")
        verbose_name_plural = _("judged persons")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.count} {self.outcome} in decision {self.decision_id}"


class Appeal(Versioned):
    """An appeal against a decision; ``decided`` and ``outcome`` stay empty while it is pending.

    The appeal's outcome replaces the decision's: an appeal with ``thb_convicted=False`` against a
    THB conviction overturns it.
    """

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    appellant = models.CharField(_("appellant"), max_length=12, choices=Appellant.choices)
    lodged = models.DateField(_("lodged"))
    decided = models.DateField(_("decided"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    thb_convicted = models.BooleanField(_("convicted of THB on appeal"), default=False)
    sentence_months = models.PositiveIntegerField(_("prison sentence (months)"), null=True, blank=True)
    suspended_months = models.PositiveIntegerField(_("of which suspended (months)"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["lodged", "pk"]

    def __str__(self):
        return f"appeal {self.pk}"


class CaseLink(models.Model):
    """An investigation ↔ case link; unlinked by setting ``unlinked_at``, never deleted."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="investigation_links")
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    unlinked_at = models.DateTimeField(_("unlinked"), null=True, blank=True)
    unlinked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("linked case")
        verbose_name_plural = _("linked cases")
        ordering = ["linked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["investigation", "case"], condition=models.Q(unlinked_at=None),
                                               name="justice_case_link_active_unique")]

    def __str__(self):
        return f"investigation {self.investigation_id} ↔ case {self.case_id}"
