from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who a signed-in user is. Anonymous visitors are the public role and have no account."""

    WORKER = "worker", _("Trabajador/a")
    EMPLOYER = "employer", _("Empleador/a")
    ORIGIN_OFFICIAL = "origin_official", _("Funcionario/a laboral del país de origen")
    DESTINATION_OFFICIAL = "destination_official", _("Funcionario/a laboral del país de destino")
    CONSULAR = "consular", _("Funcionario/a consular o agregado/a laboral")
    ANALYST = "analyst", _("Analista regional")
    ADMIN = "admin", _("Administrador/a")


PUBLIC = "public"  # pseudo-role of anonymous visitors, used by permission matrices
ALL_ROLES = [PUBLIC, *Role.values]

# Consular, ministry and administrator accounts must sign in with a second factor.
TWO_FACTOR_ROLES = frozenset({Role.ORIGIN_OFFICIAL, Role.DESTINATION_OFFICIAL, Role.CONSULAR, Role.ADMIN})
# Accounts that see more than their own records get the short staff session.
STAFF_ROLES = frozenset({Role.ORIGIN_OFFICIAL, Role.DESTINATION_OFFICIAL, Role.CONSULAR, Role.ANALYST, Role.ADMIN})
OFFICIAL_ROLES = frozenset({Role.ORIGIN_OFFICIAL, Role.DESTINATION_OFFICIAL, Role.CONSULAR})
