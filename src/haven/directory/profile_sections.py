"""The helplines and support services a jurisdiction profile declares."""

from haven.jurisdictions.profile import ProfileError, require, section, upsert

from .models import ServiceKind, SupportService
from .phones import InvalidPhone, parse_phone

FORBIDDEN_KEYS = {"address", "street", "postcode", "postal_code", "location", "coordinates"}


@section("support_services", order=40)
def load_support_services(records: list, ctx) -> None:
    for position, data in enumerate(records):
        slug = require(f"support_services[{position}]", data, "slug")
        record = f"support service {slug!r}"
        leaked = FORBIDDEN_KEYS & set(data)
        if leaked:
            raise ProfileError(record, f"the public directory never holds an address ({', '.join(sorted(leaked))})")
        kind = require(record, data, "kind")
        if kind not in ServiceKind.values:
            raise ProfileError(record, f"unknown kind {kind!r} (known: {', '.join(ServiceKind.values)})")
        raw_phone = str(require(record, data, "phone", (str, int)))
        try:
            phone = parse_phone(raw_phone, ctx.jurisdiction.phone_region)
        except InvalidPhone as exc:
            raise ProfileError(record, str(exc)) from None
        regions = [ctx.region(record, code) for code in require(record, data, "regions", list)]
        organisation = ctx.organisation(record, data["organisation"]) if data.get("organisation") else None
        service, outcome = upsert(
            SupportService,
            {"jurisdiction": ctx.jurisdiction, "slug": slug},
            {
                "kind": kind,
                "name": require(record, data, "name", dict),
                "description": data.get("description") or {},
                "hours": data.get("hours") or {},
                "organisation": organisation,
                "phone": raw_phone,
                "phone_uri": phone.uri,
                "phone_display": phone.display,
                "languages": require(record, data, "languages", list),
                "source": data.get("source", ""),
                "order": position,
            },
        )
        wanted = {region.pk for region in regions}
        if set(service.regions.values_list("pk", flat=True)) != wanted:
            service.regions.set(regions)
            outcome = "updated" if outcome == "unchanged" else outcome
        ctx.count("support_services", outcome)
