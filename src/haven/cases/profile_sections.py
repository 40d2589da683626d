"""Profile section owned by this app: how long identities are kept (``retention``)."""

from dataclasses import dataclass

from haven.jurisdictions.profile import ProfileError, refuse_unknown_keys, require, section, upsert

from .models import RetentionPolicy


@dataclass(frozen=True, slots=True)
class RetentionSpec:
    identity_years_after_closure: int


def parse_retention(data: dict) -> RetentionSpec:
    record = "retention"
    years = require(record, data, "identity_years_after_closure", int)
    refuse_unknown_keys(record, data, {"identity_years_after_closure"})
    if isinstance(years, bool) or not 1 <= years <= 100:
        raise ProfileError(record, "identity_years_after_closure must be between 1 and 100")
    return RetentionSpec(identity_years_after_closure=years)


@section("retention", order=40)
def load_retention(data: dict, ctx) -> None:
    spec = parse_retention(data)
    _, outcome = upsert(RetentionPolicy, {"jurisdiction": ctx.jurisdiction},
                        {"identity_years_after_closure": spec.identity_years_after_closure})
    ctx.count("retention", outcome)
