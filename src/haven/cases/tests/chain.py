"""Helpers for the case-chain tests (fixtures are imported by the test modules that use them)."""

import datetime

import pytest

from haven.cases.actions import predicates
from haven.organisations.roles import Role

D0 = datetime.date(2025, 1, 6)  # a Monday, well in the past: every journey is dated from here


def day(n: int) -> datetime.date:
    return D0 + datetime.timedelta(days=n)


@pytest.fixture
def conviction_recorded(monkeypatch):
    """``conviction_recorded(case)``: the justice fact "a conviction, or THB kept in the requisitions"
    becomes true for ``case``. A test helper standing in for the justice chain's records (the
    justice app's own tests cover ``grounds_for_unlimited_residence``)."""
    convicted = set()
    _func, label = predicates.PREDICATES["justice_grounds"]
    monkeypatch.setitem(predicates.PREDICATES, "justice_grounds", (lambda case: case.pk in convicted, label))
    return lambda case: convicted.add(case.pk)


@pytest.fixture
def people(org, member):
    """Users of the Belgian organisations used in the journeys, by short name."""
    return {
        "inspector": member(org("social-law-inspection"), Role.INSPECTOR),
        "officer": member(org("police-brussels-capital"), Role.OFFICER),
        "officer_antwerp": member(org("police-antwerpen"), Role.OFFICER),
        "payoke": member(org("payoke"), Role.CASEWORKER),
        "pag_asa": member(org("pag-asa"), Role.CASEWORKER),
        "surya": member(org("surya"), Role.CASEWORKER),
        "esperanto": member(org("esperanto"), Role.CASEWORKER),
        "guardian": member(org("guardianship-service"), Role.GUARDIAN),
        "immigration": member(org("immigration-office-thb"), Role.IMMIGRATION_OFFICER),
        "analyst": member(org("myria"), Role.ANALYST),
        "prosecutor_brussels": member(org("prosecutor-brussels"), Role.MAGISTRATE),
        "prosecutor_liege": member(org("prosecutor-liege"), Role.MAGISTRATE),
        "auditor_antwerp": member(org("labour-auditor-antwerpen"), Role.MAGISTRATE),
    }


@pytest.fixture
def nl_org(netherlands):
    from haven.organisations.models import Organisation

    return lambda slug: Organisation.objects.get(jurisdiction=netherlands, slug=slug)


@pytest.fixture
def nl_people(nl_org, member):
    return {
        "inspector": member(nl_org("labour-inspectorate-nl"), Role.INSPECTOR),
        "officer": member(nl_org("police-avim"), Role.OFFICER),
        "cosm": member(nl_org("cosm"), Role.CASEWORKER),
        "nidos": member(nl_org("nidos"), Role.GUARDIAN),
        "ind": member(nl_org("ind"), Role.IMMIGRATION_OFFICER),
        "om": member(nl_org("om"), Role.MAGISTRATE),
        "comensha": member(nl_org("comensha"), Role.CASEWORKER),
    }


def granted(case, kind, *, by, immigration, on, magistrate=None, guardian=None, district=None, number=None):
    """Walk a request of ``kind`` through the organisations that act, all on ``on``: ``by`` asks, the
    child's ``guardian`` co-signs, ``magistrate`` confirms (when the profile asks), ``immigration`` issues.
    Returns the request, answered."""
    from haven.residence import services

    request = services.request_document(by, case, kind, grounds="complaint filed, cooperates", district=district,
                                        on=on)
    if request.stage == "cosign":
        request = services.cosign(guardian, request, on=on)
    if request.stage == "confirm":
        request = services.confirm(magistrate, request, on=on)
    request = services.issue(immigration, request, number=number or f"DOC-{request.pk}", commune="Bruxelles", on=on)
    case.refresh_from_db()
    return request


def snapshot(case):
    """Everything a refused action must leave as it was."""
    from haven.cases.models import Case, CaseFact, Deadline, ProcedureStep, ResidenceDocument, TimelineEntry

    fresh = Case.objects.get(pk=case.pk)
    return (
        {f.attname: getattr(fresh, f.attname) for f in Case._meta.concrete_fields if f.attname != "updated"},
        list(ResidenceDocument.objects.filter(case=case).values()),
        list(Deadline.objects.filter(case=case).values()),
        list(CaseFact.objects.filter(case=case).values()),
        ProcedureStep.objects.filter(case=case).count(),
        TimelineEntry.objects.filter(case=case).count(),
    )


def active_document(case):
    return case.documents.filter(ended_on__isnull=True).get()


def open_deadlines(case):
    return sorted((d.kind, d.due_on) for d in case.deadlines.filter(done_on__isnull=True))
