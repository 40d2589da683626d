"""The case chain: signal, screening, referrals, the procedure's steps and documents, deadlines,
support services and the timeline. Rules live in ``haven.cases.services``; the procedure itself is
data (the profile's ``procedure`` section, stored in ``Procedure``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from haven.access.fields import EncryptedTextField
from haven.access.parts import PARTS
from haven.jurisdictions.models import LegalTest


class ExploitationForm(models.TextChoices):  # HTCDS / CTDC type of exploitation
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    BEGGING = "begging", _("Exploitation of begging")
    CRIMINAL = "criminal", _("Forced criminal activity")
    ORGANS = "organs", _("Organ removal")
    MARRIAGE = "marriage", _("Forced marriage")
    OTHER = "other", _("Other exploitation")


class IsicSection(models.TextChoices):  # ISIC rev. 4 sections, as HTCDS uses them for the sector
    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply, sewerage and waste management")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade, repair of vehicles")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service activities")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support service activities")
    O = "O", _("Public administration and defence")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work activities")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Activities of households as employers")
    U = "U", _("Activities of extraterritorial organisations")


class TraffickingStatus(models.TextChoices):  # HTCDS vic_TraffickingStatus
    PRESUMED = "presumed", _("Presumed victim (PossibleVictimOfTrafficking)")
    IDENTIFIED = "identified", _("Identified victim (ActualVictimOfTrafficking)")


class AgeGroup(models.TextChoices):  # the indicator sets' age groups (data/ilo_indicators.yaml)
    ADULTS = "adults", _("Adults")
    CHILDREN = "children", _("Children")


class Reading(models.TextChoices):  # a screening's overall reading of the indicators
    LIKELY = "likely", _("likely victim")
    POSSIBLE = "possible", _("possible victim")
    INSUFFICIENT = "insufficient", _("insufficient indications")


# The parts of a case as a code list for the columns naming one; built from PARTS so the two cannot drift.
Part = models.TextChoices("Part", [(code.upper(), (code, label)) for code, label in PARTS.items()])


class TimelineEvent(models.TextChoices):
    """What a timeline line records; ``haven.cases.timeline.RENDERERS`` writes each as a sentence."""

    SIGNAL = "signal", _("Signal recorded")
    SCREENING = "screening", _("Screening")
    TRANSITION = "transition", _("Procedure step")
    DOCUMENT = "document", _("Residence document")
    REFERRAL = "referral", _("Referral")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_REVOKED = "referral_revoked", _("Referral revoked")
    STATUS = "status", _("Trafficking status")
    SERVICE = "service", _("Support service added")
    SERVICE_UPDATED = "service_updated", _("Support service updated")
    REOPENED = "reopened", _("Case reopened")
    REQUEST = "request", _("Request between organisations")
    GUARDIAN = "guardian", _("Guardian")
    AGE_ASSESSMENT = "age_assessment", _("Age assessment")


class Procedure(models.Model):
    """A jurisdiction's victim-status procedure, as its profile states it (section ``procedure``)."""

    jurisdiction = models.OneToOneField("jurisdictions.Jurisdiction", on_delete=models.CASCADE,
                                        related_name="procedure")
    spec = models.JSONField(default=dict)
    profile_version = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("victim-status procedure")
        verbose_name_plural = _("victim-status procedures")

    def __str__(self):
        return f"procedure {self.jurisdiction_id}"


