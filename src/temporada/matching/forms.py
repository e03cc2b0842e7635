"""Run parameters. These forms are THE validation of a run: the pages and the API (which hands its JSON to the
same forms and answers 422 with their errors) both go through them, and ``parameters()`` is what the run
records. Engine objects are built from the recorded parameters by ``params.engine_settings``."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from temporada.core.models import Country, Subdivision
from temporada.demand.models import JobOrder
from temporada.demand.models import Programme as ProgrammeCode
from temporada.supply import isco
from temporada.supply.languages import LANGUAGES
from temporada.supply.models import Sex

from .engine import FACTORS, Weights

MAX_TOP = 500
MAX_WINDOW_DAYS = 366
POPULATION_CHOICES = [("real", _("Perfiles reales")),
                      ("synthetic", _("Perfiles SINTÉTICOS de demostración"))]
LEVEL_CHOICES = [(1, _("mismo gran grupo (1 cifra)")), (2, _("mismo subgrupo principal (2 cifras)")),
                 (3, _("mismo subgrupo (3 cifras)")), (4, _("mismo grupo primario (4 cifras)"))]
FACTOR_LABELS = {
    "occupation": _("Ocupación"), "experience": _("Experiencia"), "participation": _("Participación anterior"),
    "language": _("Idiomas"), "preference": _("Preferencias"),
}
_DEFAULT_WEIGHTS = Weights()


def _weight_field(name):
    return forms.FloatField(label=FACTOR_LABELS[name], min_value=0, max_value=100,
                            initial=getattr(_DEFAULT_WEIGHTS, name), required=False,
                            help_text=_("Puntos máximos de este factor (vacío: %(default)s)")
                            % {"default": f"{getattr(_DEFAULT_WEIGHTS, name):g}"})


def _languages_field(label, help_text=""):
    return forms.MultipleChoiceField(label=label, choices=LANGUAGES, required=False, help_text=help_text,
                                     widget=forms.SelectMultiple(attrs={"size": 4}))


def _sorted_unique(values) -> list:
    return sorted(dict.fromkeys(values))


class RunForm(forms.Form):
    """What shortlists and season runs share: whose registry, which profiles, rules, languages, weights."""

    origin = forms.ChoiceField(label=_("País de origen (registro)"))
    population = forms.ChoiceField(
        label=_("Perfiles"), choices=POPULATION_CHOICES, initial="real", widget=forms.RadioSelect,
        help_text=_("Los perfiles sintéticos sirven para demostraciones: la ejecución queda marcada como sintética."))
    required_languages = _languages_field(_("Idiomas exigidos"), _("El trabajador debe hablarlos todos."))
    preferred_languages = _languages_field(
        _("Idiomas que suman puntos"), _("Cuenta la proporción de estos idiomas que habla (sin selección: todos "
                                         "reciben los puntos de idioma)."))
    availability_slack_days = forms.IntegerField(
        label=_("Tolerancia de disponibilidad (días)"), min_value=0, max_value=366, initial=0, required=False,
        help_text=_("Días que la disponibilidad declarada puede quedarse corta al inicio o al final del periodo."))
    min_occupation_level = forms.TypedChoiceField(
        label=_("Cercanía mínima de la ocupación"), choices=LEVEL_CHOICES, coerce=int, initial=1, required=False)
    experience_level = forms.TypedChoiceField(
        label=_("Experiencia que cuenta"), choices=LEVEL_CHOICES, coerce=int, initial=2, required=False,
        help_text=_("Años en ocupaciones al menos así de cercanas a la de la orden."))
    weight_occupation = _weight_field("occupation")
    weight_experience = _weight_field("experience")
    weight_participation = _weight_field("participation")
    weight_language = _weight_field("language")
    weight_preference = _weight_field("preference")

    def __init__(self, *args, origins: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(Country.objects.filter(iso3__in=origins).values_list("iso3", "name_es"))
        self.fields["origin"].choices = [(c, f"{names.get(c, c)} ({c})") for c in origins]
        if len(origins) == 1:
            self.fields["origin"].initial = origins[0]

    def clean(self):
        data = super().clean()
        weights = {name: data.get(f"weight_{name}") for name in FACTORS}
        weights = {k: (getattr(_DEFAULT_WEIGHTS, k) if v is None else v) for k, v in weights.items()}
        if sum(weights.values()) <= 0:
            raise ValidationError(_("Al menos un factor debe valer puntos."))
        data["weights"] = weights
        for name in ("availability_slack_days", "min_occupation_level", "experience_level"):
            if data.get(name) in (None, ""):
                data[name] = self.fields[name].initial
        return data

    def common_parameters(self) -> dict:
        data = self.cleaned_data
        return {
            "origin": data["origin"], "population": data["population"],
            "required_languages": _sorted_unique(data.get("required_languages") or []),
            "preferred_languages": _sorted_unique(data.get("preferred_languages") or []),
            "rules": {"availability_slack_days": data["availability_slack_days"],
                      "min_occupation_level": data["min_occupation_level"],
                      "experience_level": data["experience_level"]},
            "weights": data["weights"],
        }


class ShortlistForm(RunForm):
    """A shortlist for one job order: top N with filters."""

    top = forms.IntegerField(label=_("Cuántos candidatos"), min_value=1, max_value=MAX_TOP, initial=25)
    plan_next_season = forms.BooleanField(
        label=_("Planificar la próxima temporada de esta orden (proyección)"), required=False,
        help_text=_("Si la orden ya empezó: mismas condiciones con las fechas trasladadas a su próxima ocurrencia."))
    isco_code = forms.CharField(
        label=_("Ocupación CIUO-08 para esta búsqueda"), required=False, max_length=4,
        help_text=_("Grupo primario de 4 cifras. Obligatorio si la orden no tiene código CIUO-08; si no, vacío "
                    "usa el de la orden."))
    sexes = forms.MultipleChoiceField(label=_("Sexo"), choices=Sex.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    regions = forms.MultipleChoiceField(label=_("Región de residencia"), required=False,
                                        widget=forms.SelectMultiple(attrs={"size": 4}))
    min_age = forms.IntegerField(label=_("Edad mínima"), min_value=14, max_value=99, required=False)
    max_age = forms.IntegerField(label=_("Edad máxima"), min_value=14, max_value=99, required=False)
    min_good_returns = forms.IntegerField(label=_("Regresos a tiempo (mínimo)"), min_value=0, max_value=50,
                                          required=False)
    must_speak = _languages_field(_("Habla (filtro)"))

    field_order = ["origin", "population", "top", "plan_next_season", "isco_code", "sexes", "regions", "min_age",
                   "max_age", "min_good_returns", "must_speak", "required_languages", "preferred_languages"]

    def __init__(self, *args, job: JobOrder, origins: list[str], **kwargs):
        super().__init__(*args, origins=origins, **kwargs)
        self.job = job
        self.fields["regions"].choices = list(
            Subdivision.objects.filter(country_id__in=origins).order_by("country_id", "code")
            .values_list("code", "name_es"))

    def clean_isco_code(self):
        code = (self.cleaned_data.get("isco_code") or "").strip()
        if code and not isco.is_unit_code(code):
            raise ValidationError(_("«%(code)s» no es un grupo primario CIUO-08 (4 cifras)."), params={"code": code})
        return code

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("La edad máxima es menor que la mínima."))
        origin = data.get("origin")
        if origin and data.get("regions"):
            own = set(Subdivision.objects.filter(country_id=origin).values_list("code", flat=True))
            if not set(data["regions"]) <= own:
                self.add_error("regions", _("Elija regiones del país de origen."))
        return data

    def parameters(self) -> dict:
        data = self.cleaned_data
        return self.common_parameters() | {
            "top": data["top"], "plan_next_season": bool(data.get("plan_next_season")),
            "isco_code": data.get("isco_code") or "",
            "filters": {"sexes": _sorted_unique(data.get("sexes") or []),
                        "regions": _sorted_unique(data.get("regions") or []),
                        "min_age": data.get("min_age"), "max_age": data.get("max_age"),
                        "min_good_returns": data.get("min_good_returns"),
                        "must_speak": _sorted_unique(data.get("must_speak") or [])},
        }


FAIRNESS_ATTRIBUTES = [("", _("Sin objetivo")), ("sex", _("Sexo")), ("region", _("Región de residencia"))]
FAIRNESS_SCOPES = [("run", _("en toda la ejecución")), ("order", _("en cada orden"))]
SOLVERS = [("auction", _("subasta (rápida)")), ("flow", _("flujo de coste mínimo (exacto para el grafo)"))]


def default_window(today: date) -> tuple[date, date]:
    """The latest twelve months of published start dates among orders that have an ISCO-08 code."""
    latest = (JobOrder.objects.filter(is_synthetic=False, is_primary=True).exclude(isco_code="")
              .exclude(begin_date__isnull=True).order_by("-begin_date").values_list("begin_date", flat=True).first())
    end = latest or today
    return end - timedelta(days=365), end


class SeasonForm(RunForm):
    """A season run: every open job order whose published start falls in a window, planned for the coming
    season, assigned at once under capacity, optionally with a fairness target."""

    programme = forms.ChoiceField(label=_("Programa"), required=False)
    destination = forms.ChoiceField(label=_("País de destino"), required=False)
    window_from = forms.DateField(label=_("Órdenes publicadas que empiezan desde"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    window_to = forms.DateField(label=_("hasta"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                help_text=_("Como máximo un año. Las órdenes que ya empezaron se planifican para su "
                                            "próxima temporada (proyección)."))
    fairness_attribute = forms.ChoiceField(label=_("Objetivo de equidad"), choices=FAIRNESS_ATTRIBUTES,
                                           required=False)
    fairness_values = forms.MultipleChoiceField(
        label=_("Grupo"), required=False, widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Sexo (F, M) o regiones de residencia del grupo."))
    fairness_min_share = forms.FloatField(label=_("Proporción mínima del grupo (%)"), min_value=0, max_value=100,
                                          required=False)
    fairness_max_share = forms.FloatField(label=_("Proporción máxima del grupo (%)"), min_value=0, max_value=100,
                                          required=False)
    fairness_scope = forms.ChoiceField(label=_("Se cumple"), choices=FAIRNESS_SCOPES, initial="run", required=False)
    multiple_orders = forms.BooleanField(
        label=_("Permitir varias órdenes sucesivas por trabajador"), required=False,
        help_text=_("Por defecto, una orden por trabajador en cada ejecución (la práctica habitual)."))
    solver = forms.ChoiceField(label=_("Método de asignación"), choices=SOLVERS, initial="auction", required=False)
    seed = forms.IntegerField(label=_("Semilla"), min_value=0, max_value=2**31 - 1, initial=0, required=False,
                              help_text=_("Desempata de forma reproducible."))

    field_order = ["origin", "population", "programme", "destination", "window_from", "window_to",
                   "fairness_attribute", "fairness_values", "fairness_min_share", "fairness_max_share",
                   "fairness_scope", "multiple_orders", "solver", "seed"]

    def __init__(self, *args, origins: list[str], today: date | None = None, **kwargs):
        super().__init__(*args, origins=origins, **kwargs)
        today = today or timezone.localdate()
        self.fields["programme"].choices = [("", _("Todos"))] + [
            (code, label) for code, label in ProgrammeCode.choices if code in ("H-2A", "H-2B", "CA-AG", "CA-LW", "CA-HW")]
        self.fields["destination"].choices = [("", _("Todos")), ("USA", _("Estados Unidos")), ("CAN", _("Canadá"))]
        regions = list(Subdivision.objects.filter(country_id__in=origins).order_by("code").values_list("code", "name_es"))
        self.fields["fairness_values"].choices = [("F", _("Mujeres")), ("M", _("Hombres"))] + regions
        start, end = default_window(today)
        self.fields["window_from"].initial, self.fields["window_to"].initial = start, end

    def clean(self):
        data = super().clean()
        start, end = data.get("window_from"), data.get("window_to")
        if start and end:
            if end < start:
                self.add_error("window_to", _("El final de la ventana es anterior a su inicio."))
            elif (end - start).days > MAX_WINDOW_DAYS:
                self.add_error("window_to", _("La ventana abarca como máximo un año (366 días): así cada orden se "
                                              "planifica una sola vez."))
        attribute = data.get("fairness_attribute") or ""
        values = data.get("fairness_values") or []
        low, high = data.get("fairness_min_share"), data.get("fairness_max_share")
        if attribute:
            wanted = {"F", "M"} if attribute == "sex" else {c for c in values if c not in ("F", "M")}
            if not values:
                self.add_error("fairness_values", _("Elija el grupo al que se aplica el objetivo."))
            elif not set(values) <= wanted:
                self.add_error("fairness_values", _("Los valores del grupo no corresponden al criterio elegido."))
            if low is None and high is None:
                self.add_error("fairness_min_share", _("Indique una proporción mínima, máxima o ambas."))
            if low is not None and high is not None and low > high:
                self.add_error("fairness_max_share", _("La proporción máxima es menor que la mínima."))
        elif values or low is not None or high is not None:
            self.add_error("fairness_attribute", _("Elija el criterio del objetivo de equidad (sexo o región)."))
        return data

    def parameters(self) -> dict:
        data = self.cleaned_data
        fairness = None
        if data.get("fairness_attribute"):
            fairness = {"attribute": data["fairness_attribute"], "values": _sorted_unique(data["fairness_values"]),
                        "min_share": None if data.get("fairness_min_share") is None else data["fairness_min_share"] / 100,
                        "max_share": None if data.get("fairness_max_share") is None else data["fairness_max_share"] / 100,
                        "scope": data.get("fairness_scope") or "run"}
        return self.common_parameters() | {
            "programme": data.get("programme") or "", "destination": data.get("destination") or "",
            "window_from": data["window_from"].isoformat(), "window_to": data["window_to"].isoformat(),
            "fairness": fairness, "multiple_orders": bool(data.get("multiple_orders")),
            "solver": data.get("solver") or "auction", "seed": data.get("seed") or 0,
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Aceptar")), ("reject", _("Rechazar"))])
    reason = forms.CharField(label=_("Motivo"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indique el motivo del rechazo."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Motivo del retiro"), max_length=300)


class ReleaseForm(forms.Form):
    proposals = forms.TypedMultipleChoiceField(coerce=int, required=False)
    all_accepted = forms.BooleanField(required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [(pk, pk) for pk in choices]

    def clean(self):
        data = super().clean()
        if not data.get("proposals") and not data.get("all_accepted"):
            raise ValidationError(_("Elija al menos un candidato aceptado."))
        return data

