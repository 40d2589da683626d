"""One journey, two ways in: the API (``/api/v1/``) and the pages (Django's test client). A channel acts as
a named person and answers with ``Result``: ``ok`` when the step was taken, else the status and what the
person was told (the problem's ``code`` on the API, the page's text on the pages)."""

import datetime
import re
from dataclasses import dataclass

from django.test import Client
from rest_framework.test import APIClient

from haven.cases.models import Case, Referral
from haven.residence.models import DocumentRequest


@dataclass
class Result:
    status: int
    said: str = ""  # the problem's code (API) or the page's text (pages)
    data: dict | None = None

    @property
    def ok(self) -> bool:
        return self.status in (200, 201, 302)


class ApiChannel:
    name = "api"

    def __init__(self, users: dict):
        from haven.access.models import ApiToken

        self.users = users
        self.clients = {}
        for who, user in users.items():
            _token, key = ApiToken.issue(user)
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
            self.clients[who] = client

    @staticmethod
    def _result(response) -> Result:
        data = response.json() if response.content else {}
        said = data.get("code", "") if isinstance(data, dict) else ""
        return Result(response.status_code, said, data)

    def signal(self, who, organisation, on, **fields) -> int:
        response = self.clients[who].post("/api/v1/cases/", {"organisation": organisation.slug,
                                                             "detected_on": on.isoformat(), **fields}, format="json")
        assert response.status_code == 201, response.content
        return response.json()["id"]

    def case(self, who, case_id) -> dict | None:
        response = self.clients[who].get(f"/api/v1/cases/{case_id}/")
        return response.json() if response.status_code == 200 else None

    def step(self, who, case_id, action, on, **params) -> Result:
        version = Case.objects.get(pk=case_id).version
        return self._result(self.clients[who].post(f"/api/v1/cases/{case_id}/transitions/", {
            "action": action, "version": version, "on": on.isoformat(), "params": params}, format="json"))

    def refer(self, who, case_id, on, **body) -> Result:
        return self._result(self.clients[who].post(f"/api/v1/cases/{case_id}/referrals/",
                                                   {"consent": "given", "on": on.isoformat(), **body}, format="json"))

    def accept(self, who, case_id, on) -> Result:
        pending = self.clients[who].get("/api/v1/referrals/", {"status": "pending"}).json()["results"]
        slugs = set(self.users[who].memberships.values_list("organisation__slug", flat=True))
        mine = [r for r in pending if r["case"] == case_id and r["to_organisation"] in slugs]
        assert mine, f"no referral of case {case_id} waits for {who}"
        return self._result(self.clients[who].post(f"/api/v1/referrals/{mine[0]['id']}/answer/",
                                                   {"answer": "accept", "on": on.isoformat()}, format="json"))

    def request(self, who, case_id, kind, on, *, grounds="complaint filed; the person cooperates",
                district=None) -> Result:
        body = {"kind": kind, "grounds": grounds, "on": on.isoformat()}
        if district:
            body["district"] = district
        return self._result(self.clients[who].post(f"/api/v1/residence/cases/{case_id}/requests/", body,
                                                   format="json"))

    def answer(self, who, request_id, answer, on, *, version=None, **fields) -> Result:
        if version is None:
            read = self.clients[who].get(f"/api/v1/residence/requests/{request_id}/")
            version = read.json()["version"] if read.status_code == 200 else DocumentRequest.objects.get(
                pk=request_id).version
        body = {"version": version, "on": on.isoformat(),
                **{k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in fields.items()}}
        return self._result(self.clients[who].post(f"/api/v1/residence/requests/{request_id}/{answer}/", body,
                                                   format="json"))

    def sees_request(self, who, request_id) -> bool:
        return self.clients[who].get(f"/api/v1/residence/requests/{request_id}/").status_code == 200


class PageChannel:
    name = "pages"

    def __init__(self, users: dict):
        self.users = users
        self.clients = {}
        for who, user in users.items():
            client = Client()
            client.force_login(user)
            self.clients[who] = client

    @staticmethod
    def _result(response) -> Result:
        text = response.content.decode() if not response.streaming else ""
        return Result(response.status_code, text)

    def signal(self, who, organisation, on, **fields) -> int:
        body = {"organisation": organisation.pk, "detected_on": on.isoformat(), **fields}
        body["exploitation_forms"] = fields.get("exploitation_forms", [])
        for flag in ("minor", "unaccompanied"):
            if fields.get(flag):
                body[flag] = "on"
            else:
                body.pop(flag, None)
        response = self.clients[who].post("/cases/new/", body)
        assert response.status_code == 302, response.content.decode()[:2000]
        return int(re.search(r"/cases/(\d+)/", response["Location"]).group(1))

    def case(self, who, case_id) -> str | None:
        response = self.clients[who].get(f"/cases/{case_id}/")
        return response.content.decode() if response.status_code == 200 else None

    def step(self, who, case_id, action, on, **params) -> Result:
        """A step from the case page: it always comes back to the case page, saying what happened."""
        version = Case.objects.get(pk=case_id).version
        response = self.clients[who].post(f"/cases/{case_id}/transition/", {
            "action": action, "version": version, "on": on.isoformat(), **params}, follow=True)
        text = response.content.decode()
        if response.status_code == 404:
            return Result(404, text)
        if "Someone else changed this case" in text:
            return Result(409, text)
        return Result(400 if "Refused, nothing was changed" in text else 200, text)

    def refer(self, who, case_id, on, **body) -> Result:
        form = {"kind": body.get("kind", "referral"), "purpose": body.get("purpose", "reception"),
                "consent": body.get("consent", "given"), "override_reason": body.get("override_reason", ""),
                "on": on.isoformat()}
        if body.get("to"):
            form["to"] = Case.objects.get(pk=case_id).jurisdiction.organisations.get(slug=body["to"]).pk
        return self._result(self.clients[who].post(f"/cases/{case_id}/refer/", form))

    def accept(self, who, case_id, on) -> Result:
        user = self.users[who]
        referral = Referral.objects.filter(case_id=case_id, status="pending",
                                           to_organisation__memberships__user=user).first()
        assert referral is not None, f"no referral of case {case_id} waits for {who}"
        return self._result(self.clients[who].post(f"/cases/referrals/{referral.pk}/",
                                                   {"answer": "accept", "on": on.isoformat()}))

    def request(self, who, case_id, kind, on, *, grounds="complaint filed; the person cooperates",
                district=None) -> Result:
        body = {"kind": kind, "grounds": grounds, "on": on.isoformat()}
        if district:
            body["district"] = district
        response = self.clients[who].post(f"/residence/cases/{case_id}/requests/new/", body)
        result = self._result(response)
        if response.status_code == 302:
            result.data = {"id": int(re.search(r"/requests/(\d+)/", response["Location"]).group(1))}
        return result

    def answer(self, who, request_id, answer, on, *, version=None, **fields) -> Result:
        version = DocumentRequest.objects.get(pk=request_id).version if version is None else version
        body = {"version": version, "on": on.isoformat(),
                **{k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in fields.items()}}
        return self._result(self.clients[who].post(f"/residence/requests/{request_id}/{answer}/", body))

    def sees_request(self, who, request_id) -> bool:
        return self.clients[who].get(f"/residence/requests/{request_id}/").status_code == 200


CHANNELS = {"api": ApiChannel, "pages": PageChannel}
