"""Break-glass refusals speak the one error vocabulary: problem+json with a code on the API, the
form again with the field's error (in the user's language) on the page."""

import pytest

from haven.access import services
from haven.access.models import BreakGlass
from haven.audit.models import AccessLog, Action
from haven.core.actor import Actor
from haven.core.errors import Invalid
from haven.organisations.roles import Role

REASON = "Person found injured at night, centre unreachable"


@pytest.fixture
def case(org, case_of):
    return case_of(org("pag-asa"))


@pytest.fixture
def officer(org, member):
    return member(org("police-antwerpen"), Role.OFFICER)


def test_the_service_takes_an_actor_and_logs_its_address(case, officer):
    grant = services.break_glass(Actor(user=officer, address="203.0.113.9", via="command"), case.reference, REASON)
    assert grant.user == officer and grant.case == case
    log = AccessLog.objects.get(action=Action.BREAK_GLASS)
    assert log.ip == "203.0.113.9" and log.user == officer and log.case_id == case.pk


def test_api_refusals_are_problems_with_their_code(client, case, officer, org, member):
    client.force_login(officer)
    short = client.post("/api/v1/break-glass/", {"reference": case.reference, "reason": "urgent"})
    assert short.status_code == 400 and short["Content-Type"] == "application/problem+json"
    assert short.json()["code"] == "reason_too_short" and list(short.json()["errors"]) == ["reason"]
    unknown = client.post("/api/v1/break-glass/", {"reference": "NO-SUCH-CASE", "reason": REASON})
    assert unknown.status_code == 400 and unknown.json()["code"] == "case_not_openable"
    # a role that may not break glass gets the very same answer: it learns nothing about the reference
    client.force_login(member(org("myria"), Role.ANALYST))
    analyst = client.post("/api/v1/break-glass/", {"reference": case.reference, "reason": REASON})
    assert analyst.status_code == 400 and analyst.json() == unknown.json()
    assert not BreakGlass.objects.exists() and not AccessLog.objects.exists()


def test_the_page_shows_the_refusal_on_the_field_in_the_users_language(client, case, officer):
    client.force_login(officer)
    short = client.post("/break-glass/", {"reference": case.reference, "reason": "urgent"},
                        HTTP_ACCEPT_LANGUAGE="fr")
    html = short.content.decode()
    assert short.status_code == 400 and "Expliquez l&#x27;urgence en au moins 20 caractères." in html
    assert f'value="{case.reference}"' in html  # the input is kept
    unknown = client.post("/break-glass/", {"reference": "NO-SUCH-CASE", "reason": REASON},
                          HTTP_ACCEPT_LANGUAGE="fr")
    assert unknown.status_code == 400
    assert "Vous ne pouvez ouvrir aucun dossier portant cette référence." in unknown.content.decode()
    assert not BreakGlass.objects.exists()


def test_a_refusal_changes_nothing_and_names_its_field(case, officer):
    with pytest.raises(Invalid) as refused:
        services.break_glass(Actor(user=officer), case.reference, " " * 30)
    assert refused.value.code == "reason_too_short" and refused.value.field_errors.keys() == {"reason"}
    assert not BreakGlass.objects.exists()
