"""Sign-in security: hashing, password rules, lock-out, constant work, staff sessions, TOTP."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from temporada.accounts.models import LoginAttempt, User
from temporada.accounts.roles import Role
from temporada.accounts.services import create_user, is_locked_out
from temporada.core.models import AuditEvent
from temporada.core.testing import TEST_PASSWORD, client_for, make_user

LOGIN = "/es/accounts/login/"
pytestmark = pytest.mark.django_db


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# --- hashing and password rules -------------------------------------------------------------

def test_new_passwords_are_hashed_with_argon2(reference_countries):
    user = create_user(username="ana", password="una frase larga y segura 2026", role=Role.WORKER, countries=["GTM"])
    assert user.password.startswith("argon2$argon2id$")


@pytest.mark.parametrize("password", ["corto-1A!", "12345678901"])
def test_passwords_shorter_than_12_characters_are_refused(password):
    with pytest.raises(ValidationError) as info:
        validate_password(password)
    assert "password_too_short" in {e.code for e in info.value.error_list}


@pytest.mark.parametrize("password", [
    "password1234",        # Django's common-password list and ours
    "q1w2e3r4t5y6",         # Django's common-password list (20,000 entries)
    "contraseña123",       # our shipped breached list (Spanish)
    "MOTDEPASSE1234",      # our list, case-insensitive
    "temporada2026",       # our list: domain-specific guess
])
def test_common_and_breached_passwords_are_refused(password):
    with pytest.raises(ValidationError) as info:
        validate_password(password)
    assert "password_too_common" in {e.code for e in info.value.error_list}


def test_shipped_breached_list_adds_entries_missing_from_djangos_list():
    from django.contrib.auth.password_validation import CommonPasswordValidator

    from temporada.accounts.validators import _extra

    ours_only = _extra() - CommonPasswordValidator().passwords
    assert "temporada2026" in ours_only
    assert len(ours_only) > 10


def test_a_good_passphrase_passes():
    validate_password("cosecha de café en la sierra, 2026")


# --- lock-out ------------------------------------------------------------------------------

def test_lockout_after_repeated_failures_even_with_the_right_password(settings):
    user = make_user(Role.WORKER)
    client = Client()
    for _ in range(settings.LOGIN_LOCKOUT_THRESHOLD):
        assert _login(client, user.username, "wrong-password-123").status_code == 200
    response = _login(client, user.username, TEST_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert AuditEvent.objects.filter(type=AuditEvent.Type.LOGIN_LOCKED).exists()
    assert AuditEvent.objects.filter(type=AuditEvent.Type.LOGIN_FAILED).count() == settings.LOGIN_LOCKOUT_THRESHOLD


def test_forged_x_forwarded_for_does_not_bypass_the_lockout(settings):
    user = make_user(Role.WORKER)
    for i in range(settings.LOGIN_LOCKOUT_THRESHOLD):
        _login(Client(), user.username, "wrong-password-123", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    client = Client()
    _login(client, user.username, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert "_auth_user_id" not in client.session


def test_forged_x_forwarded_for_does_not_spread_address_failures(settings):
    """Spraying many usernames from one address locks that address, whatever XFF claims."""
    victim = make_user(Role.WORKER)
    for i in range(settings.LOGIN_LOCKOUT_THRESHOLD * 4):
        _login(Client(), f"nobody-{i}", "wrong-password-123", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    client = Client()
    _login(client, victim.username, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert "_auth_user_id" not in client.session


def test_behind_one_trusted_proxy_the_client_part_of_xff_is_ignored(settings):
    """With one proxy, only the address the proxy appended counts; the client-written part cannot vary it."""
    from temporada.core.audit import client_ip

    settings.TEMPORADA_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.9", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "192.0.2.9"
    settings.TEMPORADA_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"


def test_lockout_is_held_in_the_database_so_every_process_sees_it(settings):
    """Two independent clients (as two server processes would be), cache cleared in between:
    the count lives in LoginAttempt rows, so a fresh process reading the database is locked too."""
    user = make_user(Role.WORKER)
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for i in range(settings.LOGIN_LOCKOUT_THRESHOLD):
        _login(first if i % 2 else second, user.username, "wrong-password-123")
    cache.clear()
    assert LoginAttempt.objects.filter(username_key=user.username.lower(), successful=False).count() == 5
    _login(second, user.username, TEST_PASSWORD)
    assert "_auth_user_id" not in second.session
    # what another process would compute from its own request object
    assert is_locked_out(username=user.username.upper(), request=RequestFactory().post("/", REMOTE_ADDR="192.0.2.3"))


def test_lockout_across_processes_on_a_shared_sqlite_file(tmp_path, settings):
    """Failures written by one process lock the account for another process on the same database file."""
    import os
    import subprocess
    import sys

    from django.conf import settings as dj

    root = dj.BASE_DIR
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}", "TEMPORADA_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(*args):
        return subprocess.run([sys.executable, str(root / "manage.py"), *args], env=env, cwd=root,
                              capture_output=True, text=True, timeout=120)

    assert manage("migrate", "-v0").returncode == 0
    fail = (
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "from temporada.accounts.models import User\n"
        "User.objects.create_user(username='shared', password='right-password-1234', role='worker')\n"
        "for _ in range(5): Client().post('/es/accounts/login/', {'username': 'shared', 'password': 'wrong'})\n"
    )
    assert manage("shell", "-c", fail).returncode == 0
    probe = (
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "c = Client(); c.post('/es/accounts/login/', {'username': 'shared', 'password': 'right-password-1234'})\n"
        "print('LOCKED' if '_auth_user_id' not in c.session else 'OPEN')\n"
    )
    result = manage("shell", "-c", probe)
    assert result.returncode == 0, result.stderr
    assert "LOCKED" in result.stdout


def test_success_clears_failures_below_threshold(settings):
    user = make_user(Role.WORKER)
    for _ in range(settings.LOGIN_LOCKOUT_THRESHOLD - 1):
        _login(Client(), user.username, "wrong-password-123")
    client = Client()
    _login(client, user.username, TEST_PASSWORD)
    assert "_auth_user_id" in client.session
    assert not LoginAttempt.objects.filter(username_key=user.username.lower(), successful=False).exists()
    assert AuditEvent.objects.filter(type=AuditEvent.Type.LOGIN_SUCCEEDED, actor=user).exists()


# --- same work for every failure ------------------------------------------------------------

def _hash_calls(username, password):
    calls = []
    real_encode, real_verify = Argon2PasswordHasher.encode, Argon2PasswordHasher.verify

    def encode(self, *a, **k):
        calls.append("encode")
        return real_encode(self, *a, **k)

    def verify(self, *a, **k):
        calls.append("verify")
        return real_verify(self, *a, **k)

    with mock.patch.object(Argon2PasswordHasher, "encode", encode), \
            mock.patch.object(Argon2PasswordHasher, "verify", verify):
        _login(Client(), username, password)
    return calls


def test_unknown_inactive_and_wrong_password_cost_the_same_hashing():
    user = make_user(Role.WORKER)
    inactive = make_user(Role.WORKER, is_active=False)
    wrong = _hash_calls(user.username, "wrong-password-123")
    unknown = _hash_calls("no-such-user", "wrong-password-123")
    not_active = _hash_calls(inactive.username, TEST_PASSWORD)
    assert len(wrong) == len(unknown) == len(not_active) == 1
    for _ in range(5):
        _login(Client(), "no-such-user", "x")
    assert len(_hash_calls("no-such-user", "x")) == 1  # a locked-out attempt pays one hash too


# --- staff sessions -------------------------------------------------------------------------

def _at(seconds):
    return mock.patch("temporada.accounts.middleware.time.time", return_value=1_000_000.0 + seconds)


def test_staff_session_expires_after_30_minutes_idle():
    client = client_for(make_user(Role.ANALYST, ["USA"]))
    with _at(0):
        assert client.get("/es/accounts/me/").status_code == 200
    with _at(29 * 60):
        assert client.get("/es/accounts/me/").status_code == 200
    with _at(29 * 60 + 31 * 60):
        response = client.get("/es/accounts/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Su sesión expiró" in page


def test_staff_session_expires_after_12_hours_even_when_active():
    client = client_for(make_user(Role.ANALYST, ["USA"]))
    t = 0
    while t < 12 * 3600:
        with _at(t):
            assert client.get("/es/accounts/me/").status_code == 200
        t += 25 * 60
    with _at(12 * 3600 + 60):
        assert client.get("/api/v1/core/countries").status_code == 401


def test_worker_session_is_not_cut_after_30_minutes():
    client = client_for(make_user(Role.WORKER, ["GTM"]))
    with _at(0):
        client.get("/es/accounts/me/")
    with _at(3 * 3600):
        assert client.get("/es/accounts/me/").status_code == 200


# --- two-factor -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.CONSULAR, Role.ORIGIN_OFFICIAL, Role.DESTINATION_OFFICIAL, Role.ADMIN])
def test_second_factor_is_required_for_official_and_admin_roles(role):
    user = make_user(role, ["MEX"])
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.force_login(user)
    response = client.get("/es/accounts/me/")
    assert response.status_code == 302 and response["Location"] == "/es/accounts/two-factor/"
    assert client.get("/api/v1/core/countries").status_code == 401
    assert client.get("/es/accounts/two-factor/").status_code == 200


@pytest.mark.parametrize("role", [Role.WORKER, Role.EMPLOYER, Role.ANALYST])
def test_other_roles_are_not_forced_into_two_factor(role):
    client = Client()
    client.force_login(make_user(role, ["USA"]))
    assert client.get("/es/accounts/me/").status_code == 200


def test_correct_totp_token_passes_and_wrong_one_is_rejected(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp delays retries after a failure; not what we test here
    user = make_user(Role.CONSULAR, ["MEX"])
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.force_login(user)
    good = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    bad = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post("/es/accounts/two-factor/", {"token": bad})
    assert response.status_code == 200 and "Código incorrecto" in response.content.decode()
    assert client.get("/es/accounts/me/").status_code == 302
    response = client.post("/es/accounts/two-factor/", {"token": "abcdef"})
    assert response.status_code == 200
    response = client.post("/es/accounts/two-factor/", {"token": good})
    assert response.status_code == 302
    assert client.get("/es/accounts/me/").status_code == 200
    assert client.get("/api/v1/core/countries").status_code == 200
    assert AuditEvent.objects.filter(type=AuditEvent.Type.OTP_VERIFIED, actor=user).count() == 1


def test_enrolment_shows_a_qr_svg_and_confirms_with_a_code():
    user = make_user(Role.ORIGIN_OFFICIAL, ["GTM"])
    client = Client()
    client.force_login(user)
    assert client.get("/es/accounts/two-factor/")["Location"] == "/es/accounts/two-factor/setup/"
    page = client.get("/es/accounts/two-factor/setup/").content.decode()
    assert "<svg" in page and "Clave:" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    assert client.post("/es/accounts/two-factor/setup/", {"token": code}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/es/accounts/me/").status_code == 200
    assert AuditEvent.objects.filter(type=AuditEvent.Type.OTP_ENROLLED, actor=user).exists()


def test_a_wrong_enrolment_code_does_not_confirm_the_device():
    user = make_user(Role.ADMIN)
    client = Client()
    client.force_login(user)
    client.get("/es/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=user)
    good = totp(device.bin_key, step=device.step, digits=device.digits)
    bad = f"{(good + 500_000) % 1_000_000:06d}"
    response = client.post("/es/accounts/two-factor/setup/", {"token": bad})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed


# --- audit of account writes ---------------------------------------------------------------

def test_account_writes_are_audited(reference_countries):
    from temporada.accounts.services import set_countries

    admin = make_user(Role.ADMIN)
    user = create_user(username="beto", password="una frase larga y segura 2026", role=Role.ORIGIN_OFFICIAL,
                       countries=["HND"], actor=admin)
    created = AuditEvent.objects.get(type=AuditEvent.Type.USER_CREATED, object_id=str(user.pk))
    assert created.actor == admin and created.details == {"role": "origin_official", "countries": ["HND"]}
    set_countries(user=user, countries=["hnd", "SLV"], actor=admin)
    changed = AuditEvent.objects.get(type=AuditEvent.Type.USER_CHANGED, object_id=str(user.pk))
    assert changed.details == {"countries": ["HND", "SLV"]}
    assert User.objects.get(pk=user.pk).country_codes == {"HND", "SLV"}
    with pytest.raises(ValueError):
        set_countries(user=user, countries=["XXX"], actor=admin)
    assert User.objects.get(pk=user.pk).country_codes == {"HND", "SLV"}


def test_login_and_logout_are_audited():
    user = make_user(Role.WORKER)
    client = Client()
    _login(client, user.username, TEST_PASSWORD)
    client.post("/es/accounts/logout/")
    types = list(AuditEvent.objects.filter(actor=user).values_list("type", flat=True))
    assert AuditEvent.Type.LOGIN_SUCCEEDED in types and AuditEvent.Type.LOGOUT in types
    assert "_auth_user_id" not in client.session
