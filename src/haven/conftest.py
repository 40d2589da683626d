"""Fixtures shared by every app's tests."""

import pytest

from haven.jurisdictions import profile


@pytest.fixture
def belgium(db):
    """The Belgian profile, loaded as `haven profile load be` would."""
    profile.load("be")
    from haven.jurisdictions.models import Jurisdiction

    return Jurisdiction.objects.get(code="BE")


@pytest.fixture
def netherlands(db):
    profile.load("nl")
    from haven.jurisdictions.models import Jurisdiction

    return Jurisdiction.objects.get(code="NL")


@pytest.fixture
def member(db):
    """``member(organisation, role, username=None)`` → a user with that one membership."""
    from haven.organisations.models import Membership, User

    def make(organisation, role, username=None):
        username = username or f"{organisation.slug}-{role}"
        user = User.objects.create_user(username=username, password="correct horse battery staple")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    return make


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright. Required in CI; skipped elsewhere when missing."""
    import os
    import shutil

    executable = os.environ.get("HAVEN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        if os.environ.get("CI"):
            pytest.fail("CI is set but Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a full sign-in: password and one-time code
    (haven.access requires the second factor for roles that see identities). Tests of the
    second factor itself sign in through the pages."""
    from django.test import Client

    plain = Client.force_login

    def force_login(self, user, backend=None):
        plain(self, user, backend)
        from haven.access.testing import verify_session

        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
