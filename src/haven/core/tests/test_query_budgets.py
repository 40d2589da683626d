"""Query budgets: every list and case page answers in a number of queries that does not grow with the rows
it shows. Each view is read with 2 rows, then with 25, as a member of the owning organisation and as a
member seeing the rows through a share (or the equivalent for pages outside the cases); both counts must be
equal and within the view's budget. A budget that has to rise is a decision, not a side effect."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.access.scope import ALL
from haven.cases.tests.factories import CaseFactory, share
from haven.cases.tests.fixtures import *  # noqa: F403
from haven.library.tests.conftest import library, seed_paths, seeds_dir  # noqa: F401
from haven.organisations.roles import Role

D = datetime.date(2025, 1, 6)

# The budgets, per view: the most either reader needs (session, user and second-factor reads included).
BUDGETS = {
    "case_list": 9,
    "api_case_list": 11,
    "case_page": 19,
    "api_case_page": 18,
    "api_referrals": 9,
    "investigation_list": 11,
    "investigation_page": 14,
    "access_log": 9,
    "library_claims": 1,
    "library_merges": 1,
    "library_search": 2,
}


def counted(client, url) -> int:
    """The queries of one GET of ``url``, after a first GET that filled the process's caches."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def assert_fixed(client, url, budget_name, grow, django_assert_max_num_queries):
    """``url`` costs the same with 2 rows as with 25 (``grow(n)`` brings the rows to ``n``), within budget."""
    grow(2)
    small = counted(client, url)
    grow(25)
    with django_assert_max_num_queries(BUDGETS[budget_name]):
        assert client.get(url).status_code == 200
    large = counted(client, url)
    assert small == large, f"{url}: {small} queries with 2 rows, {large} with 25"


@pytest.fixture
def centre(org, member):
    """Pag-Asa owns the cases; Payoke sees them through a share of every part a share may carry."""
    return {"owner": member(org("pag-asa"), Role.CASEWORKER), "shared": member(org("payoke"), Role.CASEWORKER),
            "pag_asa": org("pag-asa"), "payoke": org("payoke")}


def _signed_in(client, user):
    client.force_login(user)
    return client


def _cases(centre):
    made = []

    def grow(n):
        while len(made) < n:
            case = CaseFactory(owner=centre["pag_asa"], region=centre["pag_asa"].region, detected_on=D)
            share(case, centre["payoke"], ALL - {"shelter"})
            made.append(case)

    return grow


@pytest.mark.parametrize("who", ["owner", "shared"])
@pytest.mark.parametrize(("budget", "url"), [("case_list", "/cases/"), ("api_case_list", "/api/v1/cases/")])
def test_the_case_list_costs_the_same_for_2_and_25_cases(client, centre, who, budget, url,
                                                         django_assert_max_num_queries):
    assert_fixed(_signed_in(client, centre[who]), url, budget, _cases(centre), django_assert_max_num_queries)


def _case_with_rows(centre):
    from haven.cases.models import Deadline, Referral, ResidenceDocument, SupportService, TimelineEntry

    case = CaseFactory(owner=centre["pag_asa"], region=centre["pag_asa"].region, detected_on=D)
    share(case, centre["payoke"], ALL - {"shelter"})
    owner, pag_asa, payoke = centre["owner"], centre["pag_asa"], centre["payoke"]
    rows = []

    def grow(n):
        while len(rows) < n:
            i = len(rows)
            rows.append([
                TimelineEntry.objects.create(case=case, on=D, event="signal", part="summary", actor=owner,
                                             organisation=pag_asa),
                Referral.objects.create(case=case, from_organisation=pag_asa, to_organisation=payoke,
                                        consent="given", referred_by=owner, referred_on=D),
                SupportService.objects.create(case=case, kind="medical", organisation=pag_asa, provider=f"p{i}",
                                              created_by=owner),
                ResidenceDocument.objects.create(case=case, kind="reflection", valid_from=D),
                Deadline.objects.create(case=case, key=f"test:{i}", kind="referral", part="summary", due_on=D,
                                        organisation=pag_asa),
            ])

    return case, grow


@pytest.mark.parametrize("who", ["owner", "shared"])
@pytest.mark.parametrize(("budget", "url"), [("case_page", "/cases/{pk}/"), ("api_case_page", "/api/v1/cases/{pk}/")])
def test_the_case_page_costs_the_same_for_2_and_25_rows(client, centre, who, budget, url,
                                                        django_assert_max_num_queries):
    case, grow = _case_with_rows(centre)
    assert_fixed(_signed_in(client, centre[who]), url.format(pk=case.pk), budget, grow,
                 django_assert_max_num_queries)


