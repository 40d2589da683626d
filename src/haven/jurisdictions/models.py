"""A jurisdiction profile is data: its regions, districts and routing are rows, not code paths."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def localized(texts: dict | str | None, language: str | None = None) -> str:
    """Pick the text for the active language from ``{"en": …, "fr": …}``, falling back to English."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    language = (language or get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


class LegalTest(models.TextChoices):
    ACT_PURPOSE = "act_purpose", _("Act and purpose (means are aggravating circumstances)")
    ACT_MEANS_PURPOSE = "act_means_purpose", _("Act, means and purpose (means waived for children)")


class Jurisdiction(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("ISO 3166-1 alpha-2"))
    name = models.JSONField(_("name"), default=dict)
    legal_test = models.CharField(_("legal test"), max_length=32, choices=LegalTest.choices)
    phone_region = models.CharField(_("phone region"), max_length=2)
    languages = models.JSONField(_("official languages"), default=list)
    profile_version = models.CharField(_("profile version"), max_length=32)
    # The loaded profile's content hash: caches of the parsed profile key on it (haven.jurisdictions.profile).
    profile_digest = models.CharField(_("profile digest"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["code"]

    def __str__(self):
        return localized(self.name) or self.code


class Region(models.Model):
    """A region of a jurisdiction; ``national`` covers the whole jurisdiction."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="regions")
    code = models.SlugField(_("code"), max_length=40)
    name = models.JSONField(_("name"), default=dict)
    is_national = models.BooleanField(_("national"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["jurisdiction", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="region_code_unique")]

    def __str__(self):
        return localized(self.name) or self.code


class JudicialDistrict(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="districts")
    code = models.SlugField(_("code"), max_length=40)
    name = models.JSONField(_("name"), default=dict)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        verbose_name = _("judicial district")
        verbose_name_plural = _("judicial districts")
        ordering = ["jurisdiction", "code"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="district_code_unique")]

    def __str__(self):
        return localized(self.name) or self.code


class MagistrateRoute(models.Model):
    """Which prosecution office's reference magistrate confirms requests for a judicial district
    (profile section ``magistrates``): the public prosecutor by default, the labour auditor for the
    forms of exploitation listed in ``forms`` (a comma-wrapped code list, ``",labour,"``; ``","``: default)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="magistrate_routes")
    district = models.ForeignKey(JudicialDistrict, on_delete=models.CASCADE, related_name="magistrate_routes",
                                 verbose_name=_("judicial district"))
    forms = models.CharField(_("forms of exploitation"), max_length=200, default=",", blank=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("prosecution office"))

    class Meta:
        verbose_name = _("magistrate route")
        verbose_name_plural = _("magistrate routes")
        ordering = ["jurisdiction", "district", "forms"]
        constraints = [models.UniqueConstraint(fields=["district", "forms"], name="magistrate_route_unique")]

    def __str__(self):
        return f"{self.district} {self.forms} → {self.organisation_id}"


class Audience(models.TextChoices):
    ADULT = "adult", _("Adult")
    MINOR = "minor", _("Minor")


class CentreRoute(models.Model):
    """Which organisation is competent for a person detected in a region.

    A minor can have several routes (the child centre and the guardianship service); the
    ``purpose`` tells them apart.
    """

    class Purpose(models.TextChoices):
        RECEPTION = "reception", _("Reception and guidance")
        GUARDIANSHIP = "guardianship", _("Guardianship")

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="routes")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="routes")
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.RECEPTION)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="routes")

    class Meta:
        verbose_name = _("route to a centre")
        verbose_name_plural = _("routes to centres")
        constraints = [
            models.UniqueConstraint(fields=["region", "audience", "purpose"], name="route_unique"),
        ]

    def __str__(self):
        return f"{self.region} / {self.audience} / {self.purpose} → {self.organisation}"
