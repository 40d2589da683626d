"""Deny by default: a view is only reachable without login when it says so with ``@public``."""

from functools import wraps


def public(view):
    """Mark a view as reachable by anonymous visitors (the public pages, health checks)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.haven_public = True
    return wrapped


def is_public(view) -> bool:
    # Class-based views expose their class on ``view_class``; DRF views on ``cls``.
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        if candidate is not None and getattr(candidate, "haven_public", False):
            return True
    return False
