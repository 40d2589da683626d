"""The organisations a jurisdiction profile declares (DESIGN.md §1)."""

from haven.jurisdictions.profile import ProfileError, require, section, upsert

from .models import Organisation
from .roles import OrganisationKind

LANGUAGE_CODES = {"en", "fr", "nl", "de", "ar", "es", "pt", "ro", "bg", "ru", "zh", "ti", "uk", "it", "pl", "sq"}


@section("organisations", order=20)
def load_organisations(records: list, ctx) -> None:
    for position, data in enumerate(records):
        slug = require(f"organisations[{position}]", data, "slug")
        record = f"organisation {slug!r}"
        kind = require(record, data, "kind")
        if kind not in OrganisationKind.values:
            raise ProfileError(record, f"unknown kind {kind!r} (known: {', '.join(OrganisationKind.values)})")
        languages = require(record, data, "languages", list)
        unknown = [code for code in languages if code not in LANGUAGE_CODES]
        if unknown:
            raise ProfileError(record, f"unknown language code(s): {', '.join(map(str, unknown))}")
        organisation, outcome = upsert(
            Organisation,
            {"jurisdiction": ctx.jurisdiction, "slug": slug},
            {
                "name": require(record, data, "name"),
                "kind": kind,
                "region": ctx.region(record, require(record, data, "region")),
                "languages": languages,
                "city": data.get("city", ""),
            },
        )
        ctx.organisations[slug] = organisation
        ctx.count("organisations", outcome)
