"""Counts of the justice chain as Eurostat and the US TIP report ask: suspects, prosecuted and
convicted persons by year, sex, age band and citizenship.

EXACT AGGREGATES. Nothing here applies disclosure control (small-count suppression, secondary
suppression, differential privacy, DESIGN.md §3): these numbers must not leave the system as they
are. Whoever publishes them passes them through the statistics app's disclosure control first.

- **suspects**: ``SuspectCount`` rows, year = the investigation's opening year.
- **prosecuted**: ``ProsecutedCount`` rows, year = the prosecution's opening year.
- **convicted**: ``DecisionCount`` rows with outcome ``convicted``, year = the year of the
  first-instance decision, leaving out decisions whose latest decided appeal acquitted
  (``Outcome.ACQUITTAL``): a conviction overturned on appeal is not counted.

Persons are counted as the investigating and prosecuting services count them (one row per
breakdown); they are not deduplicated across investigations (the chain holds no identities).
Age bands are ``AgeBand`` (0-17 is "minor" for Eurostat's under-18 / 18-and-over split);
citizenship is ISO 3166-1 alpha-2, "" when unknown.
"""

from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, ExtractYear

from .models import Appeal, DecisionCount, Outcome, PersonOutcome, ProsecutedCount, SuspectCount

MEASURES = ("suspects", "prosecuted", "convicted")
DIMENSIONS = ("year", "sex", "age_band", "citizenship")


def _sources(jurisdiction=None):
    suspects = SuspectCount.objects.annotate(year=ExtractYear("investigation__opened"))
    prosecuted = ProsecutedCount.objects.annotate(year=ExtractYear("prosecution__opened"))
    convicted = (DecisionCount.objects.filter(outcome=PersonOutcome.CONVICTED)
                 .annotate(year=ExtractYear("decision__date"),
                           appeal_outcome=_latest_decided_appeal_of_row())
                 .filter(Q(appeal_outcome__isnull=True) | ~Q(appeal_outcome=Outcome.ACQUITTAL)))
    if jurisdiction is not None:
        suspects = suspects.filter(investigation__district__jurisdiction=jurisdiction)
        prosecuted = prosecuted.filter(prosecution__investigation__district__jurisdiction=jurisdiction)
        convicted = convicted.filter(decision__prosecution__investigation__district__jurisdiction=jurisdiction)
    return {"suspects": suspects, "prosecuted": prosecuted, "convicted": convicted}


def _latest_decided_appeal_of_row():
    return Subquery(Appeal.objects.filter(decision=OuterRef("decision_id"), decided__isnull=False)
                    .order_by("-decided", "-pk").values("outcome")[:1])


def aggregate(by=DIMENSIONS, jurisdiction=None, years=None) -> list[dict]:
    """Rows ``{"measure": …, <each dimension in by>: …, "count": n}`` sorted; exact (see module docstring).

    ``by`` is any subset of ``DIMENSIONS``; ``years`` an optional iterable of years to keep.
    """
    by = [d for d in DIMENSIONS if d in by]
    rows = []
    for measure, queryset in _sources(jurisdiction).items():
        if years is not None:
            queryset = queryset.filter(year__in=list(years))
        for row in queryset.values(*by).annotate(n=Cast(Sum("count"), IntegerField())).order_by(*by):
            rows.append({"measure": measure, **{d: row[d] for d in by}, "count": row["n"]})
    return rows


def totals(jurisdiction=None) -> dict[str, dict[int, int]]:
    """``{"suspects": {2023: 12, …}, "prosecuted": {…}, "convicted": {…}}`` (every measure present)."""
    result = {measure: {} for measure in MEASURES}
    for row in aggregate(by=("year",), jurisdiction=jurisdiction):
        result[row["measure"]][row["year"]] = row["count"]
    return result
