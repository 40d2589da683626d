"""Dates as published: as precise as stated ("2016", "November 2001", "24 June 2001")."""

import re
from dataclasses import dataclass

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "oktober": 10,
    # German
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "dezember": 12,
}
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"

# Most specific first. Each gives named groups day / month / year.
_PATTERNS = [
    re.compile(rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?[ /-](?P<month>{_MONTH})[ /,-]+(?P<year>{_YEAR})\b", re.I),
    re.compile(rf"\b(?P<month>{_MONTH}) (?P<day>[0-3]?\d)(?:st|nd|rd|th)?,? (?P<year>{_YEAR})\b", re.I),
    re.compile(rf"\b(?P<year>{_YEAR})-(?P<monthnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b(?P<month>{_MONTH}),? (?P<year>{_YEAR})\b", re.I),
    re.compile(rf"(?<![\w/])(?P<year>{_YEAR})(?![\w/])"),
]


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    text: str = ""

    def parts(self) -> list[int]:
        return [p for p in (self.year, self.month, self.day) if p is not None]

    def iso(self) -> str:
        return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(self.parts()))

    def as_json(self) -> dict:
        return {"text": self.text, "date": self.iso()}


def find_date(text: str, *, last: bool = True) -> tuple[PartialDate, int, int] | None:
    """The most precise date in ``text`` (the last one when several are equally precise)."""
    for pattern in _PATTERNS:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        for match in reversed(matches) if last else matches:
            groups = match.groupdict()
            year = int(groups["year"])
            if groups.get("monthnum"):
                month = int(groups["monthnum"])
            elif groups.get("month"):
                month = MONTHS[groups["month"].lower().rstrip(".")]
            else:
                month = None
            day = int(groups["day"]) if groups.get("day") else None
            if day is not None and not 1 <= day <= 31:
                continue
            if month is not None and not 1 <= month <= 12:
                continue
            return PartialDate(year, month, day, match.group(0).strip(" ,")), match.start(), match.end()
    return None


def parse_date(text: str) -> PartialDate | None:
    found = find_date(text)
    return found[0] if found else None
