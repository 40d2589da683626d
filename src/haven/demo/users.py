"""Demo accounts: one for every organisation and role the procedure needs, each with a random password
and a TOTP secret (``totp_secret``, base32, for scripted clients and authenticator apps), written to
var/demo-credentials.json.

One user per role is not enough to walk a case through the procedure: a child's path needs the
child centre, labour exploitation is prosecuted by the labour auditor, and the Dutch profile has its
own police, shelter, guardians, IND and OM. The generated cases (``demo.cases``) act through these
users where they exist, so each of them finds work waiting on the home page.
"""

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from haven.access.mfa import new_totp_device, totp_secret_base32
from haven.organisations.models import Membership, Organisation, User
from haven.organisations.roles import Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    jurisdiction: str
    organisation: str  # the organisation's slug in that jurisdiction's profile
    role: str
    language: str = ""  # blank: the browser's


DEMO_USERS = [
    # One per role, where a person with that role typically works (README and tests use these names).
    DemoUser("demo-caseworker", "BE", "pag-asa", Role.CASEWORKER),
    DemoUser("demo-case-manager", "BE", "payoke", Role.CASE_MANAGER),
    DemoUser("demo-officer", "BE", "police-central-thb", Role.OFFICER),
    DemoUser("demo-inspector", "BE", "social-law-inspection", Role.INSPECTOR),
    DemoUser("demo-magistrate", "BE", "prosecutor-brussels", Role.MAGISTRATE),
    DemoUser("demo-immigration-officer", "BE", "immigration-office-thb", Role.IMMIGRATION_OFFICER),
    DemoUser("demo-guardian", "BE", "guardianship-service", Role.GUARDIAN),
    DemoUser("demo-analyst", "BE", "myria", Role.ANALYST),
    DemoUser("demo-editor", "BE", "library-editors", Role.EDITOR),
    DemoUser("demo-org-admin", "BE", "pag-asa", Role.ORG_ADMIN),
    DemoUser("demo-dpo", "BE", "icp", Role.DPO),  # the system's data-protection officer reads every access log
    # The rest of the Belgian procedure: the child centre, and the labour auditor who confirms for
    # labour exploitation where the public prosecutor confirms for the other forms.
    DemoUser("demo-child-caseworker", "BE", "esperanto", Role.CASEWORKER, "fr"),
    DemoUser("demo-labour-auditor", "BE", "labour-auditor-brussels", Role.MAGISTRATE, "fr"),
    # The Dutch procedure, each organisation in its own language.
    DemoUser("demo-nl-officer", "NL", "police-avim", Role.OFFICER, "nl"),
    DemoUser("demo-nl-caseworker", "NL", "cosm", Role.CASEWORKER, "nl"),
    DemoUser("demo-nl-guardian", "NL", "nidos", Role.GUARDIAN, "nl"),
    DemoUser("demo-nl-immigration-officer", "NL", "ind", Role.IMMIGRATION_OFFICER, "nl"),
    DemoUser("demo-nl-magistrate", "NL", "om", Role.MAGISTRATE, "nl"),
]


def demo_user_of(jurisdiction: str, organisation: str, role: str) -> str | None:
    """The username of the demo user with ``role`` at that organisation, if there is one."""
    return next((u.username for u in DEMO_USERS
                 if (u.jurisdiction, u.organisation, u.role) == (jurisdiction, organisation, role)), None)


@transaction.atomic
def create_demo_users(credentials_path: Path) -> dict[str, dict]:
    credentials: dict[str, dict] = {}
    loaded = set(Organisation.objects.values_list("jurisdiction__code", flat=True))
    for demo in DEMO_USERS:
        if demo.jurisdiction not in loaded:  # that jurisdiction's profile is not loaded
            continue
        organisation = Organisation.objects.get(jurisdiction__code=demo.jurisdiction, slug=demo.organisation)
        password = secrets.token_urlsafe(15)
        user, _ = User.objects.get_or_create(username=demo.username,
                                             defaults={"first_name": "Demo", "last_name": Role(demo.role).label})
        user.set_password(password)
        user.language = demo.language
        user.save()
        Membership.objects.update_or_create(user=user, organisation=organisation, defaults={"role": demo.role})
        credentials[demo.username] = {"password": password, "organisation": organisation.name,
                                      "role": str(demo.role), "totp_secret": _fresh_totp_secret(user)}
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
