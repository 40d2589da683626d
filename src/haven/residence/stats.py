"""Counts of requests between organisations, for the rapporteur's release (issue 10 publishes them).

EXACT AGGREGATES, like ``haven.justice.stats``: no disclosure control is applied here; whoever
publishes them passes them through the statistics app's disclosure control first.

- **answers**: one ``RequestAnswer`` per answer, by the year it was given, the request's kind, the
  stage it answered (co-signature, confirmation, decision) and its outcome: how many confirmations
  the magistrates refused, how many documents the Immigration Office issued or refused, how many
  requests the centres withdrew.
- **days**: for requests answered for good, the days from the request to that answer (median and
  90th percentile, by kind and outcome): the timeliness the rapporteur reports.

Refusal reasons are free text written for the requester; they are counted by stage, never published.
"""

import statistics

from django.db.models import Count, F
from django.db.models.functions import ExtractYear

from .models import DocumentRequest, RequestAnswer, Stage

DIMENSIONS = ("year", "kind", "stage", "outcome")
FINAL = (Stage.ISSUED, Stage.REFUSED, Stage.WITHDRAWN)


def aggregate(by=DIMENSIONS, jurisdiction=None, years=None) -> list[dict]:
    """Rows ``{<each dimension in by>: …, "count": n}`` of answers, sorted; exact (see the module's text)."""
    by = [d for d in DIMENSIONS if d in by]
    answers = RequestAnswer.objects.annotate(year=ExtractYear("on"), kind=F("request__kind"))
    if jurisdiction is not None:
        answers = answers.filter(request__case__jurisdiction=jurisdiction)
    if years is not None:
        answers = answers.filter(year__in=list(years))
    return [{**{d: row[d] for d in by}, "count": row["n"]}
            for row in answers.values(*by).annotate(n=Count("pk")).order_by(*by)]


def timeliness(jurisdiction=None, years=None) -> list[dict]:
    """Days from the request to its final answer: ``{"kind", "outcome", "requests", "median", "p90"}`` rows."""
    requests = DocumentRequest.objects.filter(stage__in=FINAL, closed_on__isnull=False)
    if jurisdiction is not None:
        requests = requests.filter(case__jurisdiction=jurisdiction)
    if years is not None:
        requests = requests.annotate(year=ExtractYear("closed_on")).filter(year__in=list(years))
    days: dict[tuple[str, str], list[int]] = {}
    for kind, stage, requested_on, closed_on in requests.values_list("kind", "stage", "requested_on", "closed_on"):
        days.setdefault((kind, stage), []).append((closed_on - requested_on).days)
    return [{"kind": kind, "outcome": stage, "requests": len(values), "median": statistics.median(values),
             "p90": _percentile(values, 90)} for (kind, stage), values in sorted(days.items())]


def _percentile(values: list[int], percent: int) -> float:
    """The nearest-rank percentile: a day that some request really took, never an interpolation."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[rank - 1]
