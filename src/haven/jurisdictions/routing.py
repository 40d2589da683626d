"""Which organisation is competent for a presumed victim, and which magistrate confirms their requests,
read from the profile's routes."""

from dataclasses import dataclass

from haven.core.codes import split_codes

from .models import Audience, CentreRoute, JudicialDistrict, MagistrateRoute, Region


class NoRoute(LookupError):
    pass


@dataclass(frozen=True)
class Routing:
    centre: object  # organisations.Organisation
    guardianship: object | None = None


def route(region: Region, *, minor: bool) -> Routing:
    """The competent centre for a person found in ``region``; minors also get the guardianship service.

    A region without its own route falls back to the jurisdiction's national route.
    """
    audience = Audience.MINOR if minor else Audience.ADULT
    routes = {
        r.purpose: r.organisation
        for r in CentreRoute.objects.filter(region=region, audience=audience).select_related("organisation")
    }
    if not routes and not region.is_national:
        national = Region.objects.filter(jurisdiction_id=region.jurisdiction_id, is_national=True).first()
        if national is not None:
            return route(national, minor=minor)
    if CentreRoute.Purpose.RECEPTION not in routes:
        raise NoRoute(f"The profile has no {audience} route for region {region.code!r}.")
    return Routing(
        centre=routes[CentreRoute.Purpose.RECEPTION],
        guardianship=routes.get(CentreRoute.Purpose.GUARDIANSHIP),
    )


def competent_magistrate(district: JudicialDistrict, forms) -> object:
    """The prosecution office whose reference magistrate confirms requests for a case of ``district``
    with these forms of exploitation: the office routed for one of the case's ``forms`` (the labour
    auditor for labour exploitation), else the district's default office. ``NoRoute`` when the profile
    has neither."""
    forms = set(forms or ())
    default = None
    routes = MagistrateRoute.objects.filter(district=district, organisation__active=True)
    for magistrate in routes.select_related("organisation").order_by("forms", "pk"):
        routed = set(split_codes(magistrate.forms))
        if routed and routed & forms:
            return magistrate.organisation
        if not routed and default is None:
            default = magistrate.organisation
    if default is None:
        raise NoRoute(f"The profile routes no magistrate for district {district.code!r}.")
    return default
