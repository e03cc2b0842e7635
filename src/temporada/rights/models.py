"""Workers' portal content and anonymous usage counters.

Content (``Statement``, ``HelpContact``) is written in our own words in three languages; each row
carries the page it was checked against (``Source``) and the date it was checked. Facts that are
already in the programme catalogue are not copied here: the portal shows the catalogue's own
citations for them.

Counters (``VerificationCount``, ``CheckFailureCount``, ``PageVisit``) hold aggregates only: a week
or a day, categorical values and a number. There is deliberately no column that could hold free
text, an address or an identifier of a visitor.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from temporada.accounts.roles import Role
from temporada.core.i18n import TranslatedMixin
from temporada.core.restrict import ScopedModel
from temporada.programmes.models import PublishedScopedModel


class Topic(models.TextChoices):
    """What a rights statement is about, in the order the pages show them."""

    WAGES = "wages", _("Salario y pago")
    OVERTIME = "overtime", _("Horas extra")
    HOURS = "hours", _("Horas de trabajo garantizadas")
    HOUSING = "housing", _("Vivienda")
    TRANSPORT = "transport", _("Transporte y viaje")
    MEALS = "meals", _("Alimentación")
    INSURANCE = "insurance", _("Salud y accidentes de trabajo")
    FEES = "fees", _("Comisiones de reclutamiento")
    PASSPORT = "passport", _("Pasaporte y documentos")
    CONTRACT = "contract", _("Contrato e idioma")
    EMPLOYER_CHANGE = "employer_change", _("Cambio de empleador")
    UNION = "union", _("Organizarse y sindicatos")
    DUTIES = "duties", _("Lo que usted debe hacer")
    COMPLAINTS = "complaints", _("Cómo y dónde quejarse")


# Catalogue facts (programmes.Programme fields) shown under each topic, with the catalogue's citation.
CATALOGUE_FACTS_BY_TOPIC = {
    Topic.WAGES: ["wage_rule"],
    Topic.HOUSING: ["housing"],
    Topic.TRANSPORT: ["transport"],
    Topic.MEALS: ["meals"],
    Topic.INSURANCE: ["insurance"],
    Topic.FEES: ["recruitment_fee_rule"],
    Topic.CONTRACT: ["contract_language"],
    Topic.EMPLOYER_CHANGE: ["employer_change"],
    Topic.DUTIES: ["seasonal_window", "max_stay_months"],
}


class Source(models.Model):
    """A page a statement or a contact was checked against."""

    url = models.URLField(_("dirección"), max_length=500, unique=True)
    title = models.CharField(_("título"), max_length=300)
    publisher = models.CharField(_("editor"), max_length=200, blank=True)
    is_official = models.BooleanField(
        _("página oficial"), default=False,
        help_text=_("Publicada por el propio organismo público (no una copia o un resumen de terceros)."),
    )

    class Meta:
        ordering = ["publisher", "title"]
        verbose_name = _("fuente")
        verbose_name_plural = _("fuentes")

    def __str__(self):
        return self.title


class Statement(TranslatedMixin, PublishedScopedModel):
    """One right or duty, in plain words, for the programmes of a destination country."""

    slug = models.SlugField(max_length=80, unique=True)
    topic = models.CharField(_("tema"), max_length=20, choices=Topic.choices, db_index=True)
    destination = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("país de destino")
    )
    # Catalogue programme slugs the statement applies to; empty = every programme of the destination.
    programme_slugs = models.JSONField(_("programas"), default=list, blank=True)
    text_es = models.TextField(_("texto (es)"))
    text_en = models.TextField(_("texto (en)"))
    text_fr = models.TextField(_("texto (fr)"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statements")
    checked_on = models.DateField(_("verificado el"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["destination_id", "order", "slug"]
        verbose_name = _("derecho u obligación")
        verbose_name_plural = _("derechos y obligaciones")

    def __str__(self):
        return self.slug

    def applies_to(self, programme) -> bool:
        destinations = {programme.destination_id, *[c.iso3 for c in programme.other_destinations.all()]}
        if self.destination_id not in destinations:
            return False
        return not self.programme_slugs or programme.slug in self.programme_slugs


class HelpContact(TranslatedMixin, PublishedScopedModel):
    """An official place to ask for help: complaint channel, hotline, consulate, ministry."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Canal oficial de quejas")
        HOTLINE = "hotline", _("Línea telefónica")
        CONSULATE = "consulate", _("Consulado")
        VERIFICATION = "verification", _("Verificación de ofertas")

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("tipo"), max_length=15, choices=Kind.choices)
    name_es = models.CharField(_("nombre (es)"), max_length=250)
    name_en = models.CharField(_("nombre (en)"), max_length=250)
    name_fr = models.CharField(_("nombre (fr)"), max_length=250)
    note_es = models.TextField(_("nota (es)"), blank=True)
    note_en = models.TextField(_("nota (en)"), blank=True)
    note_fr = models.TextField(_("nota (fr)"), blank=True)
    operator = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("país que lo ofrece")
    )
    nationality = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("para nacionales de"), help_text=_("Vacío: para cualquier persona."),
    )
    destination = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("dónde atiende")
    )
    subdivision = models.ForeignKey(
        "core.Subdivision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("estado o provincia"),
    )
    city = models.CharField(_("ciudad"), max_length=120, blank=True)
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    phone = models.CharField(_("teléfono"), max_length=60, blank=True)
    website = models.URLField(_("sitio web"), max_length=500, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="contacts")
    checked_on = models.DateField(_("verificado el"))

    class Meta:
        ordering = ["destination_id", "kind", "slug"]
        verbose_name = _("contacto de ayuda")
        verbose_name_plural = _("contactos de ayuda")

    def __str__(self):
        return self.t("name")


