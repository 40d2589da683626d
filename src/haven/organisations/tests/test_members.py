import pytest
from django.urls import reverse

from haven.organisations.models import Membership, Organisation, User
from haven.organisations.roles import Role


@pytest.fixture
def pag_asa(belgium):
    return Organisation.objects.get(jurisdiction=belgium, slug="pag-asa")


@pytest.fixture
def payoke(belgium):
    return Organisation.objects.get(jurisdiction=belgium, slug="payoke")


def members_url(org):
    return reverse("organisation-members", args=[org.jurisdiction.code, org.slug])


def test_an_admin_adds_a_member_who_sets_their_own_password(client, pag_asa, member):
    client.force_login(member(pag_asa, Role.ORG_ADMIN))
    response = client.post(members_url(pag_asa), {"username": "amira", "role": Role.CASEWORKER,
                                                 "email": "amira@example.org"})
    assert response.status_code == 200
    invite = response.context["invite"]
    assert "/accounts/reset/" in invite
    assert Membership.objects.get(user__username="amira").role == Role.CASEWORKER
    assert not User.objects.get(username="amira").check_password("")


def test_an_admin_changes_a_role_and_removes_a_member(client, pag_asa, member):
    client.force_login(member(pag_asa, Role.ORG_ADMIN))
    worker = member(pag_asa, Role.CASEWORKER)
    membership = worker.memberships.get()
    url = reverse("organisation-member-role", args=["BE", "pag-asa", membership.pk])
    assert client.post(url, {f"m{membership.pk}-role": Role.CASE_MANAGER}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.CASE_MANAGER
    client.post(reverse("organisation-member-remove", args=["BE", "pag-asa", membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_cannot_manage_another_organisations_members(client, pag_asa, payoke, member):
    client.force_login(member(pag_asa, Role.ORG_ADMIN))
    other = member(payoke, Role.CASEWORKER).memberships.get()
    assert client.get(members_url(payoke)).status_code == 403
    assert client.post(members_url(payoke), {"username": "intruder", "role": Role.ORG_ADMIN}).status_code == 403
    assert client.post(reverse("organisation-member-role", args=["BE", "payoke", other.pk]),
                       {f"m{other.pk}-role": Role.ORG_ADMIN}).status_code == 403
    assert client.post(reverse("organisation-member-remove", args=["BE", "payoke", other.pk])).status_code == 403
    other.refresh_from_db()
    assert other.role == Role.CASEWORKER
    assert not User.objects.filter(username="intruder").exists()


def test_a_membership_of_another_organisation_is_not_reachable_through_ones_own(client, pag_asa, payoke, member):
    client.force_login(member(pag_asa, Role.ORG_ADMIN))
    other = member(payoke, Role.CASEWORKER).memberships.get()
    url = reverse("organisation-member-remove", args=["BE", "pag-asa", other.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ORG_ADMIN])
def test_a_normal_member_cannot_manage_anyone(client, pag_asa, member, role):
    client.force_login(member(pag_asa, role))
    colleague = member(pag_asa, Role.CASEWORKER, username="colleague").memberships.get()
    assert client.get(members_url(pag_asa)).status_code == 403
    assert client.post(members_url(pag_asa), {"username": "new", "role": Role.CASEWORKER}).status_code == 403
    assert client.post(reverse("organisation-member-remove", args=["BE", "pag-asa", colleague.pk])).status_code == 403
    assert Membership.objects.filter(pk=colleague.pk).exists()


def test_bad_input_keeps_what_was_typed(client, pag_asa, member):
    client.force_login(member(pag_asa, Role.ORG_ADMIN), )
    response = client.post(members_url(pag_asa), {"username": "bad name!", "role": "emperor",
                                                 "email": "not-an-email", "first_name": "Amira"},
                           HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Amira"' in html
    assert "Saisissez une adresse e-mail valide" in html
    assert not User.objects.filter(username="bad name!").exists()


def test_adding_an_existing_member_again_is_refused(client, pag_asa, member):
    admin = member(pag_asa, Role.ORG_ADMIN)
    client.force_login(admin)
    response = client.post(members_url(pag_asa), {"username": admin.username, "role": Role.CASEWORKER})
    assert response.status_code == 400
    assert "already a member" in response.content.decode()


def test_the_last_admin_cannot_be_demoted_or_removed(client, pag_asa, member):
    admin = member(pag_asa, Role.ORG_ADMIN)
    client.force_login(admin)
    membership = admin.memberships.get()
    client.post(reverse("organisation-member-role", args=["BE", "pag-asa", membership.pk]),
                {f"m{membership.pk}-role": Role.CASEWORKER})
    client.post(reverse("organisation-member-remove", args=["BE", "pag-asa", membership.pk]))
    membership.refresh_from_db()
    assert membership.role == Role.ORG_ADMIN


def test_the_home_page_shows_each_membership_with_its_role(client, pag_asa, payoke, member):
    user = member(pag_asa, Role.CASEWORKER)
    Membership.objects.create(user=user, organisation=payoke, role=Role.ORG_ADMIN)
    client.force_login(user)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "PAG-ASA" in html and "Payoke" in html
    assert "Your organisation has no cases yet." in html
    assert members_url(payoke) in html and members_url(pag_asa) not in html


def test_a_user_without_membership_is_told_what_to_do(client, db):
    client.force_login(User.objects.create_user("loner", password="x" * 16))
    assert "not a member of any organisation" in client.get(reverse("home")).content.decode()


def test_pages_need_a_login(client, pag_asa):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(members_url(pag_asa)).status_code == 302
    assert client.get("/api/v1/me/").status_code == 401


def test_login_and_logout(client, pag_asa, member):
    from haven.access.testing import TOTPDevice, totp_now

    device = TOTPDevice.objects.create(user=member(pag_asa, Role.CASEWORKER, username="worker"), confirmed=True)
    response = client.post(reverse("login"), {"username": "worker", "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # a caseworker gives the second factor first
    assert client.post(reverse("mfa-verify"), {"code": totp_now(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/me/").json()["memberships"][0]["organisation"] == "PAG-ASA"
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
