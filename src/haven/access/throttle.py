"""Failed sign-ins slow the guesser down; they never lock the account's owner out (ADR 0035).

Two rules work together:
- django-axes locks a username *at one address* after ``AXES_FAILURE_LIMIT`` failures: the
  guesser's address, not the owner's.
- Per account, whatever the address: after that many failures within ``AXES_COOLOFF_TIME``, each
  further attempt must wait a delay that doubles with every failure, up to ``MAX_DELAY_SECONDS``.
  An attempt made too early is answered 429 with ``Retry-After`` and never reaches the password
  check, so it neither counts nor extends the delay. The owner waits at most a minute; a guesser
  with many addresses gets at most one try a minute on the account, against a password and a code.
"""

import json
import math

from axes.models import AccessFailureLog
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from haven.core.problems import problem_response

MAX_DELAY_SECONDS = 60
# The sign-in steps that check a secret, and where each finds the username it is for.
PAGE_LOGIN, API_TOKEN, SECOND_FACTOR, ENROLMENT = "/accounts/login/", "/api/v1/auth/token/", "/accounts/mfa/", \
    "/accounts/mfa/setup/"


def wait_seconds(username: str, now=None) -> int:
    """How long the next attempt on ``username`` must wait (0: it may go ahead)."""
    if not username:
        return 0
    now = now or timezone.now()
    failures = AccessFailureLog.objects.filter(username=username, attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    count = failures.count()
    if count < settings.AXES_FAILURE_LIMIT:
        return 0
    last = failures.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    delay = min(2 ** (count - settings.AXES_FAILURE_LIMIT), MAX_DELAY_SECONDS)
    remaining = delay - (now - last).total_seconds()
    return math.ceil(remaining) if remaining > 0 else 0


def _username(request) -> str:
    if request.path in (SECOND_FACTOR, ENROLMENT):
        return request.user.get_username() if request.user.is_authenticated else ""
    if request.path == API_TOKEN:
        try:
            body = json.loads(request.body or b"{}") if request.content_type == "application/json" else request.POST
        except ValueError:
            return ""
        return str(body.get("username", "")) if hasattr(body, "get") else ""
    return request.POST.get("username", "")


class AccountThrottle:
    """Middleware: holds back sign-in attempts on an account that is being guessed (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in (PAGE_LOGIN, API_TOKEN, SECOND_FACTOR, ENROLMENT):
            wait = wait_seconds(_username(request))
            if wait:
                return self.too_early(request, wait)
        return self.get_response(request)

    def too_early(self, request, wait: int):
        if request.path.startswith("/api/"):
            response = problem_response(429, f"Too many failed attempts on this account. Try again in {wait} s.",
                                        "slow_down", retry_after=wait)
        else:
            response = render(request, "access/slow_down.html", {"wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
