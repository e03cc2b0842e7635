"""Programme and legal-framework catalogue.

Every fact carries its own citation (``Citation``: source URL + date checked). A fact without a
citation is shown as "not verified"; facts we could not verify stay empty rather than guessed.
Editors draft, reviewers publish; ``Revision`` keeps previous values of every change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from temporada.core.i18n import TranslatedMixin
from temporada.core.restrict import ScopedModel


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    PUBLISHED = "published", _("Publicado")
    UNPUBLISHED = "unpublished", _("Retirado")


class Modality(models.TextChoices):
    """The RCM's four kinds of cooperation, plus unilateral national schemes."""

    NATIONAL = "national", _("Nacional (unilateral)")
    BILATERAL = "bilateral", _("Bilateral")
    REGIONAL_FREE_MOBILITY = "regional_free_mobility", _("Libre movilidad regional")
    REGIONAL_INTEGRATION = "regional_integration", _("Integración regional")
    GLOBAL = "global", _("Global")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agricultura")
    NON_AGRICULTURE = "non_agriculture", _("No agrícola")
    CONSTRUCTION = "construction", _("Construcción")
    HOSPITALITY = "hospitality", _("Hotelería y turismo")
    FOOD_PROCESSING = "food_processing", _("Procesamiento de alimentos")
    DOMESTIC = "domestic", _("Trabajo doméstico")
    ANY = "any", _("Cualquier sector")


def is_reviewer(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and (getattr(user, "is_content_reviewer", False) or user.is_admin_role)
    )


def _role(user):
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


class PublishedScopedModel(ScopedModel):
    """Published rows are public for view/export; drafts only for their editors and reviewers."""

    state = models.CharField(
        _("estado de publicación"), max_length=12, choices=PublicationState.choices,
        default=PublicationState.DRAFT, db_index=True,
    )
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @classmethod
    def editor_filter(cls, user) -> models.Q | None:
        """Rows ``user`` may edit (None: nothing)."""
        return None

    @classmethod
    def scope(cls, qs, user, action):
        if is_reviewer(user):
            return qs
        published = models.Q(state=PublicationState.PUBLISHED)
        editable = cls.editor_filter(user)
        if action in ("view", "export"):
            return qs.filter(published | editable) if editable is not None else qs.filter(published)
        if action in ("change", "create") and editable is not None:
            return qs.filter(editable)
        return qs.none()


class Source(models.Model):
    """A page or file that supports facts."""

    url = models.URLField(_("dirección"), max_length=500, unique=True)
    title = models.CharField(_("título"), max_length=300)
    publisher = models.CharField(_("editor"), max_length=200, blank=True)

    class Meta:
        ordering = ["publisher", "title"]
        verbose_name = _("fuente")
        verbose_name_plural = _("fuentes")

    def __str__(self):
        return self.title