def _can_see_statistics(user) -> bool:
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    return bool(user is not None and getattr(user, "is_active", False)
                and (role in (Role.DESTINATION_OFFICIAL, Role.ANALYST, Role.ADMIN)
                     or getattr(user, "is_superuser", False)))


class _Statistic(ScopedModel):
    """Aggregated anonymous counts: read by destination officials, analysts and administrators only;
    written only by the portal's own services (never through a user action)."""

    class Meta:
        abstract = True

    @classmethod
    def scope(cls, qs, user, action):
        if action in ("view", "export") and _can_see_statistics(user):
            return qs
        return qs.none()


class Outcome(models.TextChoices):
    CONSISTENT = "consistent", _("Encontrada y coherente")
    CONTRADICTIONS = "contradictions", _("Encontrada con contradicciones")
    NOT_FOUND = "not_found", _("No encontrada")


class Check(models.TextChoices):
    """Checks an offer can fail."""

    FEE = "fee", _("Cobro prohibido")
    DATES = "dates", _("Fechas distintas")
    PLACE = "place", _("Lugar distinto")
    PROGRAMME = "programme", _("Programa distinto")
    EMPLOYER = "employer", _("Empleador distinto")
    STATUS = "status", _("Orden denegada o retirada")
    EXISTS = "exists", _("Orden inexistente")


class VerificationCount(_Statistic):
    """How many offer checks ended with each outcome, per ISO week, programme and destination subdivision."""

    week = models.DateField(_("semana (lunes)"), db_index=True)
    outcome = models.CharField(_("resultado"), max_length=15, choices=Outcome.choices)
    programme = models.CharField(_("programa"), max_length=10, blank=True)
    subdivision = models.CharField(_("estado o provincia de destino"), max_length=8, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week", "outcome", "programme", "subdivision"]
        verbose_name = _("verificaciones por resultado")
        verbose_name_plural = _("verificaciones por resultado")
        constraints = [models.UniqueConstraint(fields=["week", "outcome", "programme", "subdivision"],
                                               name="rights_verification_count_key")]


class CheckFailureCount(_Statistic):
    """How often each check failed, per ISO week, programme and destination subdivision."""

    week = models.DateField(_("semana (lunes)"), db_index=True)
    check_name = models.CharField(_("comprobación"), max_length=12, choices=Check.choices)
    programme = models.CharField(_("programa"), max_length=10, blank=True)
    subdivision = models.CharField(_("estado o provincia de destino"), max_length=8, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week", "check_name", "programme", "subdivision"]
        verbose_name = _("comprobaciones fallidas")
        verbose_name_plural = _("comprobaciones fallidas")
        constraints = [models.UniqueConstraint(fields=["week", "check_name", "programme", "subdivision"],
                                               name="rights_check_failure_count_key")]


class PageVisit(_Statistic):
    """Visits of a portal page on a day: a counter, nothing about the visitor."""

    day = models.DateField(_("día"), db_index=True)
    page = models.CharField(_("página"), max_length=40)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "page"]
        verbose_name = _("visitas por página y día")
        verbose_name_plural = _("visitas por página y día")
        constraints = [models.UniqueConstraint(fields=["day", "page"], name="rights_page_visit_key")]
