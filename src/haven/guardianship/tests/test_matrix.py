"""The permission matrix of the guardianship routes: every role of every organisation kind calls every page
and endpoint of this app about a child's case (Esperanto's, whose guardianship referral the Guardianship
Service accepted, with a guardian appointed and a doubt about age waiting).

An organisation that takes no part in the case gets 404 on every route naming the case, its appointment or
its assessment, an empty list elsewhere, and never the case's reference; nobody gets a server error; no
route of this app ever shows the child's identity. (``haven.access.tests.test_matrix`` walks the other
apps' routes; its ``CASE_ROUTES`` pattern does not reach ``guardianship/cases/…``.)
"""

import re

import pytest
from django.test import Client

from haven.access.scope import ROLE_PARTS
from haven.access.tests.test_matrix import IDENTITY, MARKERS, body, routes
from haven.cases.actions.referrals import accept_referral, route_case
from haven.cases.actions.signals import record_signal
from haven.cases.tests.chain import day
from haven.guardianship.services import appoint_guardian, open_age_assessment
from haven.organisations.models import Membership, Organisation, User
from haven.organisations.roles import OrganisationKind, Role

OURS = re.compile(r"^(api/v1/)?guardianship/")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
INSIDERS = {"esperanto", "guardianship-service"}


@pytest.fixture
def world(org, people, member):
    officer, service = people["officer"], people["guardian"]
    case = record_signal(officer, org("police-brussels-capital"), detected_on=day(0), region="brussels",
                         exploitation_forms={"sexual"}, minor=True, unaccompanied=True,
                         person={k: IDENTITY[k] for k in ("family_name", "given_names", "birth_date")})
    for referral in route_case(officer, case, consent="overridden", override_reason="child", on=day(0)):
        accept_referral(people["esperanto" if referral.purpose == "reception" else "guardian"], referral, on=day(1))
    case.refresh_from_db()
    appointment = appoint_guardian(service, case, member(org("guardianship-service"), Role.GUARDIAN, "anne"),
                                   on=day(2))
    assessment = open_age_assessment(people["esperanto"], case, "looks older", on=day(3))
    case.refresh_from_db()
    return case, {"cases": case.pk, "appointments": appointment.pk, "age-assessments": assessment.pk}


def fill(route: str, ids: dict) -> str:
    kind = next(part for part in ("cases", "appointments", "age-assessments")
                if f"{part}/" in route or "<" not in route)
    return "/" + CONVERTER.sub(lambda _match: str(ids[kind]), route)


@pytest.mark.parametrize("kind", OrganisationKind.values)
def test_every_role_of_every_kind_on_every_guardianship_route(world, belgium, kind):
    case, ids = world
    organisation = Organisation.objects.filter(jurisdiction=belgium, kind=kind).order_by("slug").first()
    ours = [(route, fill(route, ids)) for route, _name, _callback in routes() if OURS.match(route)]
    assert len(ours) >= 12
    failures, insiders_served = [], 0
    for role in Role.values:
        user = User.objects.create_user(f"matrix-{organisation.slug}-{role}", password="x" * 16)
        Membership.objects.create(user=user, organisation=organisation, role=role)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        insider = organisation.slug in INSIDERS and bool(ROLE_PARTS[role])
        for route, url in ours:
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url, {"purpose": "casework"})
            text, who = body(response), f"{organisation.slug}/{role} {response.status_code} {url}"
            if response.status_code >= 500:
                failures.append(f"{who}: server error")
            if [marker for marker in MARKERS if marker in text]:
                failures.append(f"{who}: the child's identity on a guardianship route")
            if insider:
                insiders_served += response.status_code in (200, 400)
                continue
            if case.reference in text:
                failures.append(f"{who}: the case reference reached an outsider")
            if "<int:" in route and response.status_code != 404:
                failures.append(f"{who}: an outsider must get 404")
    assert not failures, "\n".join(failures[:40])
    if organisation.slug in INSIDERS:
        assert insiders_served >= len(ours)  # the insiders were answered, not only refused