class Programme(TranslatedMixin, PublishedScopedModel):
    """A temporary worker programme or legal labour-migration channel."""

    # Attributes that are facts: each needs a citation when non-empty (see Citation).
    FACT_FIELDS = [
        "destination", "destination_agencies", "origin_agencies", "eligible_origins", "sectors", "isco_codes",
        "max_stay_months", "seasonal_window", "wage_rule", "housing", "transport", "meals", "insurance",
        "recruitment_fee_rule", "contract_language", "employer_change", "family", "permanent_residence",
        "start_year", "end_year", "status",
    ]
    TRANSLATED_FACTS = [
        "seasonal_window", "wage_rule", "housing", "transport", "meals", "insurance", "recruitment_fee_rule",
        "contract_language", "employer_change", "family", "permanent_residence",
    ]

    class Status(models.TextChoices):
        ACTIVE = "active", _("Vigente")
        ENDED = "ended", _("Terminado")

    slug = models.SlugField(max_length=60, unique=True)
    acronym_es = models.CharField(_("sigla (es)"), max_length=30, blank=True)
    acronym_en = models.CharField(_("sigla (en)"), max_length=30, blank=True)
    acronym_fr = models.CharField(_("sigla (fr)"), max_length=30, blank=True)
    name_es = models.CharField(_("nombre (es)"), max_length=250)
    name_en = models.CharField(_("nombre (en)"), max_length=250)
    name_fr = models.CharField(_("nombre (fr)"), max_length=250)
    description_es = models.TextField(_("descripción (es)"), blank=True)
    description_en = models.TextField(_("descripción (en)"), blank=True)
    description_fr = models.TextField(_("descripción (fr)"), blank=True)
    destination = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="destination_programmes", verbose_name=_("país de destino")
    )
    other_destinations = models.ManyToManyField(
        "core.Country", blank=True, related_name="+", verbose_name=_("otros países de destino"),
        help_text=_("Programas de colocación de un país de origen que envían a varios destinos."),
    )
    origin_side = models.BooleanField(
        _("programa del país de origen"), default=False,
        help_text=_("Lo administra el país de origen (registro, selección, acompañamiento)."),
    )
    destination_agencies = models.CharField(_("instituciones del país de destino"), max_length=500, blank=True)
    origin_agencies = models.CharField(_("instituciones de los países de origen"), max_length=500, blank=True)
    eligible_origins = models.ManyToManyField(
        "core.Country", blank=True, related_name="origin_programmes", verbose_name=_("países de origen elegibles")
    )
    eligible_origins_open = models.BooleanField(
        _("abierto a cualquier nacionalidad"), default=False,
        help_text=_("Sin lista de países: cualquier nacionalidad puede ser contratada."),
    )
    eligible_list_name = models.CharField(_("lista oficial de países"), max_length=300, blank=True)
    eligible_list_year = models.PositiveSmallIntegerField(_("año de la lista"), null=True, blank=True)
    eligible_list_partial = models.BooleanField(
        _("lista parcial"), default=False,
        help_text=_("Solo se han registrado los países de la CRM de una lista oficial más larga."),
    )
    family_accompany = models.BooleanField(
        _("la familia puede acompañar"), null=True, blank=True,
        help_text=_("Sí / no / no verificado; respaldado por la misma fuente que el dato «Familia»."),
    )
    sectors = models.JSONField(_("sectores"), default=list, blank=True)
    isco_codes = models.JSONField(_("ocupaciones (CIUO-08)"), default=list, blank=True)
    max_stay_months = models.PositiveSmallIntegerField(_("estancia máxima (meses)"), null=True, blank=True)
    modality = models.CharField(_("modalidad de cooperación"), max_length=30, choices=Modality.choices)
    status = models.CharField(_("situación"), max_length=10, choices=Status.choices, blank=True)
    start_year = models.PositiveSmallIntegerField(_("año de inicio"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("año de fin"), null=True, blank=True)
    official_url = models.URLField(_("página oficial"), max_length=500, blank=True)
    editor_country = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("país que edita"), help_text=_("Por defecto, el país de destino."),
    )

    class Meta:
        ordering = ["destination_id", "slug"]
        verbose_name = _("programa")
        verbose_name_plural = _("programas")

    def __str__(self):
        acronym = self.t("acronym")
        return f"{acronym} — {self.t('name')}" if acronym else self.t("name")

    @classmethod
    def editor_filter(cls, user):
        if _role(user) == "destination_official" and user.country_codes:
            return models.Q(destination_id__in=user.country_codes) | models.Q(editor_country_id__in=user.country_codes)
        if _role(user) == "origin_official" and user.country_codes:
            return models.Q(editor_country_id__in=user.country_codes)
        return None


for _field in Programme.TRANSLATED_FACTS:
    for _lang in ("es", "en", "fr"):
        Programme.add_to_class(f"{_field}_{_lang}", models.TextField(blank=True, default=""))


class LegalInstrument(TranslatedMixin, PublishedScopedModel):
    """A law, regulation, bilateral agreement/MoU, regional agreement or multilateral convention."""

    FACT_FIELDS = ["kind", "modality", "adoption_date", "entry_into_force", "obligations", "parties", "programmes"]

    class Kind(models.TextChoices):
        NATIONAL_LAW = "national_law", _("Ley nacional")
        REGULATION = "regulation", _("Reglamento")
        BILATERAL = "bilateral", _("Acuerdo o memorando bilateral")
        REGIONAL = "regional", _("Acuerdo regional")
        MULTILATERAL = "multilateral", _("Convenio multilateral")

    slug = models.SlugField(max_length=60, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=80)
    title_es = models.CharField(_("título (es)"), max_length=400)
    title_en = models.CharField(_("título (en)"), max_length=400)
    title_fr = models.CharField(_("título (fr)"), max_length=400)
    summary_es = models.TextField(_("resumen (es)"), blank=True)
    summary_en = models.TextField(_("resumen (en)"), blank=True)
    summary_fr = models.TextField(_("resumen (fr)"), blank=True)
    obligations_es = models.TextField(_("obligaciones (es)"), blank=True)
    obligations_en = models.TextField(_("obligaciones (en)"), blank=True)
    obligations_fr = models.TextField(_("obligaciones (fr)"), blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    modality = models.CharField(_("modalidad de cooperación"), max_length=30, choices=Modality.choices)
    adoption_date = models.DateField(_("fecha de adopción"), null=True, blank=True)
    adoption_year = models.PositiveSmallIntegerField(
        _("año de adopción"), null=True, blank=True, help_text=_("Cuando la fuente solo da el año.")
    )
    entry_into_force = models.DateField(_("entrada en vigor"), null=True, blank=True)
    official_url = models.URLField(_("texto oficial"), max_length=500, blank=True)
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="instruments", verbose_name=_("programas que funda o rige")
    )

    class Meta:
        ordering = ["adoption_year", "adoption_date", "slug"]
        verbose_name = _("instrumento jurídico")
        verbose_name_plural = _("instrumentos jurídicos")

    def __str__(self):
        return self.short_name

    @property
    def year(self):
        """Year for the timeline: the exact date when known, else the year the source gives."""
        return self.adoption_date.year if self.adoption_date else self.adoption_year

    @classmethod
    def editor_filter(cls, user):
        if _role(user) in ("destination_official", "origin_official") and user.country_codes:
            return models.Q(parties__country_id__in=user.country_codes)
        return None

    @classmethod
    def scope(cls, qs, user, action):
        return super().scope(qs, user, action).distinct()


