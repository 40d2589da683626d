"""What the importer recognises in text: languages, countries, topics and kinds of source.

All of it is rules on words, in English, French, Dutch and German, so an editor can read why a
topic was assigned; every assignment can be corrected by an editor afterwards.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "fr", "nl", "de")
SNOWBALL = {"en": "english", "fr": "french", "nl": "dutch", "de": "german"}
POSTGRES_CONFIG = {"en": "english", "fr": "french", "nl": "dutch", "de": "german"}


class Language(models.TextChoices):  # the languages the importer reads (LANGUAGES)
    EN = "en", _("English")
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    DE = "de", _("German")


class Topic(models.TextChoices):
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation", _("Child sexual exploitation")
    BEGGING = "begging", _("Begging")
    FORCED_CRIME = "forced_crime", _("Forced crime")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")
    SMUGGLING = "smuggling", _("Smuggling")
    VICTIM_PROTECTION = "victim_protection", _("Victim protection")
    PROSECUTION = "prosecution", _("Prosecution")
    PREVENTION = "prevention", _("Prevention")


class SourceType(models.TextChoices):
    NEWS = "news", _("News article")
    GOVERNMENT = "government", _("Government report")
    INTERNATIONAL = "international", _("International organisation document")
    NGO = "ngo", _("NGO report")
    RESEARCH = "research", _("Research or study")
    STATISTICS = "statistics", _("Statistics")
    COUNTRY_PROFILE = "country_profile", _("Country profile")
    WEB_PAGE = "web_page", _("Web page")


# ------------------------------------------------------------------ language

STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "are", "was", "were", "for", "that", "with", "by", "from",
           "which", "this", "have", "has", "their", "they", "been", "or", "on", "as", "its", "who"},
    "fr": {"le", "la", "les", "des", "du", "et", "est", "sont", "une", "dans", "pour", "que", "qui", "avec",
           "par", "sur", "au", "aux", "ont", "été", "cette", "ces", "leur", "pas", "ne", "se"},
    "nl": {"de", "het", "een", "en", "van", "is", "zijn", "werd", "werden", "voor", "dat", "die", "met",
           "door", "op", "aan", "bij", "niet", "ook", "naar", "uit", "worden", "wordt", "hun", "er"},
    "de": {"der", "die", "das", "und", "ist", "sind", "wurde", "wurden", "für", "dass", "mit", "von",
           "den", "dem", "des", "ein", "eine", "nicht", "auch", "auf", "im", "zu", "bei", "sich", "werden"},
}
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def detect_language(text: str, default: str = "en") -> str:
    """The language whose common words are most frequent in ``text`` (en, fr, nl or de)."""
    words = [w.lower() for w in WORD.findall(text[:20000])]
    if not words:
        return default
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == default))
    return best if scores[best] >= 2 else default


# ------------------------------------------------------------------ stemming


@lru_cache(maxsize=8)
def stemmer(language: str):
    return snowballstemmer.stemmer(SNOWBALL.get(language, "english"))


def fold(word: str) -> str:
    """Lower case without accents (the stemmers keep accents; the index and queries drop them)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")


def stem_words(text: str, language: str) -> list[str]:
    words = [w.lower().replace("’", "'") for w in WORD.findall(text)]
    return [fold(s) for s in stemmer(language).stemWords(words)]


