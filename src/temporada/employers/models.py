"""Employer identity across sources and years.

OFLC and ESDC publish no employer id, so one Employer gathers the names and addresses under which
the same business appears (legal names, DBA / trade names, spelling variants), each kept as an
EmployerAlias with the source it came from. Officials can merge and split; every change is audited.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from temporada.accounts.roles import Role
from temporada.core.restrict import ScopedModel


def _role(user):
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


class Employer(ScopedModel):
    """One business as resolved across job-order sources. Names come from public disclosure files."""

    name = models.CharField(_("nombre"), max_length=300, help_text=_("Nombre más frecuente, tal como se publica"))
    normalized_name = models.CharField(_("nombre normalizado"), max_length=300, db_index=True)
    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("país"))
    subdivision = models.ForeignKey(
        "core.Subdivision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("estado o provincia"),
    )
    city = models.CharField(_("ciudad"), max_length=120, blank=True)
    postal_code = models.CharField(_("código postal"), max_length=20, blank=True)
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    # Set when an official merged this employer into another one; the row is kept for the audit trail.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from",
        verbose_name=_("fusionado en"),
    )
    manually_reviewed = models.BooleanField(_("revisado por un funcionario"), default=False)
    is_synthetic = models.BooleanField(_("sintético"), default=False, help_text=_("Datos generados para pruebas de escala"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("empleador")
        verbose_name_plural = _("empleadores")
        indexes = [models.Index(fields=["country", "normalized_name"]),
                   models.Index(fields=["name", "id"], name="employer_name_order")]  # the list's sort order

    def __str__(self):
        return self.name

    @classmethod
    def scope(cls, qs, user, action):
        """Names and addresses come from public disclosure files: everyone may read real employers.
        Merges and splits: destination officials of the employer's country, and administrators."""
        role = _role(user)
        if action in ("view", "export"):
            if role == Role.ADMIN or getattr(user, "is_superuser", False):
                return qs
            return qs.filter(is_synthetic=False)
        if role == Role.ADMIN or getattr(user, "is_superuser", False):
            return qs
        if role == Role.DESTINATION_OFFICIAL and user.country_codes:
            return qs.filter(country_id__in=user.country_codes)
        return qs.none()


RESOLUTION_LABELS = {
    "new": _("Primer nombre de la ficha"),
    "same-name-postcode": _("Mismo nombre y código postal"),
    "same-name-city": _("Mismo nombre y ciudad"),
    "registered-name-state": _("Misma razón social registrada en el estado o provincia"),
    "same-address-similar-name": _("Misma dirección y nombre parecido"),
    "trade-name-postcode": _("Nombre comercial conocido en el mismo código postal"),
    "dba-of-legal-name": _("Nombre comercial (DBA) publicado con el nombre legal"),
    "manual-merge": _("Fusión decidida por un funcionario"),
    "manual-split": _("Separación decidida por un funcionario"),
}


class EmployerAlias(models.Model):
    """A name + address under which an employer appears in a source."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Nombre legal")
        TRADE = "trade", _("Nombre comercial (DBA)")
        VARIANT = "variant", _("Variante de escritura")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.LEGAL)
    name = models.CharField(_("nombre publicado"), max_length=300)
    normalized_name = models.CharField(_("nombre normalizado"), max_length=300, db_index=True)
    match_key = models.CharField(
        _("clave de comparación"), max_length=300, blank=True, db_index=True,
        help_text=_("Nombre normalizado sin espacios: lo que comparan las reglas de resolución"),
    )
    legal_form = models.CharField(
        _("forma jurídica"), max_length=40, blank=True, help_text=_("LLC, INC, LTD… tal como aparece al final del nombre")
    )
    address_key = models.CharField(
        _("clave de dirección"), max_length=200, blank=True, db_index=True,
        help_text=_("Dirección normalizada (estado, código postal, calle) usada para resolver la identidad"),
    )
    city = models.CharField(_("ciudad"), max_length=120, blank=True)
    state = models.CharField(_("estado o provincia (publicado)"), max_length=60, blank=True)
    postal_code = models.CharField(_("código postal"), max_length=20, blank=True)
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    source = models.CharField(_("fuente"), max_length=30, blank=True)
    first_seen_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_seen_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # How the alias was attached: automatic rule name, or "manual" after an official's merge/split.
    resolution = models.CharField(_("cómo se resolvió"), max_length=60, blank=True)
    matched_alias = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("alias con el que coincidió"),
    )

    class Meta:
        ordering = ["employer_id", "name"]
        verbose_name = _("alias de empleador")
        verbose_name_plural = _("alias de empleadores")
        constraints = [
            models.UniqueConstraint(fields=["normalized_name", "address_key", "kind"], name="employer_alias_unique_key"),
        ]

    def __str__(self):
        return self.name

    @property
    def resolution_label(self):
        return RESOLUTION_LABELS.get(self.resolution, self.resolution)
