"""The Django admin of users, organisations and memberships. Staff act outside the organisation
admins' rules, so each of their changes to an organisation or a membership leaves an audit event,
in the admin's own transaction (its change and delete views run in one)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from haven.core.actor import Actor
from haven.core.trail import Verb, changes, record_event

from .models import Membership, Organisation, User
from .services import record_membership_added, record_membership_removed

ORGANISATION_FIELDS = ["jurisdiction_id", "slug", "name", "kind", "region_id", "languages", "city", "active"]


def organisation_facts(organisation: Organisation) -> dict:
    return {name.removesuffix("_id"): getattr(organisation, name) for name in ORGANISATION_FIELDS}


def _snapshot(memberships) -> dict[int, Membership]:
    return {m.pk: Membership(pk=m.pk, user_id=m.user_id, organisation_id=m.organisation_id, role=m.role)
            for m in memberships}


def record_membership_changes(actor: Actor, before: dict[int, Membership]) -> None:
    """Events for what became of the memberships in ``before``: removed, moved or given another role.
    A membership moved to another user or organisation counts as removed there and added here, so
    the admins of both organisations read it."""
    now = {m.pk: m for m in Membership.objects.filter(pk__in=before)}
    for pk, old in before.items():
        new = now.get(pk)
        if new is None:
            record_membership_removed(actor, old, pk=pk)
        elif (new.user_id, new.organisation_id) != (old.user_id, old.organisation_id):
            record_membership_removed(actor, old, pk=pk)
            record_membership_added(actor, new)
        elif new.role != old.role:
            record_event(actor, Verb.MEMBERSHIP_ROLE_CHANGED, new, organisation=new.organisation_id,
                         before={"role": old.role}, after={"role": new.role})


class AuditedMembershipsMixin:
    """Inline membership edits (on a user or an organisation) leave their events too."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # from the database: validating the forms already wrote the new values into their instances
        before = _snapshot(Membership.objects.filter(pk__in=[f.instance.pk for f in formset.initial_forms]))
        super().save_formset(request, form, formset, change)
        actor = Actor.from_request(request)
        record_membership_changes(actor, before)
        for membership in formset.new_objects:
            record_membership_added(actor, membership)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class HavenUserAdmin(AuditedMembershipsMixin, UserAdmin):
    inlines = [MembershipInline]

    def delete_model(self, request, obj):
        before = _snapshot(obj.memberships.all())
        super().delete_model(request, obj)
        record_membership_changes(Actor.from_request(request), before)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            before = _snapshot(Membership.objects.filter(user__in=queryset))
            super().delete_queryset(request, queryset)
            record_membership_changes(Actor.from_request(request), before)


@admin.register(Organisation)
class OrganisationAdmin(AuditedMembershipsMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "region", "jurisdiction", "active"]
    list_filter = ["jurisdiction", "kind", "region", "active"]
    search_fields = ["name", "slug", "city"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        old = Organisation.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        actor = Actor.from_request(request)
        if old is None:
            record_event(actor, Verb.ORGANISATION_CREATED, obj, organisation=obj, after=organisation_facts(obj))
            return
        before, after = changes(organisation_facts(old), organisation_facts(obj))
        if before or after:
            record_event(actor, Verb.ORGANISATION_CHANGED, obj, organisation=obj, before=before, after=after)

    def _record_deletion(self, request, organisations) -> None:
        actor = Actor.from_request(request)
        for pk, facts in organisations.items():
            record_event(actor, Verb.ORGANISATION_DELETED, f"organisations.organisation:{pk}", organisation=pk,
                         before=facts)

    def delete_model(self, request, obj):
        organisations = {obj.pk: organisation_facts(obj)}
        before = _snapshot(obj.memberships.all())
        super().delete_model(request, obj)
        record_membership_changes(Actor.from_request(request), before)
        self._record_deletion(request, organisations)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            organisations = {o.pk: organisation_facts(o) for o in queryset}
            before = _snapshot(Membership.objects.filter(organisation__in=queryset))
            super().delete_queryset(request, queryset)
            record_membership_changes(Actor.from_request(request), before)
            self._record_deletion(request, organisations)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        before = _snapshot(Membership.objects.filter(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        actor = Actor.from_request(request)
        if change:
            record_membership_changes(actor, before)
        else:
            record_membership_added(actor, obj)

    def delete_model(self, request, obj):
        before = _snapshot([obj])
        super().delete_model(request, obj)
        record_membership_changes(Actor.from_request(request), before)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            before = _snapshot(queryset)
            super().delete_queryset(request, queryset)
            record_membership_changes(Actor.from_request(request), before)
