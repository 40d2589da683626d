"""Dated statistics in running text: "In 2022, 350 human trafficking cases were registered".

A claim is a number tied to something counted (victims, cases, investigations…) or a share of
it, and to a period (a year, a range, a month, a reporting period). Numbers may be written in
digits in English, French, Dutch or German conventions, or in words ("three to four hundred",
"half"). Every claim keeps its exact quote (the sentence) and where it stands in the excerpt.

The rules are deliberately conservative: a number without something counted, or without a
period, is not a claim. An editor confirms or rejects each one before it is published.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import vocab
from .dates import MONTHS
from .numbers import FRACTIONS, HUNDRED, JOINERS, MILLION, THOUSAND, is_number_word, parse_digits, words_to_number

YEAR = r"(?:19[5-9]\d|20\d\d)"
MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"

RANGE_PATTERNS = [
    re.compile(rf"\b(?:between|from|entre|de|du|tussen|van|zwischen|von)\s+(?P<a>{YEAR})\s+(?:and|to|till|until|et|"
               rf"à|au|a|en|tot|und|bis)\s+(?P<b>{YEAR})\b", re.I),
    re.compile(rf"(?<![\w-])(?P<a>{YEAR})\s*[-–—]\s*(?P<b>{YEAR}|\d\d)(?![\w-])"),
]
MONTH_PATTERN = re.compile(rf"\b(?P<month>{MONTH})\.?\s+(?P<y>{YEAR})\b", re.I)
YEAR_PATTERN = re.compile(rf"(?<![\w.,/-])(?P<y>{YEAR})(?![\w/]|[.,]\d)")
ADJECTIVE_YEAR = re.compile(rf"\b(?:the|a|an|its|their|his|her|this|that|le|la|l['’]|het|de|der|die|das)\s+{YEAR}\s+$",
                            re.I)
REPORTING_PERIOD = re.compile(r"\b(?:the|this) reporting period\b|période (?:couverte|de référence)|"
                              r"verslagperiode|Berichtszeitraum", re.I)
PER_YEAR = re.compile(r"\b(?:each|every|per|a) year\b|\bannually\b|\bper annum\b|\bpar an\b|chaque année|"
                      r"\bper jaar\b|\belk jaar\b|\bjaarlijks\b|\bpro Jahr\b|\bjedes Jahr\b|\bjährlich\b", re.I)
ANAPHORA = re.compile(r"\bof (?:the|these|those|them|all)\b|\b(?:the|these|those) victims\b|\bdes victimes\b|"
                      r"\bvan de\b|\bder Opfer\b", re.I)

QUALIFIERS = [
    ("average", re.compile(r"\b(?:on average|an average of|average of|en moyenne|une moyenne de|gemiddeld|"
                           r"durchschnittlich|im durchschnitt)\b", re.I)),
    ("more_than", re.compile(r"\b(?:over|more than|above|at least|in excess of|plus de|au moins|meer dan|minstens|"
                             r"ruim|mehr als|über|mindestens)\s*$", re.I)),
    ("up_to", re.compile(r"\b(?:up to|less than|fewer than|under|below|at most|jusqu['’]à|moins de|minder dan|"
                         r"hooguit|bis zu|weniger als|höchstens)\s*$", re.I)),
    ("about", re.compile(r"\b(?:around|about|approximately|some|roughly|nearly|almost|close to|an estimated|"
                         r"environ|près de|presque|quelque|ongeveer|rond|circa|bijna|zo'n|etwa|rund|ungefähr|fast|"
                         r"knapp|ca\.)\s*$", re.I)),
]

PERCENT = re.compile(r"\s*(?:%|\bper\s?cent\b|\bpercent\b|\bpour\s?cent\b|\bprocent\b|\bProzent\b)", re.I)
SKIP_BEFORE = re.compile(r"(?:\[|\b(?:issue|no\.|nr\.|article|art\.|section|page|p\.|aged?|ages? of|age of|under "
                         r"the age of|tier|chapter|paragraph|§)\s*)$", re.I)
DURATION_AFTER = re.compile(r"^\s*(?:years?|months?|weeks?|days?|hours?|ans?|mois|jours?|jaar|jaren|maanden|dagen|"
                            r"Jahre?n?|Monate?n?|Tage?n?|km|kilomet\w+|euros?|EUR|€|dollars?|USD|\$)\b", re.I)

# Things that are counted. Plural and singular, four languages; Dutch and German compounds are
# matched on their last part ("mensenhandelzaken", "Menschenhandelsfälle").
COUNTED = {
    "en": ["victims", "victim", "cases", "case", "investigations", "investigation", "prosecutions", "prosecution",
           "convictions", "conviction", "traffickers", "trafficker", "suspects", "suspect", "offenders", "offender",
           "defendants", "persons", "people", "individuals", "children", "minors", "women", "men", "girls", "boys",
           "permits", "repatriations", "arrests", "complaints", "reports", "referrals", "identifications",
           "files", "judgments", "sentences"],
    "fr": ["victimes", "victime", "affaires", "affaire", "dossiers", "dossier", "cas", "enquêtes", "enquête",
           "poursuites", "condamnations", "condamnation", "trafiquants", "suspects", "auteurs", "personnes",
           "mineurs", "enfants", "femmes", "hommes", "plaintes", "signalements", "jugements", "titres de séjour"],
    "nl": ["slachtoffers", "slachtoffer", "zaken", "zaak", "dossiers", "dossier", "onderzoeken", "onderzoek",
           "vervolgingen", "veroordelingen", "veroordeling", "daders", "verdachten", "personen", "minderjarigen",
           "kinderen", "vrouwen", "mannen", "klachten", "meldingen", "vonnissen", "verblijfsvergunningen"],
    "de": ["opfer", "fälle", "fall", "verfahren", "ermittlungsverfahren", "ermittlungen", "verurteilungen",
           "verurteilung", "täter", "menschenhändler", "verdächtige", "tatverdächtige", "personen", "minderjährige",
           "kinder", "frauen", "männer", "anzeigen", "urteile", "aufenthaltstitel"],
}
COMPOUND_TAILS = {"nl": ["zaken", "slachtoffers", "dossiers", "onderzoeken", "vervolgingen", "veroordelingen"],
                  "de": ["fälle", "opfer", "verfahren", "verurteilungen", "ermittlungen", "täter"]}
REPORTING_VERBS = {"reported", "estimated", "said", "stated", "noted", "indicated", "announced", "claimed"}
AUXILIARIES = {"were", "was", "are", "is", "have", "has", "had", "been", "being", "be"}
RANGE_WORDS = {"en": {"to", "or"}, "fr": {"à", "ou"}, "nl": {"tot", "à", "of"}, "de": {"bis", "oder"}}
CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas|et|mais|alors que|en|maar|terwijl|und|aber|während)\s+|"
                          r"\s+whereas\s+", re.I)
ABBREVIATIONS = {"u.s", "u.n", "ms", "mr", "mrs", "dr", "prof", "no", "vs", "e.g", "i.e", "st", "p.r.c", "etc",
                 "inc", "art", "nr", "bzw", "z.b", "cf", "ca", "approx", "jan", "feb", "aug", "sept", "oct",
                 "nov", "dec", "mme", "m", "dhr", "mevr"}
WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


@dataclass
class Period:
    start: date
    end: date
    label: str
    kind: str  # year, range, month, reporting_period, scope
    span: tuple[int, int] = (0, 0)
    inferred: bool = False


@dataclass
class ClaimDraft:
    quote: str
    quote_start: int
    quote_end: int
    value_start: int
    value_end: int
    value_text: str
    measure: str
    value: Decimal
    unit: str
    period: Period
    jurisdiction: str = ""
    value_max: Decimal | None = None
    qualifier: str = "exact"
    per_year: bool = False
    noun: str = field(default="", repr=False)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of ``text``."""
    spans = []
    start = 0
    for match in re.finditer(r"[.!?]+[\"”’)]*\s+(?=[\"“‘(]?[A-ZÀ-Ý0-9])", text):
        before = text[start:match.start()]
        last = re.search(r"([\w.]+)$", before)
        token = last.group(1).lower().rstrip(".") if last else ""
        if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in ((s, len(text[:e].rstrip())) for s, e in spans) if text[s:e].strip()]


