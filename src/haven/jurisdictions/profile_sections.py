"""Profile sections owned by this app: the jurisdiction itself, its regions, districts, routes to centres
and routes to the reference magistrates.

Each section is parsed once into frozen records (``parse_…``), then written from their attributes.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from haven.core.codes import join_codes

from .models import Audience, CentreRoute, JudicialDistrict, Jurisdiction, LegalTest, MagistrateRoute, Region
from .profile import ProfileError, names, refuse_unknown_keys, require, section, texts, upsert


@dataclass(frozen=True, slots=True)
class JurisdictionSpec:
    code: str
    version: str
    name: Mapping[str, str]
    legal_test: str
    phone_region: str
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegionSpec:
    code: str
    name: Mapping[str, str]
    national: bool
    order: int


@dataclass(frozen=True, slots=True)
class DistrictSpec:
    code: str
    name: Mapping[str, str]
    region: str


@dataclass(frozen=True, slots=True)
class RouteSpec:
    record: str
    region: str
    audience: str
    purpose: str
    organisation: str


@dataclass(frozen=True, slots=True)
class MagistrateSpec:
    """Which prosecution office confirms the requests of a judicial district: for the listed ``forms`` of
    exploitation (the labour auditor for labour exploitation), or by default (no ``forms``)."""
    record: str
    district: str
    forms: tuple[str, ...]
    organisation: str


def parse_jurisdiction(profile: dict) -> JurisdictionSpec:
    data = require("jurisdiction", profile, "jurisdiction", dict)
    code = require("jurisdiction", data, "code").upper()
    record = f"jurisdiction {code}"
    legal_test = require(record, data, "legal_test")
    if legal_test not in LegalTest.values:
        raise ProfileError(record, f"unknown legal test {legal_test!r} (known: {', '.join(LegalTest.values)})")
    return JurisdictionSpec(
        code=code,
        version=str(require(record, data, "version", (str, int, float))),
        name=texts(record, data, "name"),
        legal_test=legal_test,
        phone_region=require(record, data, "phone_region").upper(),
        languages=tuple(require(record, data, "languages", list)),
    )


def parse_regions(records: list) -> tuple[RegionSpec, ...]:
    result = []
    for position, data in enumerate(records):
        code = require(f"regions[{position}]", data, "code")
        record = f"region {code!r}"
        result.append(RegionSpec(code=code, name=texts(record, data, "name"),
                                 national=bool(data.get("national", False)), order=position))
    return tuple(result)


def parse_districts(records: list) -> tuple[DistrictSpec, ...]:
    result = []
    for position, data in enumerate(records):
        code = require(f"districts[{position}]", data, "code")
        record = f"district {code!r}"
        result.append(DistrictSpec(code=code, name=texts(record, data, "name"), region=require(record, data, "region")))
    return tuple(result)


def parse_routes(records: list) -> tuple[RouteSpec, ...]:
    result = []
    for position, data in enumerate(records):
        record = f"routes[{position}]"
        audience = require(record, data, "audience")
        if audience not in Audience.values:
            raise ProfileError(record, f"unknown audience {audience!r} (known: {', '.join(Audience.values)})")
        purpose = data.get("purpose", CentreRoute.Purpose.RECEPTION)
        if purpose not in CentreRoute.Purpose.values:
            raise ProfileError(record, f"unknown purpose {purpose!r}")
        result.append(RouteSpec(record=record, region=require(record, data, "region"), audience=audience,
                                purpose=str(purpose), organisation=require(record, data, "organisation")))
    return tuple(result)


def parse_magistrates(records: list) -> tuple[MagistrateSpec, ...]:
    if not isinstance(records, list):
        raise ProfileError("magistrates", "must be a list of routes")
    result, seen = [], {}
    for position, data in enumerate(records):
        record = f"magistrates[{position}]"
        district = require(record, data, "district")
        refuse_unknown_keys(record, data, {"district", "forms", "organisation"})
        forms = tuple(sorted(set(names(record, data, "forms"))))
        if (district, forms) in seen:
            raise ProfileError(record, f"repeats the route of {seen[district, forms]} for district {district!r}")
        seen[district, forms] = record
        result.append(MagistrateSpec(record=record, district=district, forms=forms,
                                     organisation=require(record, data, "organisation")))
    return tuple(result)


@section("jurisdiction", order=0)
def load_jurisdiction(profile: dict, ctx) -> None:
    spec = parse_jurisdiction(profile)
    current = Jurisdiction.objects.filter(code=spec.code).values("profile_version", "profile_digest").first()
    ctx.previous = current or {}
    ctx.jurisdiction, outcome = upsert(
        Jurisdiction,
        {"code": spec.code},
        {
            "name": dict(spec.name),
            "legal_test": spec.legal_test,
            "phone_region": spec.phone_region,
            "languages": list(spec.languages),
            "profile_version": spec.version,
            "profile_digest": ctx.digest,
        },
    )
    ctx.count("jurisdiction", outcome)


@section("regions", order=10)
def load_regions(records: list, ctx) -> None:
    for spec in parse_regions(records):
        region, outcome = upsert(
            Region,
            {"jurisdiction": ctx.jurisdiction, "code": spec.code},
            {"name": dict(spec.name), "is_national": spec.national, "order": spec.order},
        )
        ctx.regions[spec.code] = region
        ctx.count("regions", outcome)


@section("districts", order=15)
def load_districts(records: list, ctx) -> None:
    for spec in parse_districts(records):
        _, outcome = upsert(
            JudicialDistrict,
            {"jurisdiction": ctx.jurisdiction, "code": spec.code},
            {"name": dict(spec.name), "region": ctx.region(f"district {spec.code!r}", spec.region)},
        )
        ctx.count("districts", outcome)


@section("routes", order=30)
def load_routes(records: list, ctx) -> None:
    for spec in parse_routes(records):
        _, outcome = upsert(
            CentreRoute,
            {"region": ctx.region(spec.record, spec.region), "audience": spec.audience, "purpose": spec.purpose},
            {"jurisdiction": ctx.jurisdiction, "organisation": ctx.organisation(spec.record, spec.organisation)},
        )
        ctx.count("routes", outcome)


@section("magistrates", order=35)
def load_magistrates(records: list, ctx) -> None:
    districts = {d.code: d for d in JudicialDistrict.objects.filter(jurisdiction=ctx.jurisdiction)}
    for spec in parse_magistrates(records):
        district = districts.get(spec.district)
        if district is None:
            known = ", ".join(sorted(districts)) or "none"
            raise ProfileError(spec.record, f"unknown district {spec.district!r} (known: {known})")
        organisation = ctx.organisation(spec.record, spec.organisation)
        if organisation.kind != "prosecution":
            raise ProfileError(spec.record, f"organisation {spec.organisation!r} is not a prosecution office")
        _, outcome = upsert(
            MagistrateRoute,
            {"district": district, "forms": join_codes(spec.forms) or ","},
            {"jurisdiction": ctx.jurisdiction, "organisation": organisation},
        )
        ctx.count("magistrates", outcome)
