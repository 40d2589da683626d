"""The permission matrix of the request routes (pages and API): every seat calls every route of
``haven.residence`` about a real request, whose case PAG-ASA owns and whose person has unmistakable identity
values. Only the organisations that take part (the centre that asked, the magistrate's office that
answered, the Immigration Office that holds it now) reach the request; every other seat gets 404 on every
route about it and never sees the case reference; nobody, insider or not, is shown an identity there, and a
refused or malformed answer changes nothing.

Each organisation kind (its first organisation, as in ``haven.access.tests.test_matrix``) and each taking-part
organisation is walked with one role of each class of ``ROLE_PARTS`` (the casework roles all see the same,
the others see nothing: the first test checks that these two stand for every role)."""

import re

import pytest
from django.test import Client

from haven.access.scope import ROLE_PARTS
from haven.access.tests.test_matrix import IDENTITY, MARKERS, body, routes
from haven.cases.actions.procedure import apply_transition
from haven.cases.models import Case
from haven.cases.tests.chain import day
from haven.organisations.models import Membership, Organisation, User
from haven.organisations.roles import OrganisationKind, Role
from haven.residence import services
from haven.residence.models import DocumentRequest

PARTIES = ("pag-asa", "prosecutor-brussels", "immigration-office-thb")
CLASSES = {Role.CASEWORKER: "casework", Role.ANALYST: "nothing"}
SEATS = [(None, kind, role) for kind in OrganisationKind.values for role in CLASSES]
SEATS += [("prosecutor-brussels", None, role) for role in CLASSES]
SEATS += [("payoke", None, Role.CASEWORKER), ("prosecutor-liege", None, Role.MAGISTRATE)]
RESIDENCE = re.compile(r"^(api/v1/)?residence/(requests|cases)/")


def test_the_representative_roles_stand_for_every_role():
    assert {ROLE_PARTS[role] for role in Role.values} == {ROLE_PARTS[role] for role in CLASSES}


@pytest.fixture
def world(belgium, member, case_of):
    owner = Organisation.objects.get(jurisdiction=belgium, slug="pag-asa")
    worker = member(owner, Role.CASEWORKER, "matrix-worker")
    magistrate = member(Organisation.objects.get(jurisdiction=belgium, slug="prosecutor-brussels"), Role.MAGISTRATE,
                        "matrix-magistrate")
    case = case_of(owner, **IDENTITY)
    Case.objects.filter(pk=case.pk).update(state="intake", exploitation_forms=",sexual,")
    case.refresh_from_db()
    apply_transition(worker, case, "file_complaint", on=day(1))
    request = services.request_document(worker, case, "provisional_stay", grounds="statements made",
                                        district="brussels", on=day(2))
    services.confirm(magistrate, request, on=day(3))
    request.refresh_from_db()
    assert request.stage == "decide"
    return case, request


def url_of(route: str, case, request) -> str:
    def value(match):
        return str(case.pk if route.startswith(("residence/cases/", "api/v1/residence/cases/")) else request.pk)

    return "/" + re.sub(r"<(?:\w+:)?\w+>", value, route)


@pytest.mark.parametrize(("slug", "kind", "role"), SEATS, ids=[f"{s or k}-{r}" for s, k, r in SEATS])
def test_the_request_routes_keep_to_who_takes_part(world, belgium, slug, kind, role):
    case, request = world
    organisation = (Organisation.objects.get(jurisdiction=belgium, slug=slug) if slug else
                    Organisation.objects.filter(jurisdiction=belgium, kind=kind).order_by("slug").first())
    user = User.objects.create_user(f"seat-{organisation.slug}-{role}", password="x" * 16)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    insider = organisation.slug in PARTIES and bool(ROLE_PARTS[role])
    targets = [(route, url_of(route, case, request)) for route, _name, _cb in routes() if RESIDENCE.match(route)]
    assert len(targets) >= 14
    before = (DocumentRequest.objects.filter(pk=request.pk).values().get(), request.answers.count(),
              Case.objects.get(pk=case.pk).version)
    failures = []
    for route, url in targets:
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {"purpose": "casework"})
        text = body(response)
        who = f"{organisation.slug}/{role} {response.status_code} {url}"
        if response.status_code >= 500:
            failures.append(f"{who}: server error")
        if [marker for marker in MARKERS if marker in text]:
            failures.append(f"{who}: identity shown on a request route")
        if not insider:
            if case.reference in text:
                failures.append(f"{who}: the case reference reached an outsider")
            if "<int:" in route and response.status_code != 404:
                failures.append(f"{who}: an outsider must get 404")
        elif route.endswith("requests/<int:pk>/") and response.status_code != 200:
            failures.append(f"{who}: a party must read the request")
    assert not failures, "\n".join(failures[:40])
    after = (DocumentRequest.objects.filter(pk=request.pk).values().get(), request.answers.count(),
             Case.objects.get(pk=case.pk).version)
    assert after == before  # nothing posted here was a valid answer: nothing changed
