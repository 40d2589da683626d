"""The cases app's models: cases and shares, and the case chain (persons are ``haven.persons``).

Nothing here is safe to list without ``haven.access.scope``.
"""

from haven.core.errors import StaleEdit

from .case import Case, CaseShare, RetentionPolicy, ShareReason, new_reference
from .chain import (
    AgeGroup,
    CaseFact,
    Deadline,
    ExploitationForm,
    IsicSection,
    Part,
    Procedure,
    ProcedureStep,
    Reading,
    Referral,
    ResidenceDocument,
    Screening,
    ShelterAddress,
    Signal,
    SupportService,
    TimelineEntry,
    TimelineEvent,
    TraffickingStatus,
)

__all__ = [
    "Case", "CaseShare", "RetentionPolicy", "ShareReason", "new_reference", "StaleEdit",
    "CaseFact", "Deadline", "ExploitationForm", "IsicSection", "Procedure", "ProcedureStep", "Referral",
    "ResidenceDocument",
    "Screening", "ShelterAddress", "Signal", "SupportService", "TimelineEntry", "TraffickingStatus",
    "AgeGroup", "Part", "Reading", "TimelineEvent",
]
