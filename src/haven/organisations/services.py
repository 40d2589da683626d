"""Membership rules: an organisation admin manages the members of their own organisation only.

Every write is an action ``do_…(actor, …)``: one durable transaction that checks the rules,
changes the rows and records its audit event, or raises a ``haven.core.errors`` error and
changes nothing.
"""

import secrets
from dataclasses import dataclass, replace

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from haven.core.actor import Actor
from haven.core.errors import Forbidden, Invalid, NotFound, Refused
from haven.core.trail import Verb, record_event

from .models import Membership, MembershipRequest, Organisation, User
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


@dataclass(frozen=True)
class AddMemberOutcome:
    """What ``do_add_member`` did: either a ``membership`` (``new_account`` when the user was created
    for it), or, for a member of another organisation, a pending ``request`` and no membership."""

    membership: Membership | None = None
    new_account: bool = False
    request: MembershipRequest | None = None


def do_add_member(actor: Actor, organisation: Organisation, *, username: str, role: str, email: str = "",
                  first_name: str = "", last_name: str = "") -> AddMemberOutcome:
    """Add a user (new or existing) to ``organisation``.

    Someone who is already a member of another organisation is not added: taking them in needs that
    organisation's knowledge, so a pending ``MembershipRequest`` is created instead, which an admin of
    one of their organisations answers (``do_answer_membership_request``). A system administrator
    adds them directly. One event: ``membership.added`` (``new_account`` says whether the user was
    created) or ``membership.requested`` for the asking organisation."""
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
            return AddMemberOutcome(request=_request_membership(actor, organisation, user, role))
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        record_membership_added(_acting_for(actor, organisation), membership, new_account=created)
    return AddMemberOutcome(membership=membership, new_account=created)


# ------------------------------------------------------------------ membership requests


def request_facts(membership_request: MembershipRequest) -> dict:
    """What an event says about a request: references and the role, never the user's name."""
    return {"user": membership_request.user_id, "role": membership_request.role,
            "organisation": membership_request.organisation_id}


def _request_pending_error(username: str) -> Invalid:
    return Invalid(field_errors={"username": _("A request to take in %(username)s is already waiting for an "
                                               "answer.") % {"username": username}}, code="request_pending")


def _request_membership(actor: Actor, organisation: Organisation, user: User, role: str) -> MembershipRequest:
    """Inside ``do_add_member``'s transaction: ask instead of adding."""
    if MembershipRequest.objects.filter(user=user, organisation=organisation,
                                        status=MembershipRequest.Status.PENDING).exists():
        raise _request_pending_error(user.username)
    try:
        with transaction.atomic():  # a savepoint: another admin asking at the same moment trips the constraint
            membership_request = MembershipRequest.objects.create(user=user, organisation=organisation, role=role,
                                                                  requested_by=actor.user)
    except IntegrityError:
        raise _request_pending_error(user.username) from None
    record_event(_acting_for(actor, organisation), Verb.MEMBERSHIP_REQUESTED, membership_request,
                 organisation=organisation, after=request_facts(membership_request))
    return membership_request


def requests_about_members_of(organisation: Organisation) -> QuerySet:
    """Requests of other organisations to take in members of ``organisation`` (any status)."""
    return (MembershipRequest.objects.filter(user__memberships__organisation=organisation)
            .exclude(organisation=organisation)
            .select_related("user", "organisation", "organisation__jurisdiction", "requested_by"))


def requests_awaiting_answer(organisation: Organisation) -> QuerySet:
    """The requests an admin of ``organisation`` may answer now."""
    return requests_about_members_of(organisation).filter(status=MembershipRequest.Status.PENDING)


def requests_made_by(organisation: Organisation) -> QuerySet:
    """``organisation``'s own requests still waiting for the other organisation's answer."""
    return organisation.membership_requests.filter(status=MembershipRequest.Status.PENDING).select_related(
        "user", "requested_by")


