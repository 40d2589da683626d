"""Taking in a member of another organisation is a request that organisation answers.

Found by an attacker: the admin of a centre added a police officer to the centre without the police
knowing. Now the centre only asks; an admin of the police accepts or declines.
"""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from haven.audit.models import AuditEvent, Verb
from haven.core.actor import Actor
from haven.core.errors import Forbidden, Invalid, Refused
from haven.organisations import services
from haven.organisations.models import Membership, MembershipRequest, Organisation
from haven.organisations.roles import Role

Status = MembershipRequest.Status


@pytest.fixture
def pag_asa(belgium):
    return Organisation.objects.get(jurisdiction=belgium, slug="pag-asa")


@pytest.fixture
def police(belgium):
    return Organisation.objects.get(jurisdiction=belgium, slug="police-central-thb")


@pytest.fixture
def payoke(belgium):
    return Organisation.objects.get(jurisdiction=belgium, slug="payoke")


@pytest.fixture
def seats(pag_asa, police, member):
    """The centre's admin, the police's admin and a police officer the centre wants."""
    return member(pag_asa, Role.ORG_ADMIN), member(police, Role.ORG_ADMIN), member(police, Role.OFFICER,
                                                                                  username="officer")


@pytest.fixture
def asked(seats, pag_asa):
    """A pending request of PAG-ASA for the officer, as a caseworker."""
    centre_admin, _police_admin, officer = seats
    outcome = services.do_add_member(Actor(user=centre_admin, organisation=pag_asa), pag_asa,
                                     username=officer.username, role=Role.CASEWORKER)
    return outcome.request


def members_url(org):
    return reverse("organisation-members", args=[org.jurisdiction.code, org.slug])


def answer_url(org, membership_request):
    return reverse("organisation-member-request-answer", args=[org.jurisdiction.code, org.slug, membership_request.pk])


def withdraw_url(org, membership_request):
    return reverse("organisation-member-request-withdraw",
                   args=[org.jurisdiction.code, org.slug, membership_request.pk])


def trail():
    return list(AuditEvent.objects.order_by("pk").values_list("verb", "target_organisation_id"))