def tokens_with_stems(text: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) of every word of ``text``: used to highlight matches in the original text."""
    matches = list(WORD.finditer(text))
    stems = stemmer(language).stemWords([m.group(0).lower().replace("’", "'") for m in matches])
    return [(m.start(), m.end(), fold(s)) for m, s in zip(matches, stems, strict=True)]


# ------------------------------------------------------------------ countries

EXTRA_COUNTRY_NAMES = {
    "the netherlands": "NL", "holland": "NL", "p.r.c.": "CN", "prc": "CN", "people's republic of china": "CN",
    "people’s republic of china": "CN", "united kingdom": "GB", "britain": "GB", "great britain": "GB",
    "united states": "US", "u.s.a.": "US", "russia": "RU", "russian federation": "RU", "czech republic": "CZ",
    "ivory coast": "CI", "south korea": "KR", "north korea": "KP", "moldova": "MD", "vietnam": "VN",
    "laos": "LA", "syria": "SY", "iran": "IR", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "kosovo": "XK", "macedonia": "MK", "turkey": "TR", "türkiye": "TR", "congo": "CD",
}


@lru_cache(maxsize=1)
def _country_index() -> tuple[re.Pattern, dict[str, str]]:
    import gettext
    from pathlib import Path

    import django_countries
    from django_countries import countries

    names: dict[str, str] = dict(EXTRA_COUNTRY_NAMES)
    # django-countries' own translations, read directly (whether or not the app is installed).
    localedir = Path(django_countries.__file__).parent / "locale"
    with translation.override("en"):
        english = [(code, str(name)) for code, name in countries]
    for language in LANGUAGES:
        catalogue = gettext.translation("django", localedir, languages=[language], fallback=True)
        for code, name in english:
            key = catalogue.gettext(name).lower()
            if len(key) > 3 and "," not in key:
                names.setdefault(key, code)
    names.pop("jersey", None)  # a word more often than a place in these texts
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])", re.I), names


def find_countries(text: str) -> list[tuple[str, int, int]]:
    """(ISO code, start, end) of every country named in ``text``."""
    pattern, names = _country_index()
    return [(names[m.group(0).lower()], m.start(), m.end()) for m in pattern.finditer(text)]


def country_codes(text: str) -> list[str]:
    seen: list[str] = []
    for code, _start, _end in find_countries(text):
        if code not in seen:
            seen.append(code)
    return seen


def main_country(text: str) -> str:
    """The country named most often in ``text`` ("" when none is)."""
    counts: dict[str, int] = {}
    for code, _start, _end in find_countries(text):
        counts[code] = counts.get(code, 0) + 1
    return max(counts, key=counts.get) if counts else ""


# ------------------------------------------------------------------ topics

TOPIC_RULES = {
    Topic.FORCED_LABOUR: [
        r"forced (?:and compulsory )?labou?r", r"labou?r exploitation", r"compulsory labou?r", r"debt bondage",
        r"sweatshops?", r"economic (?:exploitation|trafficking)", r"travail forcé", r"exploitation (?:par le "
        r"travail|économique)", r"dwangarbeid", r"arbeidsuitbuiting", r"economische uitbuiting",
        r"zwangsarbeit", r"arbeitsausbeutung", r"ausbeutung der arbeitskraft"],
    Topic.SEXUAL_EXPLOITATION: [
        r"sexual(?:ly)? exploit\w*", r"sex trafficking", r"prostitut\w*", r"commercial sex", r"brothels?",
        r"exploitation sexuelle", r"seksuele uitbuiting", r"sexuelle ausbeutung", r"zwangsprostitution"],
    Topic.CHILD_SEXUAL_EXPLOITATION: [
        r"child(?:ren)?['’]?s? (?:prostitution|pornography|sex)", r"child-sex",
        r"sexual(?:ly)? exploit\w* (?:of )?(?:children|minors)", r"(?:children|minors|girls|boys) (?:were |are )?"
        r"(?:sexually exploited|subjected to sex trafficking)", r"trafficking (?:of|in) children for sexual",
        r"exploitation sexuelle des enfants", r"prostitution (?:des|d'|d’)enfants", r"kinderprostitutie",
        r"seksuele uitbuiting van kinderen", r"kinderprostitution", r"sexuelle ausbeutung von kindern"],
    Topic.BEGGING: [r"begg\w+", r"beggars?", r"mendicit\w+", r"bedel\w+", r"bettel\w*"],
    Topic.FORCED_CRIME: [
        r"forced crim\w*", r"forced criminal", r"criminal activit\w+", r"forced to commit", r"criminalité forcée",
        r"gedwongen criminaliteit", r"dwang tot (?:het plegen van )?misdrijven", r"zwang zu(?:r begehung von)? "
        r"straftaten"],
    Topic.ORGAN_REMOVAL: [
        r"organ (?:removal|harvesting|trafficking)", r"sale of organs", r"trafficking in (?:human )?organs",
        r"prélèvement d['’]organes", r"trafic d['’]organes", r"orgaanhandel", r"verwijdering van organen",
        r"organhandel", r"organentnahme"],
    Topic.DOMESTIC_SERVITUDE: [
        r"domestic (?:servitude|service|servants?|workers?|labou?r)", r"au pairs?", r"household personnel",
        r"servitude domestique", r"travail domestique", r"huishoudelijk\w*", r"huisslaaf\w*",
        r"haussklaverei", r"hausangestellte\w*"],
    Topic.SMUGGLING: [
        r"smuggl\w+", r"trafic de migrants", r"passeurs?", r"mensensmokkel\w*", r"schleus\w+", r"schlepper\w*"],
    Topic.VICTIM_PROTECTION: [
        r"shelters?", r"victim (?:assistance|protection|status|support|identification)", r"protect\w* (?:the )?"
        r"victims", r"residen(?:ce|cy) (?:permits?|status|document)", r"(?:reception|support|specialised|"
        r"specialized) cent(?:re|er)s?", r"assist(?:ance|ed) (?:to )?victims", r"protection des victimes",
        r"aide aux victimes", r"centres? d['’]accueil", r"slachtofferbescherming", r"opvang\w*",
        r"opferschutz", r"opferhilfe"],
    Topic.PROSECUTION: [
        r"prosecut\w+", r"convict\w+", r"\bcourts?\b", r"judiciary", r"sentenc\w+", r"penalt\w+",
        r"law enforcement", r"investigat\w+", r"poursuites?", r"condamn\w+", r"vervolg\w+", r"veroordel\w+",
        r"strafverfolgung", r"verurteil\w+", r"ermittlung\w*"],
    Topic.PREVENTION: [
        r"prevent\w*", r"awareness", r"campaigns?", r"demand reduction", r"sensibilisation", r"prévention",
        r"preventie", r"bewustmaking", r"prävention", r"sensibilisierung", r"aufklärung"],
}
_TOPIC_PATTERNS = {topic: re.compile("|".join(rules), re.I) for topic, rules in TOPIC_RULES.items()}
_CHILD_SEX_CASE_SENSITIVE = re.compile(r"\bCSEC\b|\bSEC\b")


def topics_in(text: str) -> list[str]:
    found = []
    for topic, pattern in _TOPIC_PATTERNS.items():
        if pattern.search(text) or (topic == Topic.CHILD_SEXUAL_EXPLOITATION
                                    and _CHILD_SEX_CASE_SENSITIVE.search(text)):
            found.append(topic.value)
    return found


# ------------------------------------------------------------------ source types

SOURCE_TYPE_RULES = [
    (SourceType.INTERNATIONAL, re.compile(
        r"\bU\.N\.|\bUN\b|United Nations|Nations unies|Verenigde Naties|Vereinte Nationen|Committee on the "
        r"Rights of the Child|Special Rapporteur|Economic and Social Council|\bUNICEF\b|\bUNODC\b|\bILO\b|"
        r"\bIOM\b|\bOSCE\b|Council of Europe|\bGRETA\b")),
    (SourceType.NGO, re.compile(
        r"ECPAT|Amnesty|Human Rights Watch|Freedom House|Child Focus|Protection Project|Anti-Slavery|La Strada|"
        r"Terre des Hommes|Save the Children|Consultants on Religious Tolerance|Payoke|PAG-ASA|Sürya|Myria",
        re.I)),
    (SourceType.NEWS, re.compile(
        r"\bThe Observer\b|\bBBC\b|\bNews\b|\bTimes\b|Guardian|Reuters|\bPress\b|Le Soir|La Libre|De Standaard|"
        r"De Morgen|Het Laatste Nieuws|Spiegel|Zeitung|Agence France|\bAFP\b")),
    (SourceType.RESEARCH, re.compile(r"\bresearch\b|\bstud(?:y|ies)\b|universit|\bjournal\b|étude|onderzoek|"
                                     r"Studie|Forschung", re.I)),
    (SourceType.GOVERNMENT, re.compile(
        r"Dept\.? of State|Department of State|Trafficking in Persons Report|Country Reports on Human Rights|"
        r"Ministry|Government|Federal Police|Police fédérale|Federale Politie|Commission of the European|"
        r"European Commission|Parliament|Senate|\bFPS\b|\bSPF\b|\bFOD\b", re.I)),
]


def source_type_for(*texts: str, page_kind: str = "") -> str:
    if page_kind == "statistics":
        return SourceType.STATISTICS.value
    if page_kind == "profile":
        return SourceType.COUNTRY_PROFILE.value
    joined = " | ".join(t for t in texts if t)
    for source_type, pattern in SOURCE_TYPE_RULES:
        if pattern.search(joined):
            return source_type.value
    return SourceType.WEB_PAGE.value