def answering_organisations(user, membership_request: MembershipRequest) -> QuerySet:
    """The organisations of the requested user that ``user`` administers: an admin of any one of them answers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    return (Organisation.objects.filter(memberships__user_id=membership_request.user_id)
            .filter(memberships__user=user, memberships__role=Role.ORG_ADMIN)
            .exclude(pk=membership_request.organisation_id).distinct())


def _organisations_concerned(membership_request: MembershipRequest) -> list[int]:
    """The asking organisation, then every organisation the user belongs to (whose admins could answer)."""
    current = Membership.objects.filter(user_id=membership_request.user_id).exclude(
        organisation_id=membership_request.organisation_id).order_by("organisation_id")
    return [membership_request.organisation_id, *current.values_list("organisation_id", flat=True)]


def _record_outcome(actor: Actor, verb: str, membership_request: MembershipRequest, concerned: list[int]) -> None:
    """One event per organisation concerned, so that the admins of each read it in their own trail."""
    for organisation_id in concerned:
        record_event(actor, verb, membership_request, organisation=organisation_id,
                     before={"status": MembershipRequest.Status.PENDING},
                     after={"status": membership_request.status, **request_facts(membership_request)})


def _locked_request(membership_request: MembershipRequest) -> MembershipRequest:
    """The row as it is now, locked: of two admins answering at once, the second reads the first's answer."""
    locked = MembershipRequest.objects.select_for_update().filter(pk=membership_request.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _require_pending(membership_request: MembershipRequest) -> None:
    if membership_request.status == MembershipRequest.Status.WITHDRAWN:
        raise Refused(_("This request was withdrawn by the organisation that made it."), code="request_withdrawn")
    if membership_request.status != MembershipRequest.Status.PENDING:
        raise Refused(_("This request was already answered: %(status)s.") % {
            "status": membership_request.get_status_display()}, code="request_answered")


def do_answer_membership_request(actor: Actor, membership_request: MembershipRequest, accept: bool,
                                 reason: str = "") -> MembershipRequest:
    """Accept (the membership is created, with the requested role) or decline (with an optional reason)
    a request to take in a member of an organisation that ``actor`` administers.

    Only an admin of an organisation the user belongs to answers, never the admin who asked (four eyes,
    even when one person administers both). Events, in the same transaction: one
    ``membership.request_accepted`` / ``membership.request_declined`` per organisation concerned (the
    asking organisation and each organisation the user belongs to), and on acceptance
    ``membership.added`` for the asking organisation, like any new membership. The reason stays on
    the request, never in an event (it is free text)."""
    reason = reason.strip()
    with transaction.atomic(durable=True):
        membership_request = _locked_request(membership_request)
        answering = list(answering_organisations(actor.user, membership_request))
        if not answering:
            raise Forbidden(_("Only an admin of an organisation this person belongs to can answer this request."),
                            code="not_request_answerer")
        if membership_request.requested_by_id == actor.user.pk:
            raise Forbidden(_("An admin of the organisation this person belongs to answers, not the admin who "
                              "asked."), code="own_request")
        _require_pending(membership_request)
        if accept:
            _require_system_administrator(actor, membership_request.role)
        elif len(reason) > MembershipRequest._meta.get_field("reason").max_length:
            raise Invalid(field_errors={"reason": _("Keep the reason under 500 characters.")},
                          code="reason_too_long")
        organisation = actor.organisation if actor.organisation in answering else answering[0]
        acting = replace(actor, organisation=organisation)
        concerned = _organisations_concerned(membership_request)
        membership = None
        if accept:
            if Membership.objects.filter(user_id=membership_request.user_id,
                                         organisation_id=membership_request.organisation_id).exists():
                raise Refused(_("This person is already a member of the organisation that asked."),
                              code="already_member")
            membership = Membership.objects.create(user_id=membership_request.user_id,
                                                   organisation_id=membership_request.organisation_id,
                                                   role=membership_request.role)
        membership_request.status = (MembershipRequest.Status.ACCEPTED if accept
                                     else MembershipRequest.Status.DECLINED)
        membership_request.decided_by = actor.user
        membership_request.decided_at = timezone.now()
        membership_request.reason = "" if accept else reason
        membership_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        if membership is not None:
            record_membership_added(acting, membership, request=membership_request.pk)
        _record_outcome(acting, Verb.MEMBERSHIP_REQUEST_ACCEPTED if accept else Verb.MEMBERSHIP_REQUEST_DECLINED,
                        membership_request, concerned)
    return membership_request


def do_withdraw_membership_request(actor: Actor, membership_request: MembershipRequest) -> MembershipRequest:
    """The asking organisation's admin takes back a request not answered yet. Events: one
    ``membership.request_withdrawn`` per organisation concerned (the asking organisation and each
    organisation the user belongs to, where the request was waiting)."""
    with transaction.atomic(durable=True):
        membership_request = _locked_request(membership_request)
        organisation = membership_request.organisation
        require_member_admin(actor.user, organisation)
        _require_pending(membership_request)
        concerned = _organisations_concerned(membership_request)
        membership_request.status = MembershipRequest.Status.WITHDRAWN
        membership_request.decided_by = actor.user
        membership_request.decided_at = timezone.now()
        membership_request.save(update_fields=["status", "decided_by", "decided_at"])
        _record_outcome(_acting_for(actor, organisation), Verb.MEMBERSHIP_REQUEST_WITHDRAWN, membership_request,
                        concerned)
    return membership_request


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
