"""Who sees which rows of the justice chain: registered with the one scoping place, ``haven.access.scope``.

An investigation is visible to a member whose seat may see the ``justice`` part (kind ∩ role,
``haven.access.scope``) and whose organisation is its owner, its police unit, the prosecution
office seized, the organisation of one of its prosecutions, owns a case linked to it (the centre
needs the judgment that opens unlimited residence), or holds an active ``justice_link`` share
(granting ``justice``) of a case linked to it. Everything below an investigation (suspects,
prosecutions, decisions, appeals, links, their history) follows the investigation. The national
rapporteur, analysts and editors have no ``justice`` part: they see nothing row-level.
"""

from django.db.models import Q

from haven.access.scope import register_rule, seats, share_parts_lookup
from haven.cases.models import CaseShare, ShareReason

from .models import Appeal, CaseLink, Decision, DecisionCount, Investigation, ProsecutedCount, Prosecution, SuspectCount


def justice_organisations(user) -> list[int]:
    return sorted({s.organisation_id for s in seats(user) if "justice" in s.parts})


def visible_investigations(user):
    """Investigations ``user`` may see (a queryset, usable as a subquery with ``.values('pk')``)."""
    return _investigation_rule(Investigation.objects.all(), user)


def _investigation_rule(queryset, user):
    orgs = justice_organisations(user)
    if not orgs:
        return queryset.none()
    shared_cases = CaseShare.objects.filter(organisation_id__in=orgs, reason=ShareReason.JUSTICE_LINK,
                                            revoked_at__isnull=True,
                                            **share_parts_lookup("justice")).values("case_id")
    return queryset.filter(
        Q(owner_id__in=orgs)
        | Q(police_unit_id__in=orgs)
        | Q(prosecution_office_id__in=orgs)
        | Q(pk__in=Prosecution.objects.filter(organisation_id__in=orgs).values("investigation_id"))
        | Q(pk__in=CaseLink.objects.filter(Q(case_id__in=shared_cases) | Q(case__owner_id__in=orgs),
                                           unlinked_at__isnull=True).values("investigation_id"))
    )


def _below(path: str):
    def rule(queryset, user):
        return queryset.filter(**{f"{path}__in": visible_investigations(user).values("pk")})

    return rule


register_rule(Investigation, _investigation_rule, part="justice")
register_rule(Investigation.history.model, _below("id"), part="justice")
for model, path in [
    (SuspectCount, "investigation_id"),
    (Prosecution, "investigation_id"),
    (CaseLink, "investigation_id"),
    (ProsecutedCount, "prosecution__investigation_id"),
    (Decision, "prosecution__investigation_id"),
    (DecisionCount, "decision__prosecution__investigation_id"),
    (Appeal, "decision__prosecution__investigation_id"),
]:
    register_rule(model, _below(path), part="justice")
    # History rows keep the foreign keys as plain ids: follow them by subquery.
    if "__" not in path:
        register_rule(model.history.model, _below(path), part="justice")

register_rule(ProsecutedCount.history.model,
              lambda qs, user: qs.filter(prosecution_id__in=Prosecution.objects.filter(
                  investigation_id__in=visible_investigations(user).values("pk")).values("pk")), part="justice")
register_rule(Decision.history.model,
              lambda qs, user: qs.filter(prosecution_id__in=Prosecution.objects.filter(
                  investigation_id__in=visible_investigations(user).values("pk")).values("pk")), part="justice")
register_rule(DecisionCount.history.model,
              lambda qs, user: qs.filter(decision_id__in=Decision.objects.filter(
                  prosecution__investigation_id__in=visible_investigations(user).values("pk")).values("pk")),
              part="justice")
register_rule(Appeal.history.model,
              lambda qs, user: qs.filter(decision_id__in=Decision.objects.filter(
                  prosecution__investigation_id__in=visible_investigations(user).values("pk")).values("pk")),
              part="justice")
