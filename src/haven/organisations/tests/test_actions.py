"""Membership actions and admin writes: each leaves its audit event in the same transaction, or
nothing at all."""

import pytest
from django.db import transaction
from django.urls import reverse

from haven.audit.models import AuditEvent, Verb
from haven.core.actor import Actor
from haven.core.errors import Forbidden, Invalid, Refused
from haven.organisations import services
from haven.organisations.models import Membership, Organisation, User
from haven.organisations.roles import Role


@pytest.fixture
def pag_asa(belgium):
    return Organisation.objects.get(jurisdiction=belgium, slug="pag-asa")


@pytest.fixture
def payoke(belgium):
    return Organisation.objects.get(jurisdiction=belgium, slug="payoke")


class Boom(Exception):
    pass


def explode(*args, **kwargs):
    raise Boom


def members_url(org):
    return reverse("organisation-members", args=[org.jurisdiction.code, org.slug])


def test_adding_a_member_leaves_one_event_without_their_name(client, pag_asa, member):
    admin = member(pag_asa, Role.ORG_ADMIN)
    client.force_login(admin)
    client.post(members_url(pag_asa), {"username": "amira", "role": Role.CASEWORKER, "first_name": "Amira",
                                       "last_name": "Haddad", "email": "amira@example.org"}, REMOTE_ADDR="192.0.2.9")
    membership = Membership.objects.get(user__username="amira")
    event = AuditEvent.objects.get()
    assert (event.verb, event.target, event.target_organisation, event.organisation) == (
        Verb.MEMBERSHIP_ADDED, f"organisations.membership:{membership.pk}", pag_asa, pag_asa)
    assert (event.user, event.username, event.via, event.address) == (admin, admin.username, "web", "192.0.2.9")
    assert event.after == {"user": membership.user_id, "role": Role.CASEWORKER, "new_account": True}
    assert event.before == {}
    stored = str(event.before) + str(event.after)
    assert "Amira" not in stored and "Haddad" not in stored and "example.org" not in stored


def test_changing_a_role_and_removing_a_member_leave_one_event_each(client, pag_asa, member):
    client.force_login(member(pag_asa, Role.ORG_ADMIN))
    membership = member(pag_asa, Role.CASEWORKER).memberships.get()
    client.post(reverse("organisation-member-role", args=["BE", "pag-asa", membership.pk]),
                {f"m{membership.pk}-role": Role.CASE_MANAGER})
    changed = AuditEvent.objects.get()
    assert (changed.verb, changed.before, changed.after) == (
        Verb.MEMBERSHIP_ROLE_CHANGED, {"role": Role.CASEWORKER}, {"role": Role.CASE_MANAGER})
    client.post(reverse("organisation-member-remove", args=["BE", "pag-asa", membership.pk]))
    removed = AuditEvent.objects.exclude(pk=changed.pk).get()
    assert (removed.verb, removed.target, removed.target_organisation, removed.before) == (
        Verb.MEMBERSHIP_REMOVED, f"organisations.membership:{membership.pk}", pag_asa,
        {"user": membership.user_id, "role": Role.CASE_MANAGER})


def test_refusals_change_nothing_and_leave_no_event(client, pag_asa, payoke, member):
    admin = member(pag_asa, Role.ORG_ADMIN)
    actor = Actor(user=admin)
    own = admin.memberships.get()
    other = member(payoke, Role.CASEWORKER).memberships.get()
    with pytest.raises(Refused) as refused:
        services.do_change_role(actor, own, Role.CASEWORKER)
    assert refused.value.code == "last_admin"
    with pytest.raises(Refused):
        services.do_remove_member(actor, own)
    with pytest.raises(Invalid) as invalid:
        services.do_add_member(actor, pag_asa, username=admin.username, role=Role.CASEWORKER)
    assert invalid.value.field_errors.keys() == {"username"}
    with pytest.raises(Invalid) as invalid:
        services.do_add_member(actor, pag_asa, username="new", role="emperor")
    assert invalid.value.field_errors.keys() == {"role"}
    with pytest.raises(Forbidden):
        services.do_change_role(actor, other, Role.ORG_ADMIN)
    with pytest.raises(Forbidden):
        services.do_add_member(actor, payoke, username="intruder", role=Role.ORG_ADMIN)
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.role == Role.ORG_ADMIN and other.role == Role.CASEWORKER
    assert not User.objects.filter(username__in=["new", "intruder"]).exists()
    assert not AuditEvent.objects.exists()


