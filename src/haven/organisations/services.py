"""Membership rules: an organisation admin manages the members of their own organisation only."""

import secrets

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import Membership, Organisation, User
from .roles import Role


def can_manage_members(user, organisation: Organisation) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role=Role.ORG_ADMIN).exists()


def require_member_admin(user, organisation: Organisation) -> None:
    if not can_manage_members(user, organisation):
        raise PermissionDenied(_("Only an admin of %(organisation)s can manage its members.") % {
            "organisation": organisation.name})


def administered_organisations(user):
    return Organisation.objects.filter(memberships__user=user, memberships__role=Role.ORG_ADMIN).distinct()


def set_password_path(user: User) -> str:
    """A one-time link where a new member chooses their own password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


@transaction.atomic
def add_member(actor, organisation: Organisation, *, username: str, role: str, email: str = "",
               first_name: str = "", last_name: str = "") -> tuple[Membership, bool]:
    """Add a user (new or existing) to ``organisation``; return the membership and whether the user is new."""
    require_member_admin(actor, organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        user.set_password(secrets.token_urlsafe(32))  # replaced by the member through the set-password link
        user.full_clean()
        user.save()
    elif Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"username": _("%(username)s is already a member.") % {"username": username}})
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    return membership, created


def _guard_last_admin(membership: Membership) -> None:
    if membership.role != Role.ORG_ADMIN:
        return
    others = Membership.objects.filter(organisation=membership.organisation, role=Role.ORG_ADMIN).exclude(
        pk=membership.pk)
    if not others.exists():
        raise ValidationError(_("An organisation must keep at least one admin."))


@transaction.atomic
def change_role(actor, membership: Membership, role: str) -> Membership:
    require_member_admin(actor, membership.organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role != Role.ORG_ADMIN:
        _guard_last_admin(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(actor, membership: Membership) -> None:
    require_member_admin(actor, membership.organisation)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _guard_last_admin(membership)
    membership.delete()
