"""Profile section owned by this app: how long identities are kept (``retention``)."""

from haven.jurisdictions.profile import ProfileError, require, section, upsert

from .models import RetentionPolicy


@section("retention", order=40)
def load_retention(data: dict, ctx) -> None:
    record = "retention"
    years = require(record, data, "identity_years_after_closure", int)
    if not 1 <= years <= 100:
        raise ProfileError(record, "identity_years_after_closure must be between 1 and 100")
    _, outcome = upsert(RetentionPolicy, {"jurisdiction": ctx.jurisdiction}, {"identity_years_after_closure": years})
    ctx.count("retention", outcome)
