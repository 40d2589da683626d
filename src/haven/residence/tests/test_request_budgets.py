"""The request list (page and API) answers in a number of queries that does not grow with its rows, within
its budget (as ``haven.core.tests.test_query_budgets`` does for the other lists), read by the centre that
asked and by the Immigration Office holding the requests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.cases.models import ShareReason
from haven.cases.tests.chain import day
from haven.cases.tests.factories import CaseFactory, share
from haven.organisations.roles import Role
from haven.residence.models import DocumentRequest, RequestAnswer, Stage

BUDGETS = {"/residence/requests/": 11, "/api/v1/residence/requests/": 11}


def counted(client, url) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("who", ["centre", "immigration"])
@pytest.mark.parametrize("url", sorted(BUDGETS))
def test_the_request_list_costs_the_same_for_2_and_25_requests(client, org, member, who, url):
    centre, office, magistrate = org("pag-asa"), org("immigration-office-thb"), org("prosecutor-brussels")
    users = {"centre": member(centre, Role.CASEWORKER), "immigration": member(office, Role.IMMIGRATION_OFFICER)}
    made = []

    def grow(n):
        while len(made) < n:
            case = CaseFactory(owner=centre, region=centre.region)
            share(case, office, {"summary", "identity", "documents"}, reason=ShareReason.REQUEST)
            request = DocumentRequest.objects.create(
                case=case, kind="provisional_stay", action="grant_provisional_stay", stage=Stage.DECIDE, holder=office,
                due_on=day(20), grounds="x", requested_by=centre, requested_by_user=users["centre"],
                requested_on=day(1), magistrate_office=magistrate, immigration_office=office)
            RequestAnswer.objects.create(request=request, stage=Stage.CONFIRM, outcome="confirmed",
                                         organisation=magistrate, user=users["centre"], on=day(2))
            made.append(request)

    client.force_login(users[who])
    grow(2)
    small = counted(client, url)
    grow(25)
    large = counted(client, url)
    assert small == large <= BUDGETS[url], (small, large)
