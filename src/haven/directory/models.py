"""Where to get help: helplines and support services, as the public may see them.

There is deliberately no address field here. Shelter addresses are secret (DESIGN.md §3);
the public directory only ever gives phone numbers and the city of an organisation.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.jurisdictions.models import localized


class ServiceKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    RECEPTION_CENTRE = "reception_centre", _("Specialised reception centre")
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    CHILDREN = "children", _("Children and young people")
    REPORTING = "reporting", _("Reporting a situation")


class SupportService(models.Model):
    jurisdiction = models.ForeignKey("jurisdictions.Jurisdiction", on_delete=models.CASCADE, related_name="services")
    slug = models.SlugField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=24, choices=ServiceKind.choices)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="services"
    )
    phone = models.CharField(_("phone as published"), max_length=40)
    phone_uri = models.CharField(_("phone link"), max_length=40, help_text=_("tel: link, E.164 where one exists"))
    phone_display = models.CharField(_("phone as shown"), max_length=40)
    regions = models.ManyToManyField("jurisdictions.Region", related_name="services", verbose_name=_("regions"))
    languages = models.JSONField(_("languages"), default=list)
    source = models.CharField(_("published in"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("support service")
        verbose_name_plural = _("support services")
        ordering = ["jurisdiction", "order"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "slug"], name="service_slug_unique")]

    def __str__(self):
        return localized(self.name) or self.slug

    def display_name(self):
        return localized(self.name)

    def display_description(self):
        return localized(self.description)

    def display_hours(self):
        return localized(self.hours)
