"""Screening on the ILO/EC operational indicators (decision support, never a legal decision).

The indicator sets, the per-dimension rule and the overall reading are data
(``haven/cases/data/ilo_indicators.yaml``); a screening stores the set version and verification
status it used, so a revised set never rewrites an old screening.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from haven.jurisdictions.models import LegalTest

from ..models import Case, Screening, StaleEdit, TraffickingStatus
from .common import Refused, TimelineEvent, acting_organisation, bump, log, today
from .predicates import holds
from .procedure import spec_for

DATA = Path(__file__).resolve().parents[1] / "data" / "ilo_indicators.yaml"
STRENGTHS = ("strong", "medium", "weak")


@functools.cache
def indicator_data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Indicator:
    id: str  # "<dimension>.<slug>": stable across versions that keep the wording
    dimension: str
    strength: str
    name: str


@dataclass
class IndicatorSet:
    key: str  # the set actually used, e.g. adult_labour
    requested: str  # the set asked for, e.g. adult_sexual
    version: str
    verification: str
    rule_status: str
    age_group: str  # adults / children
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def fallback(self) -> bool:
        return self.key != self.requested

    def by_dimension(self) -> dict[str, list[Indicator]]:
        result = {d: [] for d in indicator_data()["source"]["dimensions"]}
        for indicator in self.indicators:
            result[indicator.dimension].append(indicator)
        return result


def indicator_set(form: str, minor: bool) -> IndicatorSet:
    """The set for a form of exploitation and an age group; sexual exploitation (and any other form)
    falls back to the labour set of the same age group until a verified set is loaded."""
    data = indicator_data()
    haven = data["haven"]
    age = "child" if minor else "adult"
    requested = f"{age}_{'sexual' if form == 'sexual' else 'labour'}"
    key = requested if data["sets"].get(requested) else haven["fallback"].get(requested, f"{age}_labour")
    indicators = [
        Indicator(f"{dimension}.{slug(name)}", dimension, strength, name)
        for dimension, grades in data["sets"][key].items()
        for strength in STRENGTHS
        for name in grades.get(strength) or []
    ]
    return IndicatorSet(key, requested, haven["version"], haven["set_status"][key], haven["rule_status"],
                        "children" if minor else "adults", indicators)


def dimension_present(counts: dict) -> bool:
    """The per-dimension rule (data: ``rule.dimension_present``); ``counts`` = strong/medium/weak present."""
    for clause in indicator_data()["rule"]["dimension_present"]:
        have = dict(counts)
        have["medium_or_weak"] = counts.get("medium", 0) + counts.get("weak", 0)
        if all(have.get(key, 0) >= minimum for key, minimum in clause.items()):
            return True
    return False


def _holds(expr, present: set[str]) -> bool:
    if isinstance(expr, str):
        return expr in present
    if "all_of" in expr:
        return all(_holds(e, present) for e in expr["all_of"])
    if "any_of" in expr:
        return any(_holds(e, present) for e in expr["any_of"])
    if "at_least" in expr:
        return len(present) >= expr["at_least"]
    raise ValueError(f"unknown reading expression {expr!r}")


def evaluate(chosen: set[str], the_set: IndicatorSet) -> tuple[dict, str]:
    """Each dimension's counts, presence and the indicators that made it; and the overall reading."""
    dimensions = {}
    for dimension, indicators in the_set.by_dimension().items():
        hits = [i for i in indicators if i.id in chosen]
        counts = {s: sum(1 for i in hits if i.strength == s) for s in STRENGTHS}
        dimensions[dimension] = {"present": dimension_present(counts), "counts": counts,
                                 "because": [{"id": i.id, "name": i.name, "strength": i.strength} for i in hits]}
    present = {d for d, r in dimensions.items() if r["present"]}
    reading_rules = indicator_data()["haven"]["reading"][the_set.age_group]
    if _holds(reading_rules["likely"], present):
        reading = "likely"
    elif _holds(reading_rules["possible"], present):
        reading = "possible"
    else:
        reading = "insufficient"
    return dimensions, reading


def legal_test_met(legal_test: str, elements: dict, minor: bool) -> bool:
    act, means, purpose = (bool(elements.get(k)) for k in ("act", "means", "purpose"))
    if legal_test == LegalTest.ACT_PURPOSE:
        return act and purpose
    return act and purpose and (means or minor)


