"""Builders for the justice tests."""

import datetime

from haven.jurisdictions.models import JudicialDistrict
from haven.justice import services
from haven.organisations.roles import Role

D = datetime.date


class Chain:
    """A Brussels investigation by the local police, seized prosecutor: Brussels."""

    def __init__(self, org, member):
        self.police_org = org("police-brussels-capital")
        self.prosecution_org = org("prosecutor-brussels")
        self.officer = member(self.police_org, Role.OFFICER)
        self.magistrate = member(self.prosecution_org, Role.MAGISTRATE)
        self.district = JudicialDistrict.objects.get(jurisdiction=self.police_org.jurisdiction, code="brussels")

    def investigation(self, file_number="BR.12.L3.001234/24", **kwargs):
        fields = {"district": self.district, "opened": D(2023, 3, 1), "prosecution_office": self.prosecution_org,
                  "forms": ["labour"], **kwargs}
        return services.open_investigation(self.officer, file_number=file_number, **fields)

    def prosecution(self, investigation, charges=("thb",), **kwargs):
        return services.open_prosecution(self.magistrate, investigation, opened=D(2023, 9, 1), charges=charges,
                                         **kwargs)

    def decision(self, prosecution, outcome="conviction", thb=True, **kwargs):
        fields = {"court": "Tribunal de première instance francophone de Bruxelles", "date": D(2024, 5, 2),
                  "outcome": outcome, "thb_convicted": thb,
                  "sentence_months": 36 if outcome != "acquittal" else None,
                  "suspended_months": 12 if outcome != "acquittal" else None, **kwargs}
        return services.record_decision(self.magistrate, prosecution, **fields)
