import base64
import datetime
import json

import pytest
from axes.models import AccessFailureLog
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from haven.access import throttle
from haven.access.models import ApiToken
from haven.access.testing import TOTPDevice, totp_now
from haven.audit.models import AccessLog, Action
from haven.cli import main as haven
from haven.organisations.roles import Role

PASSWORD = "correct horse battery staple"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_roles_that_see_identities_need_the_second_factor_others_do_not(org, member):
    worker, analyst = member(org("pag-asa"), Role.CASEWORKER), member(org("myria"), Role.ANALYST)
    client = Client()
    sign_in(client, worker.username)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa-setup"))
    assert client.get("/api/v1/me/").status_code == 401
    other = Client()
    sign_in(other, analyst.username)
    assert other.get(reverse("home")).status_code == 200


def test_enrolment_shows_a_qr_code_then_recovery_codes_that_work_once(org, member, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    worker = member(org("pag-asa"), Role.CASEWORKER)
    client = Client()
    sign_in(client, worker.username)
    page = client.get(reverse("mfa-setup"))
    assert page.context["qr"].startswith("data:image/svg+xml;base64,")
    assert "<script" not in page.content.decode()
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    assert base64.b32decode(page.context["secret"]) == device.bin_key
    assert client.post(reverse("mfa-setup"), {"code": "000000"}).status_code == 400
    done = client.post(reverse("mfa-setup"), {"code": totp_now(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and client.get(reverse("home")).status_code == 200
    again = Client()
    sign_in(again, worker.username)
    half_signed_in = again.cookies["sessionid"].value
    assert again.post(reverse("mfa-verify"), {"code": codes[0], "next": "/"}).status_code == 302
    # the step up rotates the session id: the id known before the second factor opens nothing
    assert again.cookies["sessionid"].value != half_signed_in
    stolen = Client()
    stolen.cookies["sessionid"] = half_signed_in
    assert stolen.get(reverse("home")).status_code == 302
    assert again.get(reverse("home")).status_code == 200
    third = Client()
    sign_in(third, worker.username)
    assert third.post(reverse("mfa-verify"), {"code": codes[0]}).status_code == 400  # used once


def test_the_api_token_needs_password_and_code(client, org, member):
    worker = member(org("pag-asa"), Role.CASEWORKER)
    device = TOTPDevice.objects.create(user=worker, confirmed=True)
    url = "/api/v1/auth/token/"
    assert client.post(url, {"username": worker.username, "password": PASSWORD}).status_code == 401
    assert client.post(url, {"username": worker.username, "password": "wrong", "otp": totp_now(device)}
                       ).status_code == 401
    response = client.post(url, {"username": worker.username, "password": PASSWORD, "otp": totp_now(device)},
                           content_type="application/json")
    assert response.status_code == 201
    key = response.json()["token"]
    assert not ApiToken.objects.filter(digest=key).exists()  # only its digest is stored
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/me/").json()["username"] == worker.username
    assert Client(HTTP_AUTHORIZATION="Bearer nonsense").get("/api/v1/me/").status_code == 401
    assert api.delete(url).status_code == 204
    assert api.get("/api/v1/me/").status_code == 401


def test_a_role_with_identities_cannot_get_a_token_before_enrolling(client, org, member):
    worker = member(org("pag-asa"), Role.CASEWORKER)
    response = client.post("/api/v1/auth/token/", {"username": worker.username, "password": PASSWORD})
    assert response.status_code == 403


def test_repeated_failures_lock_out_and_are_logged(client, org, member, settings):
    worker = member(org("pag-asa"), Role.CASEWORKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, worker.username, "wrong password")
    assert sign_in(client, worker.username).status_code == 429  # the account slows down (ADR 0035)
    # once the account's delay has passed, this address stays locked out, even with the right password
    AccessFailureLog.objects.filter(username=worker.username).update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=2))
    locked = sign_in(client, worker.username)
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode() and "<html" in locked.content.decode()
    api = client.post("/api/v1/auth/token/", {"username": worker.username, "password": PASSWORD})
    assert api.status_code == 429 and api["Content-Type"] == "application/problem+json"
    api = client.post("/api/v1/auth/token/", {"username": worker.username, "password": PASSWORD})
    assert api.status_code == 429
    assert AccessLog.objects.filter(action=Action.LOCKOUT, username=worker.username).exists()


def test_wrong_codes_count_towards_the_lockout(org, member, settings):
    worker = member(org("pag-asa"), Role.CASEWORKER)
    TOTPDevice.objects.create(user=worker, confirmed=True)
    client = Client()
    sign_in(client, worker.username)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("mfa-verify"), {"code": "123456"})
    assert client.post(reverse("mfa-verify"), {"code": "123456"}).status_code in {302, 429}
    assert client.get(reverse("home")).status_code == 302


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 3600 and settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.django_db
def test_the_demo_writes_working_totp_secrets(tmp_path, settings, belgium):
    settings.VAR_DIR = tmp_path
    assert haven(["demo", "--no-serve", "--no-cases"]) == 0
    credentials = json.loads((tmp_path / "demo-credentials.json").read_text())
    entry = credentials["demo-caseworker"]
    secret = base64.b32decode(entry["totp_secret"])
    code = f"{TOTP(secret).token():06d}"
    response = Client().post("/api/v1/auth/token/", {"username": "demo-caseworker", "password": entry["password"],
                                                     "otp": code})
    assert response.status_code == 201, response.content


def test_failures_from_other_addresses_slow_the_account_down_but_never_lock_its_owner_out(org, member, settings):
    """Found by an attacker: knowing a username was enough to lock its owner out. Now the guesser's
    address is locked; the account only slows down (a delay doubling per failure, at most a minute)."""
    worker = member(org("pag-asa"), Role.ANALYST)  # no second factor: the password alone signs in
    for n in range(settings.AXES_FAILURE_LIMIT + 3):  # a guesser spread over many addresses
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(reverse("login"), {"username": worker.username,
                                                                       "password": "wrong"})
    owner = Client(REMOTE_ADDR="203.0.113.7")
    too_early = sign_in(owner, worker.username)
    assert too_early.status_code == 429 and 0 < int(too_early["Retry-After"]) <= throttle.MAX_DELAY_SECONDS
    api = owner.post("/api/v1/auth/token/", {"username": worker.username, "password": PASSWORD},
                     content_type="application/json")
    assert api.status_code == 429 and api.json()["code"] == "slow_down"
    # the attempts held back did not count: once the delay has passed, the owner signs in
    later = timezone.now() + datetime.timedelta(seconds=throttle.MAX_DELAY_SECONDS + 1)
    assert throttle.wait_seconds(worker.username, now=later) == 0
    AccessFailureLog.objects.filter(username=worker.username).update(
        attempt_time=timezone.now() - datetime.timedelta(seconds=throttle.MAX_DELAY_SECONDS + 1))
    assert sign_in(owner, worker.username).status_code == 302
