"""The list tables (``haven.core.tables`` through ``ScopedListView``): sorting only where a table allows it,
pages of the view's size, the htmx partial as the table alone, and accessible markup."""

import datetime
import re

import pytest

from haven.audit.models import AccessLog, Action, Purpose
from haven.cases.tests.factories import CaseFactory
from haven.cases.tests.fixtures import *  # noqa: F403
from haven.organisations.roles import Role

D = datetime.date(2025, 1, 6)


@pytest.fixture
def caseworker(client, org, member):
    client.force_login(member(org("pag-asa"), Role.CASEWORKER))
    return client


def references(response) -> list[str]:
    return [case.reference for case in response.context["object_list"]]


@pytest.fixture
def three_cases(org):
    """Made oldest first; sorted by ``minor`` they would come in another order than the list's (newest first)."""
    pag_asa = org("pag-asa")
    return [CaseFactory(owner=pag_asa, minor=minor, detected_on=D - datetime.timedelta(days=days))
            for minor, days in ((False, 1), (True, 3), (False, 2))]


def test_sorting_on_a_column_that_does_not_allow_it_is_ignored(caseworker, three_cases):
    newest_first = [case.reference for case in reversed(three_cases)]
    assert references(caseworker.get("/cases/")) == newest_first
    for refused in ("minor", "-minor", "owner", "state", "exploitation_forms", "person__family_name"):
        response = caseworker.get("/cases/", {"sort": refused})
        assert response.status_code == 200
        assert references(response) == newest_first, refused
        assert not response.context["table"].order_by
        assert "aria-sort" not in response.content.decode()


def test_sorting_on_an_allowed_column_orders_the_rows_and_says_so(caseworker, three_cases):
    by_detection = sorted(three_cases, key=lambda case: case.detected_on)
    response = caseworker.get("/cases/", {"sort": "detected_on"})
    assert references(response) == [case.reference for case in by_detection]
    html = response.content.decode()
    assert re.search(r'<th scope="col" aria-sort="ascending"><a href="\?sort=-detected_on">', html)
    response = caseworker.get("/cases/", {"sort": "-reference"})
    assert references(response) == sorted((case.reference for case in three_cases), reverse=True)
    assert 'aria-sort="descending"' in response.content.decode()


def test_only_the_allowed_columns_are_sort_links(caseworker, three_cases):
    html = caseworker.get("/cases/").content.decode()
    assert re.findall(r'href="\?sort=([\w-]+)"', html) == ["reference", "detected_on"]
    assert html.count('<th scope="col"') == 6 and '<caption class="sr-only">Cases</caption>' in html


def test_26_cases_make_two_pages_of_the_views_size(caseworker, org):
    pag_asa = org("pag-asa")
    made = [CaseFactory(owner=pag_asa, detected_on=D) for _ in range(26)]
    first = caseworker.get("/cases/", {"minor": "false"}, HTTP_ACCEPT_LANGUAGE="en")
    assert len(first.context["object_list"]) == 25
    html = first.content.decode()
    assert '<nav class="pages" aria-label="Pages">' in html and "Page 1 of 2" in html
    assert 'href="?minor=false&amp;page=2"' in html  # the filters stay on the next page
    second = caseworker.get("/cases/", {"minor": "false", "page": "2"})
    assert references(second) == [made[0].reference]  # the oldest, alone on the last page
    assert set(references(first)) | set(references(second)) == {case.reference for case in made}
    # the visitor does not choose the page size; a page past the end shows the last one
    assert len(caseworker.get("/cases/", {"per_page": "1000"}).context["object_list"]) == 25
    assert references(caseworker.get("/cases/", {"page": "99"})) == references(second)


def test_the_htmx_partial_is_the_table_alone(caseworker, org):
    pag_asa = org("pag-asa")
    for _ in range(26):
        CaseFactory(owner=pag_asa, minor=True)
    response = caseworker.get("/cases/", {"minor": "true"}, HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert response.status_code == 200
    assert html.startswith('<table class="list">') and html.endswith("</nav>")
    assert "<html" not in html and "<form" not in html and "<h1" not in html
    assert html.count("<tr>") == 26  # the header row and the 25 rows of the first page


def test_an_empty_list_says_so(caseworker):
    html = caseworker.get("/cases/", {"minor": "true"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'colspan="6" class="empty">No case matches.</td>' in html and 'class="pages"' not in html


@pytest.fixture
def justice(org, member):
    from haven.justice.tests.helpers import Chain

    return Chain(org, member)


def test_the_investigation_list_sorts_on_file_number_and_opening_date_only(client, justice):
    opened = [datetime.date(2023, 3, 1), datetime.date(2022, 1, 5), datetime.date(2024, 7, 9)]
    for number, day in zip(("B/2", "C/3", "A/1"), opened, strict=True):
        justice.investigation(file_number=number, opened=day)
    client.force_login(justice.officer)

    def numbers(**query):
        return [i.file_number for i in client.get("/justice/investigations/", query).context["object_list"]]

    assert numbers() == ["A/1", "B/2", "C/3"]  # newest opened first, as the model orders them
    assert numbers(sort="file_number") == ["A/1", "B/2", "C/3"]
    assert numbers(sort="-file_number") == ["C/3", "B/2", "A/1"]
    assert numbers(sort="opened") == ["C/3", "B/2", "A/1"]
    assert numbers(sort="district") == numbers(sort="forms") == numbers(sort="police_unit") == numbers()
    html = client.get("/justice/investigations/").content.decode()
    assert '<th scope="col" aria-sort="descending"><a href="?sort=opened">' in html


def test_the_access_log_sorts_on_time_only(client, org, member):
    pag_asa = org("pag-asa")
    worker = member(pag_asa, Role.CASEWORKER)
    case = CaseFactory(owner=pag_asa)
    for name in ("b", "a", "c"):
        AccessLog.objects.create(user=worker, username=name, action=Action.HISTORY, purpose=Purpose.CASEWORK,
                                 organisation=pag_asa, owner_organisation=pag_asa, case_id=case.pk)
    client.force_login(member(pag_asa, Role.DPO))

    def names(**query):
        return [e.username for e in client.get("/audit/", query).context["object_list"]]

    assert names() == ["c", "a", "b"]
    assert names(sort="username") == names(sort="-ip") == names(sort="purpose") == ["c", "a", "b"]
    assert names(sort="at") == ["b", "a", "c"]
