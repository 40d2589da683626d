"""The work queues on requests: real querysets of what each organisation holds or asked, oldest due first,
counted, and nobody else's."""

import datetime

import pytest
from django.utils import timezone

from haven.cases.models import ShareReason
from haven.cases.tests.factories import CaseFactory, share
from haven.organisations import home
from haven.organisations.models import Organisation
from haven.organisations.roles import Role
from haven.residence import panels
from haven.residence.models import DocumentRequest, Stage


@pytest.fixture
def world(belgium, member):
    panels.register()
    org = {slug: Organisation.objects.get(jurisdiction=belgium, slug=slug) for slug in
           ("pag-asa", "payoke", "prosecutor-brussels", "prosecutor-antwerpen", "immigration-office-thb")}
    users = {
        "worker": member(org["pag-asa"], Role.CASEWORKER),
        "other_centre": member(org["payoke"], Role.CASEWORKER),
        "magistrate": member(org["prosecutor-brussels"], Role.MAGISTRATE),
        "antwerp": member(org["prosecutor-antwerpen"], Role.MAGISTRATE),
        "officer": member(org["immigration-office-thb"], Role.IMMIGRATION_OFFICER),
    }
    return org, users


def make_request(org, worker, holder, stage, due_on, *, by="pag-asa"):
    """A request held by ``holder`` (with the share the request opens) on a new case of ``by``."""
    case = CaseFactory(owner=org[by])
    if holder is not None:
        share(case, holder, {"summary", "documents"}, reason=ShareReason.REQUEST)
    return DocumentRequest.objects.create(case=case, kind="card", action="issue_card", stage=stage, holder=holder,
                                          due_on=due_on, requested_by=org[by], requested_by_user=worker)


def test_each_organisation_sees_its_own_queue_oldest_due_first(world, client):
    org, users = world
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    brussels, worker = org["prosecutor-brussels"], users["worker"]
    soon = make_request(org, worker, brussels, Stage.CONFIRM, today + 5 * day)
    overdue = make_request(org, worker, brussels, Stage.CONFIRM, today - 2 * day)
    undated = make_request(org, worker, brussels, Stage.CONFIRM, None)
    make_request(org, worker, org["prosecutor-antwerpen"], Stage.CONFIRM, today - 9 * day)  # another office's
    deciding = make_request(org, worker, org["immigration-office-thb"], Stage.DECIDE, today + day)
    make_request(org, users["other_centre"], org["immigration-office-thb"], Stage.DECIDE, today, by="payoke")
    make_request(org, worker, None, Stage.ISSUED, None)  # answered: in nobody's queue

    rows = panels.confirmations(users["magistrate"], brussels)
    assert rows.total == 3
    assert [r["text"].split(" · ")[0] for r in rows] == [overdue.case.reference, soon.case.reference,
                                                          undated.case.reference]
    assert [r["overdue"] for r in rows] == [True, False, False]
    assert "overdue since" in rows[0]["text"] and "PAG-ASA" in rows[0]["text"]
    assert rows[0]["url"] == f"/residence/requests/{overdue.pk}/"
    assert panels.decisions(users["magistrate"], brussels).total == 0
    # a member of another office sees none of them, even asking for Brussels' queue
    assert panels.confirmations(users["antwerp"], brussels) == [] and \
        panels.confirmations(users["antwerp"], brussels).total == 0

    decisions = panels.decisions(users["officer"], org["immigration-office-thb"])
    assert decisions.total == 2 and decisions[1]["text"].startswith(deciding.case.reference)

    progress = panels.requests_in_progress(worker, org["pag-asa"])
    assert progress.total == 5  # the open ones it asked for, Payoke's not among them
    assert "with Public Prosecutor's Office Antwerp" in progress[0]["text"]
    assert panels.requests_in_progress(users["other_centre"], org["pag-asa"]) == []

    client.force_login(users["magistrate"])
    page = client.get("/").content.decode()
    assert "Confirmations waiting" in page and "(3)" in page and overdue.case.reference in page
    assert "No residence document is waiting" not in page
    client.force_login(users["officer"])
    page = client.get("/").content.decode()
    assert "Requests to decide" in page and "(2)" in page and "No residence document is waiting" not in page
    client.force_login(users["worker"])
    assert "Requests in progress" in client.get("/").content.decode()


def test_the_queues_are_in_every_role_that_acts_on_requests():
    assert home.CONFIRMATIONS in home.panels_for(Role.MAGISTRATE)
    assert home.DECISIONS in home.panels_for(Role.IMMIGRATION_OFFICER)
    for role in (Role.CASEWORKER, Role.CASE_MANAGER):
        assert home.REQUESTS_IN_PROGRESS in home.panels_for(role)
