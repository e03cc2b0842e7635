"""Account writes and sign-in bookkeeping."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from temporada.core.audit import EventType, client_ip, record
from temporada.core.models import Country

from .models import CountryMembership, LoginAttempt, User
from .roles import Role


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()[:150]


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    role: str,
    countries: list[str] = (),
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    actor=None,
    is_demo: bool = False,
    is_content_reviewer: bool = False,
    validate: bool = True,
) -> User:
    """Create an account with its role and country memberships (ISO3 codes)."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name, role=role,
        is_demo=is_demo, is_content_reviewer=is_content_reviewer,
        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    set_countries(user=user, countries=countries, actor=actor, audit=False)
    record(type=EventType.USER_CREATED, actor=actor, obj=user, details={"role": role, "countries": sorted(countries)})
    return user


@transaction.atomic
def set_countries(*, user: User, countries, actor=None, audit: bool = True) -> None:
    codes = {c.upper() for c in countries}
    known = set(Country.objects.filter(iso3__in=codes).values_list("iso3", flat=True))
    unknown = codes - known
    if unknown:
        raise ValueError(f"unknown country codes: {', '.join(sorted(unknown))}")
    CountryMembership.objects.filter(user=user).exclude(country_id__in=codes).delete()
    for code in sorted(codes - set(user.memberships.values_list("country_id", flat=True))):
        CountryMembership.objects.create(user=user, country_id=code)
    user.__dict__.pop("country_codes", None)
    if audit:
        record(type=EventType.USER_CHANGED, actor=actor, obj=user, details={"countries": sorted(codes)})


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_WINDOW_SECONDS)


def is_locked_out(*, username: str, request) -> bool:
    """Too many recent failures for this username (existing or not) or from this address."""
    since = _window_start()
    threshold = settings.LOGIN_LOCKOUT_THRESHOLD
    key = normalise_username(username)
    failures = LoginAttempt.objects.filter(created_at__gte=since, successful=False)
    if failures.filter(username_key=key).count() >= threshold:
        return True
    ip = client_ip(request)
    # One address may try several accounts (shared NAT), but not endlessly.
    return bool(ip) and failures.filter(ip_address=ip).count() >= threshold * 4


def note_login_attempt(*, username: str, request, successful: bool, user=None) -> None:
    key = normalise_username(username)
    LoginAttempt.objects.create(username_key=key, ip_address=client_ip(request), successful=successful)
    if successful:
        # A successful sign-in clears the username's failure count.
        LoginAttempt.objects.filter(username_key=key, successful=False).delete()
        record(type=EventType.LOGIN_SUCCEEDED, actor=user, obj=user, request=request)
    else:
        record(type=EventType.LOGIN_FAILED, request=request, object_type="accounts.user", object_repr=key[:200])
