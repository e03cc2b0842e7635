"""Labour supply: the registry of workers who want to take part in temporary programmes.

There is no public registry of individual workers; profiles are entered by origin-country officials
(form or bulk upload) or self-registered by workers and verified by an official of their nationality.
Identity documents are stored so they can be looked up but not read in bulk (see ``pii.py``).

How a profile feeds the matching engine (stable interface; the engine reads columns, not objects)
-------------------------------------------------------------------------------------------------
Who may be matched: ``Worker.objects.matchable()`` = status VERIFIED, registry AND matching consent
given and not withdrawn. Synthetic profiles (``is_synthetic``) are matchable only in scale tests and
demos; the caller decides (``.filter(is_synthetic=False)`` for real runs).

==========================  =====================================================================
engine input                source
==========================  =====================================================================
worker id                   ``Worker.id`` (never show it to destination officials: give them a
                            pseudonym of your own; names/documents stay in this app)
origin country              ``Worker.nationality_id`` (ISO3, e.g. "GTM")
origin subdivision          ``Worker.residence_subdivision_id`` (ISO 3166-2, e.g. "GT-13"; may be null)
sex                         ``Worker.sex`` ("F", "M", "X")
birth date / age            ``Worker.birth_date``
availability window         ``Worker.available_from`` .. ``Worker.available_until`` (inclusive dates;
                            null = not declared → not available)
passport valid until        ``Worker.passport_expiry`` (null = no passport yet)
occupations                 ``WorkerOccupation(worker_id, isco_code, years)``: ISCO-08 unit codes
                            (4 digits, text) and whole years of experience; several per worker.
                            ``Worker.primary_isco`` / ``primary_years`` = the one with most years
                            (used for statistics so each worker counts once).
languages                   ``WorkerLanguage(worker_id, language, level)``: ISO 639-1/-3 code,
                            level in ``LanguageLevel`` ("native" > "fluent" > "basic").
participation history       ``Participation(worker_id, programme_id, destination_id, season,
                            returned_on_time)``; ``returned_on_time`` True = good, False = overstay
                            or early break, None = unknown / season not finished.
preferences                 ``Worker.preferred_programmes`` (programmes.Programme ids) and
                            ``Worker.preferred_destinations`` (ISO3). Empty = no preference.
status / consent            ``Worker.status``, ``has_registry_consent``, ``has_matching_consent``
                            (denormalised from ``Consent`` by the services).
education                   ``Worker.education_level`` (ordered ``Education`` codes, ISCED 2011)
==========================  =====================================================================

``supply.queries.engine_columns(qs)`` returns these as NumPy arrays (one vectorised read per table).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from temporada.accounts.roles import Role
from temporada.core.restrict import ScopedModel, ScopedQuerySet

from .languages import LANGUAGES


def _role(user):
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def _is_admin(user):
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
                and (getattr(user, "role", None) == Role.ADMIN or getattr(user, "is_superuser", False)))


class Sex(models.TextChoices):
    FEMALE = "F", _("Mujer")
    MALE = "M", _("Hombre")
    OTHER = "X", _("Otro / no especificado")


class Education(models.TextChoices):
    """Highest level completed, ISCED 2011 (codes sort in order of level)."""

    NONE = "0", _("Sin estudios formales")
    PRIMARY = "1", _("Primaria")
    LOWER_SECONDARY = "2", _("Secundaria básica")
    UPPER_SECONDARY = "3", _("Secundaria superior / bachillerato")
    POST_SECONDARY = "4", _("Técnica postsecundaria")
    TERTIARY = "5", _("Superior")


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("Lengua materna")
    FLUENT = "fluent", _("Fluido")
    BASIC = "basic", _("Básico")


LANGUAGE_LEVEL_RANK = {LanguageLevel.BASIC: 1, LanguageLevel.FLUENT: 2, LanguageLevel.NATIVE: 3}


class WorkerQuerySet(ScopedQuerySet):
    def in_registry(self):
        """Profiles shown in registry lists: registry consent not withdrawn (withdrawn ones remain only as
        the legal record, reachable by id)."""
        return self.filter(has_registry_consent=True)

    def matchable(self):
        """Profiles the matching engine may propose: verified, consented for registry and matching."""
        return self.filter(status=Worker.Status.VERIFIED, has_registry_consent=True, has_matching_consent=True)

    def available_between(self, start: date, end: date):
        """Declared availability covers the whole period [start, end]."""
        return self.filter(available_from__lte=start, available_until__gte=end)

    def published(self):
        """Profiles that may enter statistics: real ones only (synthetic never enter published figures)."""
        return self.filter(is_synthetic=False)


class Worker(ScopedModel):
    """One candidate for temporary work abroad."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registrado por un funcionario (sin verificar)")
        PENDING = "pending", _("Autorregistrado, pendiente de verificación")
        VERIFIED = "verified", _("Verificado")
        INACTIVE = "inactive", _("Inactivo")

    class Origin(models.TextChoices):
        FORM = "form", _("Formulario de un funcionario")
        UPLOAD = "upload", _("Carga masiva")
        SELF = "self", _("Autorregistro")
        SYNTHETIC = "synthetic", _("Generador sintético")

    objects = WorkerQuerySet.as_manager()

    given_names = models.CharField(_("nombres"), max_length=120)
    family_names = models.CharField(_("apellidos"), max_length=120)
    birth_date = models.DateField(_("fecha de nacimiento"))
    sex = models.CharField(_("sexo"), max_length=1, choices=Sex.choices)
    nationality = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("nacionalidad")
    )

    national_id_hash = models.CharField(max_length=64, editable=False)
    national_id_encrypted = models.TextField(editable=False)
    national_id_last4 = models.CharField(_("documento de identidad (últimos 4)"), max_length=4, editable=False)
    passport_hash = models.CharField(max_length=64, blank=True, editable=False)
    passport_encrypted = models.TextField(blank=True, editable=False)
    passport_last4 = models.CharField(_("pasaporte (últimos 4)"), max_length=4, blank=True, editable=False)
    passport_expiry = models.DateField(_("vencimiento del pasaporte"), null=True, blank=True)

    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    residence_subdivision = models.ForeignKey(
        "core.Subdivision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("departamento / estado de residencia"),
    )
    residence_locality = models.CharField(_("municipio o localidad"), max_length=120, blank=True)

    education_level = models.CharField(_("nivel de estudios"), max_length=1, choices=Education.choices, blank=True)
    skills = models.TextField(_("habilidades"), blank=True)
    primary_isco = models.CharField(_("ocupación principal (CIUO-08)"), max_length=4, blank=True, db_index=True)
    primary_years = models.PositiveSmallIntegerField(_("años en la ocupación principal"), default=0)

    available_from = models.DateField(_("disponible desde"), null=True, blank=True)
    available_until = models.DateField(_("disponible hasta"), null=True, blank=True)
    preferred_programmes = models.ManyToManyField(
        "programmes.Programme", blank=True, related_name="+", verbose_name=_("programas preferidos")
    )
    preferred_destinations = models.ManyToManyField(
        "core.Country", blank=True, related_name="+", verbose_name=_("destinos preferidos")
    )

    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    has_registry_consent = models.BooleanField(_("consiente el registro"), default=False)
    has_matching_consent = models.BooleanField(_("consiente ser propuesto a ofertas"), default=False)
    consent_withdrawn_at = models.DateTimeField(_("consentimiento retirado el"), null=True, blank=True)

    origin = models.CharField(_("vía de registro"), max_length=10, choices=Origin.choices, default=Origin.FORM)
    upload = models.ForeignKey(
        "BulkUpload", on_delete=models.PROTECT, null=True, blank=True, related_name="workers",
        verbose_name=_("carga masiva"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="worker_profile",
        verbose_name=_("cuenta del trabajador"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("verificado por"),
    )
    verified_at = models.DateTimeField(_("verificado el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificado"), auto_now=True)
    is_synthetic = models.BooleanField(
        _("sintético"), default=False, db_index=True,
        help_text=_("Perfil generado para demostraciones y pruebas de escala; nunca entra en las estadísticas"),
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("perfil de trabajador")
        verbose_name_plural = _("perfiles de trabajadores")
        constraints = [
            # The hash covers the issuing country, so the same number in two countries stays distinct.
            models.UniqueConstraint(fields=["national_id_hash"], name="supply_worker_national_id_unique"),
            models.UniqueConstraint(
                fields=["passport_hash"], condition=~Q(passport_hash=""), name="supply_worker_passport_unique"
            ),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True) | Q(available_until__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="supply_worker_availability_order",
            ),
        ]
        indexes = [
            # with id: the highest verified id of a country (matching's snapshot check) is the end of a range
            models.Index(fields=["nationality", "status", "id"], name="supply_worker_nat_status_id"),
            models.Index(fields=["nationality", "residence_subdivision"], name="supply_worker_nat_subdiv"),
            models.Index(fields=["available_from", "available_until"], name="supply_worker_availability"),
        ]

    def __str__(self):
        # No name here: this text is copied into audit events and log lines.
        return f"#{self.pk} · {self.nationality_id} · …{self.national_id_last4}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @classmethod
    def scope(cls, qs, user, action):
        """Origin officials: their own nationals (all actions but delete). Workers: their own profile
        (view, change). Administrators: everything. Destination officials, consular officers, analysts,
        employers and the public: nothing (destination officials meet candidates pseudonymously in matching;
        consular cases live in protection; analysts get suppressed aggregates from queries.py)."""
        if _is_admin(user):
            return qs if action != "delete" else qs.none()
        role = _role(user)
        if role == Role.ORIGIN_OFFICIAL and user.is_active and user.country_codes:
            if action in ("view", "export", "create", "change", "review"):
                return qs.filter(nationality_id__in=user.country_codes)
        if role == Role.WORKER and user.is_active and action in ("view", "change"):
            return qs.filter(account=user)
        return qs.none()


class WorkerOccupation(models.Model):
    """Occupational experience: ISCO-08 unit group, whole years, and the worker's own description."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="occupations")
    isco_code = models.CharField(_("CIUO-08"), max_length=4, db_index=True)
    years = models.PositiveSmallIntegerField(_("años de experiencia"), default=0)
    description = models.CharField(_("en sus palabras"), max_length=300, blank=True)

    class Meta:
        ordering = ["worker_id", "-years", "isco_code"]
        verbose_name = _("experiencia ocupacional")
        verbose_name_plural = _("experiencias ocupacionales")
        constraints = [models.UniqueConstraint(fields=["worker", "isco_code"], name="supply_occupation_once")]

    def __str__(self):
        return f"{self.isco_code} ({self.years})"


class WorkerLanguage(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("idioma"), max_length=3, choices=LANGUAGES)
    level = models.CharField(_("nivel"), max_length=6, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["worker_id", "language"]
        verbose_name = _("idioma")
        verbose_name_plural = _("idiomas")
        constraints = [models.UniqueConstraint(fields=["worker", "language"], name="supply_language_once")]

    def __str__(self):
        return f"{self.language}:{self.level}"


class Certificate(models.Model):
    """A certificate or licence (e.g. pesticide handling, forklift, food safety)."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField(_("certificado"), max_length=200)
    issuer = models.CharField(_("emitido por"), max_length=200, blank=True)
    issued_on = models.DateField(_("fecha de emisión"), null=True, blank=True)
    expires_on = models.DateField(_("vencimiento"), null=True, blank=True)

    class Meta:
        ordering = ["worker_id", "name"]
        verbose_name = _("certificado")
        verbose_name_plural = _("certificados")

    def __str__(self):
        return self.name


class Participation(models.Model):
    """A past season in a programme: where, for whom, and whether the worker returned on time."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="participations")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("programa"),
    )
    destination = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("país de destino")
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("empleador (registro)"),
    )
    employer_name = models.CharField(_("empleador"), max_length=300, blank=True)
    season = models.PositiveSmallIntegerField(_("temporada (año)"))
    start_date = models.DateField(_("inicio"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    returned_on_time = models.BooleanField(
        _("regresó a tiempo"), null=True, blank=True, help_text=_("Vacío: desconocido o temporada en curso")
    )
    notes = models.CharField(_("observaciones"), max_length=300, blank=True)

    class Meta:
        ordering = ["worker_id", "-season"]
        verbose_name = _("participación anterior")
        verbose_name_plural = _("participaciones anteriores")

    def __str__(self):
        return f"{self.season} {self.destination_id} {self.employer_name}"


class Consent(models.Model):
    """The legal record of a consent: given on a date for a purpose, possibly withdrawn later."""

    class Purpose(models.TextChoices):
        REGISTRY = "registry", _("Inscripción y tratamiento de datos en el registro de trabajadores")
        MATCHING = "matching", _("Ser propuesto/a a ofertas de empleo temporal en el extranjero")

    class Method(models.TextChoices):
        FORM = "form", _("Firmado ante un funcionario")
        UPLOAD = "upload", _("Declarado en una carga masiva")
        SELF = "self", _("Aceptado en línea por el trabajador")
        SYNTHETIC = "synthetic", _("Sintético")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("finalidad"), max_length=10, choices=Purpose.choices)
    given_on = models.DateField(_("otorgado el"))
    method = models.CharField(_("forma"), max_length=10, choices=Method.choices)
    text_version = models.CharField(_("versión del texto"), max_length=20, default="2025-1")
    withdrawn_at = models.DateTimeField(_("retirado el"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("motivo del retiro"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["worker_id", "purpose", "-given_on", "-id"]
        verbose_name = _("consentimiento")
        verbose_name_plural = _("consentimientos")

    def __str__(self):
        state = "withdrawn" if self.withdrawn_at else "given"
        return f"{self.purpose} {self.given_on} {state}"


class BulkUpload(ScopedModel):
    """One CSV/XLSX file of profiles uploaded by an origin official, with its validation report."""

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("Todo o nada: si una fila tiene errores, no se guarda ninguna")
        VALID_ROWS = "valid", _("Guardar solo las filas válidas y rechazar las demás")

    class Status(models.TextChoices):
        SAVED = "saved", _("Guardada completa")
        PARTIAL = "partial", _("Guardadas solo las filas válidas")
        REJECTED = "rejected", _("Rechazada: no se guardó nada")

    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("país"))
    file_name = models.CharField(_("archivo"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 del archivo"), max_length=64)
    mode = models.CharField(_("modo"), max_length=5, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    status = models.CharField(_("resultado"), max_length=10, choices=Status.choices)
    rows_total = models.PositiveIntegerField(_("filas leídas"), default=0)
    rows_created = models.PositiveIntegerField(_("perfiles creados"), default=0)
    rows_rejected = models.PositiveIntegerField(_("filas rechazadas"), default=0)
    error = models.CharField(_("error del archivo"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("subida por"),
    )
    created_at = models.DateTimeField(_("subida el"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("carga masiva de perfiles")
        verbose_name_plural = _("cargas masivas de perfiles")

    def __str__(self):
        return f"{self.country_id} · {self.file_name}"

    @classmethod
    def scope(cls, qs, user, action):
        if _is_admin(user):
            return qs if action in ("view", "export") else qs.none()
        if _role(user) == Role.ORIGIN_OFFICIAL and user.is_active and user.country_codes:
            if action in ("view", "export", "create"):
                return qs.filter(country_id__in=user.country_codes)
        return qs.none()


class UploadRejection(models.Model):
    """Why one row of a bulk file was refused. No cell values are kept (they may hold identity numbers)."""

    upload = models.ForeignKey(BulkUpload, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField(_("fila"), help_text=_("Número de fila en el archivo (1 = encabezado)"))
    column = models.CharField(_("columna"), max_length=60, blank=True)
    reason = models.CharField(_("motivo"), max_length=500)

    class Meta:
        ordering = ["upload_id", "row_number", "id"]
        verbose_name = _("fila rechazada")
        verbose_name_plural = _("filas rechazadas")

    def __str__(self):
        return f"{self.upload_id}:{self.row_number} {self.reason}"
