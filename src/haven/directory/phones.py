"""Phone numbers as published ("02/511.64.64") → tel: links a phone can dial."""

from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo


class InvalidPhone(ValueError):
    pass


@dataclass(frozen=True)
class Phone:
    uri: str  # tel:+3225116464, or tel:116000 for a short number
    display: str  # +32 2 511 64 64


def parse_phone(raw: str, region: str) -> Phone:
    """Parse a national or international number, or a short code such as 112 or 116 000."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"malformed phone number {raw!r}: {exc}") from None
    if phonenumbers.is_valid_number(number):
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return Phone(uri=f"tel:{e164}", display=shown)
    # Short codes (112, 116 000) have no E.164 form: they are dialled as they are, in the country.
    if shortnumberinfo.is_valid_short_number_for_region(number, region):
        digits = str(number.national_number)
        return Phone(uri=f"tel:{digits}", display=raw.strip())
    raise InvalidPhone(f"malformed phone number {raw!r}: not a valid number in {region}")