@pytest.mark.parametrize("who", ["owner", "shared"])
def test_the_referral_list_costs_the_same_for_2_and_25_referrals(client, centre, who, django_assert_max_num_queries):
    from haven.cases.models import Referral

    grow_cases = _cases(centre)
    made = []

    def grow(n):
        grow_cases(n)
        from haven.cases.models import Case

        for case in Case.objects.filter(owner=centre["pag_asa"]).order_by("pk")[len(made):n]:
            made.append(Referral.objects.create(case=case, from_organisation=centre["pag_asa"],
                                                to_organisation=centre["payoke"], consent="given",
                                                referred_by=centre["owner"], referred_on=D))

    assert_fixed(_signed_in(client, centre[who]), "/api/v1/referrals/", "api_referrals", grow,
                 django_assert_max_num_queries)


@pytest.fixture
def justice(org, member, centre):
    """A Brussels police investigation chain; Pag-Asa sees its investigations through the cases linked to them."""
    from haven.justice.tests.helpers import Chain

    return Chain(org, member)


def _seen_by_the_police(centre, justice):
    """A case of Pag-Asa that the police unit sees (so that it may link it to its investigation)."""
    case = CaseFactory(owner=centre["pag_asa"], region=centre["pag_asa"].region, detected_on=D)
    share(case, justice.police_org, ALL - {"shelter"})
    return case


@pytest.mark.parametrize("who", ["officer", "centre"])
def test_the_investigation_list_costs_the_same_for_2_and_25_investigations(client, justice, centre, who,
                                                                           django_assert_max_num_queries):
    from haven.justice import services

    case = _seen_by_the_police(centre, justice)
    made = []

    def grow(n):
        while len(made) < n:
            investigation = justice.investigation(file_number=f"BR.12.L3.{len(made):06d}/24")
            services.link_case(justice.officer, investigation, case)
            made.append(investigation)

    user = justice.officer if who == "officer" else centre["owner"]
    assert_fixed(_signed_in(client, user), "/justice/investigations/", "investigation_list", grow,
                 django_assert_max_num_queries)


@pytest.mark.parametrize("who", ["officer", "centre"])
def test_the_investigation_page_costs_the_same_for_2_and_25_rows(client, justice, centre, who,
                                                                 django_assert_max_num_queries):
    from haven.justice import services

    investigation = justice.investigation()
    made = []

    def grow(n):
        while len(made) < n:
            case = _seen_by_the_police(centre, justice)
            made.append((services.link_case(justice.officer, investigation, case),
                         justice.prosecution(investigation)))

    user = justice.officer if who == "officer" else centre["owner"]
    assert_fixed(_signed_in(client, user), f"/justice/investigations/{investigation.pk}/", "investigation_page",
                 grow, django_assert_max_num_queries)


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.DPO])
def test_the_access_log_costs_the_same_for_2_and_25_rows(client, org, member, role, django_assert_max_num_queries):
    from haven.audit.models import AccessLog, Action, Purpose

    pag_asa = org("pag-asa")
    worker = member(pag_asa, Role.CASEWORKER)
    case = CaseFactory(owner=pag_asa)
    made = []

    def grow(n):
        while len(made) < n:
            made.append(AccessLog.objects.create(user=worker, username=worker.username, action=Action.HISTORY,
                                                 purpose=Purpose.CASEWORK, organisation=pag_asa,
                                                 owner_organisation=pag_asa, case_id=case.pk))

    assert_fixed(_signed_in(client, member(pag_asa, role)), "/audit/", "access_log", grow,
                 django_assert_max_num_queries)


def _copies_of_a_seeded(model):
    """``grow(n)``: copies of a row the seeds imported, until the table holds ``n`` rows (after keeping 2)."""
    rows = model.objects.order_by("pk")
    if not rows.exists():
        pytest.skip(f"the seeds hold no {model.__name__}")
    model.objects.filter(pk__in=list(rows.values_list("pk", flat=True)[2:])).delete()

    def grow(n):
        while model.objects.count() < n:
            copy = rows.first()
            copy.pk = None
            if hasattr(copy, "value_start"):  # a claim is unique by its excerpt and where its value starts
                copy.value_start += 1000 + model.objects.count()
            copy.save()

    return grow


@pytest.mark.parametrize(("budget", "url", "model"), [("library_claims", "/library/claims/", "Claim"),
                                                      ("library_merges", "/library/merges/", "Merge"),
                                                      ("library_search", "/library/", "Source")])
@pytest.mark.usefixtures("library")
def test_the_library_lists_cost_the_same_for_2_and_25_rows(client, budget, url, model, django_assert_max_num_queries):
    from haven.library import models

    assert_fixed(client, url, budget, _copies_of_a_seeded(getattr(models, model)), django_assert_max_num_queries)
