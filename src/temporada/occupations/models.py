"""Occupation classifications and the crosswalks between them.

Codes are text everywhere (ISCO ``0110``, NOC ``00010``). Titles carry ``_es/_en/_fr`` columns only
where the publisher has them: ISCO-08 and ESCO in three languages; SOC, O*NET-SOC and NOC are
published in English only, so they have ``title_en`` and nothing is invented for the other languages.

Every ``CrosswalkLink`` keeps how it was made (``method``) and the file it came from (``provenance``).
All of this is public reference data: anyone may view and export it; it is written only by the loader.
"""

from __future__ import annotations

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from temporada.core.i18n import TranslatedMixin
from temporada.core.restrict import ScopedModel


class PublicReference(ScopedModel):
    """Reference data: readable by everyone, changed only by the bootstrap loader."""

    class Meta:
        abstract = True

    @classmethod
    def scope(cls, qs, user, action):
        return qs if action in ("view", "export") else qs.none()


class System(models.TextChoices):
    ISCO08 = "ISCO08", "ISCO-08"
    ESCO = "ESCO", "ESCO v1.0"
    SOC2018 = "SOC2018", "SOC 2018"
    SOC2010 = "SOC2010", "SOC 2010"
    ONETSOC2010 = "ONETSOC2010", "O*NET-SOC 2010"
    ONETSOC2019 = "ONETSOC2019", "O*NET-SOC 2019"
    NOC2011 = "NOC2011", "NOC 2011"
    NOC2021 = "NOC2021", "NOC 2021"


class LinkMethod(models.TextChoices):
    """How a crosswalk row was made. The value is stable (API); the label is shown to people."""

    OFFICIAL_BLS_IBS = "official_bls_ibs", _("Tabla de correspondencia oficial SOC 2010→ISCO-08 (BLS, versión IBS)")
    OFFICIAL_ONET = "official_onet", _("Tabla de correspondencia oficial de O*NET")
    DERIVED_VIA_SOC2010 = "derived_via_soc2010", _("Derivada a través de SOC 2010 (no oficial)")
    MANUAL = "manual", _("Asignación manual razonada (no oficial)")
    TITLE_MATCH = "title_match", _("Coincidencia de títulos (automática, no oficial)")


class IscoGroup(TranslatedMixin, PublicReference):
    """ISCO-08 group at one of four levels (1 major … 4 unit). Titles are ESCO's es/en/fr labels."""

    class Level(models.IntegerChoices):
        MAJOR = 1, _("Gran grupo")
        SUB_MAJOR = 2, _("Subgrupo principal")
        MINOR = 3, _("Subgrupo")
        UNIT = 4, _("Grupo primario")

    code = models.CharField(max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    title_es = models.CharField(max_length=255)
    title_en = models.CharField(max_length=255)
    title_fr = models.CharField(max_length=255)
    definition_en = models.TextField(blank=True, help_text=_("Solo se publica en inglés"))
    esco_uri = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("grupo CIUO-08")
        verbose_name_plural = _("grupos CIUO-08")

    def __str__(self):
        return f"{self.code} {self.t('title')}"

    def get_absolute_url(self):
        return reverse("occupations:isco", args=[self.code])


class EscoOccupation(TranslatedMixin, PublicReference):
    """ESCO v1.0 occupation, attached to one ISCO-08 unit group."""

    uuid = models.CharField(max_length=36, primary_key=True, help_text=_("Última parte del URI de ESCO"))
    uri = models.CharField(max_length=200, unique=True)
    isco = models.ForeignKey(IscoGroup, on_delete=models.PROTECT, related_name="esco_occupations")
    label_es = models.CharField(max_length=255)
    label_en = models.CharField(max_length=255)
    label_fr = models.CharField(max_length=255)
    # One label per line, as ESCO publishes them.
    alt_labels_es = models.TextField(blank=True)
    alt_labels_en = models.TextField(blank=True)
    alt_labels_fr = models.TextField(blank=True)
    description_en = models.TextField(blank=True, help_text=_("Solo se publica en inglés"))

    class Meta:
        ordering = ["label_en"]
        verbose_name = _("ocupación ESCO")
        verbose_name_plural = _("ocupaciones ESCO")

    def __str__(self):
        return self.t("label")

    def alt_labels(self, lang: str) -> list[str]:
        return [label for label in getattr(self, f"alt_labels_{lang}", "").split("\n") if label]

    def get_absolute_url(self):
        return reverse("occupations:esco", args=[self.uuid])


class SocOccupation(PublicReference):
    """SOC 2018 group or detailed occupation (BLS; English only)."""

    class Level(models.IntegerChoices):
        MAJOR = 1, _("Gran grupo")
        MINOR = 2, _("Grupo menor")
        BROAD = 3, _("Grupo amplio")
        DETAILED = 4, _("Ocupación detallada")

    code = models.CharField(max_length=7, primary_key=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    title_en = models.CharField(max_length=255)
    definition_en = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ocupación SOC 2018")
        verbose_name_plural = _("ocupaciones SOC 2018")

    def __str__(self):
        return f"{self.code} {self.title_en}"

    def get_absolute_url(self):
        return reverse("occupations:soc", args=[self.code])


class Soc2010Occupation(PublicReference):
    """SOC 2010 code and title as they appear in the crosswalk files (the full 2010 list is not vendored)."""

    code = models.CharField(max_length=7, primary_key=True)
    title_en = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ocupación SOC 2010")
        verbose_name_plural = _("ocupaciones SOC 2010")

    def __str__(self):
        return f"{self.code} {self.title_en}"

    def get_absolute_url(self):
        return reverse("occupations:soc2010", args=[self.code])


class OnetOccupation(PublicReference):
    """O*NET-SOC 2010 or 2019 code and title as listed in the O*NET crosswalks to SOC 2018."""

    version = models.CharField(max_length=4)
    code = models.CharField(max_length=10)
    title_en = models.CharField(max_length=255)

    class Meta:
        ordering = ["version", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="occupations_onet_version_code")]
        verbose_name = _("ocupación O*NET-SOC")
        verbose_name_plural = _("ocupaciones O*NET-SOC")

    def __str__(self):
        return f"O*NET-SOC {self.version} {self.code} {self.title_en}"


class NocGroup(PublicReference):
    """Canada's NOC. 2021 V1.0: the full structure (English only). 2011: unit groups as seen in the LMIA lists."""

    version = models.CharField(max_length=4)
    code = models.CharField(max_length=5)
    level = models.PositiveSmallIntegerField(db_index=True, help_text=_("1 categoría amplia … 5 grupo de base"))
    level_name = models.CharField(max_length=40)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    title_en = models.CharField(max_length=255)
    definition_en = models.TextField(blank=True)
    teer = models.CharField(max_length=1, blank=True)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["version", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="occupations_noc_version_code")]
        verbose_name = _("grupo CNP (NOC)")
        verbose_name_plural = _("grupos CNP (NOC)")

    def __str__(self):
        return f"NOC {self.version} {self.code} {self.title_en}"

    @property
    def is_unit(self) -> bool:
        return self.level == 5 if self.version == "2021" else True

    def get_absolute_url(self):
        return reverse("occupations:noc", args=[self.version, self.code])


