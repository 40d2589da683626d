"""Sets of short codes stored in one text column as ``,a,b,``.

The leading and trailing commas let ``column__contains=",a,"`` find one code on every database
(SQLite has no JSON containment), without matching ``a`` inside another code.
"""


def join_codes(codes) -> str:
    codes = sorted({c for c in codes if c})
    return "," + ",".join(codes) + "," if codes else ""


def split_codes(value: str | None) -> list[str]:
    return [c for c in (value or "").split(",") if c]


def contains(code: str) -> str:
    """The ``__contains`` argument that finds rows holding ``code``."""
    return f",{code},"
