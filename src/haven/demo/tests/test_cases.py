from collections import Counter

import pytest
from django.urls import reverse

from haven.cases.actions.procedure import spec_for
from haven.cases.models import Case
from haven.demo.cases import generate, scenarios
from haven.demo.users import DEMO_USERS, create_demo_users
from haven.guardianship.services import guardian_of
from haven.jurisdictions.routing import competent_magistrate
from haven.organisations import home
from haven.organisations.models import Membership
from haven.organisations.roles import OrganisationKind, Role
from haven.residence.models import DocumentRequest, RequestAnswer, Stage

WAITS = {Stage.COSIGN, Stage.CONFIRM, Stage.DECIDE, "referral", "age_assessment"}
ACTING = {Role.CASEWORKER, Role.CASE_MANAGER, Role.OFFICER, Role.INSPECTOR, Role.MAGISTRATE,
          Role.IMMIGRATION_OFFICER, Role.GUARDIAN}


@pytest.fixture
def profiles(belgium, netherlands):
    return belgium, netherlands


def test_the_demo_walks_each_case_through_the_organisations_that_act_and_fills_every_queue(profiles, tmp_path,
                                                                                         client):
    """One generation, read three ways: every case stays inside its profile; every request was answered by
    the organisation that really answers it; every demo user who works on cases finds work on the home page."""
    create_demo_users(tmp_path / "demo-credentials.json")
    counts = generate(cases={"BE": 16, "NL": 4}, seed=7)
    waiting = {code: len(scenarios()[code]["waiting"]) for code in ("BE", "NL")}
    assert counts["BE:cases"] == 16 + waiting["BE"] and counts["NL:cases"] == 4 + waiting["NL"]
    assert counts["BE:screenings"] == counts["BE:cases"]
    for case in Case.objects.select_related("jurisdiction", "district", "region"):
        assert case.state in spec_for(case.jurisdiction).states, case.state
        assert case.timeline.exists()
        if case.district_id and not case.region.is_national:  # a district of the case's region
            assert case.district.region_id == case.region_id
    assert len(Counter(Case.objects.values_list("state", flat=True))) >= 3  # the walk spreads cases

    requests = DocumentRequest.objects.select_related("case", "case__district", "magistrate_office")
    assert counts["BE:documents"] >= 3 and counts["BE:requests"] > counts["BE:documents"]
    for request in requests:
        assert request.requested_by.kind in spec_for(request.case.jurisdiction).requests[request.kind].by
        if request.magistrate_office_id:  # routed by the case's district and forms of exploitation
            assert request.magistrate_office == competent_magistrate(request.case.district, request.case.form_set)
    for answer in RequestAnswer.objects.select_related("request", "organisation", "user"):
        request = answer.request
        if answer.outcome == RequestAnswer.Outcome.WITHDRAWN:
            assert answer.organisation_id == request.requested_by_id
        elif answer.stage == Stage.CONFIRM:
            assert answer.organisation_id == request.magistrate_office_id
            assert answer.user.memberships.get(organisation=answer.organisation).role == Role.MAGISTRATE
        elif answer.stage == Stage.DECIDE:
            assert answer.organisation_id == request.immigration_office_id
            assert answer.organisation.kind == OrganisationKind.IMMIGRATION_OFFICE
        else:
            assert answer.user == guardian_of(request.case)
    issued = requests.filter(stage=Stage.ISSUED).select_related("document")
    assert issued.exists() and all(r.document.number and r.document.commune for r in issued)

    for demo in DEMO_USERS:
        if demo.role not in ACTING:
            continue
        membership = Membership.objects.select_related("user", "organisation").get(user__username=demo.username)
        rows = {panel.key: home.panel_rows(panel, membership.user, membership.organisation)
                for panel in home.panels_for(demo.role)}
        assert any(rows.values()), f"{demo.username} finds nothing on the home page"
        client.force_login(membership.user)
        page = client.get(reverse("home"))
        assert page.status_code == 200, demo.username
        first = next(row for panel_rows in rows.values() for row in panel_rows)
        assert first["url"] in page.content.decode(), demo.username
        if demo.role == Role.MAGISTRATE:
            assert rows[home.CONFIRMATIONS.key], demo.username
        if demo.role == Role.IMMIGRATION_OFFICER:
            assert rows[home.DECISIONS.key], demo.username


def test_the_same_seed_gives_the_same_cases(profiles):
    first = generate(cases={"BE": 6, "NL": 0}, seed=3, waiting=False)
    assert generate(cases={"BE": 6, "NL": 0}, seed=3, waiting=False) == first
    assert Case.objects.count() == 12


def test_scenarios_name_only_what_the_profiles_know(profiles):
    for code, scenario in scenarios().items():
        jurisdiction = profiles[0] if code == "BE" else profiles[1]
        spec = spec_for(jurisdiction)
        actions = {t.action for t in spec.transitions}
        assert set(scenario["walk"]) <= set(spec.states)
        for weights in scenario["walk"].values():
            assert set(weights) - {"stay", "justice_grounds"} <= actions
        assert set(scenario["first_actions"]) <= actions
        regions = set(jurisdiction.regions.values_list("code", flat=True))
        assert set(scenario["regions"]) <= regions
        assert set(scenario["communes"]) == set(jurisdiction.districts.values_list("code", flat=True))
        for wait in scenario["waiting"]:
            assert set(wait.get("path", [])) <= actions and wait["waits"] in WAITS, wait
            assert wait.get("region", next(iter(scenario["regions"]))) in regions, wait
