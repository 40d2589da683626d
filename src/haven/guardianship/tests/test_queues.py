"""The guardianship work queues and pages: real querysets, the oldest waiting first, a total, nothing of
another organisation, and a number of queries that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.access.scope import KIND_PARTS, OWNER_ONLY
from haven.cases import panels as case_panels
from haven.cases.models import Referral, ShareReason
from haven.cases.tests.factories import CaseFactory, share
from haven.guardianship import panels
from haven.guardianship.models import AgeAssessment, GuardianAppointment
from haven.organisations.roles import Role

D = datetime.date(2025, 1, 6)


@pytest.fixture
def service(org, member):
    guardianship = org("guardianship-service")
    return {"organisation": guardianship, "centre": org("esperanto"),
            "clerk": member(guardianship, Role.GUARDIAN, "clerk"), "anne": member(guardianship, Role.GUARDIAN, "anne"),
            "worker": member(org("esperanto"), Role.CASEWORKER, "worker"),
            "outsider": member(org("payoke"), Role.CASEWORKER, "outsider")}


def _child(service, day):
    case = CaseFactory(owner=service["centre"], minor=True, unaccompanied=True, detected_on=D)
    share(case, service["organisation"], KIND_PARTS["guardianship"] - OWNER_ONLY, reason=ShareReason.GUARDIAN)
    return case


def grow_wards(service):
    made = []

    def grow(n):
        while len(made) < n:
            case = _child(service, len(made))
            made.append(GuardianAppointment.objects.create(
                case=case, organisation=service["organisation"], guardian=service["anne"],
                appointed_on=D + datetime.timedelta(days=50 - len(made)), appointed_by=service["clerk"]))
        return made

    return grow


def grow_waiting_children(service):
    made = []

    def grow(n):
        while len(made) < n:
            made.append(_child(service, len(made)))
        return made

    return grow


def grow_assessments(service):
    made = []

    def grow(n):
        while len(made) < n:
            made.append(AgeAssessment.objects.create(
                case=_child(service, len(made)), organisation=service["organisation"], opened_by=service["worker"],
                opened_by_organisation=service["centre"], doubt="?", opened_on=D + datetime.timedelta(days=len(made))))
        return made

    return grow


def grow_referrals(service):
    made = []

    def grow(n):
        while len(made) < n:
            case = CaseFactory(owner=service["centre"], minor=True)
            made.append(Referral.objects.create(
                case=case, from_organisation=service["centre"], to_organisation=service["organisation"],
                purpose="guardianship", consent="given", referred_by=service["worker"],
                referred_on=D + datetime.timedelta(days=30 - len(made)), answer_due=D))
            share(case, service["organisation"], {"summary", "facts"})
        return made

    return grow


def queries(source, user, organisation) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        rows = source(user, organisation)
        texts = [row["text"] for row in rows]
    return len(captured.captured_queries), rows, texts


@pytest.mark.parametrize(("source", "grow", "who", "oldest"), [
    (panels.wards, grow_wards, "anne", lambda made: made[-1].case.reference),
    (panels.awaiting_guardian, grow_waiting_children, "clerk", lambda made: made[0].reference),
    (panels.age_assessments, grow_assessments, "clerk", lambda made: made[0].case.reference),
    (case_panels.referrals, grow_referrals, "clerk", lambda made: made[-1].case.reference),
])
def test_a_queue_is_a_scoped_queryset_oldest_first_with_a_total(service, source, grow, who, oldest):
    user, organisation, grow = service[who], service["organisation"], grow(service)
    made = grow(2)
    source(user, organisation)  # the caches of the process (the procedure's spec) filled once
    small, rows, _texts = queries(source, user, organisation)
    assert rows.total == 2
    grow(25)
    large, rows, texts = queries(source, user, organisation)
    assert small == large, f"{source.__name__}: {small} queries for 2 rows, {large} for 25"
    assert rows.total == 25 and len(rows) == 20 and oldest(made) in texts[0]
    # a member of an organisation that takes no part sees none of them, even asking for the service's queue
    assert source(service["outsider"], organisation).total == 0


def test_the_guardianship_page_costs_the_same_for_2_and_25_rows(client, service, django_assert_max_num_queries):
    case = _child(service, 0)
    made = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            made.append((GuardianAppointment.objects.create(
                case=case, organisation=service["organisation"], guardian=service["anne"], appointed_on=D,
                appointed_by=service["clerk"], ended_on=D, end_reason=f"r{i}"),
                AgeAssessment.objects.create(case=case, organisation=service["organisation"],
                                             opened_by=service["worker"], opened_by_organisation=service["centre"],
                                             doubt=f"doubt {i}", outcome="minor", decided_on=D)))

    counts = []
    for who in ("clerk", "worker"):
        client.force_login(service[who])
        for n in (2, 25):
            grow(n)
            client.get(f"/guardianship/cases/{case.pk}/")
            with CaptureQueriesContext(connection) as captured:
                page = client.get(f"/guardianship/cases/{case.pk}/")
            assert page.status_code == 200 and "doubt 1" in page.content.decode()
            counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] and counts[2] == counts[3], counts
    assert max(counts) <= 22, counts
