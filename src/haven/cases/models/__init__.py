"""The cases app's models: persons (identity vault), cases and shares, and the case chain.

Nothing here is safe to list without ``haven.access.scope``.
"""

from haven.core.errors import StaleEdit

from .case import Case, CaseShare, RetentionPolicy, ShareReason, new_reference
from .chain import (
    Deadline,
    ExploitationForm,
    IsicSection,
    Procedure,
    ProcedureStep,
    Referral,
    ResidenceDocument,
    Screening,
    ShelterAddress,
    Signal,
    SupportService,
    TimelineEntry,
    TraffickingStatus,
)
from .person import IDENTITY_FIELDS, Person, PersonNameIndex, PersonQuerySet, Sex

__all__ = [
    "Case", "CaseShare", "RetentionPolicy", "ShareReason", "new_reference", "StaleEdit",
    "Deadline", "ExploitationForm", "IsicSection", "Procedure", "ProcedureStep", "Referral", "ResidenceDocument",
    "Screening", "ShelterAddress", "Signal", "SupportService", "TimelineEntry", "TraffickingStatus",
    "IDENTITY_FIELDS", "Person", "PersonNameIndex", "PersonQuerySet", "Sex",
]
