"""Regional migration statistics, as published: migrant stocks, population, country indicators.

Every fact row belongs to a ``Dataset`` and keeps the line of the official file it came from
(``source_line``); the dataset's current ``ImportBatch`` names the file, its SHA-256 and row counts,
and ``RejectedRow`` keeps every line that was refused, with the reason. Area codes are kept as the
publisher wrote them (UN/IOM codes such as CHI, XKX, ANT and "XXX" = other/unknown are not all
ISO 3166), so they are text columns, not foreign keys to ``core.Country``.

These are aggregates without personal data: anyone may read and export them; only administrators
change them, through ``services`` (audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from temporada.core.i18n import TranslatedMixin
from temporada.core.restrict import Action, ScopedModel

OTHER_AREA = "XXX"  # UN DESA "Other": origin not reported or not attributable to a country


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and getattr(user, "is_admin_role", False))


class PublicStatisticsModel(ScopedModel):
    """Public aggregates: everyone reads and exports; administrators alone may write."""

    class Meta:
        abstract = True

    @classmethod
    def scope(cls, qs, user, action):
        if action in (Action.VIEW, Action.EXPORT):
            return qs
        return qs if is_admin(user) else qs.none()


class Dataset(TranslatedMixin, PublicStatisticsModel):
    """One entry of the open-data catalogue (metadata kept in ``catalogue.py``, counts filled by imports)."""

    key = models.SlugField(max_length=60, primary_key=True)
    title_es = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    title_fr = models.CharField(max_length=200)
    description_es = models.TextField()
    description_en = models.TextField()
    description_fr = models.TextField()
    publisher = models.CharField(_("editor"), max_length=200)
    source_url = models.URLField(_("fuente"), max_length=500)
    licence_name = models.CharField(_("licencia"), max_length=120)
    licence_url = models.URLField(_("texto de la licencia"), max_length=300)
    version = models.CharField(_("edición"), max_length=80, blank=True)
    derived = models.BooleanField(_("derivado"), default=False,
                                  help_text=_("Calculado por Temporada a partir de otros datos."))
    coverage_start = models.PositiveSmallIntegerField(_("primer año"), null=True, blank=True)
    coverage_end = models.PositiveSmallIntegerField(_("último año"), null=True, blank=True)
    areas = models.PositiveIntegerField(_("países o zonas"), default=0)
    rows = models.PositiveIntegerField(_("filas"), default=0)
    last_loaded_at = models.DateTimeField(_("última actualización"), null=True, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("conjunto de datos")
        verbose_name_plural = _("conjuntos de datos")

    def __str__(self):
        return self.t("title")

    @property
    def current_batch(self):
        return self.batches.filter(is_current=True).first()


class ImportBatch(PublicStatisticsModel):
    """One load of an official file into a dataset: which file, which bytes, how many rows."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="batches")
    file_name = models.CharField(_("archivo"), max_length=300)
    sha256 = models.CharField(max_length=64)
    file_size = models.PositiveBigIntegerField(default=0)
    rows_read = models.PositiveIntegerField(_("filas leídas"), default=0)
    rows_loaded = models.PositiveIntegerField(_("filas cargadas"), default=0)
    rows_rejected = models.PositiveIntegerField(_("filas rechazadas"), default=0)
    is_current = models.BooleanField(default=True, db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = _("carga de archivo")
        verbose_name_plural = _("cargas de archivos")

    def __str__(self):
        return f"{self.dataset_id} · {self.file_name} · {self.finished_at:%Y-%m-%d %H:%M}"


class RejectedRow(PublicStatisticsModel):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejects")
    line = models.PositiveIntegerField(_("línea"))
    reason = models.CharField(_("motivo"), max_length=300)
    raw = models.CharField(_("contenido"), max_length=500, blank=True)

    class Meta:
        ordering = ["batch", "line"]
        verbose_name = _("fila rechazada")
        verbose_name_plural = _("filas rechazadas")

    def __str__(self):
        return f"{self.line}: {self.reason}"


class Area(PublicStatisticsModel):
    """IOM GDI country table: names and World Bank regions for every code the publishers use."""

    iso3 = models.CharField(max_length=3, primary_key=True)
    iso2 = models.CharField(max_length=2, blank=True)
    numeric = models.CharField(max_length=3, blank=True)
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=60, blank=True)
    source_line = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["iso3"]
        verbose_name = _("zona estadística")
        verbose_name_plural = _("zonas estadísticas")

    def __str__(self):
        return f"{self.iso3} {self.name}"


class Sex(models.TextChoices):
    FEMALE = "F", _("Mujeres")
    MALE = "M", _("Hombres")
    TOTAL = "T", _("Total")


class MigrantStock(PublicStatisticsModel):
    """UN DESA International Migrant Stock 2020: persons born in ``origin`` living in ``destination`` at mid-year."""

    destination = models.CharField(max_length=3)
    origin = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1, choices=[(Sex.FEMALE, Sex.FEMALE.label), (Sex.MALE, Sex.MALE.label)])
    value = models.PositiveBigIntegerField()
    source_line = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["destination", "origin", "year", "sex"],
                                               name="indicators_stock_unique")]
        indexes = [models.Index(fields=["origin", "year"], name="indicators_stock_origin"),
                   models.Index(fields=["year", "sex"], name="indicators_stock_year")]
        verbose_name = _("stock de migrantes")
        verbose_name_plural = _("stocks de migrantes")

    def __str__(self):
        return f"{self.origin}→{self.destination} {self.year} {self.sex}: {self.value}"


class Population(PublicStatisticsModel):
    """UN World Population Prospects 2022, total population at 1 July, in thousands (as published)."""

    iso3 = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    thousands = models.DecimalField(max_digits=14, decimal_places=3)
    source_line = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["iso3", "year", "sex"], name="indicators_population_unique")]
        verbose_name = _("población")
        verbose_name_plural = _("población")

    def __str__(self):
        return f"{self.iso3} {self.year} {self.sex}: {self.thousands}"


class Indicator(TranslatedMixin, PublicStatisticsModel):
    """Definition of a country indicator (World Bank WDI and others, via IOM GDI)."""

    code = models.CharField(max_length=20, primary_key=True)
    name_es = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)
    name_fr = models.CharField(max_length=150)
    unit_es = models.CharField(max_length=150, blank=True)
    unit_en = models.CharField(max_length=150, blank=True)
    unit_fr = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=200)
    last_updated = models.DateField(null=True, blank=True)
    link = models.URLField(max_length=300, blank=True)
    source_line = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")

    def __str__(self):
        return self.t("name")


class IndicatorValue(PublicStatisticsModel):
    iso3 = models.CharField(max_length=3)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    source_line = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "iso3", "year"], name="indicators_value_unique")]
        indexes = [models.Index(fields=["iso3", "indicator", "year"], name="indicators_value_country")]
        verbose_name = _("valor de indicador")
        verbose_name_plural = _("valores de indicadores")

    def __str__(self):
        return f"{self.iso3} {self.indicator_id} {self.year}: {self.value}"
