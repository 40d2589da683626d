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
# Pages (not the API) count one query more since the header shows the unread notices (ADR 0036).
BUDGETS = {
    "case_list": 10,
    "api_case_list": 11,
    "case_page": 22,  # + the requests and guardian sections (ADR 0036)
    "api_case_page": 18,
    "api_referrals": 9,
    "investigation_list": 12,
    "investigation_page": 15,
    "access_log": 10,
    "home_queues": 15,
    "notifications": 9,
    "api_notifications": 8,
    "api_document_scans": 9,
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


def _requests(holder, stage, centre):
    """``grow(n)``: requests of Pag-Asa held by ``holder`` at ``stage`` (each on its own case, with the share
    the request opens), until there are ``n``."""
    from haven.cases.models import ShareReason
    from haven.residence.models import DocumentRequest

    made = []

    def grow(n):
        while len(made) < n:
            case = CaseFactory(owner=centre["pag_asa"], region=centre["pag_asa"].region, detected_on=D)
            share(case, holder, {"summary", "documents"}, reason=ShareReason.REQUEST)
            made.append(DocumentRequest.objects.create(
                case=case, kind="card", action="issue_card", stage=stage, holder=holder, requested_by=centre["pag_asa"],
                requested_by_user=centre["owner"], due_on=D + datetime.timedelta(days=len(made) % 7)))

    return grow


@pytest.mark.parametrize(("who", "slug", "role", "stage"), [
    ("magistrate", "prosecutor-brussels", Role.MAGISTRATE, "confirm"),
    ("immigration", "immigration-office-thb", Role.IMMIGRATION_OFFICER, "decide"),
    ("centre", "prosecutor-brussels", Role.CASEWORKER, "confirm"),
])
def test_the_home_queues_cost_the_same_for_2_and_25_requests(client, org, member, centre, who, slug, role, stage,
                                                             django_assert_max_num_queries):
    holder = org(slug)
    user = centre["owner"] if who == "centre" else member(holder, role)
    assert_fixed(_signed_in(client, user), "/", "home_queues", _requests(holder, stage, centre),
                 django_assert_max_num_queries)


def _notices(user):
    from django.utils.translation import gettext_lazy

    from haven.notifications import services

    services.register_kind("test.budget", gettext_lazy("%(document)s valid until %(date)s."))
    made = []

    def grow(n):
        while len(made) < n:
            made.append(services.notify_user(user, "test.budget", params={"document": "a_card", "date": D},
                                             url="/cases/1/", key=str(len(made))))

    return grow


@pytest.mark.parametrize(("budget", "url"), [("notifications", "/notifications/"),
                                             ("api_notifications", "/api/v1/notifications/")])
def test_the_notices_cost_the_same_for_2_and_25_notices(client, centre, budget, url, django_assert_max_num_queries):
    assert_fixed(_signed_in(client, centre["owner"]), url, budget, _notices(centre["owner"]),
                 django_assert_max_num_queries)


@pytest.mark.parametrize("who", ["owner", "shared"])
def test_the_scans_of_a_document_cost_the_same_for_2_and_25_scans(client, centre, who,
                                                                  django_assert_max_num_queries):
    from haven.cases.models import ResidenceDocument
    from haven.residence.models import DocumentScan

    case = CaseFactory(owner=centre["pag_asa"], region=centre["pag_asa"].region, detected_on=D)
    share(case, centre["payoke"], ALL - {"shelter"})
    document = ResidenceDocument.objects.create(case=case, kind="a_card", valid_from=D)
    made = []

    def grow(n):
        while len(made) < n:
            made.append(DocumentScan.objects.create(document=document, content_type="application/pdf", size=9,
                                                    content="JVBERi0xLjcK", uploaded_by=centre["owner"],
                                                    organisation=centre["pag_asa"]))

    assert_fixed(_signed_in(client, centre[who]), f"/api/v1/residence/documents/{document.pk}/scans/",
                 "api_document_scans", grow, django_assert_max_num_queries)
