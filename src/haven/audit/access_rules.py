"""Who reads the access log: the admins (and DPOs) of the organisation that owns the record or
whose member acted, and the system's data-protection officer everywhere. Audit events: the admins
of the organisation they concern, and the system's data-protection officer everywhere."""

from django.db.models import Q

from haven.access.models import BreakGlass
from haven.access.scope import LOG_READERS_EVERYWHERE, LOG_READERS_OWN_ORGANISATION, register_rule, seats

from .models import AccessLog, AuditEvent


def _log_rule(queryset, user):
    mine = seats(user)
    if any(seat.role in LOG_READERS_EVERYWHERE for seat in mine):
        return queryset
    organisations = [seat.organisation_id for seat in mine if seat.role in LOG_READERS_OWN_ORGANISATION]
    if not organisations:
        return queryset.none()
    return queryset.filter(Q(owner_organisation_id__in=organisations) | Q(organisation_id__in=organisations))


def _event_rule(queryset, user):
    mine = seats(user)
    if any(seat.role in LOG_READERS_EVERYWHERE for seat in mine):
        return queryset
    organisations = [seat.organisation_id for seat in mine if seat.role in LOG_READERS_OWN_ORGANISATION]
    return queryset.filter(target_organisation_id__in=organisations) if organisations else queryset.none()


def _break_glass_rule(queryset, user):
    organisations = [seat.organisation_id for seat in seats(user) if seat.role in LOG_READERS_OWN_ORGANISATION]
    return queryset.filter(Q(user=user) | Q(case__owner_id__in=organisations)) if seats(user) else queryset.none()


register_rule(AccessLog, _log_rule)
register_rule(AuditEvent, _event_rule)
register_rule(BreakGlass, _break_glass_rule)