class CrosswalkLink(PublicReference):
    """One row of a correspondence between two classifications, with how it was made."""

    source_system = models.CharField(max_length=12, choices=System.choices)
    source_code = models.CharField(max_length=12)
    source_title = models.CharField(max_length=255, blank=True)
    target_system = models.CharField(max_length=12, choices=System.choices)
    target_code = models.CharField(max_length=12)
    target_title = models.CharField(max_length=255, blank=True)
    method = models.CharField(max_length=24, choices=LinkMethod.choices)
    provenance = models.CharField(max_length=200, help_text=_("Archivo del que procede la fila"))
    via_code = models.CharField(max_length=12, blank=True, help_text=_("Código intermedio (SOC 2010 en la tabla derivada)"))
    detail = models.TextField(blank=True, help_text=_("Paso intermedio o razonamiento"))
    score = models.FloatField(null=True, blank=True, help_text=_("Similitud de títulos (solo coincidencias automáticas)"))
    position = models.PositiveIntegerField(default=0, help_text=_("Orden en el archivo"))

    class Meta:
        ordering = ["source_system", "source_code", "position"]
        indexes = [
            models.Index(fields=["source_system", "source_code"], name="occupations_xw_source"),
            models.Index(fields=["target_system", "target_code"], name="occupations_xw_target"),
        ]
        verbose_name = _("enlace de correspondencia")
        verbose_name_plural = _("enlaces de correspondencia")

    def __str__(self):
        return f"{self.source_system} {self.source_code} → {self.target_system} {self.target_code} ({self.method})"

    @property
    def is_official(self) -> bool:
        return self.method in (LinkMethod.OFFICIAL_BLS_IBS, LinkMethod.OFFICIAL_ONET)

    def source_url(self):
        return code_url(self.source_system, self.source_code)

    def target_url(self):
        return code_url(self.target_system, self.target_code)


class SearchEntry(TranslatedMixin, PublicReference):
    """One searchable concept of any classification, with its labels normalised for search.

    ``search_text`` and ``primary_text`` are lower-case, accent-free and punctuation-free
    (``search.normalise``), so a plain LIKE finds "agrícola" from "agricola" on SQLite and PostgreSQL.
    """

    class Kind(models.TextChoices):
        ISCO = "isco", "ISCO-08"
        ESCO = "esco", "ESCO"
        SOC = "soc", "SOC 2018"
        SOC2010 = "soc2010", "SOC 2010"
        NOC = "noc", "NOC 2021"
        NOC2011 = "noc2011", "NOC 2011"

    kind = models.CharField(max_length=8, choices=Kind.choices, db_index=True)
    code = models.CharField(max_length=40)
    display_code = models.CharField(max_length=12)
    level = models.PositiveSmallIntegerField(default=0)
    title_es = models.CharField(max_length=255, blank=True)
    title_en = models.CharField(max_length=255, blank=True)
    title_fr = models.CharField(max_length=255, blank=True)
    primary_text = models.TextField(help_text=_("|título es|título en|título fr|código|, normalizados"))
    search_text = models.TextField(help_text=_("Títulos y denominaciones alternativas normalizados"))
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="occupations_search_kind_code")]
        verbose_name = _("entrada del buscador de ocupaciones")
        verbose_name_plural = _("entradas del buscador de ocupaciones")

    def __str__(self):
        return f"{self.kind} {self.display_code}"

    def get_absolute_url(self):
        if self.kind in ("noc", "noc2011"):
            version, code = self.code.split("-", 1)
            return reverse("occupations:noc", args=[version, code])
        return reverse(f"occupations:{self.kind}", args=[self.code])


_URL_NAMES = {System.ISCO08: "isco", System.SOC2018: "soc", System.SOC2010: "soc2010"}


def code_url(system: str, code: str) -> str | None:
    """Explorer page of a code of ``system`` (None for O*NET-SOC codes, which have no page of their own)."""
    try:
        if system in _URL_NAMES:
            return reverse(f"occupations:{_URL_NAMES[system]}", args=[code])
        if system in (System.NOC2011, System.NOC2021):
            return reverse("occupations:noc", args=[system[-4:], code])
    except NoReverseMatch:
        return None
    return None