class InstrumentParty(models.Model):
    """A country's signature / ratification of an instrument (each with its citation)."""

    instrument = models.ForeignKey(LegalInstrument, on_delete=models.CASCADE, related_name="parties")
    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="instrument_parties")
    signature_date = models.DateField(_("firma"), null=True, blank=True)
    ratification_date = models.DateField(_("ratificación, adhesión o entrada en vigor para el país"), null=True, blank=True)
    ratification_year = models.PositiveSmallIntegerField(
        _("año de ratificación o adhesión"), null=True, blank=True,
        help_text=_("Cuando la fuente solo da el año, no se inventa el día."),
    )
    ratification_kind = models.CharField(_("forma"), max_length=40, blank=True, help_text=_("ratificación, adhesión…"))
    note = models.CharField(_("nota"), max_length=300, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    checked_on = models.DateField(_("verificado el"), null=True, blank=True)

    class Meta:
        ordering = ["instrument_id", "country_id"]
        unique_together = [("instrument", "country")]
        verbose_name = _("parte de un instrumento")
        verbose_name_plural = _("partes de instrumentos")

    def __str__(self):
        return f"{self.instrument} · {self.country_id}"

    @property
    def signature_applies(self) -> bool:
        """States accede without signing; ILO conventions are adopted by the Conference and only ratified."""
        return self.ratification_kind != "accession" and not self.instrument.slug.startswith("ilo-")


class Citation(models.Model):
    """Source + date checked of one fact (a field) of a programme or an instrument."""

    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="citations")
    instrument = models.ForeignKey(
        LegalInstrument, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    field = models.CharField(max_length=40)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    checked_on = models.DateField(_("verificado el"))
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["field"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(programme__isnull=False, instrument__isnull=True)
                           | models.Q(programme__isnull=True, instrument__isnull=False)),
                name="programmes_citation_one_owner",
            ),
        ]
        verbose_name = _("cita")
        verbose_name_plural = _("citas")

    def __str__(self):
        return f"{self.field}: {self.source.url}"


