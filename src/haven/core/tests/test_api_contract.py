"""The API as a contract: every operation of the OpenAPI schema, called by schemathesis as four roles.

A centre caseworker (PAG-ASA), a police officer, the rapporteur's analyst (Myria) and an anonymous
caller each send generated requests, valid and invalid, to every operation, with ids that exist
(cases, referrals, an investigation and its link, built through the case chain's actions) and ids
that do not. A response fails the contract when it is a server error, has a status or a media type
the schema does not document, or a body that does not match its schema.

The short form runs in the suite (a few examples per operation, derandomized so that CI repeats
itself); ``make proof`` runs the long form (``HAVEN_CONTRACT_EXAMPLES=100``).

Each request runs in a savepoint that is rolled back, so every example meets the same world (a
``DELETE /api/v1/auth/token/`` does not sign the role out for the next one), and the test works in
the test's own transaction on SQLite and PostgreSQL alike.
"""

import datetime
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from haven.access.models import ApiToken
from haven.cases.actions import procedure, referrals
from haven.cases.actions import signals as case_signals
from haven.jurisdictions.models import JudicialDistrict
from haven.justice import services as justice
from haven.organisations.models import Membership, Organisation, User
from haven.organisations.roles import Role
from haven.residence import services as residence

EXAMPLES = int(os.environ.get("HAVEN_CONTRACT_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The four roles: (organisation, role), or None for an anonymous caller.
ROLES = {
    "caseworker": ("pag-asa", Role.CASEWORKER),
    "officer": ("police-brussels-capital", Role.OFFICER),
    "analyst": ("myria", Role.ANALYST),
    "anonymous": None,
}
DAY = datetime.date(2025, 3, 3)


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI application, called in the test's transaction: like Django's test client, the
    request signals must not close the connection that holds that transaction."""
    from django.core.wsgi import get_wsgi_application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(belgium):
    """Users of the four roles and the ids that exist, by the kind of object a path names."""

    def org(slug):
        return Organisation.objects.get(jurisdiction=belgium, slug=slug)

    users = {}
    for name, seat in ROLES.items():
        if seat is not None:
            users[name] = User.objects.create_user(f"contract-{name}", password="correct horse battery staple")
            Membership.objects.create(user=users[name], organisation=org(seat[0]), role=seat[1])
    police, centre = users["officer"], users["caseworker"]  # the chain's actions take the acting user
    # A case referred by the police and accepted by PAG-ASA, one still pending, one the police keep.
    accepted = case_signals.record_signal(police, org("police-brussels-capital"), detected_on=DAY, region="brussels",
                                          exploitation_forms={"sexual"}, person={"family_name": "Contract"})
    procedure.apply_transition(police, accepted, "presume", on=DAY)
    for referral in referrals.route_case(police, accepted, consent="given", on=DAY):
        referrals.accept_referral(centre, referral, on=DAY)
    # The centre asks for the annex 15 and the Immigration Office issues it: a request of each stage exists.
    immigration = User.objects.create_user("contract-immigration", password="correct horse battery staple")
    Membership.objects.create(user=immigration, organisation=org("immigration-office-thb"),
                              role=Role.IMMIGRATION_OFFICER)
    issued = residence.request_document(centre, accepted, "reflection", grounds="left the milieu", on=DAY)
    residence.issue(immigration, issued, number="A15-CT", commune="Bruxelles", on=DAY)
    pending = case_signals.record_signal(police, org("police-brussels-capital"), detected_on=DAY, region="brussels",
                                         exploitation_forms={"labour"}, sector="F")
    procedure.apply_transition(police, pending, "presume", on=DAY)
    waiting = referrals.route_case(police, pending, consent="given", on=DAY)
    kept = case_signals.record_signal(police, org("police-brussels-capital"), detected_on=DAY, region="brussels",
                                      minor=True, unaccompanied=True)
    district = JudicialDistrict.objects.filter(jurisdiction=belgium).order_by("pk").first()
    investigation = justice.open_investigation(users["officer"], file_number="BR.2025/CT/1", district=district,
                                               opened=DAY)
    link = justice.link_case(users["officer"], investigation, accepted)
    ids = {
        "/api/v1/cases/{id}/": [accepted.pk, pending.pk, kept.pk],
        "/api/v1/referrals/{id}/": [r.pk for r in waiting] + [accepted.referrals.first().pk],
        "/api/v1/justice/investigations/{id}/": [investigation.pk],
        "/api/v1/justice/links/{id}/": [link.pk],
        "/api/v1/residence/requests/{id}/": [issued.pk],
    }
    return users, ids


def known_ids(path: str, ids: dict) -> list:
    return next((values for prefix, values in ids.items() if path.startswith(prefix.removesuffix("/"))), [])


def strategies_for(operation, ids: dict) -> list:
    """Valid and invalid requests with generated ids, then valid requests with each id that exists (a
    pass of its own, so that every one of them is called whatever the generator draws)."""
    generated = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                          operation.as_strategy(GenerationMode.NEGATIVE))
    existing = [operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"id": pk})
                for pk in (known_ids(operation.path, ids) if "{id}" in operation.path else [])]
    return [generated, *existing]


def exercise(application, operation, strategy, headers: dict, statuses: list) -> None:
    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
    def call(case):
        with transaction.atomic():
            # A client of its own: no cookie one call sets reaches the next.
            response = case.call(headers=headers, session=Client(application))
            transaction.set_rollback(True)  # every example meets the same world
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    call()


@pytest.mark.contract
@pytest.mark.parametrize("role", list(ROLES))
def test_every_operation_keeps_the_contract(role, world, wsgi_in_the_test_transaction):
    users, ids = world
    headers = {}
    if role != "anonymous":
        _token, key = ApiToken.issue(users[role])
        headers = {"Authorization": f"Bearer {key}"}
    # The schema as clients read it (it is for signed-in users; the anonymous caller reads the same one).
    _token, reader = ApiToken.issue(users["caseworker"])
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_in_the_test_transaction,
                                            headers={"Authorization": f"Bearer {reader}"})
    failures, statuses, operations = [], [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for strategy in strategies_for(operation, ids):
            try:
                exercise(wsgi_in_the_test_transaction, operation, strategy, headers, statuses)
            except (Exception, BaseExceptionGroup) as error:  # every operation's failures, not the first one's only
                failures.append(f"--- {role} {operation.label}\n{error}")
                break
    assert operations >= 50, "the schema lost its operations"
    assert not failures, f"{len(failures)} operation(s) broke the contract:\n" + "\n".join(failures)
    # Not only refusals: each role was answered with data too (the public lists for an anonymous caller).
    assert sum(200 <= status < 300 for status in statuses) >= 8, sorted(statuses)


def test_the_schema_documents_the_problems_of_every_operation(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert set(schema["components"]["schemas"]["Problem"]["required"]) == {"type", "title", "status", "detail", "code"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("401", "403", "404", "503"):
                assert responses[status]["content"] == problem, (method, path, status)
            assert ("429" in responses) == (path == "/api/v1/auth/token/" and method == "post"), (method, path)
            assert ("413" in responses) == ("requestBody" in operation), (method, path)
    transition = schema["paths"]["/api/v1/cases/{id}/transitions/"]["post"]["responses"]
    assert {"400", "409", "415", "422"} <= set(transition)
    assert "409" not in schema["paths"]["/api/v1/cases/"]["get"]["responses"]