def test_the_api_and_pages_say_why_a_change_was_refused(client, pag_asa, member):
    admin = member(pag_asa, Role.ORG_ADMIN)
    client.force_login(admin)
    own = admin.memberships.get()
    url = reverse("organisation-member-remove", args=["BE", "pag-asa", own.pk])
    response = client.post(url, HTTP_REFERER="http://testserver" + members_url(pag_asa))
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "An organisation must keep at least one admin." in page
    assert Membership.objects.filter(pk=own.pk).exists() and not AuditEvent.objects.exists()


def test_a_failure_after_the_first_write_leaves_nothing(monkeypatch, pag_asa, member):
    admin = member(pag_asa, Role.ORG_ADMIN)
    worker = member(pag_asa, Role.CASEWORKER).memberships.get()
    monkeypatch.setattr(services, "record_event", explode)
    actor = Actor(user=admin)
    with pytest.raises(Boom):
        services.do_add_member(actor, pag_asa, username="amira", role=Role.CASEWORKER)
    with pytest.raises(Boom):
        services.do_change_role(actor, worker, Role.CASE_MANAGER)
    with pytest.raises(Boom):
        services.do_remove_member(actor, worker)
    assert not User.objects.filter(username="amira").exists()
    assert Membership.objects.get(pk=worker.pk).role == Role.CASEWORKER
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_action_is_its_own_transaction(belgium, member):
    pag_asa = Organisation.objects.get(jurisdiction=belgium, slug="pag-asa")
    admin = member(pag_asa, Role.ORG_ADMIN)
    worker = member(pag_asa, Role.CASEWORKER).memberships.get()
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.do_change_role(Actor(user=admin), worker, Role.CASE_MANAGER)
    services.do_change_role(Actor(user=admin), worker, Role.CASE_MANAGER)
    assert AuditEvent.objects.get().verb == Verb.MEMBERSHIP_ROLE_CHANGED


# ------------------------------------------------------------------ the Django admin


@pytest.fixture
def staff(client, db):
    root = User.objects.create_superuser("root", password="x" * 16)
    client.force_login(root)
    return root


