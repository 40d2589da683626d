"""Demo accounts: one user per role, each with a random password and a TOTP secret (``totp_secret``,
base32, for scripted clients and authenticator apps), written to var/demo-credentials.json."""

import json
import secrets
from pathlib import Path

from django.db import transaction

from haven.access.mfa import new_totp_device, totp_secret_base32
from haven.organisations.models import Membership, Organisation, User
from haven.organisations.roles import Role

# role → (jurisdiction, organisation slug) where a person with that role typically works
DEMO_MEMBERSHIPS = {
    Role.CASEWORKER: ("BE", "pag-asa"),
    Role.CASE_MANAGER: ("BE", "payoke"),
    Role.OFFICER: ("BE", "police-central-thb"),
    Role.INSPECTOR: ("BE", "social-law-inspection"),
    Role.MAGISTRATE: ("BE", "prosecutor-brussels"),
    Role.IMMIGRATION_OFFICER: ("BE", "immigration-office-thb"),
    Role.GUARDIAN: ("BE", "guardianship-service"),
    Role.ANALYST: ("BE", "myria"),
    Role.EDITOR: ("BE", "library-editors"),
    Role.ORG_ADMIN: ("BE", "pag-asa"),
    Role.DPO: ("BE", "icp"),  # the system's data-protection officer reads every organisation's access log
}


def username_for(role: str) -> str:
    return f"demo-{role.replace('_', '-')}"


@transaction.atomic
def create_demo_users(credentials_path: Path) -> dict[str, dict]:
    credentials: dict[str, dict] = {}
    for role, (jurisdiction, slug) in DEMO_MEMBERSHIPS.items():
        organisation = Organisation.objects.get(jurisdiction__code=jurisdiction, slug=slug)
        username = username_for(role)
        password = secrets.token_urlsafe(15)
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": "Demo",
                                                                          "last_name": Role(role).label})
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(user=user, organisation=organisation, defaults={"role": role})
        credentials[username] = {"password": password, "organisation": organisation.name, "role": str(role),
                                 "totp_secret": _fresh_totp_secret(user)}
    admin_password = secrets.token_urlsafe(15)
    admin, _ = User.objects.get_or_create(username="demo-sysadmin")
    admin.is_staff = admin.is_superuser = True
    admin.set_password(admin_password)
    admin.save()
    credentials["demo-sysadmin"] = {"password": admin_password, "organisation": "", "role": "system administrator",
                                    "totp_secret": _fresh_totp_secret(admin)}
    credentials_path.parent.mkdir(parents=True, exist_ok=True)
    credentials_path.touch(mode=0o600)
    credentials_path.write_text(json.dumps(credentials, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return credentials


def _fresh_totp_secret(user) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    return totp_secret_base32(new_totp_device(user, confirmed=True))