def screen(actor, case, indicators, *, form: str | None = None, legal_elements: dict | None = None,
           on: datetime.date | None = None):
    """Screen ``case`` on the indicators present (ids from ``indicator_set(...)``); returns the ``Screening``.

    ``form`` defaults to the case's first form of exploitation (labour if none); ``legal_elements``
    are the screener's reading of ``{"act": bool, "means": bool, "purpose": bool}``.
    """
    on = on or today()
    organisation = acting_organisation(actor, case, part="facts")
    if organisation is None:
        raise Refused(_("Your organisation may not screen this case."), "not_entitled")
    form = form or ("sexual" if "sexual" in case.form_set else "labour")
    the_set = indicator_set(form, case.minor)
    chosen = set(indicators)
    unknown = chosen - {i.id for i in the_set.indicators}
    if unknown:
        raise Refused(_("Unknown indicator(s): %(ids)s.") % {"ids": ", ".join(sorted(unknown))}, "indicators")
    dimensions, reading = evaluate(chosen, the_set)
    elements = {k: bool((legal_elements or {}).get(k)) for k in ("act", "means", "purpose")}
    legal_test = case.jurisdiction.legal_test
    with transaction.atomic():
        screening = Screening.objects.create(
            case=case, organisation=organisation, screened_by=actor, screened_on=on, exploitation_form=form,
            age_group=the_set.age_group, indicator_set=the_set.key, set_version=the_set.version,
            verification=the_set.verification, fallback=the_set.fallback, indicators=sorted(chosen),
            dimensions=dimensions, reading=reading, legal_test=legal_test, legal_elements=elements,
            legal_test_met=legal_test_met(legal_test, elements, case.minor))
        log(case, TimelineEvent.SCREENING, on=on, actor=actor, organisation=organisation, part="facts", reading=reading,
            indicator_set=the_set.key, set_version=the_set.version, fallback=the_set.fallback)
    return screening


def set_trafficking_status(actor, case, status: str, *, on: datetime.date | None = None,
                           expected_version: int | None = None):
    """Set presumed / identified (HTCDS vic_TraffickingStatus) as an organisation the profile entitles
    (``status_deciders``: in Belgium the magistrate identifies)."""
    on = on or today()
    if status not in TraffickingStatus.values:
        raise Refused(_("Unknown trafficking status."), "status")
    deciders = spec_for(case.jurisdiction).status_deciders.get(status, frozenset())
    organisation = acting_organisation(actor, case, kinds=deciders)
    if organisation is None:
        raise Refused(_("Your organisation is not entitled to decide this status."), "not_entitled")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleEdit()
        locked.trafficking_status, locked.status_decided_by, locked.status_decided_on = status, organisation, on
        bump(locked, ["trafficking_status", "status_decided_by", "status_decided_on"])
        log(locked, TimelineEvent.STATUS, on=on, actor=actor, organisation=organisation, part="summary", status=status)
    case.refresh_from_db()
    return case


def identify_if_due(actor, case, *, decided_by, on: datetime.date | None = None) -> bool:
    """Set the status "identified" when the profile's ``identified_when`` conditions all hold (a conviction,
    THB kept in the prosecutor's requisitions), decided by ``decided_by`` (the prosecution office of the
    file). Called by the justice chain after it records what may make them hold; True when it set it.
    An identified victim stays identified: a later appeal does not undo the decision here."""
    spec = spec_for(case.jurisdiction)
    if not spec.identified_when or decided_by is None:
        return False
    on = on or today()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.trafficking_status == TraffickingStatus.IDENTIFIED:
            return False
        if not all(holds(condition, locked) for condition in spec.identified_when):
            return False
        locked.trafficking_status = TraffickingStatus.IDENTIFIED
        locked.status_decided_by, locked.status_decided_on = decided_by, on
        bump(locked, ["trafficking_status", "status_decided_by", "status_decided_on"])
        log(locked, TimelineEvent.STATUS, on=on, actor=actor, organisation=decided_by, part="summary",
            status=TraffickingStatus.IDENTIFIED.value, grounds=[str(c) for c in spec.identified_when])
    return True