def form_data(response) -> dict:
    """What the admin's change form would post back unchanged (its fields and inline formsets)."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, list | tuple):
                data[form.add_prefix(name)] = list(value)
            elif value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def test_an_admin_change_of_an_organisation_and_its_memberships_leaves_events(client, staff, pag_asa, member):
    worker = member(pag_asa, Role.CASEWORKER).memberships.get()
    url = reverse("admin:organisations_organisation_change", args=[pag_asa.pk])
    data = form_data(client.get(url))
    data["city"] = "Brussel"
    prefix = next(key for key, value in data.items() if key.endswith("-id") and str(value) == str(worker.pk))[:-3]
    data[f"{prefix}-role"] = Role.CASE_MANAGER
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    changed = AuditEvent.objects.get(verb=Verb.ORGANISATION_CHANGED)
    assert (changed.before, changed.after, changed.target_organisation) == (
        {"city": "Bruxelles"}, {"city": "Brussel"}, pag_asa)
    role = AuditEvent.objects.get(verb=Verb.MEMBERSHIP_ROLE_CHANGED)
    assert (role.target, role.after, role.user) == (f"organisations.membership:{worker.pk}",
                                                    {"role": Role.CASE_MANAGER}, staff)
    assert AuditEvent.objects.count() == 2


def test_admin_writes_of_memberships_leave_events(client, staff, pag_asa, payoke, member):
    worker = member(pag_asa, Role.CASEWORKER)
    response = client.post(reverse("admin:organisations_membership_add"),
                           {"user": worker.pk, "organisation": payoke.pk, "role": Role.ANALYST})
    assert response.status_code == 302
    added = Membership.objects.get(user=worker, organisation=payoke)
    assert AuditEvent.objects.get().after == {"user": worker.pk, "role": Role.ANALYST}
    own = worker.memberships.get(organisation=pag_asa)
    client.post(reverse("admin:organisations_membership_change", args=[own.pk]),
                {"user": worker.pk, "organisation": pag_asa.pk, "role": Role.CASE_MANAGER})
    # moved to another organisation: removed there, added here, so both organisations' admins read it
    other = member(payoke, Role.CASEWORKER, username="other")
    moving = other.memberships.get()
    client.post(reverse("admin:organisations_membership_change", args=[moving.pk]),
                {"user": other.pk, "organisation": pag_asa.pk, "role": Role.CASEWORKER})
    client.post(reverse("admin:organisations_membership_delete", args=[added.pk]), {"post": "yes"})
    client.post(reverse("admin:organisations_user_delete", args=[other.pk]), {"post": "yes"})
    assert not User.objects.filter(pk=other.pk).exists()
    assert list(AuditEvent.objects.order_by("pk").values_list("verb", "target_organisation")) == [
        (Verb.MEMBERSHIP_ADDED, payoke.pk), (Verb.MEMBERSHIP_ROLE_CHANGED, pag_asa.pk),
        (Verb.MEMBERSHIP_REMOVED, payoke.pk), (Verb.MEMBERSHIP_ADDED, pag_asa.pk),
        (Verb.MEMBERSHIP_REMOVED, payoke.pk), (Verb.MEMBERSHIP_REMOVED, pag_asa.pk)]
    assert AuditEvent.objects.order_by("pk").last().before == {"user": other.pk, "role": Role.CASEWORKER}


def test_an_organisation_admin_cannot_grant_a_role_that_reaches_beyond_the_organisation(client, pag_asa, member):
    """Found by an attacker: the admin of a centre made a member DPO, who then read every organisation's log."""
    admin = member(pag_asa, Role.ORG_ADMIN)
    caseworker = member(pag_asa, Role.CASEWORKER)
    actor = Actor(user=admin)
    with pytest.raises(Forbidden) as refused:
        services.do_add_member(actor, pag_asa, username="insider", role=Role.DPO)
    assert refused.value.code == "system_role"
    with pytest.raises(Forbidden):
        services.do_change_role(actor, Membership.objects.get(user=caseworker), Role.DPO)
    assert not Membership.objects.filter(role=Role.DPO).exists() and not User.objects.filter(username="insider")
    # the page does not offer it, and a forged post is refused without a change
    client.force_login(admin)
    page = client.get(members_url(pag_asa)).content.decode()
    assert 'value="dpo"' not in page and 'value="caseworker"' in page
    response = client.post(members_url(pag_asa), {"username": "insider", "role": "dpo"})
    assert response.status_code == 400 and not User.objects.filter(username="insider").exists()
    # nor withdraw it from someone a system administrator made DPO
    dpo = Membership.objects.create(user=User.objects.create_user("the-dpo"), organisation=pag_asa, role=Role.DPO)
    with pytest.raises(Forbidden):
        services.do_remove_member(actor, dpo)
    with pytest.raises(Forbidden):
        services.do_change_role(actor, dpo, Role.CASEWORKER)
    assert AuditEvent.objects.count() == 0


def test_a_system_administrator_grants_it_in_the_admin_and_the_grant_is_an_event(client, staff, pag_asa):
    officer = User.objects.create_user("dpo-to-be")
    response = client.post(reverse("admin:organisations_membership_add"),
                           {"user": officer.pk, "organisation": pag_asa.pk, "role": Role.DPO})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    grant = AuditEvent.objects.get(verb=Verb.MEMBERSHIP_ADDED)
    assert (grant.user, grant.after, grant.target_organisation) == (staff, {"user": officer.pk, "role": Role.DPO},
                                                                    pag_asa)


def test_an_admin_cannot_take_in_a_member_of_another_organisation(pag_asa, payoke, member):
    """Only asks: the member joins when an admin of their organisation accepts (see test_requests.py)."""
    admin = member(pag_asa, Role.ORG_ADMIN)
    elsewhere = member(payoke, Role.CASEWORKER, username="payoke-worker")
    outcome = services.do_add_member(Actor(user=admin), pag_asa, username=elsewhere.username, role=Role.CASEWORKER)
    assert outcome.membership is None and outcome.request.status == "pending"
    assert list(elsewhere.memberships.values_list("organisation__slug", flat=True)) == ["payoke"]
    assert list(AuditEvent.objects.values_list("verb", flat=True)) == [Verb.MEMBERSHIP_REQUESTED]
