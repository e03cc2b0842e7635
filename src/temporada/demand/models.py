"""Labour demand: job orders from official files (OFLC H-2A / H-2B disclosure data, SeasonalJobs.dol.gov,
ESDC positive-LMIA lists), the import batches they came from and the rows each batch rejected.

A JobOrder keeps the values as published (codes as text, names as written) next to the normalised ones
(ISCO-08 code, hourly wage, subdivision) and points back to its file and row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from temporada.accounts.roles import Role
from temporada.core.restrict import ScopedModel


def _role(user):
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def _is_admin(user):
    return _role(user) == Role.ADMIN or getattr(user, "is_superuser", False)


class Source(models.TextChoices):
    OFLC_H2A = "oflc_h2a", _("OFLC H-2A (datos de divulgación)")
    OFLC_H2B = "oflc_h2b", _("OFLC H-2B (datos de divulgación)")
    SEASONALJOBS = "seasonaljobs", _("SeasonalJobs.dol.gov")
    LMIA = "lmia", _("ESDC, EIMT favorables")
    SYNTHETIC = "synthetic", _("Sintético (pruebas de escala)")


class Programme(models.TextChoices):
    """Programme or stream a job order belongs to. Slugs of the catalogue records in CATALOGUE_SLUG."""

    H2A = "H-2A", "H-2A"
    H2B = "H-2B", "H-2B"
    CA_PRIMARY_AGRICULTURE = "CA-AG", _("Canadá PTET: agricultura primaria (incl. PTAT/SAWP)")
    CA_LOW_WAGE = "CA-LW", _("Canadá PTET: salarios bajos")
    CA_HIGH_WAGE = "CA-HW", _("Canadá PTET: salarios altos")
    CA_GLOBAL_TALENT = "CA-GTS", _("Canadá PTET: Global Talent Stream")
    CA_PR_ONLY = "CA-PR", _("Canadá: solo residencia permanente")
    # One ESDC row (2019) names no stream; kept so the yearly totals still equal the published list.
    CA_UNSPECIFIED = "CA-UN", _("Canadá PTET: flujo no indicado en la fuente")


# programmes.Programme.slug of the catalogue record that describes each programme code.
CATALOGUE_SLUG = {
    Programme.H2A: "us-h2a",
    Programme.H2B: "us-h2b",
    Programme.CA_PRIMARY_AGRICULTURE: "ca-tfwp-agricultural",
    Programme.CA_LOW_WAGE: "ca-tfwp-low-wage",
    Programme.CA_HIGH_WAGE: "ca-tfwp-high-wage",
}


class OccupationSystem(models.TextChoices):
    SOC2010 = "SOC2010", "SOC 2010"
    SOC2018 = "SOC2018", "SOC 2018"
    ONETSOC = "ONETSOC", "O*NET-SOC"
    NOC2011 = "NOC2011", "NOC 2011"
    NOC2021 = "NOC2021", "NOC 2021"
    NONE = "", _("sin código")


class ImportBatch(ScopedModel):
    """One import of one official file: what it was, how it went, and what it rejected."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("En curso")
        SUCCEEDED = "succeeded", _("Terminada")
        FAILED = "failed", _("Fallida")

    kind = models.CharField(_("tipo de archivo"), max_length=40, help_text=_("Clave del importador, p. ej. oflc-h2a"))
    source = models.CharField(_("fuente"), max_length=20, choices=Source.choices)
    country = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("país de destino"),
        help_text=_("País cuyos funcionarios pueden ver la importación"),
    )
    file_name = models.CharField(_("archivo"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 del archivo"), max_length=64, db_index=True)
    file_size = models.BigIntegerField(_("tamaño (bytes)"), default=0)
    layout = models.CharField(_("formato detectado"), max_length=60, blank=True)
    period_label = models.CharField(_("periodo"), max_length=60, blank=True, help_text=_("p. ej. AF2018, hasta T2 (parcial)"))
    is_partial_period = models.BooleanField(_("periodo parcial"), default=False)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    rows_total = models.PositiveIntegerField(_("filas leídas"), default=0)
    rows_done = models.PositiveIntegerField(_("filas procesadas"), default=0, help_text=_("Progreso"))
    rows_created = models.PositiveIntegerField(_("filas nuevas"), default=0)
    rows_updated = models.PositiveIntegerField(_("filas actualizadas"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("filas sin cambios"), default=0)
    rows_rejected = models.PositiveIntegerField(_("filas rechazadas"), default=0)
    rows_warned = models.PositiveIntegerField(
        _("filas con avisos"), default=0, help_text=_("Filas importadas en las que se descartó un valor imposible")
    )
    phase = models.CharField(_("fase"), max_length=20, blank=True, help_text=_("lectura, guardado, empleadores…"))
    summary = models.JSONField(
        _("resumen"), default=dict, blank=True,
        help_text=_("Cifras medidas en el archivo: totales de todas las filas y de las principales, reglas aplicadas"),
    )
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("importada por"),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    started_at = models.DateTimeField(_("inicio"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duración (s)"), default=0)
    stored_file = models.CharField(
        max_length=500, blank=True, help_text=_("Ruta del archivo subido mientras espera a ser importado")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")

    def __str__(self):
        return f"{self.kind} · {self.file_name}"

    @classmethod
    def scope(cls, qs, user, action):
        """Administrators; destination officials of the batch's country (they upload and follow imports)."""
        if _is_admin(user):
            return qs
        if _role(user) == Role.DESTINATION_OFFICIAL and user.country_codes:
            if action in ("view", "export", "create"):
                return qs.filter(country_id__in=user.country_codes)
        return qs.none()


class RejectedRow(models.Model):
    """A row an import refused, with the reason; the batch's downloadable report lists them all.

    Warnings are listed too: rows that were imported but had one impossible value dropped (e.g. a year
    2525 in a column that is only kept for reference)."""

    class Severity(models.TextChoices):
        ERROR = "error", _("Rechazada")
        WARNING = "warning", _("Importada con aviso")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejected")
    severity = models.CharField(_("gravedad"), max_length=10, choices=Severity.choices, default=Severity.ERROR)
    row_number = models.PositiveIntegerField(_("fila"), help_text=_("Número de fila en el archivo (1 = encabezado)"))
    source_key = models.CharField(_("clave en la fuente"), max_length=80, blank=True)
    column = models.CharField(_("columna"), max_length=80, blank=True)
    reason = models.CharField(_("motivo"), max_length=500)
    values = models.JSONField(_("valores"), default=dict, blank=True)

    class Meta:
        ordering = ["batch_id", "row_number", "id"]
        verbose_name = _("fila rechazada")
        verbose_name_plural = _("filas rechazadas")

    def __str__(self):
        return f"{self.batch_id}:{self.row_number} {self.reason}"


class JobOrder(ScopedModel):
    """A request for temporary foreign workers as published by the destination country's authority.

    Identity is (source, source_key, fiscal_year, line): ``source_key`` is the case / job-order number, and
    ``line`` numbers the rows of one case in files that repeat a case for association members (0 = the case's
    own row). For OFLC the fiscal year is the disclosure file's year, so a newer release of the same year (Q2,
    then the full year) updates the record, while a case re-decided in a later year keeps one record per
    year's file. SeasonalJobs and LMIA records are matched on (source, source_key, line) alone.
    """

    class AssociationRole(models.TextChoices):
        SINGLE = "single", _("Empleador individual")
        PRIMARY = "primary", _("Solicitud principal de una asociación")
        MEMBER = "member", _("Miembro de una asociación (fila repetida)")

    class StatusCategory(models.TextChoices):
        CERTIFIED = "certified", _("Certificada / aprobada")
        PARTIAL = "partial", _("Certificada parcialmente")
        DENIED = "denied", _("Denegada")
        WITHDRAWN = "withdrawn", _("Retirada")
        PENDING = "pending", _("En trámite / publicada")
        OTHER = "other", _("Otra")

    source = models.CharField(_("fuente"), max_length=20, choices=Source.choices, db_index=True)
    source_key = models.CharField(_("número de caso u orden"), max_length=60, db_index=True)
    line = models.PositiveIntegerField(_("línea dentro del caso"), default=0)
    job_order_number = models.CharField(_("número de orden de trabajo"), max_length=60, blank=True, db_index=True)
    programme = models.CharField(_("programa"), max_length=10, choices=Programme.choices, db_index=True)
    fiscal_year = models.PositiveSmallIntegerField(
        _("año fiscal"), db_index=True,
        help_text=_("EE. UU.: año fiscal federal (1 oct – 30 sep) de la decisión o del inicio; Canadá: año civil"),
    )
    quarter = models.PositiveSmallIntegerField(_("trimestre"), null=True, blank=True)

    association_role = models.CharField(
        _("papel en una asociación"), max_length=10, choices=AssociationRole.choices, default=AssociationRole.SINGLE
    )
    is_primary = models.BooleanField(
        _("cuenta en los totales oficiales"), default=True, db_index=True,
        help_text=_("Falso para las filas repetidas de miembros de una asociación"),
    )
    primary_rule = models.CharField(
        _("cómo se determinó"), max_length=80, blank=True,
        help_text=_("Columna PRIMARY/SUB, o la regla aplicada cuando el archivo no la tiene"),
    )

    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="job_orders",
        verbose_name=_("empleador"),
    )
    employer_name = models.CharField(_("empleador (publicado)"), max_length=300)
    trade_name = models.CharField(_("nombre comercial (DBA)"), max_length=300, blank=True)
    employer_address = models.CharField(_("dirección del empleador"), max_length=300, blank=True)
    employer_city = models.CharField(_("ciudad del empleador"), max_length=120, blank=True)
    employer_state = models.CharField(_("estado/provincia del empleador (publicado)"), max_length=60, blank=True)
    employer_postal_code = models.CharField(_("código postal del empleador"), max_length=20, blank=True)

    country = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("país de destino")
    )
    worksite_subdivision = models.ForeignKey(
        "core.Subdivision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("estado o provincia del lugar de trabajo"),
    )
    worksite_city = models.CharField(_("ciudad del lugar de trabajo"), max_length=120, blank=True)
    worksite_county = models.CharField(_("condado"), max_length=120, blank=True)
    worksite_postal_code = models.CharField(_("código postal del lugar de trabajo"), max_length=20, blank=True)

    job_title = models.CharField(_("puesto"), max_length=300, blank=True)
    occupation_system = models.CharField(
        _("clasificación publicada"), max_length=10, choices=OccupationSystem.choices, blank=True
    )
    occupation_code = models.CharField(_("código publicado"), max_length=20, blank=True, db_index=True)
    occupation_title = models.CharField(_("ocupación publicada"), max_length=300, blank=True)
    isco_code = models.CharField(_("CIUO-08"), max_length=4, blank=True, db_index=True)
    isco_method = models.CharField(_("cómo se asignó la CIUO-08"), max_length=120, blank=True)
    isco_alternatives = models.JSONField(
        _("otras CIUO-08 posibles"), default=list, blank=True,
        help_text=_("Códigos a los que la tabla de correspondencias también lleva"),
    )
    naics_code = models.CharField(_("SCIAN/NAICS"), max_length=10, blank=True)
    primary_crop = models.CharField(_("cultivo principal"), max_length=200, blank=True)

    positions_requested = models.PositiveIntegerField(_("puestos solicitados"), null=True, blank=True)
    positions_certified = models.PositiveIntegerField(_("puestos certificados/aprobados"), null=True, blank=True)
    begin_date = models.DateField(_("inicio"), null=True, blank=True, db_index=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)

    wage_rate = models.DecimalField(_("salario publicado"), max_digits=12, decimal_places=2, null=True, blank=True)
    wage_unit = models.CharField(_("unidad del salario"), max_length=20, blank=True)
    wage_currency = models.CharField(_("moneda"), max_length=3, blank=True)
    wage_hourly = models.DecimalField(
        _("salario por hora"), max_digits=10, decimal_places=2, null=True, blank=True,
        help_text=_("Normalizado a la hora en su moneda; vacío si la unidad no lo permite (p. ej. a destajo)"),
    )
    hours_per_week = models.DecimalField(_("horas por semana"), max_digits=5, decimal_places=1, null=True, blank=True)
    experience_months = models.PositiveSmallIntegerField(_("experiencia requerida (meses)"), null=True, blank=True)
    education_level = models.CharField(_("estudios requeridos"), max_length=120, blank=True)
    training_months = models.PositiveSmallIntegerField(_("formación requerida (meses)"), null=True, blank=True)
    special_requirements = models.TextField(_("requisitos especiales"), blank=True)
    housing_provided = models.BooleanField(_("vivienda ofrecida"), null=True, blank=True)
    housing_summary = models.CharField(_("vivienda"), max_length=300, blank=True)

    case_status = models.CharField(_("estado del caso (publicado)"), max_length=80, blank=True)
    status_category = models.CharField(
        _("estado"), max_length=10, choices=StatusCategory.choices, default=StatusCategory.OTHER, db_index=True
    )
    received_date = models.DateField(_("fecha de recepción"), null=True, blank=True)
    decision_date = models.DateField(_("fecha de decisión"), null=True, blank=True)

    source_file = models.CharField(_("archivo de origen"), max_length=255)
    source_row = models.PositiveIntegerField(_("fila en el archivo"))
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="job_orders", null=True, blank=True)
    is_synthetic = models.BooleanField(
        _("sintético"), default=False, db_index=True,
        help_text=_("Generado para pruebas de escala; nunca entra en las estadísticas publicadas"),
    )
    extra = models.JSONField(
        _("otros valores publicados"), default=dict, blank=True,
        help_text=_("Columnas de la fuente sin campo propio (p. ej. número de EIMT, enlace de la oferta)"),
    )
    row_hash = models.CharField(
        _("huella del contenido"), max_length=32, blank=True,
        help_text=_("Resumen de los valores importados: una nueva importación idéntica no cambia nada"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-fiscal_year", "source_key", "line"]
        verbose_name = _("orden de trabajo")
        verbose_name_plural = _("órdenes de trabajo")
        constraints = [
            # A case decided again in a later fiscal year appears in both years' disclosure files (e.g. certified
            # in FY2016, withdrawn in FY2017); each file's record is kept so that each year's totals stay as published.
            models.UniqueConstraint(
                fields=["source", "source_key", "fiscal_year", "line"], name="joborder_source_key_year_line"
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "fiscal_year", "is_primary"]),
            models.Index(fields=["country", "worksite_subdivision"]),
        ]

    def __str__(self):
        return f"{self.programme} {self.source_key} · {self.employer_name}"

    @classmethod
    def scope(cls, qs, user, action):
        """Job orders are published by the authorities: everyone reads real ones. Synthetic scale-test rows
        are for administrators only. Writes come from imports by administrators and destination officials."""
        if action in ("view", "export"):
            return qs if _is_admin(user) else qs.filter(is_synthetic=False)
        if _is_admin(user):
            return qs
        if _role(user) == Role.DESTINATION_OFFICIAL and user.country_codes:
            return qs.filter(country_id__in=user.country_codes)
        return qs.none()


class Worksite(models.Model):
    """An additional place of employment of a job order (H-2A Addendum B, H-2B Appendix A, SeasonalJobs)."""

    job_order = models.ForeignKey(JobOrder, on_delete=models.CASCADE, related_name="worksites")
    name = models.CharField(_("explotación / negocio"), max_length=300, blank=True)
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    city = models.CharField(_("ciudad"), max_length=120, blank=True)
    county = models.CharField(_("condado"), max_length=120, blank=True)
    subdivision = models.ForeignKey("core.Subdivision", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    postal_code = models.CharField(_("código postal"), max_length=20, blank=True)
    area = models.CharField(_("área estadística"), max_length=200, blank=True)
    positions = models.PositiveIntegerField(_("trabajadores"), null=True, blank=True)
    begin_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    wage_from = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    wage_to = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    wage_unit = models.CharField(max_length=20, blank=True)
    notes = models.TextField(_("información adicional"), blank=True)
    source_file = models.CharField(max_length=255)
    source_row = models.PositiveIntegerField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["job_order_id", "source_row"]
        verbose_name = _("lugar de trabajo adicional")
        verbose_name_plural = _("lugares de trabajo adicionales")
        constraints = [models.UniqueConstraint(fields=["source_file", "source_row"], name="worksite_file_row")]

    def __str__(self):
        return f"{self.name or self.city} ({self.job_order_id})"


class Housing(models.Model):
    """Worker housing declared for an H-2A job order (main form or Addendum B housing)."""

    job_order = models.ForeignKey(JobOrder, on_delete=models.CASCADE, related_name="housing")
    housing_type = models.CharField(_("tipo"), max_length=120, blank=True)
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    city = models.CharField(_("ciudad"), max_length=120, blank=True)
    county = models.CharField(_("condado"), max_length=120, blank=True)
    subdivision = models.ForeignKey("core.Subdivision", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    postal_code = models.CharField(_("código postal"), max_length=20, blank=True)
    units = models.PositiveIntegerField(_("unidades"), null=True, blank=True)
    occupancy = models.PositiveIntegerField(_("ocupación"), null=True, blank=True)
    standards = models.CharField(_("normas cumplidas"), max_length=120, blank=True)
    notes = models.TextField(_("información adicional"), blank=True)
    source_file = models.CharField(max_length=255)
    source_row = models.PositiveIntegerField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["job_order_id", "source_row"]
        verbose_name = _("vivienda")
        verbose_name_plural = _("viviendas")
        constraints = [models.UniqueConstraint(fields=["source_file", "source_row"], name="housing_file_row")]

    def __str__(self):
        return f"{self.housing_type} {self.city} ({self.job_order_id})"


class Crop(models.Model):
    """A crop or agricultural activity of an H-2A job order with its wage offer (Addendum A)."""

    job_order = models.ForeignKey(JobOrder, on_delete=models.CASCADE, related_name="crops")
    activity = models.CharField(_("cultivo o actividad"), max_length=300)
    wage_offer = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    wage_unit = models.CharField(max_length=40, blank=True)
    piece_rate_notes = models.TextField(blank=True)
    source_file = models.CharField(max_length=255)
    source_row = models.PositiveIntegerField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["job_order_id", "source_row"]
        verbose_name = _("cultivo / actividad")
        verbose_name_plural = _("cultivos / actividades")
        constraints = [models.UniqueConstraint(fields=["source_file", "source_row"], name="crop_file_row")]

    def __str__(self):
        return self.activity


# --- Pre-aggregated cubes behind the demand dashboard (maintained by demand/aggregates.py) ---------------

class _CubeBase(models.Model):
    """Dimensions shared by the cubes. Codes as text; "" (or 0) where the job order has no value."""

    is_synthetic = models.BooleanField(default=False)
    source = models.CharField(max_length=20)
    programme = models.CharField(max_length=10)
    fiscal_year = models.PositiveSmallIntegerField()
    country = models.CharField(max_length=3)
    subdivision = models.CharField(max_length=8, blank=True)
    isco_code = models.CharField(max_length=4, blank=True)
    occupation_system = models.CharField(max_length=10, blank=True)
    occupation_code = models.CharField(max_length=20, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.programme} FY{self.fiscal_year} {self.country}{self.subdivision} {self.isco_code}"


class _CubeMeasures(models.Model):
    job_orders = models.PositiveIntegerField(default=0, help_text=_("Filas principales"))
    all_rows = models.PositiveIntegerField(default=0, help_text=_("Todas las filas"))
    certified = models.BigIntegerField(default=0)
    certified_all = models.BigIntegerField(default=0)
    requested = models.BigIntegerField(default=0)
    requested_all = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class DemandCube(_CubeBase, _CubeMeasures):
    """Job orders summed by place, occupation, month of start and import batch (no employer)."""

    month = models.PositiveSmallIntegerField(default=0, help_text=_("Mes de inicio; 0 si no se publica"))
    batch_id = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("cubo de demanda")
        indexes = [models.Index(fields=["is_synthetic", "programme", "fiscal_year"], name="demandcube_prog_year"),
                   models.Index(fields=["is_synthetic", "subdivision"], name="demandcube_subdivision"),
                   models.Index(fields=["is_synthetic", "isco_code"], name="demandcube_isco")]


class DemandEmployerCube(_CubeBase, _CubeMeasures):
    """Job orders summed by employer, place and occupation (for the top employers)."""

    employer_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("cubo de demanda por empleador")
        indexes = [models.Index(fields=["is_synthetic", "programme", "fiscal_year"], name="employercube_prog_year"),
                   models.Index(fields=["is_synthetic", "subdivision"], name="employercube_subdivision"),
                   models.Index(fields=["is_synthetic", "isco_code"], name="employercube_isco")]


class DemandWageCube(_CubeBase):
    """How many job orders (primary rows) offer each hourly wage, in cents of their currency."""

    currency = models.CharField(max_length=3, blank=True)
    cents = models.PositiveIntegerField()
    job_orders = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("cubo de salarios")
        indexes = [models.Index(fields=["is_synthetic", "programme", "fiscal_year"], name="wagecube_prog_year"),
                   models.Index(fields=["is_synthetic", "subdivision"], name="wagecube_subdivision")]


class CubeState(models.Model):
    """When the cubes were last rebuilt, and for which state of the job orders."""

    part = models.CharField(max_length=10, unique=True, help_text=_("real o synthetic"))
    version = models.CharField(max_length=120)
    built_at = models.DateTimeField(auto_now=True)
    seconds = models.FloatField(default=0)
    cube_rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("estado de los cubos de demanda")

    def __str__(self):
        return f"{self.part} {self.version}"


class DemandEmployerRank(_CubeMeasures):
    """The 50 employers with most certified positions for each combination of programme, fiscal year,
    destination country and source ("" / 0 = all), by both counting rules: the top-employers chart for the
    filters most pages use, read without summing the employer cube again."""

    is_synthetic = models.BooleanField(default=False)
    counting = models.CharField(max_length=7)
    programme = models.CharField(max_length=10, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(default=0)
    country = models.CharField(max_length=3, blank=True)
    source = models.CharField(max_length=20, blank=True)
    rank = models.PositiveIntegerField()
    employer_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("clasificación de empleadores")
        indexes = [models.Index(fields=["is_synthetic", "counting", "programme", "fiscal_year", "country", "source",
                                        "rank"], name="employerrank_lookup")]

    def __str__(self):
        return f"{self.counting} {self.programme} FY{self.fiscal_year} #{self.rank}"
