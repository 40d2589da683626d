"""Who sees which rows of this app: registered with the one scoping place, ``haven.access.scope``."""

from haven.access.scope import register, register_case_models
from haven.persons.models import Person

from .models import Case, CaseShare

register_case_models(case=Case, share=CaseShare)
register(Case, part="summary", field="pk")
register(Case.history.model, part="summary", field="id")
register(CaseShare, part="summary", field="case_id")
register(CaseShare.history.model, part="summary", field="case_id")
# A person is visible to whoever may see the identity part of one of their cases (registered here, not in
# haven.persons, because the rule needs cases). Their name index is registered nowhere: nobody lists it.
register(Person, part="identity", field="pk", case_field="person_id")
register(Person.history.model, part="identity", field="id", case_field="person_id")

# --- the case chain (signal, screening, referrals, procedure, deadlines, services, timeline) ---
from django.db.models import Q  # noqa: E402

from haven.access.scope import PARTS, register_rule, seats, visible_cases  # noqa: E402

from .models import (  # noqa: E402
    CaseFact,
    Deadline,
    Procedure,
    ProcedureStep,
    Referral,
    ResidenceDocument,
    Screening,
    ShelterAddress,
    Signal,
    SupportService,
    TimelineEntry,
)

for _model, _part in [(Signal, "facts"), (Screening, "facts"),
                      (ProcedureStep, "documents"), (ResidenceDocument, "documents"), (CaseFact, "documents"),
                      (SupportService, "psychosocial")]:
    register(_model, part=_part, field="case_id")
    register(_model.history.model, part=_part, field="case_id")


def _by_row_part(queryset, user):
    """Rows carrying their own ``part`` (timeline lines, deadlines): visible with that part of the case."""
    condition = Q(pk__in=[])
    for part in PARTS:
        condition |= Q(part=part, case_id__in=visible_cases(user, part).values("pk"))
    return queryset.filter(condition)


def _referral_rule(queryset, user):
    """A referral: with the case's summary, or, while it waits for an answer, to the organisation it was
    sent to (which also reads the case through the referral's share, ``actions.referrals.PREVIEW_PARTS``).
    Once that organisation declined, or the referral was revoked, it sees neither."""
    mine = [s.organisation_id for s in seats(user) if "summary" in s.parts]
    return queryset.filter(Q(case_id__in=visible_cases(user, "summary").values("pk"))
                           | Q(to_organisation_id__in=mine, status=Referral.Status.PENDING))


register_rule(Referral, _referral_rule, part="summary")
register_rule(Referral.history.model, _referral_rule, part="summary")
register_rule(TimelineEntry, _by_row_part)
register_rule(Deadline, _by_row_part)


def _own_shelter(queryset, user):
    """A shelter address: only members of the centre that recorded it, while they see the shelter part."""
    mine = [s.organisation_id for s in seats(user) if "shelter" in s.parts]
    return queryset.filter(organisation_id__in=mine, case_id__in=visible_cases(user, "shelter").values("pk"))


register_rule(ShelterAddress, _own_shelter, part="shelter")
register_rule(ShelterAddress.history.model, _own_shelter, part="shelter")
# The procedure definitions are profile data, not case data: everyone signed in may read them.
register_rule(Procedure, lambda queryset, user: queryset if seats(user) else queryset.none())
