"""Profile section owned by this app: how a doubt about age is settled (``guardianship``).

    guardianship:
      undetermined_is_minor: true   # an age the assessment cannot settle keeps the protection of a minor
"""

from dataclasses import dataclass

from haven.jurisdictions.profile import ProfileError, refuse_unknown_keys, section, upsert

from .models import GuardianshipPolicy

KEYS = ("undetermined_is_minor",)


@dataclass(frozen=True, slots=True)
class GuardianshipSpec:
    undetermined_is_minor: bool


def parse_guardianship(data) -> GuardianshipSpec:
    """The typed section; ``ProfileError`` naming the field at fault otherwise."""
    record = "guardianship"
    if not isinstance(data, dict):
        raise ProfileError(record, "must be a mapping of fields")
    refuse_unknown_keys(record, data, KEYS)
    if "undetermined_is_minor" not in data:
        raise ProfileError(record, "missing field 'undetermined_is_minor'")
    value = data["undetermined_is_minor"]
    if not isinstance(value, bool):  # a quoted "false" must not read as true
        raise ProfileError(record, "undetermined_is_minor must be true or false")
    return GuardianshipSpec(undetermined_is_minor=value)


@section("guardianship", order=60)
def load_guardianship(data, ctx) -> None:
    spec = parse_guardianship(data)
    _, outcome = upsert(GuardianshipPolicy, {"jurisdiction": ctx.jurisdiction},
                        {"undetermined_is_minor": spec.undetermined_is_minor})
    ctx.count("guardianship", outcome)
