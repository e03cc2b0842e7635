from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .i18n import TranslatedMixin
from .restrict import ScopedModel


class Country(TranslatedMixin, ScopedModel):
    """ISO 3166-1 country. Public reference data."""

    iso2 = models.CharField(max_length=2, unique=True)
    iso3 = models.CharField(max_length=3, primary_key=True)
    numeric = models.CharField(max_length=3, unique=True, help_text=_("ISO 3166-1 numérico, como texto"))
    name_es = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120)
    is_rcm_member = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["name_es"]
        verbose_name = _("país")
        verbose_name_plural = _("países")

    def __str__(self):
        return self.t("name")

    @classmethod
    def scope(cls, qs, user, action):
        return qs if action == "view" else qs.none()


class Subdivision(TranslatedMixin, ScopedModel):
    """ISO 3166-2 subdivision (state, province, department)."""

    code = models.CharField(max_length=8, primary_key=True, help_text=_("Código ISO 3166-2, p. ej. US-CA"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="subdivisions")
    short_code = models.CharField(max_length=4, help_text=_("Parte local del código, p. ej. CA"))
    kind = models.CharField(max_length=40, blank=True)
    fips = models.CharField(max_length=2, blank=True, help_text=_("Código FIPS de EE. UU. (mapas)"))
    name_es = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120)

    class Meta:
        ordering = ["country_id", "name_en"]
        unique_together = [("country", "short_code")]
        verbose_name = _("subdivisión")
        verbose_name_plural = _("subdivisiones")

    def __str__(self):
        return self.t("name")

    @classmethod
    def scope(cls, qs, user, action):
        return qs if action == "view" else qs.none()


class DataLoad(models.Model):
    """One successful load of a reference/default dataset; lets `setup` skip unchanged files."""

    name = models.CharField(max_length=120, unique=True)
    fingerprint = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now=True)
    duration_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("carga de datos de referencia")
        verbose_name_plural = _("cargas de datos de referencia")

    def __str__(self):
        return self.name


class AuditEvent(models.Model):
    """Append-only record of a write (or of a read of a protected record)."""

    class Type(models.TextChoices):
        USER_CREATED = "user.created", _("Usuario creado")
        USER_CHANGED = "user.changed", _("Usuario modificado")
        LOGIN_SUCCEEDED = "auth.login", _("Inicio de sesión")
        LOGIN_FAILED = "auth.login_failed", _("Inicio de sesión fallido")
        LOGIN_LOCKED = "auth.locked", _("Cuenta bloqueada temporalmente")
        LOGOUT = "auth.logout", _("Cierre de sesión")
        OTP_ENROLLED = "auth.otp_enrolled", _("Segundo factor registrado")
        OTP_VERIFIED = "auth.otp_verified", _("Segundo factor verificado")
        DATA_LOADED = "data.loaded", _("Datos de referencia cargados")
        IMPORT_STARTED = "import.started", _("Importación iniciada")
        IMPORT_FINISHED = "import.finished", _("Importación terminada")
        IMPORT_FAILED = "import.failed", _("Importación fallida")
        EMPLOYER_MERGED = "employer.merged", _("Empleadores fusionados")
        EMPLOYER_SPLIT = "employer.split", _("Empleador separado")
        EMPLOYER_CHANGED = "employer.changed", _("Empleador modificado")
        PROGRAMME_CHANGED = "programme.changed", _("Programa modificado")
        PROGRAMME_PUBLISHED = "programme.published", _("Programa publicado")
        INSTRUMENT_CHANGED = "instrument.changed", _("Instrumento jurídico modificado")
        PRACTICE_SUBMITTED = "practice.submitted", _("Buena práctica enviada")
        PRACTICE_REVIEWED = "practice.reviewed", _("Buena práctica revisada")
        CONTENT_CHANGED = "content.changed", _("Contenido modificado")
        CONTENT_PUBLISHED = "content.published", _("Contenido publicado")
        WORKER_CREATED = "worker.created", _("Perfil de trabajador creado")
        WORKER_CHANGED = "worker.changed", _("Perfil de trabajador modificado")
        WORKER_VERIFIED = "worker.verified", _("Perfil de trabajador verificado")
        WORKER_VIEWED = "worker.viewed", _("Perfil de trabajador consultado")
        WORKER_BULK_UPLOADED = "worker.bulk_uploaded", _("Carga masiva de trabajadores")
        CONSENT_CHANGED = "worker.consent", _("Consentimiento modificado")
        MATCH_RUN = "matching.run", _("Ejecución de emparejamiento")
        MATCH_DECIDED = "matching.decided", _("Propuesta aceptada o rechazada")
        CANDIDATE_RELEASED = "matching.released", _("Candidato liberado")
        RECORD_CREATED = "record.created", _("Registro creado")
        RECORD_CHANGED = "record.changed", _("Registro modificado")
        RECORD_DELETED = "record.deleted", _("Registro eliminado")
        RECORD_PUBLISHED = "record.published", _("Registro publicado")
        VERIFICATION_REQUESTED = "rights.verification", _("Verificación de oferta")
        EXPORT = "data.export", _("Exportación")
        PROTECTED_READ = "record.read", _("Lectura de registro protegido")

    type = models.CharField(max_length=40, choices=Type.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text=_("Nombre del actor en el momento"))
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("eventos de auditoría")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.type} {self.object_type}:{self.object_id}"