class ProgrammeVolume(models.Model):
    """Annual volume of a programme (positions, visas or workers), each row with its source."""

    class Measure(models.TextChoices):
        POSITIONS_CERTIFIED = "positions_certified", _("Puestos certificados")
        POSITIONS_APPROVED = "positions_approved", _("Puestos aprobados")
        VISAS_ISSUED = "visas_issued", _("Visas emitidas")
        WORKERS = "workers", _("Trabajadores")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="volumes")
    year = models.PositiveSmallIntegerField(_("año"))
    year_kind = models.CharField(_("tipo de año"), max_length=20, default="calendar", help_text=_("calendar / fiscal_us"))
    measure = models.CharField(_("medida"), max_length=30, choices=Measure.choices)
    value = models.PositiveIntegerField(_("valor"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField(_("verificado el"))
    note = models.CharField(_("nota"), max_length=300, blank=True)

    class Meta:
        ordering = ["programme_id", "measure", "year"]
        unique_together = [("programme", "year", "measure")]
        verbose_name = _("volumen anual")
        verbose_name_plural = _("volúmenes anuales")

    def __str__(self):
        return f"{self.programme.slug} {self.year} {self.measure}: {self.value}"


class FeePayer(models.TextChoices):
    EMPLOYER = "employer", _("Empleador")
    WORKER = "worker", _("Trabajador/a")
    GOVERNMENT = "government", _("Gobierno")
    NONE = "none", _("Gratuito")
    UNKNOWN = "", _("No verificado")


class Procedure(TranslatedMixin, PublishedScopedModel):
    """Documentation procedure for one programme and one origin country."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="procedures")
    origin = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="procedures")
    summary_es = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    summary_fr = models.TextField(blank=True)

    class Meta:
        ordering = ["programme_id", "origin_id"]
        unique_together = [("programme", "origin")]
        verbose_name = _("procedimiento de documentación")
        verbose_name_plural = _("procedimientos de documentación")

    def __str__(self):
        return f"{self.programme} · {self.origin_id}"

    @classmethod
    def editor_filter(cls, user):
        if _role(user) == "origin_official" and user.country_codes:
            return models.Q(origin_id__in=user.country_codes)
        if _role(user) == "destination_official" and user.country_codes:
            return models.Q(programme__destination_id__in=user.country_codes)
        return None

    @classmethod
    def scope(cls, qs, user, action):
        # A procedure is public only when it and its programme are both published.
        if is_reviewer(user):
            return qs
        editable = cls.editor_filter(user)
        if action in ("view", "export"):
            public = models.Q(state=PublicationState.PUBLISHED, programme__state=PublicationState.PUBLISHED)
            return qs.filter(public | editable) if editable is not None else qs.filter(public)
        if action in ("change", "create") and editable is not None:
            return qs.filter(editable)
        return qs.none()


class ProcedureStep(TranslatedMixin, models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    title_es = models.CharField(max_length=250)
    title_en = models.CharField(max_length=250)
    title_fr = models.CharField(max_length=250)
    office_es = models.CharField(_("oficina responsable"), max_length=300, blank=True)
    office_en = models.CharField(max_length=300, blank=True)
    office_fr = models.CharField(max_length=300, blank=True)
    documents_es = models.TextField(_("documentos"), blank=True)
    documents_en = models.TextField(blank=True)
    documents_fr = models.TextField(blank=True)
    fees_es = models.TextField(_("costos"), blank=True)
    fees_en = models.TextField(blank=True)
    fees_fr = models.TextField(blank=True)
    fee_payer = models.CharField(_("quién paga"), max_length=12, choices=FeePayer.choices, blank=True)
    typical_time_es = models.CharField(_("tiempo habitual"), max_length=200, blank=True)
    typical_time_en = models.CharField(max_length=200, blank=True)
    typical_time_fr = models.CharField(max_length=200, blank=True)
    where_es = models.TextField(_("dónde acudir"), blank=True)
    where_en = models.TextField(blank=True)
    where_fr = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    checked_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["procedure_id", "order"]
        unique_together = [("procedure", "order")]
        verbose_name = _("paso del procedimiento")
        verbose_name_plural = _("pasos del procedimiento")

    def __str__(self):
        return f"{self.order}. {self.t('title')}"


class BestPractice(PublishedScopedModel):
    """A documentation best practice submitted by an official, reviewed before publication.

    Stored as plain text (length-limited); templates escape it."""

    class Topic(models.TextChoices):
        DOCUMENTATION = "documentation", _("Documentación y trámites")
        RECRUITMENT = "recruitment", _("Reclutamiento ético")
        PREDEPARTURE = "predeparture", _("Orientación previa a la salida")
        PROTECTION = "protection", _("Protección y derechos")
        RETURN = "return", _("Retorno y reintegración")
        OTHER = "other", _("Otro")

    TITLE_MAX = 200
    TEXT_MAX = 5000
    EVIDENCE_MAX = 2000

    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="best_practices")
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="best_practices"
    )
    topic = models.CharField(_("tema"), max_length=20, choices=Topic.choices)
    language = models.CharField(_("idioma"), max_length=2, default="es")
    title = models.CharField(_("título"), max_length=TITLE_MAX)
    text = models.TextField(_("descripción"), max_length=TEXT_MAX)
    evidence = models.TextField(_("evidencia"), max_length=EVIDENCE_MAX, blank=True)
    evidence_url = models.URLField(_("enlace a la evidencia"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("buena práctica")
        verbose_name_plural = _("buenas prácticas")

    def __str__(self):
        return self.title

    @classmethod
    def editor_filter(cls, user):
        if _role(user) in ("origin_official", "destination_official", "consular") and user.country_codes:
            return models.Q(country_id__in=user.country_codes)
        return None


class Revision(models.Model):
    """One change of a catalogue record: previous and new values, who and when."""

    object_type = models.CharField(max_length=80, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=20)  # created / changed / published / unpublished / reviewed
    previous = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("revisión")
        verbose_name_plural = _("revisiones")

    def __str__(self):
        return f"{self.object_type}:{self.object_id} {self.action}"
