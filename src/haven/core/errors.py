"""The one error vocabulary of Haven's services.

Every service (case chain, justice, library, organisations, access) raises these and nothing
else for a refusal the user should read; the API maps them once (``haven.core.api``) to RFC 9457
problem documents that keep ``code``, and pages map them once (``ServiceErrorPages``) to a
message in the user's language. A service raises *before* it writes, or inside its transaction,
so a refusal never leaves half a change behind.
"""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """Base class: ``message`` is for the user (already translated or lazy), ``code`` for programs."""

    status = 400
    default_code = "invalid"
    default_message = _("The request is not valid.")

    def __init__(self, message=None, code: str | None = None):
        self.message = str(message if message is not None else self.default_message)
        self.code = code or self.default_code
        super().__init__(self.message)


class Refused(ServiceError):
    """The rules do not allow this step now (wrong state, missing condition); nothing changed."""

    status = 422
    default_code = "refused"
    default_message = _("This step is not allowed now.")


class Forbidden(ServiceError):
    """The actor may not do this at all (role, organisation kind)."""

    status = 403
    default_code = "forbidden"
    default_message = _("You may not do this.")


class NotFound(ServiceError):
    """The object does not exist *for this actor* (out of scope looks exactly like absent)."""

    status = 404
    default_code = "not_found"
    default_message = _("Not found.")


class StaleEdit(ServiceError):
    """Someone saved the record after the actor read it; nothing was overwritten."""

    status = 409
    default_code = "stale"
    default_message = _("Someone else changed this record since you read it. Nothing was saved: read it again.")


class Invalid(ServiceError):
    """Input that breaks a rule, field by field: ``field_errors = {"field": ["message", …]}``."""

    status = 400
    default_code = "invalid"

    def __init__(self, message=None, code: str | None = None, field_errors: dict | None = None):
        self.field_errors = {key: [str(m) for m in (value if isinstance(value, list | tuple) else [value])]
                             for key, value in (field_errors or {}).items()}
        if message is None and self.field_errors:
            message = " ".join(m for messages in self.field_errors.values() for m in messages)
        super().__init__(message, code)

    @classmethod
    def from_django(cls, exc) -> "Invalid":
        """Turn Django's ``ValidationError`` (from a model's ``clean``) into ``Invalid``."""
        if hasattr(exc, "error_dict"):
            return cls(field_errors={field: [str(m) for e in errors for m in e.messages]
                                     for field, errors in exc.error_dict.items()},
                       code=getattr(exc, "code", None))
        return cls(" ".join(exc.messages), code=getattr(exc, "code", None))
