"""Published series. Each point of a series comes from a confirmed claim of the evidence library
and links back to its quote; Haven's own counts will sit beside them (DESIGN.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from haven.library.models import Qualifier


class Series(models.Model):
    """What is measured, in which unit, where: "human trafficking cases registered" (cases, BE)."""

    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    measure = models.CharField(_("measure"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    jurisdiction = CountryField(_("jurisdiction"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["jurisdiction", "measure"]
        constraints = [models.UniqueConstraint(fields=["measure", "unit", "jurisdiction"], name="series_identity")]

    def __str__(self):
        return f"{self.measure} ({self.unit}, {self.jurisdiction.code or '—'})"


class SeriesPoint(models.Model):
    """One published value, with its provenance: the confirmed claim (quote, excerpt, source)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="points")
    claim = models.OneToOneField("library.Claim", on_delete=models.CASCADE, related_name="series_point")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(_("period"), max_length=60)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    value_max = models.DecimalField(_("upper value"), max_digits=18, decimal_places=4, null=True, blank=True)
    qualifier = models.CharField(_("qualifier"), max_length=12, choices=Qualifier.choices)
    per_year = models.BooleanField(default=False)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series point")
        verbose_name_plural = _("series points")
        ordering = ["series", "period_start", "period_end", "pk"]

    def __str__(self):
        return f"{self.series.measure} {self.period_label}: {self.value}"
