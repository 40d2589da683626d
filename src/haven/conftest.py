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