def test_the_centre_asks_and_the_police_accept(client, seats, pag_asa, police):
    centre_admin, police_admin, officer = seats
    client.force_login(centre_admin)
    response = client.post(members_url(pag_asa), {"username": "officer", "role": Role.CASEWORKER})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=officer, organisation=pag_asa).exists()
    membership_request = MembershipRequest.objects.get()
    assert (membership_request.user, membership_request.organisation, membership_request.role,
            membership_request.requested_by, membership_request.status) == (
        officer, pag_asa, Role.CASEWORKER, centre_admin, Status.PENDING)
    requested = AuditEvent.objects.get()
    assert (requested.verb, requested.target, requested.target_organisation, requested.organisation) == (
        Verb.MEMBERSHIP_REQUESTED, f"organisations.membershiprequest:{membership_request.pk}", pag_asa, pag_asa)
    assert requested.after == {"user": officer.pk, "role": Role.CASEWORKER, "organisation": pag_asa.pk}
    # the centre sees its own request, with a way to take it back
    page = client.get(members_url(pag_asa), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert withdraw_url(pag_asa, membership_request) in page and answer_url(pag_asa, membership_request) not in page

    client.force_login(police_admin)
    page = client.get(members_url(police), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert answer_url(police, membership_request) in page and 'id="requests-to-answer"' in page
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Membership requests waiting for your answer" in home
    assert "PAG-ASA asks to take in officer as Caseworker" in home

    response = client.post(answer_url(police, membership_request), {"decision": "accept"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=officer, organisation=pag_asa)
    assert membership.role == Role.CASEWORKER
    assert officer.memberships.filter(organisation=police, role=Role.OFFICER).exists()
    membership_request.refresh_from_db()
    assert (membership_request.status, membership_request.decided_by) == (Status.ACCEPTED, police_admin)
    assert membership_request.decided_at is not None
    answered = AuditEvent.objects.exclude(pk=requested.pk).order_by("pk")
    assert [(e.verb, e.target_organisation_id, e.organisation_id, e.user_id) for e in answered] == [
        (Verb.MEMBERSHIP_ADDED, pag_asa.pk, police.pk, police_admin.pk),
        (Verb.MEMBERSHIP_REQUEST_ACCEPTED, pag_asa.pk, police.pk, police_admin.pk),
        (Verb.MEMBERSHIP_REQUEST_ACCEPTED, police.pk, police.pk, police_admin.pk)]
    assert answered[0].after == {"user": officer.pk, "role": Role.CASEWORKER, "request": membership_request.pk}
    assert answered[1].after == {"status": Status.ACCEPTED, "user": officer.pk, "role": Role.CASEWORKER,
                                 "organisation": pag_asa.pk}
    stored = " ".join(str(e.before) + str(e.after) for e in AuditEvent.objects.all())
    assert "officer" not in stored
    # nothing is waiting any more, on the panel or the page
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No other organisation is asking to take in one of your members." in home
    assert answer_url(police, membership_request) not in client.get(members_url(police)).content.decode()


def test_the_police_decline_with_a_reason(client, seats, asked, pag_asa, police):
    _centre_admin, police_admin, officer = seats
    client.force_login(police_admin)
    reason = "Seconded to the THB unit until March"
    client.post(answer_url(police, asked), {"decision": "decline", "reason": reason})
    asked.refresh_from_db()
    assert (asked.status, asked.reason, asked.decided_by) == (Status.DECLINED, reason, police_admin)
    assert not Membership.objects.filter(user=officer, organisation=pag_asa).exists()
    assert trail() == [(Verb.MEMBERSHIP_REQUESTED, pag_asa.pk), (Verb.MEMBERSHIP_REQUEST_DECLINED, pag_asa.pk),
                       (Verb.MEMBERSHIP_REQUEST_DECLINED, police.pk)]
    assert "March" not in " ".join(str(e.before) + str(e.after) for e in AuditEvent.objects.all())
    # declined, the centre may ask again: only one request may wait at a time
    again = services.do_add_member(Actor(user=seats[0]), pag_asa, username="officer", role=Role.ANALYST).request
    assert again.pk != asked.pk and again.status == Status.PENDING


def test_a_decision_must_be_given(client, seats, asked, police):
    client.force_login(seats[1])
    response = client.post(answer_url(police, asked), {"decision": "maybe"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Status.PENDING and len(trail()) == 1


def test_the_centre_withdraws_its_request(client, seats, asked, pag_asa, police):
    centre_admin, police_admin, officer = seats
    client.force_login(centre_admin)
    assert client.post(withdraw_url(pag_asa, asked)).status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == (Status.WITHDRAWN, centre_admin)
    assert trail() == [(Verb.MEMBERSHIP_REQUESTED, pag_asa.pk), (Verb.MEMBERSHIP_REQUEST_WITHDRAWN, pag_asa.pk),
                       (Verb.MEMBERSHIP_REQUEST_WITHDRAWN, police.pk)]
    client.force_login(police_admin)
    assert answer_url(police, asked) not in client.get(members_url(police)).content.decode()
    with pytest.raises(Refused) as refused:
        services.do_answer_membership_request(Actor(user=police_admin), asked, accept=True)
    assert refused.value.code == "request_withdrawn"
    with pytest.raises(Refused):
        services.do_withdraw_membership_request(Actor(user=centre_admin), asked)
    assert not Membership.objects.filter(user=officer, organisation=pag_asa).exists() and len(trail()) == 3


def test_the_police_cannot_withdraw_the_centres_request(client, seats, asked, pag_asa, police):
    client.force_login(seats[1])
    assert client.post(withdraw_url(police, asked)).status_code == 404
    assert client.post(withdraw_url(pag_asa, asked)).status_code == 403
    with pytest.raises(Forbidden):
        services.do_withdraw_membership_request(Actor(user=seats[1]), asked)
    asked.refresh_from_db()
    assert asked.status == Status.PENDING and len(trail()) == 1


def test_answering_twice_is_refused(client, seats, asked, pag_asa, police):
    police_admin = seats[1]
    client.force_login(police_admin)
    client.post(answer_url(police, asked), {"decision": "accept"})
    response = client.post(answer_url(police, asked), {"decision": "decline", "reason": "no"},
                           HTTP_REFERER="http://testserver" + members_url(police))
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This request was already answered: Accepted." in page
    with pytest.raises(Refused) as refused:
        services.do_answer_membership_request(Actor(user=police_admin), asked, accept=False)
    assert refused.value.code == "request_answered"
    asked.refresh_from_db()
    assert (asked.status, asked.reason) == (Status.ACCEPTED, "")
    assert Membership.objects.filter(organisation=pag_asa, user=seats[2]).count() == 1
    assert len(trail()) == 4  # requested, added, accepted ×2


def test_two_admins_answering_at_once_one_wins(seats, asked, police, member, pag_asa):
    """The second admin still holds the request as it was read (pending): the locked row says otherwise."""
    other_police_admin = member(police, Role.ORG_ADMIN, username="second-police-admin")
    stale = MembershipRequest.objects.get(pk=asked.pk)
    services.do_answer_membership_request(Actor(user=seats[1]), asked, accept=False, reason="not now")
    assert stale.status == Status.PENDING
    with pytest.raises(Refused) as refused:
        services.do_answer_membership_request(Actor(user=other_police_admin), stale, accept=True)
    assert refused.value.code == "request_answered"
    assert MembershipRequest.objects.get(pk=asked.pk).status == Status.DECLINED
    assert not Membership.objects.filter(user=seats[2], organisation=pag_asa).exists()
    assert [verb for verb, _org in trail()].count(Verb.MEMBERSHIP_REQUEST_DECLINED) == 2
    assert Verb.MEMBERSHIP_REQUEST_ACCEPTED not in [verb for verb, _org in trail()]


def test_a_third_organisations_admin_cannot_answer(client, seats, asked, payoke, police, member):
    payoke_admin = member(payoke, Role.ORG_ADMIN)
    client.force_login(payoke_admin)
    assert client.post(answer_url(payoke, asked), {"decision": "accept"}).status_code == 404
    assert client.post(answer_url(police, asked), {"decision": "accept"}).status_code == 403
    assert answer_url(payoke, asked) not in client.get(members_url(payoke)).content.decode()
    with pytest.raises(Forbidden) as refused:
        services.do_answer_membership_request(Actor(user=payoke_admin), asked, accept=True)
    assert refused.value.code == "not_request_answerer"
    # nor a police officer who is no admin
    with pytest.raises(Forbidden):
        services.do_answer_membership_request(Actor(user=seats[2]), asked, accept=True)
    asked.refresh_from_db()
    assert asked.status == Status.PENDING
    assert not Membership.objects.filter(user=seats[2], organisation__slug="pag-asa").exists()
    assert len(trail()) == 1


def test_the_asking_admin_cannot_answer_their_own_request(client, seats, asked, pag_asa, police, member):
    centre_admin = seats[0]
    client.force_login(centre_admin)
    assert client.post(answer_url(pag_asa, asked), {"decision": "accept"}).status_code == 404
    assert client.post(answer_url(police, asked), {"decision": "accept"}).status_code == 403
    with pytest.raises(Forbidden) as refused:
        services.do_answer_membership_request(Actor(user=centre_admin), asked, accept=True)
    assert refused.value.code == "not_request_answerer"
    # not even when they administer both organisations: another admin answers
    Membership.objects.create(user=centre_admin, organisation=police, role=Role.ORG_ADMIN)
    with pytest.raises(Forbidden) as refused:
        services.do_answer_membership_request(Actor(user=centre_admin), asked, accept=True)
    assert refused.value.code == "own_request"
    page = client.get(members_url(police), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You asked for this: another admin answers." in page and answer_url(police, asked) not in page
    asked.refresh_from_db()
    assert asked.status == Status.PENDING and len(trail()) == 1


def test_a_system_role_is_still_granted_by_a_system_administrator_only(client, seats, pag_asa, police):
    centre_admin, police_admin, officer = seats
    with pytest.raises(Forbidden) as refused:
        services.do_add_member(Actor(user=centre_admin), pag_asa, username="officer", role=Role.DPO)
    assert refused.value.code == "system_role"
    client.force_login(centre_admin)
    assert client.post(members_url(pag_asa), {"username": "officer", "role": Role.DPO}).status_code == 400
    assert not MembershipRequest.objects.exists()
    # a request for one, however it came to exist, is not granted by the other organisation's admin either
    forged = MembershipRequest.objects.create(user=officer, organisation=pag_asa, role=Role.DPO,
                                              requested_by=centre_admin)
    with pytest.raises(Forbidden) as refused:
        services.do_answer_membership_request(Actor(user=police_admin), forged, accept=True)
    assert refused.value.code == "system_role"
    assert not Membership.objects.filter(role=Role.DPO).exists() and not AuditEvent.objects.exists()


def test_one_request_waits_at_a_time(seats, asked, pag_asa):
    with pytest.raises(Invalid) as refused:
        services.do_add_member(Actor(user=seats[0]), pag_asa, username="officer", role=Role.ANALYST)
    assert refused.value.code == "request_pending" and refused.value.field_errors.keys() == {"username"}
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipRequest.objects.create(user=seats[2], organisation=pag_asa, role=Role.ANALYST)
    assert MembershipRequest.objects.count() == 1 and len(trail()) == 1
