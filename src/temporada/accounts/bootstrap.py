"""Demo accounts, one per role, created by `temporada setup` (never in production settings)."""

import os

from temporada.core.bootstrap import Step

from .roles import Role

DEMO_PASSWORD = "demo-Temporada-2026"  # documented in the README; demo accounts only  # noqa: S105
# Fixed TOTP secret for demo accounts that need a second factor (README shows how to get the code).
DEMO_TOTP_SECRET_HEX = "3132333435363738393031323334353637383930"  # noqa: S105 (demo only, documented)

DEMO_USERS = [
    ("demo-worker", Role.WORKER, ["GTM"], "Trabajadora de demostración"),
    ("demo-employer", Role.EMPLOYER, ["USA"], "Empleador de demostración"),
    ("demo-origin-gt", Role.ORIGIN_OFFICIAL, ["GTM"], "Funcionaria del Ministerio de Trabajo de Guatemala (demo)"),
    ("demo-destination-us", Role.DESTINATION_OFFICIAL, ["USA"], "Funcionario laboral de EE. UU. (demo)"),
    ("demo-consular-mx", Role.CONSULAR, ["MEX"], "Cónsul de México (demo)"),
    ("demo-analyst", Role.ANALYST, ["USA", "CAN", "MEX", "GTM", "HND", "SLV"], "Analista regional (demo)"),
    ("demo-admin", Role.ADMIN, ["USA", "CAN", "MEX", "GTM"], "Administración (demo)"),
]


def load_demo_users(*, stdout=None) -> int:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User
    from .services import create_user

    for username, role, countries, label in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                username=username, password=DEMO_PASSWORD, role=role, countries=countries,
                first_name=label, is_demo=True, is_content_reviewer=role in (Role.ADMIN,),
            )
        if user.needs_two_factor and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo", confirmed=True, key=DEMO_TOTP_SECRET_HEX)
    return len(DEMO_USERS)


def steps():
    if os.environ.get("TEMPORADA_NO_DEMO_USERS"):
        return []
    return [Step("accounts.demo_users", [], load_demo_users, version="1")]
