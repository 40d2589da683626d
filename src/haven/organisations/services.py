"""Membership rules: an organisation admin manages the members of their own organisation only.

Every write is an action ``do_…(actor, …)``: one durable transaction that checks the rules,
changes the rows and records its audit event, or raises a ``haven.core.errors`` error and
changes nothing.
"""

import secrets
from dataclasses import replace

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from haven.core.actor import Actor
from haven.core.errors import Forbidden, Invalid, NotFound, Refused
from haven.core.trail import Verb, record_event

from .models import Membership, Organisation, User
from .roles import SYSTEM_ROLES, Role


def can_manage_members(user, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role=Role.ORG_ADMIN).exists()


def require_member_admin(user, organisation: Organisation) -> None:
    if not can_manage_members(user, organisation):
        raise Forbidden(_("Only an admin of %(organisation)s can manage its members.") % {
            "organisation": organisation.name}, code="not_member_admin")


def administered_organisations(user):
    return Organisation.objects.filter(memberships__user=user, memberships__role=Role.ORG_ADMIN).distinct()


def set_password_path(user: User) -> str:
    """A one-time link where a new member chooses their own password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


def _acting_for(actor: Actor, organisation: Organisation) -> Actor:
    """An admin managing members acts for the organisation they manage."""
    return actor if actor.organisation is not None else replace(actor, organisation=organisation)


def _require_role(role: str) -> None:
    if role not in Role.values:
        raise Invalid(field_errors={"role": _("Unknown role.")}, code="unknown_role")


def _require_system_administrator(actor: Actor, *roles: str) -> None:
    """A role that reaches beyond one organisation (``SYSTEM_ROLES``) is granted and withdrawn by a
    system administrator only."""
    if SYSTEM_ROLES & set(roles) and not getattr(actor.user, "is_superuser", False):
        raise Forbidden(_("Only a system administrator can grant or withdraw the role %(role)s.") % {
            "role": ", ".join(str(Role(r).label) for r in sorted(SYSTEM_ROLES & set(roles)))}, code="system_role")


def membership_facts(membership: Membership) -> dict:
    """What an event says about a membership: references and the role, never the member's name."""
    return {"user": membership.user_id, "role": membership.role}


def record_membership_added(actor: Actor, membership: Membership, **extra) -> None:
    record_event(actor, Verb.MEMBERSHIP_ADDED, membership, organisation=membership.organisation_id,
                 after={**membership_facts(membership), **extra})


def record_membership_removed(actor: Actor, membership: Membership, pk: int | None = None) -> None:
    record_event(actor, Verb.MEMBERSHIP_REMOVED, f"organisations.membership:{pk or membership.pk}",
                 organisation=membership.organisation_id, before=membership_facts(membership))


def do_add_member(actor: Actor, organisation: Organisation, *, username: str, role: str, email: str = "",
                  first_name: str = "", last_name: str = "") -> tuple[Membership, bool]:
    """Add a user (new or existing) to ``organisation``; return the membership and whether the user is new.
    One event: ``membership.added`` (``new_account`` says whether the user was created)."""
    with transaction.atomic(durable=True):
        require_member_admin(actor.user, organisation)
        _require_role(role)
        _require_system_administrator(actor, role)
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, email=email, first_name=first_name, last_name=last_name)
            user.set_password(secrets.token_urlsafe(32))  # replaced by the member through the set-password link
            try:
                user.full_clean()
            except ValidationError as exc:
                raise Invalid.from_django(exc) from None
            user.save()
        elif Membership.objects.filter(user=user, organisation=organisation).exists():
            raise Invalid(field_errors={"username": _("%(username)s is already a member.") % {"username": username}},
                          code="already_member")
        elif user.memberships.exclude(organisation=organisation).exists() and not actor.user.is_superuser:
            # Taking in someone who works for another organisation needs that organisation's knowledge:
            # a system administrator does it, never one organisation's admin alone.
            raise Invalid(field_errors={"username": _(
                "%(username)s is a member of another organisation; ask a system administrator to add them.") % {
                "username": username}}, code="member_elsewhere")
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        record_membership_added(_acting_for(actor, organisation), membership, new_account=created)
    return membership, created


def _guard_last_admin(membership: Membership) -> None:
    if membership.role != Role.ORG_ADMIN:
        return
    others = Membership.objects.filter(organisation=membership.organisation, role=Role.ORG_ADMIN).exclude(
        pk=membership.pk)
    if not others.exists():
        raise Refused(_("An organisation must keep at least one admin."), code="last_admin")


def _locked(membership: Membership) -> Membership:
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:  # removed by someone else meanwhile
        raise NotFound()
    return locked


def do_change_role(actor: Actor, membership: Membership, role: str) -> Membership:
    """One event: ``membership.role_changed`` (none when the role stays the same)."""
    with transaction.atomic(durable=True):
        require_member_admin(actor.user, membership.organisation)
        _require_role(role)
        membership = _locked(membership)
        if membership.role == role:
            return membership
        _require_system_administrator(actor, role, membership.role)
        if role != Role.ORG_ADMIN:
            _guard_last_admin(membership)
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record_event(_acting_for(actor, membership.organisation), Verb.MEMBERSHIP_ROLE_CHANGED, membership,
                     organisation=membership.organisation, before={"role": before}, after={"role": role})
    return membership


def do_remove_member(actor: Actor, membership: Membership) -> None:
    """One event: ``membership.removed``."""
    with transaction.atomic(durable=True):
        require_member_admin(actor.user, membership.organisation)
        membership = _locked(membership)
        _require_system_administrator(actor, membership.role)
        _guard_last_admin(membership)
        pk = membership.pk
        membership.delete()
        record_membership_removed(_acting_for(actor, membership.organisation), membership, pk=pk)