def _year_period(year: int, label: str, span) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), label, "year", span)


def find_periods(sentence: str, offset: int = 0) -> list[Period]:
    periods: list[Period] = []
    taken: list[tuple[int, int]] = []

    def free(a, b):
        return all(b <= s or a >= e for s, e in taken)

    for pattern in RANGE_PATTERNS:
        for m in pattern.finditer(sentence):
            a = int(m.group("a"))
            b_text = m.group("b")
            b = int(b_text) if len(b_text) == 4 else (a // 100) * 100 + int(b_text)
            if b <= a or not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            periods.append(Period(date(a, 1, 1), date(b, 12, 31), f"{a}–{b}", "range",
                                  (offset + m.start(), offset + m.end())))
    for m in MONTH_PATTERN.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        year, month = int(m.group("y")), MONTHS[m.group("month").lower()]
        taken.append((m.start(), m.end()))
        last = calendar.monthrange(year, month)[1]
        periods.append(Period(date(year, month, 1), date(year, month, last), f"{year}-{month:02d}", "month",
                              (offset + m.start(), offset + m.end())))
    for m in YEAR_PATTERN.finditer(sentence):
        if not free(m.start(), m.end()) or ADJECTIVE_YEAR.search(sentence[:m.end()]):
            continue
        taken.append((m.start(), m.end()))
        periods.append(_year_period(int(m.group("y")), m.group("y"), (offset + m.start(), offset + m.end())))
    return sorted(periods, key=lambda p: p.span)


@dataclass
class _Number:
    start: int
    end: int
    text: str
    value: Decimal
    value_max: Decimal | None = None
    percent: bool = False
    fraction: bool = False


def _numbers(sentence: str, language: str) -> list[_Number]:
    found: list[_Number] = []
    # Fractions in words ("half of the victims")
    for phrase, value in sorted(FRACTIONS.get(language, {}).items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}\s+(?:of|de|des|van|der)\b", sentence, re.I):
            if any(n.start <= m.start() < n.end for n in found):
                continue
            found.append(_Number(m.start(), m.start() + len(phrase), sentence[m.start():m.start() + len(phrase)],
                                 Decimal(value), percent=True, fraction=True))
    # Digits
    for m in re.finditer(r"(?<![\w.,/-])\d{1,3}(?:[,. \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?![\w/-])|"
                         r"(?<![\w.,/-])\d+(?:[.,]\d+)?(?![\w/-]|[.,]\d)", sentence):
        value = parse_digits(m.group(0), language)
        if value is None:
            continue
        number = _Number(m.start(), m.end(), m.group(0), value)
        tail = sentence[m.end():]
        percent = PERCENT.match(tail)
        if percent:
            number.percent = True
            number.end += len(percent.group(0))
            number.text = sentence[number.start:number.end]
        found.append(number)
    # Words, including ranges written in words ("three to four hundred")
    tokens = list(WORD_RE.finditer(sentence))
    i = 0
    while i < len(tokens):
        if not is_number_word(tokens[i].group(0), language):
            i += 1
            continue
        j = i
        run = [tokens[i]]
        while j + 1 < len(tokens):
            nxt = tokens[j + 1].group(0).lower()
            if is_number_word(nxt, language) or (nxt in _joiners(language) | RANGE_WORDS[language]
                                                  and j + 2 < len(tokens)
                                                  and is_number_word(tokens[j + 2].group(0), language)):
                run.append(tokens[j + 1])
                j += 1
            else:
                break
        words = [t.group(0).lower() for t in run]
        split = next((k for k, w in enumerate(words) if w in RANGE_WORDS[language]), None)
        if split is not None:
            low = words_to_number(words[:split], language)
            high = words_to_number(words[split + 1:], language)
            if low is not None and high is not None and low < 10 <= high:
                factor = high // max(words_to_number([w for w in words[split + 1:] if
                                                      w not in _multipliers(language)], language) or 1, 1)
                low *= factor
            value, value_max = low, high
        else:
            value, value_max = words_to_number(words, language), None
        if value is not None:
            start, end = run[0].start(), run[-1].end()
            number = _Number(start, end, sentence[start:end], Decimal(value),
                             Decimal(value_max) if value_max is not None else None)
            percent = PERCENT.match(sentence[end:])
            if percent:
                number.percent = True
                number.end += len(percent.group(0))
            found.append(number)
        i = j + 1
    return sorted(found, key=lambda n: n.start)


