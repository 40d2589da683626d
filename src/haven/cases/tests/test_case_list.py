"""The case list: scoped, filtered, state names in the reader's language, filters applied in place."""

import pytest
from django.test import Client

from haven.cases.tests.factories import CaseFactory
from haven.organisations.models import Organisation
from haven.organisations.roles import Role


@pytest.fixture
def pag_asa_cases(belgium):
    pag_asa = Organisation.objects.get(jurisdiction=belgium, slug="pag-asa")
    adult = CaseFactory(owner=pag_asa, state="reflection", minor=False, region=pag_asa.region)
    child = CaseFactory(owner=pag_asa, state="intake", minor=True, region=pag_asa.region)
    CaseFactory(owner=Organisation.objects.get(jurisdiction=belgium, slug="payoke"), state="intake")
    return pag_asa, adult, child


def test_the_list_shows_own_cases_with_state_names(client, member, pag_asa_cases):
    pag_asa, adult, child = pag_asa_cases
    client.force_login(member(pag_asa, Role.CASEWORKER))
    html = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert adult.reference in html and child.reference in html
    assert "Période de réflexion" in html and ">reflection<" not in html
    assert html.count("/cases/") >= 2 and "htmx" in html  # the page loads htmx from our static files


def test_htmx_gets_only_the_filtered_results(client, member, pag_asa_cases):
    pag_asa, adult, child = pag_asa_cases
    client.force_login(member(pag_asa, Role.CASEWORKER))
    response = client.get("/cases/", {"minor": "true"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and '<table class="list">' in html
    assert child.reference in html and adult.reference not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_changing_a_filter_updates_the_results_in_place(live_server, browser, member, belgium):
    pag_asa = Organisation.objects.get(jurisdiction=belgium, slug="pag-asa")
    adult = CaseFactory(owner=pag_asa, state="reflection", minor=False, region=pag_asa.region)
    child = CaseFactory(owner=pag_asa, state="intake", minor=True, region=pag_asa.region)
    session = Client()
    session.force_login(member(pag_asa, Role.CASEWORKER))
    context = browser.new_context(locale="en")
    context.add_cookies([{"name": "sessionid", "value": session.cookies["sessionid"].value,
                          "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/cases/")
    assert page.locator(f"text={adult.reference}").is_visible()
    page.evaluate("window.__sameDocument = true")
    page.select_option("#id_minor", "true")
    page.wait_for_url("**minor=true**")
    page.locator(f"text={adult.reference}").wait_for(state="detached")
    assert page.locator(f"text={child.reference}").is_visible()
    assert page.evaluate("window.__sameDocument === true")  # replaced in place, not a new page
    assert errors == []  # htmx runs under the strict CSP without inline styles or eval
    context.close()
