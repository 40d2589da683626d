"""Publishing confirmed claims as series points, and withdrawing them."""

from django.db import transaction
from django.utils.text import slugify

from .models import Series, SeriesPoint


def series_for(measure: str, unit: str, jurisdiction: str) -> Series:
    series = Series.objects.filter(measure=measure, unit=unit, jurisdiction=jurisdiction).first()
    if series:
        return series
    base = slugify(f"{jurisdiction}-{measure}-{unit}")[:110] or "series"
    slug, n = base, 1
    while Series.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Series.objects.create(slug=slug, measure=measure, unit=unit, jurisdiction=jurisdiction)


@transaction.atomic
def publish_claim(claim) -> SeriesPoint:
    """The point a confirmed claim becomes (created once; updated if the claim changed)."""
    series = series_for(claim.measure, claim.unit, claim.jurisdiction.code or "")
    point, _ = SeriesPoint.objects.update_or_create(claim=claim, defaults={
        "series": series, "period_start": claim.period_start, "period_end": claim.period_end,
        "period_label": claim.period_label, "value": claim.value, "value_max": claim.value_max,
        "qualifier": claim.qualifier, "per_year": claim.per_year})
    return point


@transaction.atomic
def withdraw_claim(claim) -> None:
    """A claim that is no longer confirmed is no longer published; empty series disappear."""
    points = SeriesPoint.objects.filter(claim=claim)
    series_ids = list(points.values_list("series_id", flat=True))
    points.delete()
    Series.objects.filter(pk__in=series_ids, points__isnull=True).delete()


def published_series():
    return Series.objects.prefetch_related("points__claim__source", "points__claim__excerpt__appearance__page")
