"""Who does something: the small value that every action takes instead of an HTTP request.

Services never see ``request``; a view builds an ``Actor`` from it, a command builds one for the
operator. The address is kept for the audit trail only.
"""

from dataclasses import dataclass

from haven.core.net import client_ip


@dataclass(frozen=True)
class Actor:
    user: object = None  # haven.organisations.models.User, or None for the system itself
    organisation: object = None  # the organisation the user acts for, when one is chosen
    address: str | None = None
    via: str = "web"  # web, api, command, system

    @classmethod
    def from_request(cls, request, organisation=None) -> "Actor":
        via = "api" if request.path.startswith("/api/") else "web"
        user = getattr(request, "user", None)
        return cls(user=user if getattr(user, "is_authenticated", False) else None,
                   organisation=organisation, address=client_ip(request), via=via)

    @classmethod
    def command(cls, user=None) -> "Actor":
        return cls(user=user, via="command")

    @classmethod
    def system(cls) -> "Actor":
        return cls(via="system")

    @property
    def username(self) -> str:
        return self.user.get_username() if self.user is not None else ""


def as_actor(who) -> Actor:
    """Accept an ``Actor``, a user or None (the system) where an action takes an actor."""
    if isinstance(who, Actor):
        return who
    return Actor(user=who, via="system" if who is None else "web")
