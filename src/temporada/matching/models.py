"""Match runs and the proposals they make.

A ``MatchRun`` is the record of one use of the engine: who ran it, for which origin country, over which
job order(s) and with which parameters, what the rules removed (funnel) and what came out. Its
``Proposal`` rows are the candidates (shortlist) or assignments (season run), each with the explanation of
its score, a pseudonym (the identity stays with the origin country until it releases the candidate), and the
decisions taken on it.

Periods: a proposal keeps the dates it was made for. When the published job order had already started,
the run plans the *next season* of that order (same employer, occupation, place and positions, dates moved
by whole years to the next occurrence after the run's day) and says so everywhere (``is_projection``).

Booked periods: accepted and released proposals are the worker's commitments; later runs treat them as the
engine's "already booked" periods, and acceptance refuses to over-fill an order's positions for a period or to
give a worker two overlapping periods.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from temporada.accounts.roles import Role
from temporada.core.restrict import ScopedModel


def _role(user):
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _is_admin(user) -> bool:
    return _active(user) and (getattr(user, "role", None) == Role.ADMIN or getattr(user, "is_superuser", False))


def _codes(user) -> set[str]:
    return set(getattr(user, "country_codes", ()) or ())


class MatchRun(ScopedModel):
    """One shortlist or season run: parameters, who and when, funnel, outcome."""

    class Kind(models.TextChoices):
        SHORTLIST = "shortlist", _("Lista corta para una orden")
        SEASON = "season", _("Asignación de temporada")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("En curso")
        DONE = "done", _("Terminada")
        EMPTY = "empty", _("Sin candidatos")
        FAILED = "failed", _("Fallida")
        CANCELLED = "cancelled", _("Cancelada")

    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    reason = models.CharField(_("motivo"), max_length=40, blank=True,
                              help_text=_("Código de la regla que dejó la ejecución sin candidatos, o del error"))
    origin_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("país de origen"))
    programme = models.CharField(_("programa"), max_length=10, blank=True)
    destination = models.ForeignKey("core.Country", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("país de destino"))
    job_order = models.ForeignKey("demand.JobOrder", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("orden de trabajo"))
    begin_date = models.DateField(_("inicio del periodo"), null=True, blank=True)
    end_date = models.DateField(_("fin del periodo"), null=True, blank=True)
    is_projection = models.BooleanField(
        _("proyección"), default=False,
        help_text=_("La orden publicada ya había empezado: se planifica su próxima temporada"))
    parameters = models.JSONField(_("parámetros"), default=dict, blank=True)
    engine_version = models.CharField(_("versión del motor"), max_length=40, blank=True)
    is_synthetic = models.BooleanField(
        _("sintética"), default=False, db_index=True,
        help_text=_("Ejecutada sobre perfiles sintéticos de demostración; nunca entra en estadísticas"))
    funnel = models.JSONField(_("embudo de reglas"), default=list, blank=True)
    objective = models.BigIntegerField(_("puntuación total (centésimas)"), default=0)
    stats = models.JSONField(_("cifras"), default=dict, blank=True)
    phase = models.CharField(_("fase"), max_length=20, blank=True)
    progress = models.PositiveSmallIntegerField(_("progreso (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    proposal_count = models.PositiveIntegerField(_("propuestas"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("ejecutada por"))
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    started_at = models.DateTimeField(_("inicio"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duración (s)"), default=0)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("cancelada por"))
    cancelled_at = models.DateTimeField(_("cancelada el"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ejecución de emparejamiento")
        verbose_name_plural = _("ejecuciones de emparejamiento")
        indexes = [models.Index(fields=["origin_country", "-created_at"], name="matching_run_origin")]

    def __str__(self):
        return f"{self.kind} #{self.pk} · {self.origin_country_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.EMPTY, self.Status.FAILED, self.Status.CANCELLED)

    @classmethod
    def scope(cls, qs, user, action):
        """Origin officials: runs for their own country (all but delete). Destination officials: runs with a
        proposal they may see (view, export). Administrators: view and export. Analysts get aggregate counts
        from queries.summary, never runs. Everyone else: nothing."""
        if _is_admin(user):
            return qs if action in ("view", "export") else qs.none()
        role = _role(user)
        if not _active(user) or not _codes(user):
            return qs.none()
        if role == Role.ORIGIN_OFFICIAL and action in ("view", "export", "create", "change"):
            return qs.filter(origin_country_id__in=_codes(user))
        if role == Role.DESTINATION_OFFICIAL and action in ("view", "export"):
            visible = Proposal.objects.restrict(user, action).filter(run_id=OuterRef("pk"))
            return qs.filter(Exists(visible))
        return qs.none()


class Proposal(ScopedModel):
    """One worker proposed for one job order (and period) by a run, with the explanation of the score."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Propuesto")
        ACCEPTED = "accepted", _("Aceptado")
        REJECTED = "rejected", _("Rechazado")
        RELEASED = "released", _("Liberado al país de destino")
        WITHDRAWN = "withdrawn", _("Retirado")

    BOOKED_STATES = (State.ACCEPTED, State.RELEASED)

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    worker = models.ForeignKey("supply.Worker", on_delete=models.PROTECT, related_name="+")
    job_order = models.ForeignKey("demand.JobOrder", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("orden de trabajo"))
    begin_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("fin"))
    is_projection = models.BooleanField(_("proyección"), default=False)
    rank = models.PositiveIntegerField(_("puesto en la lista"))
    pseudonym = models.CharField(_("seudónimo"), max_length=20)

    score = models.FloatField(_("puntuación"))
    occupation_points = models.FloatField(default=0)
    experience_points = models.FloatField(default=0)
    participation_points = models.FloatField(default=0)
    language_points = models.FloatField(default=0)
    preference_points = models.FloatField(default=0)
    # What the score was computed from, frozen at run time (the profile may change later).
    worker_isco = models.CharField(_("CIUO-08 del trabajador"), max_length=4, blank=True)
    job_isco = models.CharField(_("CIUO-08 de la orden"), max_length=4, blank=True)
    isco_level = models.PositiveSmallIntegerField(_("cercanía CIUO (0–4)"), default=0)
    relevant_years = models.FloatField(_("años de experiencia pertinente"), default=0)
    good_returns = models.PositiveSmallIntegerField(_("regresos a tiempo"), default=0)
    prior_count = models.PositiveSmallIntegerField(_("participaciones anteriores con resultado"), default=0)
    languages = models.JSONField(_("idiomas"), default=list, blank=True)
    region = models.CharField(_("región de residencia"), max_length=8, blank=True)
    sex = models.CharField(_("sexo"), max_length=1, blank=True)
    fits_destination = models.BooleanField(default=True)
    fits_programme = models.BooleanField(default=True)

    state = models.CharField(_("estado"), max_length=10, choices=State.choices, default=State.PROPOSED,
                             db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decidido por"))
    decided_at = models.DateTimeField(_("decidido el"), null=True, blank=True)
    decision_reason = models.CharField(_("motivo de la decisión"), max_length=300, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("liberado por"))
    released_at = models.DateTimeField(_("liberado el"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("retirado por"))
    withdrawn_at = models.DateTimeField(_("retirado el"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("motivo del retiro"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run_id", "rank", "id"]
        verbose_name = _("propuesta")
        verbose_name_plural = _("propuestas")
        constraints = [
            models.UniqueConstraint(fields=["run", "pseudonym"], name="matching_proposal_pseudonym_once"),
            models.UniqueConstraint(fields=["run", "worker", "job_order"], name="matching_proposal_pair_once"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("begin_date")),
                                   name="matching_proposal_period_order"),
        ]
        indexes = [
            models.Index(fields=["worker", "state"], name="matching_prop_worker_state"),
            models.Index(fields=["job_order", "begin_date", "state"], name="matching_prop_order_period"),
        ]

    def __str__(self):
        # Pseudonym only: this text goes into audit events and logs.
        return f"{self.pseudonym} · run {self.run_id}"

    @property
    def identity_released(self) -> bool:
        return self.released_at is not None

    @classmethod
    def scope(cls, qs, user, action):
        """Origin officials: proposals of their own nationals (view, export, change). Destination officials:
        proposals for their country's job orders once the origin official accepted them (view, export;
        pseudonymous until released — the pages and API decide what to show from ``released_at``).
        Administrators: view and export. Everyone else: nothing."""
        if _is_admin(user):
            return qs if action in ("view", "export") else qs.none()
        role = _role(user)
        if not _active(user) or not _codes(user):
            return qs.none()
        if role == Role.ORIGIN_OFFICIAL and action in ("view", "export", "change"):
            return qs.filter(run__origin_country_id__in=_codes(user))
        if role == Role.DESTINATION_OFFICIAL and action in ("view", "export"):
            shown = Q(state__in=[cls.State.ACCEPTED, cls.State.RELEASED]) | Q(
                state=cls.State.WITHDRAWN, released_at__isnull=False)
            return qs.filter(shown, job_order__country_id__in=_codes(user))
        return qs.none()


class RegistryVersion(models.Model):
    """A counter per origin country, raised whenever a worker profile of that country is saved (signals.py).

    Bulk deletes raise it too (``supply.signals.profiles_deleted``). The registry snapshots (snapshot.py) compare
    it, with the highest id of verified profiles (the end of an index range), to decide whether their arrays are
    still current: cheaper than scanning every profile before each shortlist, and shared by every process (web,
    task worker, command line)."""

    country = models.OneToOneField("core.Country", on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("versión del registro")
        verbose_name_plural = _("versiones del registro")

    def __str__(self):
        return f"{self.country_id} v{self.version}"
