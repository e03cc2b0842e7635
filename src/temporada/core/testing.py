"""Test helpers shared by every app: users per role, signed-in clients, the permission matrix.

    matrix = PermissionMatrix(
        obj=profile,
        probes=[Probe("detail", lambda o: reverse("supply:detail", args=[o.pk])),
                Probe("api", lambda o: f"/api/v1/supply/workers/{o.pk}"),
                Probe("export", lambda o: reverse("supply:export") + "?format=csv", marker=lambda o: o.national_id_last4)],
    )
    matrix.check({
        ("origin_official", ("GTM",)): True,      # own nationals
        ("origin_official", ("HND",)): False,     # another country's official gets nothing
        ("public", ()): False,
        ...
    })

``True`` means every probe answers 200 and shows the object's marker; ``False`` means each probe
answers 404 (or, for anonymous visitors, a redirect to sign-in / 401) or answers 200 without the
marker (lists and exports that simply leave the object out).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from temporada.accounts.roles import PUBLIC

_counter = itertools.count(1)
TEST_PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105


def make_user(role: str, countries: Iterable[str] = (), **extra):
    """A saved user with ``role`` in ``countries`` (ISO3; countries are created if missing)."""
    from temporada.accounts.models import CountryMembership, User

    from .models import Country

    user = User.objects.create_user(
        username=extra.pop("username", f"{role}-{next(_counter)}"), password=TEST_PASSWORD, role=role,
        is_superuser=role == "admin", is_staff=role == "admin", **extra,
    )
    for code in countries:
        ensure_country(code)
        CountryMembership.objects.create(user=user, country=Country.objects.get(iso3=code))
    return user


def ensure_country(iso3: str):
    """The real reference country (the reference lists are loaded on first use)."""
    from .models import Country
    from .reference import load_countries, load_subdivisions

    if not Country.objects.filter(iso3="USA").exists():
        load_countries()
        load_subdivisions()
    return Country.objects.get(iso3=iso3)


def client_for(user) -> Client:
    """A client signed in as ``user`` (second factor already verified when the role needs one)."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if user.needs_two_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@dataclass
class Probe:
    """One way of reaching an object: a page, an export, an API endpoint."""

    name: str
    url: Callable[[object], str]
    method: str = "get"
    data: Callable[[object], dict] | None = None
    marker: Callable[[object], str] | None = None  # text that only appears if the object is shown


@dataclass
class PermissionMatrix:
    obj: object
    probes: list[Probe]
    allowed_statuses: tuple[int, ...] = (200,)
    failures: list[str] = field(default_factory=list)

    def _request(self, client: Client, probe: Probe):
        url = probe.url(self.obj)
        data = probe.data(self.obj) if probe.data else None
        if probe.method == "get":
            return client.get(url, data or {})
        return getattr(client, probe.method)(url, data or {})

    def check(self, expectations: dict[tuple[str, tuple[str, ...]], bool]) -> None:
        for (role, countries), allowed in expectations.items():
            user = None if role == PUBLIC else make_user(role, countries)
            client = client_for(user)
            for probe in self.probes:
                response = self._request(client, probe)
                body = response.content.decode(errors="replace") if hasattr(response, "content") else ""
                marker = probe.marker(self.obj) if probe.marker else None
                label = f"{role}{list(countries)} {probe.name} {probe.url(self.obj)}"
                if allowed:
                    if response.status_code not in self.allowed_statuses:
                        self.failures.append(f"{label}: expected access, got {response.status_code}")
                    elif marker and marker not in body:
                        self.failures.append(f"{label}: expected to see {marker!r}")
                else:
                    hidden_status = response.status_code in (404, 401, 403) or (
                        user is None and response.status_code == 302 and "login" in response.get("Location", "")
                    )
                    leaked = response.status_code == 200 and (marker is None or marker in body)
                    if not hidden_status and leaked:
                        self.failures.append(f"{label}: expected hidden, got {response.status_code}")
                    if response.status_code == 403 and user is not None and probe.method == "get":
                        # 403 would tell an official that the id exists: forbidden ids must 404.
                        self.failures.append(f"{label}: answered 403, must be 404")
        assert not self.failures, "Permission matrix failures:\n" + "\n".join(self.failures)