class Signal(models.Model):
    """What the front line saw: where, when, who detected it (DESIGN.md §2, first state)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="signal")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("detecting organisation"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    detected_on = models.DateField(_("detected on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    observations = models.TextField(_("what was seen"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")

    def __str__(self):
        return f"signal of {self.case}"


class Screening(models.Model):
    """One screening on a versioned indicator set; the result is stored, never recomputed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="screenings")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_on = models.DateField(_("screened on"), default=timezone.localdate)
    exploitation_form = models.CharField(_("form of exploitation"), max_length=16, choices=ExploitationForm.choices)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)
    indicator_set = models.CharField(_("indicator set"), max_length=40)
    set_version = models.CharField(_("set version"), max_length=40)
    verification = models.CharField(_("verification status"), max_length=200)
    fallback = models.BooleanField(_("fallback set used"), default=False)
    indicators = models.JSONField(_("indicators present"), default=list)
    dimensions = models.JSONField(_("dimensions"), default=dict)
    reading = models.CharField(_("reading"), max_length=16, choices=Reading.choices)
    legal_test = models.CharField(_("legal test"), max_length=32, choices=LegalTest.choices)
    legal_elements = models.JSONField(_("legal elements"), default=dict)
    legal_test_met = models.BooleanField(_("legal test met"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-screened_on", "-pk"]

    def __str__(self):
        return f"screening {self.pk} of {self.case}"


class Referral(models.Model):
    """A referral, transfer or assignment of a case from one organisation to another."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        TRANSFER = "transfer", _("Transfer")
        ASSIGNMENT = "assignment", _("Assignment")

    class Purpose(models.TextChoices):
        RECEPTION = "reception", _("Reception and guidance")
        GUARDIANSHIP = "guardianship", _("Guardianship")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    class Consent(models.TextChoices):
        GIVEN = "given", _("The person consented")
        OVERRIDDEN = "overridden", _("Referred without consent (overridden)")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REFERRAL)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.RECEPTION)
    from_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("from"))
    to_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                        related_name="incoming_referrals", verbose_name=_("to"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    consent = models.CharField(_("consent"), max_length=16, choices=Consent.choices)
    consent_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+")
    consent_override_reason = models.TextField(_("why consent was overridden"), blank=True)
    note = models.TextField(_("note"), blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    share = models.ForeignKey("cases.CaseShare", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_changed = models.BooleanField(default=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.pk} of {self.case}"


class ProcedureStep(models.Model):
    """One applied transition of the victim-status procedure (the procedure's own log)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    on = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.case}: {self.action} ({self.from_state} → {self.to_state})"


class CaseFact(models.Model):
    """A dated fact of a case that the procedure records (a complaint filed, the magistrate's
    confirmation…). Which facts exist is the profile's ``facts:``; transitions set and clear them.
    One row per current fact; a cleared fact is deleted and stays in the history."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="facts")
    name = models.CharField(_("fact"), max_length=40)
    on = models.DateField(_("since"))
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("recorded by"))
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case fact")
        verbose_name_plural = _("case facts")
        ordering = ["on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="case_fact_unique")]

    def __str__(self):
        return f"{self.name} of {self.case}"


class ResidenceDocument(models.Model):
    """A document the procedure issued (annex 15, attestation d'immatriculation, A card…)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    renewal_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Set by the organisation that issues it (the Immigration Office); the commune hands it over.
    number = models.CharField(_("document number"), max_length=40, blank=True)
    issued_by = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("issuing authority"))
    commune = models.CharField(_("issuing commune"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["valid_from", "pk"]

    def __str__(self):
        return f"{self.kind} of {self.case}"

    @property
    def active(self) -> bool:
        return self.ended_on is None


class Deadline(models.Model):
    """Something that falls due: a document's end, the reflection period's end, an unanswered referral."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(max_length=60)  # what produced it: "document:12", "referral:5"
    kind = models.CharField(max_length=40)  # document kind, or "referral"
    part = models.CharField(max_length=16, choices=Part.choices, default="documents")
    due_on = models.DateField(db_index=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="deadlines")
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="deadline_key_unique")]

    def __str__(self):
        return f"{self.kind} of {self.case} due {self.due_on}"


class SupportService(models.Model):
    """A line of the support plan (HTCDS): shelter, psychological, medical, legal… help."""

    class Kind(models.TextChoices):
        SHELTER = "shelter", _("Shelter")
        PSYCHOLOGICAL = "psychological", _("Psychological help")
        MEDICAL = "medical", _("Medical help")
        LEGAL = "legal", _("Legal help")
        ADMINISTRATIVE = "administrative", _("Administrative help")
        INTERPRETATION = "interpretation", _("Interpretation")
        VOLUNTARY_RETURN = "voluntary_return", _("Voluntary return (with IOM)")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support service")
        verbose_name_plural = _("support services")
        ordering = ["planned_start", "pk"]

    def __str__(self):
        return f"{self.kind} for {self.case}"


class ShelterAddress(models.Model):
    """The secret address of a shelter stay: only the centre that recorded it sees it."""

    service = models.OneToOneField(SupportService, on_delete=models.CASCADE, related_name="shelter")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    address = EncryptedTextField(_("address"))

    history = HistoricalRecords()

    def __str__(self):
        return f"shelter address {self.pk}"  # never the address


class TimelineEntry(models.Model):
    """One line of a case's timeline. ``event`` and ``data`` are rendered in the reader's language;
    ``part`` says which part of the case the line belongs to (it is scoped like that part)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="timeline")
    on = models.DateField()
    at = models.DateTimeField(default=timezone.now)
    event = models.CharField(max_length=40, choices=TimelineEvent.choices)
    part = models.CharField(max_length=16, choices=Part.choices, default="summary")
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, null=True,
                                     related_name="+")

    class Meta:
        ordering = ["on", "at", "pk"]

    def __str__(self):
        return f"{self.event} on {self.case}"


# Module-level names for the API schema's enum names (settings.SPECTACULAR_SETTINGS).
ReferralKind = Referral.Kind
ReferralPurpose = Referral.Purpose