def _joiners(language):
    return JOINERS[language]


def _multipliers(language):
    return HUNDRED[language] | THOUSAND[language] | MILLION[language]


def _is_counted(word: str, language: str) -> bool:
    word = word.lower()
    if word in COUNTED.get(language, ()) or word in COUNTED["en"] and language == "en":
        return True
    return any(word.endswith(tail) and len(word) > len(tail) + 2 for tail in COMPOUND_TAILS.get(language, ()))


def _is_participle(word: str) -> bool:
    word = word.lower()
    return (word.endswith("ed") and len(word) > 4) or word in {"identified", "held", "brought", "found", "seen",
                                                               "taken", "given", "sent", "known"}


def _words_after(sentence: str, pos: int, limit: int) -> list[re.Match]:
    clause_end = re.search(r"[,;:.()]|\s[-–]\s", sentence[pos:])
    stop = pos + clause_end.start() if clause_end else len(sentence)
    return list(WORD_RE.finditer(sentence, pos, stop))[:limit]


def _measure_after(sentence: str, number: _Number, language: str):
    """(noun, modifiers, predicate) for the words after a number; noun is None when nothing counted follows."""
    words = _words_after(sentence, number.end, 14)
    texts = [w.group(0) for w in words]
    if number.percent:
        # "40% of the victims were trafficked for …"
        if texts[:1] and texts[0].lower() in {"of", "de", "des", "du", "van", "der", "von"}:
            rest = texts[1:]
            while rest and rest[0].lower() in {"the", "these", "those", "all", "les", "la", "le", "de", "het",
                                               "die", "der", "den"}:
                rest = rest[1:]
            for k, word in enumerate(rest[:4]):
                if _is_counted(word, language):
                    predicate = [w for w in rest[k + 1:] if w.lower() not in AUXILIARIES]
                    return word, rest[:k], predicate
        return None, [], texts
    for k, word in enumerate(texts[:5]):
        if _is_counted(word, language):
            modifiers = texts[:k]
            if any(m.lower() in AUXILIARIES or _is_participle(m) for m in modifiers):
                return None, [], []
            predicate = []
            rest = texts[k + 1:]
            if rest and rest[0].lower() in AUXILIARIES:
                rest = [w for w in rest if w.lower() not in AUXILIARIES]
                if rest and _is_participle(rest[0]):
                    predicate = [rest[0]]
            return word, modifiers, predicate
    return None, [], texts


