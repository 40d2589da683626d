"""Numbers as people write them: "1,234.5" (en), "1 234,5" (fr), "1.234,5" (nl, de), and in words
in English, French, Dutch and German ("three to four hundred", "quatre-vingt-dix",
"vierhonderdvijftig", "dreihundertfünfzig")."""

import re
from decimal import Decimal, InvalidOperation

# ------------------------------------------------------------------ digits

_DIGITS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.,'’]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?")


def parse_digits(token: str, language: str = "en") -> Decimal | None:
    """Parse a number written with digits in the conventions of ``language``."""
    token = token.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not token or not token[0].isdigit():
        return None
    if language == "en":
        decimal_mark, groups = ".", {",", " ", "'", "’"}
    elif language == "fr":
        decimal_mark, groups = ",", {" ", ".", "'", "’"}
    else:  # nl, de
        decimal_mark, groups = ",", {".", " ", "'", "’"}
    # A single separator followed by exactly three digits is a thousands separator in every
    # one of these languages except when it is that language's decimal mark and the number has
    # no other grouping, e.g. "2,250" in French is 2.25; in English 2250.
    text = token
    for group in groups:
        text = re.sub(rf"(?<=\d){re.escape(group)}(?=\d{{3}}(?:\D|$))", "", text)
    text = text.replace(decimal_mark, ".")
    if text.count(".") > 1 or not re.fullmatch(r"\d+(?:\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


# ------------------------------------------------------------------ words

EN_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dozen": 12,
}
FR_UNITS = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
}
NL_UNITS = {
    "nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
    "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80, "negentig": 90,
}
DE_UNITS = {
    "null": 0, "eins": 1, "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3,
    "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
    "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17,
    "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40,
    "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
}
UNITS = {"en": EN_UNITS, "fr": FR_UNITS, "nl": NL_UNITS, "de": DE_UNITS}
HUNDRED = {"en": {"hundred"}, "fr": {"cent", "cents"}, "nl": {"honderd"}, "de": {"hundert"}}
THOUSAND = {"en": {"thousand"}, "fr": {"mille", "milles"}, "nl": {"duizend"}, "de": {"tausend"}}
MILLION = {"en": {"million", "millions"}, "fr": {"million", "millions"}, "nl": {"miljoen", "miljoenen"},
           "de": {"million", "millionen"}}
JOINERS = {"en": {"and"}, "fr": {"et"}, "nl": {"en"}, "de": {"und"}}
# Fractions written in words, as a percentage.
FRACTIONS = {
    "en": {"half": 50, "a half": 50, "one half": 50, "a third": Decimal("33.3"), "one third": Decimal("33.3"),
           "two thirds": Decimal("66.7"), "two-thirds": Decimal("66.7"), "a quarter": 25, "one quarter": 25,
           "three quarters": 75},
    "fr": {"la moitié": 50, "moitié": 50, "un tiers": Decimal("33.3"), "deux tiers": Decimal("66.7"),
           "un quart": 25, "trois quarts": 75},
    "nl": {"de helft": 50, "helft": 50, "een derde": Decimal("33.3"), "twee derde": Decimal("66.7"),
           "een kwart": 25, "driekwart": 75},
    "de": {"die hälfte": 50, "hälfte": 50, "ein drittel": Decimal("33.3"), "zwei drittel": Decimal("66.7"),
           "ein viertel": 25, "drei viertel": 75},
}


def _compound(word: str, language: str) -> int | None:
    """One written word, possibly a compound: "vierhonderdvijftig", "einundzwanzig", "quatre-vingt-dix"."""
    word = word.lower().strip("-")
    if not word:
        return None
    units = UNITS[language]
    if word in units:
        return units[word]
    if word in HUNDRED[language]:
        return 100
    if word in THOUSAND[language]:
        return 1000
    if "-" in word:
        return words_to_number(word.split("-"), language)
    if language in ("en", "fr"):
        return None
    # nl / de compounds, read left to right: [x]duizend[y], [x]honderd[y], [unit]en/und[tens]
    for big, factor in ((THOUSAND[language], 1000), (HUNDRED[language], 100)):
        for marker in big:
            if marker in word:
                left, _, right = word.partition(marker)
                head = 1 if not left else _compound(left, language)
                tail = 0 if not right else _compound(right, language)
                if head is None or tail is None or head >= factor or tail >= factor:
                    return None
                return head * factor + tail
    for joiner in JOINERS[language]:
        for match in re.finditer(re.escape(joiner), word):
            unit, tens = units.get(word[:match.start()]), units.get(word[match.end():])
            if unit is not None and tens is not None and 0 < unit < 10 and tens % 10 == 0 and tens >= 20:
                return tens + unit
    return None


def words_to_number(words: list[str], language: str) -> int | None:
    """Value of a run of number words, e.g. ["three", "hundred", "and", "fifty"] → 350."""
    if not words:
        return None
    hundreds = HUNDRED[language]
    thousands = THOUSAND[language]
    millions = MILLION[language]
    joiners = JOINERS[language]
    total, current, seen = 0, 0, False
    for raw in words:
        word = raw.lower()
        if word in joiners:
            continue
        if word in hundreds:
            current = max(current, 1) * 100
        elif word in thousands:
            total += max(current, 1) * 1000
            current = 0
        elif word in millions:
            total += max(current, 1) * 1_000_000
            current = 0
        else:
            value = _compound(word, language)
            if value is None:
                return None
            if language == "fr" and value == 20 and current % 100 == 4:  # quatre vingt(s)
                current += 76
            elif language == "fr" and value in (10, 11, 12, 13, 14, 15, 16) and current % 100 in (60, 80):
                current += value  # soixante dix, quatre-vingt onze
            elif value >= 100:
                current = current * value if current else value
            else:
                current += value
        seen = True
    return total + current if seen else None


ARTICLES = {"a", "an", "een", "ein", "eine", "einen", "einem", "einer", "un", "une"}


def is_number_word(word: str, language: str) -> bool:
    """A word that writes a number by itself (articles such as "a" or "un" do not)."""
    word = word.lower()
    if word in ARTICLES:
        return False
    return word in HUNDRED[language] or word in THOUSAND[language] or word in MILLION[language] \
        or _compound(word, language) is not None


def parse_number(text: str, language: str = "en") -> Decimal | None:
    """A whole phrase: digits ("1.234") or words ("vierhonderdvijftig", "three hundred and fifty")."""
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit():
        return parse_digits(text, language)
    words = [w for w in re.split(r"[\s]+", text.lower()) if w]
    if len(words) == 1 and language in ("en", "fr") and "-" in words[0]:
        value = _compound(words[0], language)
        if value is None:
            value = words_to_number(words[0].split("-"), language)
    else:
        value = words_to_number(words, language)
    return Decimal(value) if value is not None else None
