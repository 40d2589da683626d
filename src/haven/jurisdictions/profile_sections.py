"""Profile sections owned by this app: the jurisdiction itself, its regions, districts and routes."""

from .models import Audience, CentreRoute, JudicialDistrict, Jurisdiction, LegalTest, Region
from .profile import ProfileError, require, section, upsert


@section("jurisdiction", order=0)
def load_jurisdiction(profile: dict, ctx) -> None:
    data = require("jurisdiction", profile, "jurisdiction", dict)
    code = require("jurisdiction", data, "code").upper()
    record = f"jurisdiction {code}"
    legal_test = require(record, data, "legal_test")
    if legal_test not in LegalTest.values:
        raise ProfileError(record, f"unknown legal test {legal_test!r} (known: {', '.join(LegalTest.values)})")
    ctx.jurisdiction, outcome = upsert(
        Jurisdiction,
        {"code": code},
        {
            "name": require(record, data, "name", dict),
            "legal_test": legal_test,
            "phone_region": require(record, data, "phone_region").upper(),
            "languages": require(record, data, "languages", list),
            "profile_version": str(require(record, data, "version", (str, int, float))),
        },
    )
    ctx.count("jurisdiction", outcome)


@section("regions", order=10)
def load_regions(records: list, ctx) -> None:
    for position, data in enumerate(records):
        code = require(f"regions[{position}]", data, "code")
        record = f"region {code!r}"
        region, outcome = upsert(
            Region,
            {"jurisdiction": ctx.jurisdiction, "code": code},
            {
                "name": require(record, data, "name", dict),
                "is_national": bool(data.get("national", False)),
                "order": position,
            },
        )
        ctx.regions[code] = region
        ctx.count("regions", outcome)


@section("districts", order=15)
def load_districts(records: list, ctx) -> None:
    for position, data in enumerate(records):
        code = require(f"districts[{position}]", data, "code")
        record = f"district {code!r}"
        _, outcome = upsert(
            JudicialDistrict,
            {"jurisdiction": ctx.jurisdiction, "code": code},
            {
                "name": require(record, data, "name", dict),
                "region": ctx.region(record, require(record, data, "region")),
            },
        )
        ctx.count("districts", outcome)


@section("routes", order=30)
def load_routes(records: list, ctx) -> None:
    for position, data in enumerate(records):
        record = f"routes[{position}]"
        audience = require(record, data, "audience")
        if audience not in Audience.values:
            raise ProfileError(record, f"unknown audience {audience!r} (known: {', '.join(Audience.values)})")
        purpose = data.get("purpose", CentreRoute.Purpose.RECEPTION)
        if purpose not in CentreRoute.Purpose.values:
            raise ProfileError(record, f"unknown purpose {purpose!r}")
        region = ctx.region(record, require(record, data, "region"))
        organisation = ctx.organisation(record, require(record, data, "organisation"))
        _, outcome = upsert(
            CentreRoute,
            {"region": region, "audience": audience, "purpose": purpose},
            {"jurisdiction": ctx.jurisdiction, "organisation": organisation},
        )
        ctx.count("routes", outcome)