def _verb_before(sentence: str, number: _Number) -> str:
    words = WORD_RE.findall(sentence[:number.start])
    while words and (words[-1].lower() in {"over", "more", "than", "only", "just", "about", "around", "some",
                                           "nearly", "almost", "approximately", "least", "at", "up", "to"}):
        words.pop()
    if words and _is_participle(words[-1]) and words[-1].lower() not in REPORTING_VERBS:
        return words[-1].lower()
    return ""


def _qualifier(sentence: str, number: _Number) -> str:
    before = sentence[max(0, number.start - 30):number.start]
    for name, pattern in QUALIFIERS:
        if name == "average":
            if pattern.search(sentence[:number.start]):
                return name
        elif pattern.search(before):
            return name
    return "exact"


def _jurisdiction(sentence: str, clause: tuple[int, int], default: str) -> str:
    lo, hi = clause
    for code, start, _end in vocab.find_countries(sentence[lo:hi]):
        before = sentence[max(0, lo + start - 12):lo + start].lower()
        if re.search(r"\b(?:from|to|via|through|into|de|vers|van|naar|uit|aus|nach|über)\s+(?:the\s+)?$", before):
            continue
        return code
    return default


def _clauses(sentence: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in CLAUSE_BREAK.finditer(sentence):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    return spans


def _label(words: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(words)).strip().lower()


def extract_claims(text: str, *, language: str = "en", jurisdiction: str = "",
                   scope: tuple[int, int] | None = None, reporting_year: int | None = None) -> list[ClaimDraft]:
    """Every dated statistic of ``text`` (one paragraph), in order."""
    language = language if language in vocab.LANGUAGES else "en"
    claims: list[ClaimDraft] = []
    previous_period: Period | None = None
    previous_noun = ""
    for s_start, s_end in sentences(text):
        sentence = text[s_start:s_end]
        previous_noun = ""
        periods = find_periods(sentence)
        taken = [p.span for p in periods]
        clauses = _clauses(sentence)
        sentence_claims: list[ClaimDraft] = []
        for number in _numbers(sentence, language):
            if any(not (number.end <= a or number.start >= b) for a, b in taken):
                continue
            if re.fullmatch(YEAR, number.text.strip()):
                continue
            if SKIP_BEFORE.search(sentence[:number.start]) or (not number.percent
                                                                and DURATION_AFTER.match(sentence[number.end:])):
                continue
            noun, modifiers, predicate = _measure_after(sentence, number, language)
            if noun is None and number.percent:
                backwards = [w for w in WORD_RE.findall(sentence[:number.start]) if _is_counted(w, language)]
                if backwards:
                    noun = backwards[-1]
                    index = WORD_RE.findall(sentence[:number.start])
                    k = len(index) - 1 - index[::-1].index(noun)
                    modifiers = [w for w in index[max(0, k - 2):k] if not _is_counted(w, language)
                                 and w.lower() not in {"the", "of", "most", "all", "a", "an"}]
                    predicate = [w for w in predicate if w.lower() not in AUXILIARIES]
            if noun is None and not number.percent and previous_noun and predicate and _is_participle(predicate[0]):
                noun, modifiers = previous_noun, []  # "… registered 619 victims; only 176 accepted assistance"
                predicate = predicate[:3]
            if noun is None:
                continue
            clause = next((c for c in clauses if c[0] <= number.start < c[1]), (0, len(sentence)))
            in_clause = [p for p in periods if clause[0] <= p.span[0] < clause[1]]
            before = [p for p in periods if p.span[0] < number.start]
            per_year = bool(PER_YEAR.search(sentence))
            period = None
            if in_clause:
                period = min(in_clause, key=lambda p: abs(p.span[0] - number.start))
            elif before:
                period = before[-1]
            elif previous_period and ANAPHORA.search(sentence):
                period = previous_period
            elif REPORTING_PERIOD.search(sentence) and reporting_year:
                period = Period(date(reporting_year, 1, 1), date(reporting_year, 12, 31),
                                f"reporting period ({reporting_year})", "reporting_period", inferred=True)
            elif per_year and scope:
                period = Period(date(scope[0], 1, 1), date(scope[1], 12, 31), f"{scope[0]}–{scope[1]}", "scope",
                                inferred=True)
            if period is None:
                continue
            if number.percent:
                measure = _label(["share of", *modifiers, noun, *predicate[:8]])
                unit = "percent"
            else:
                verb = _verb_before(sentence, number)
                tail = predicate if predicate else ([verb] if verb else [])
                measure = _label([*modifiers, noun, *tail])
                unit = noun.lower()
            quote = sentence.strip()
            lead = len(sentence) - len(sentence.lstrip())
            draft = ClaimDraft(
                quote=quote, quote_start=s_start + lead, quote_end=s_start + lead + len(quote),
                value_start=s_start + number.start, value_end=s_start + number.end, value_text=number.text,
                measure=measure, value=number.value, value_max=number.value_max, unit=unit, period=period,
                qualifier=_qualifier(sentence, number),
                per_year=per_year, jurisdiction=_jurisdiction(sentence, clause, jurisdiction), noun=noun)
            if number.value_max is not None and draft.qualifier == "exact":
                draft.qualifier = "range"
            sentence_claims.append(draft)
            previous_noun = noun
            previous_period = period
        claims.extend(sentence_claims)
        if periods and not sentence_claims:
            previous_period = periods[-1]
    return claims
