"""The evidence library: imported pages, the sources they quote, where each appeared, and the
dated statistics (claims) found in them. Imported text is stored as text, never as HTML."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .vocab import Language, SourceType, Topic


class PageKind(models.TextChoices):
    CURATED = "curated", _("Curated country page")
    NARRATIVE = "narrative", _("Report narrative")
    PROFILE = "profile", _("Country profile")
    STATISTICS = "statistics", _("Statistics page")
    DOCUMENT = "document", _("Document")


class Origin(models.TextChoices):
    IMPORT = "import", _("Assigned on import")
    EDITOR = "editor", _("Set by an editor")


class PeriodKind(models.TextChoices):  # how a claim's period was found (library.claims.Period)
    YEAR = "year", _("A year")
    RANGE = "range", _("A range of years")
    MONTH = "month", _("A month")
    REPORTING_PERIOD = "reporting_period", _("The report's reporting period")
    SCOPE = "scope", _("The page's period")


class MergeMethod(models.TextChoices):  # how the importer found that two things are the same
    TITLE = "title", _("Same title")
    MINHASH_TITLE = "minhash-title", _("Similar title")
    MINHASH = "minhash", _("Similar text")


class Page(models.Model):
    """One imported file, identified by its content: importing the same text again changes nothing."""

    name = models.CharField(_("file name"), max_length=255)
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PageKind.choices)
    title = models.CharField(_("title"), max_length=500, blank=True)
    heading = models.CharField(_("heading"), max_length=500, blank=True)
    citation = models.TextField(_("the page's own citation"), blank=True)
    citation_author = models.CharField(_("author of the page"), max_length=300, blank=True)
    copyright_note = models.TextField(_("copyright note"), blank=True)
    caution = models.TextField(_("caution note"), blank=True)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.EN)
    scope_start = models.PositiveSmallIntegerField(null=True, blank=True)
    scope_end = models.PositiveSmallIntegerField(null=True, blank=True)
    preamble = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    citation_forms = models.JSONField(_("citation forms"), default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    text = models.TextField(_("text"))
    size = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("imported page")
        verbose_name_plural = _("imported pages")
        ordering = ["imported_at", "pk"]

    def __str__(self):
        return self.title or self.name


class PageQuote(models.Model):
    """A summary quote on a country page with its attribution ("[The World Factbook, 2009]")."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="quotes")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    attribution = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["page", "position"]
        constraints = [models.UniqueConstraint(fields=["page", "position"], name="library_quote_position")]

    def __str__(self):
        return self.text[:80]


class Source(models.Model):
    """A published work (report, article, chapter, chart). Appears on one or more pages."""

    title = models.CharField(_("title"), max_length=500)
    title_key = models.CharField(max_length=500, db_index=True)
    title_generated = models.BooleanField(default=False)
    alt_titles = models.JSONField(default=list, blank=True)
    creators = models.JSONField(_("creators"), default=list, blank=True,
                                help_text=_('CSL names: {"family", "given"} or {"literal"}'))
    publisher = models.CharField(_("publisher"), max_length=500, blank=True)
    container_title = models.CharField(_("published in"), max_length=500, blank=True)
    edition = models.CharField(max_length=100, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    issued_text = models.CharField(_("issued (as published)"), max_length=100, blank=True)
    issued_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    issued_month = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_day = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    medium = models.JSONField(default=list, blank=True)
    source_type = models.CharField(_("type"), max_length=20, choices=SourceType.choices, default=SourceType.WEB_PAGE)
    source_type_origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.IMPORT)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.EN)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-issued_year", "title"]

    def __str__(self):
        return self.title

    def issued_parts(self) -> list[int]:
        return [p for p in (self.issued_year, self.issued_month, self.issued_day) if p]

    def topic_codes(self) -> list[str]:
        return [t.topic for t in self.topics.all() if not t.rejected]

    def country_codes(self) -> list[str]:
        return [c.country.code for c in self.countries.all() if not c.rejected]


