"""Multi-factor authentication: who needs it, and the one-time codes (django-otp)."""

import base64
import binascii
import io
import secrets

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.organisations.roles import Role

from .scope import seats

# Roles that need a second factor even without seeing identities: they read the access log
# (who looked at which record, from where) or manage who may sign in.
MFA_ROLES = frozenset({Role.ORG_ADMIN, Role.DPO})
RECOVERY_CODES = 10


def mfa_required(user) -> bool:
    """Every role that can see identities, plus admins, DPOs and staff, must use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any("identity" in seat.parts or seat.role in MFA_ROLES for seat in seats(user))


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def check_code(request, user, code: str):
    """The device that accepts ``code`` (TOTP or a recovery code, used once), or None.

    A wrong code counts as a failed sign-in (django-axes locks the account out after too many).
    """
    code = (code or "").strip().replace(" ", "")
    device = match_token(user, code) if code else None
    if device is None:
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    """The shared secret as authenticator apps and ``pyotp`` expect it."""
    return base64.b32encode(binascii.unhexlify(device.key)).decode("ascii")


def new_totp_device(user, confirmed: bool = False) -> TOTPDevice:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=confirmed)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; return the new ones (shown once, stored as given)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning QR code as a data: URI (no inline script or style: strict CSP)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def issuer() -> str:
    return getattr(settings, "OTP_TOTP_ISSUER", "Haven")


def step_up(request, device) -> None:
    """Mark the session as having passed the second factor, under a new session key: a session id
    seen before the step up (a fixation, a shared machine) is worth nothing after it."""
    request.session.cycle_key()
    otp_login(request, device)
