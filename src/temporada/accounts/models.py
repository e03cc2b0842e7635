from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import STAFF_ROLES, TWO_FACTOR_ROLES, Role


class User(AbstractUser):
    """A person with an account. Scope = role + the countries they belong to."""

    role = models.CharField(_("rol"), max_length=32, choices=Role.choices, default=Role.WORKER, db_index=True)
    countries = models.ManyToManyField(
        "core.Country", through="CountryMembership", related_name="members", blank=True, verbose_name=_("países")
    )
    preferred_language = models.CharField(_("idioma"), max_length=2, default="es")
    is_content_reviewer = models.BooleanField(
        _("revisor/a de contenidos"), default=False, help_text=_("Puede publicar contenidos redactados por otros.")
    )
    is_demo = models.BooleanField(_("cuenta de demostración"), default=False)

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")

    @cached_property
    def country_codes(self) -> frozenset[str]:
        """ISO3 codes of the user's countries (empty set: the user sees nothing scoped)."""
        return frozenset(self.memberships.values_list("country_id", flat=True))

    @property
    def is_admin_role(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def needs_two_factor(self) -> bool:
        return self.role in TWO_FACTOR_ROLES or self.is_superuser

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES or self.is_superuser

    def has_role(self, *roles) -> bool:
        return self.is_active and self.role in roles


class CountryMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("user", "country")]
        verbose_name = _("pertenencia a un país")
        verbose_name_plural = _("pertenencias a países")

    def __str__(self):
        return f"{self.user} · {self.country_id}"


class LoginAttempt(models.Model):
    """Failed and successful sign-ins, kept in the database so lock-out holds across processes."""

    username_key = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    successful = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("intento de inicio de sesión")
        verbose_name_plural = _("intentos de inicio de sesión")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username_key} {'ok' if self.successful else 'failed'}"