class SourceTopic(models.Model):
    """A topic of a source. An editor's removal is kept (``rejected``) so a later import does not undo it."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(max_length=32, choices=Topic.choices)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.IMPORT)
    rejected = models.BooleanField(default=False)

    class Meta:
        ordering = ["topic"]
        constraints = [models.UniqueConstraint(fields=["source", "topic"], name="library_source_topic")]

    def __str__(self):
        return self.topic


class SourceCountry(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="countries")
    country = CountryField()
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.IMPORT)
    rejected = models.BooleanField(default=False)

    class Meta:
        ordering = ["country"]
        constraints = [models.UniqueConstraint(fields=["source", "country"], name="library_source_country")]

    def __str__(self):
        return self.country.code


class Appearance(models.Model):
    """One place a source appeared: an entry of a page, as that page listed and quoted it.

    It is also the unit of full-text search (its title and excerpts, in its language).
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="appearances")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="appearances")
    position = models.PositiveSmallIntegerField(_("position on the page"))
    section = models.CharField(_("section"), max_length=40, blank=True)
    listed_title = models.CharField(max_length=500, blank=True)
    byline = models.JSONField(default=list, blank=True)
    accessed = models.JSONField(_("accessed"), default=list, blank=True)
    medium = models.JSONField(default=list, blank=True)
    page_ref = models.CharField(_("page reference"), max_length=40, blank=True)
    notes = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.EN)
    search_title = models.TextField(blank=True)
    search_body = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only; SQLite uses FTS5

    class Meta:
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        ordering = ["page", "position"]
        constraints = [models.UniqueConstraint(fields=["page", "position"], name="library_appearance_position")]

    def __str__(self):
        return f"{self.source} @ {self.page} #{self.position}"


class Excerpt(models.Model):
    """A paragraph a page quoted from a source, exactly as that page quoted it."""

    appearance = models.ForeignKey(Appearance, on_delete=models.CASCADE, related_name="excerpts")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(_("section"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="duplicates", verbose_name=_("same passage as"))

    class Meta:
        ordering = ["appearance", "position"]
        constraints = [models.UniqueConstraint(fields=["appearance", "position"], name="library_excerpt_position")]

    def __str__(self):
        return self.text[:80]


class MergeKind(models.TextChoices):
    SOURCE = "source", _("Same source")
    EXCERPT = "excerpt", _("Same passage")


class Merge(models.Model):
    """A decision of the importer that two things are the same; visible, and undoable by an editor."""

    kind = models.CharField(max_length=8, choices=MergeKind.choices)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="merges")
    appearance = models.ForeignKey(Appearance, on_delete=models.CASCADE, related_name="merges")
    excerpt = models.ForeignKey(Excerpt, on_delete=models.CASCADE, null=True, blank=True, related_name="merges")
    into_excerpt = models.ForeignKey(Excerpt, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    method = models.CharField(max_length=32, choices=MergeMethod.choices)
    jaccard = models.FloatField(default=1.0)
    containment = models.FloatField(default=1.0)
    created = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    split_into = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.source} ({self.method})"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    MORE_THAN = "more_than", _("more than")
    UP_TO = "up_to", _("up to")
    ABOUT = "about", _("about")
    AVERAGE = "average", _("on average")
    RANGE = "range", _("between")


class Claim(models.Model):
    """A dated statistic found in an excerpt, with its exact quote and where it stands."""

    excerpt = models.ForeignKey(Excerpt, on_delete=models.CASCADE, related_name="claims")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="claims")
    quote = models.TextField(_("quote"))
    quote_start = models.PositiveIntegerField()
    quote_end = models.PositiveIntegerField()
    value_start = models.PositiveIntegerField()
    value_end = models.PositiveIntegerField()
    value_text = models.CharField(_("as written"), max_length=100)
    measure = models.CharField(_("measure"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    value_max = models.DecimalField(_("upper value"), max_digits=18, decimal_places=4, null=True, blank=True)
    qualifier = models.CharField(_("qualifier"), max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT)
    unit = models.CharField(_("unit"), max_length=60)
    per_year = models.BooleanField(_("per year"), default=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(_("period"), max_length=60)
    period_kind = models.CharField(max_length=20, choices=PeriodKind.choices)
    period_inferred = models.BooleanField(_("period inferred from the page"), default=False)
    jurisdiction = CountryField(_("jurisdiction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["source", "excerpt", "value_start"]
        constraints = [models.UniqueConstraint(fields=["excerpt", "value_start"], name="library_claim_position")]

    def __str__(self):
        return f"{self.measure}: {self.value_text} ({self.period_label})"

    def display_value(self) -> str:
        def fmt(value):
            return f"{value.normalize():f}"

        text = fmt(self.value) if self.value_max is None else f"{fmt(self.value)}–{fmt(self.value_max)}"
        return f"{text} %" if self.unit == "percent" else text


class Helpline(models.Model):
    """A helpline published on a page. Linked to the directory's service with the same number;
    a number the directory does not know is kept here, unverified, and never published on /help/."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="helplines")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=120)
    phone = models.CharField(_("phone as published"), max_length=40)
    phone_uri = models.CharField(max_length=40, blank=True)
    phone_display = models.CharField(max_length=40, blank=True)
    service = models.ForeignKey("directory.SupportService", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="library_helplines")

    class Meta:
        ordering = ["page", "position"]
        constraints = [models.UniqueConstraint(fields=["page", "position"], name="library_helpline_position")]

    def __str__(self):
        return f"{self.label}: {self.phone}"
