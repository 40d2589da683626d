"""Which organisation is competent for a presumed victim, read from the profile's routes."""

from dataclasses import dataclass

from .models import Audience, CentreRoute, Region


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
