"""Forms. ``WorkerForm`` is THE validation of a profile: the page form, the bulk upload (each row goes
through it, column names = field names) and self-registration all use it, so the rules cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from temporada.core.models import Country, Subdivision

from . import isco
from .languages import LANGUAGES
from .models import BulkUpload, Education, LanguageLevel, Sex, Worker
from .pii import lookup_hash
from .validation import national_id_problem, passport_problem

OCCUPATION_ROWS = 3
LANGUAGE_ROWS = 3
PARTICIPATION_ROWS = 2
MIN_AGE, MAX_AGE = 18, 75
MAX_AVAILABILITY_DAYS = 2 * 366
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
YES_NO = [("", _("No se sabe")), ("yes", _("Sí")), ("no", _("No"))]
TRUE_VALUES = {"1", "true", "yes", "si", "sí", "y", "s", "on", "x"}
FALSE_VALUES = {"", "0", "false", "no", "n", "off"}


def origin_countries():
    """Countries whose nationals can be registered: RCM members except the two destination-only ones."""
    return Country.objects.filter(is_rcm_member=True).exclude(iso3__in=["USA", "CAN"]).order_by("name_es")


class FlexibleBoolean(forms.Field):
    """Checkbox on the page; yes/no/sí/1/0/true/false in a bulk file."""

    widget = forms.CheckboxInput

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        text = str(value or "").strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise ValidationError(_("Escriba sí o no."), code="invalid")

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


def _date_field(label, required=False, help_text=""):
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


@dataclass
class FormContext:
    """Choices and reference sets a WorkerForm needs, read once (a bulk file validates thousands of rows)."""

    nationalities: set[str]
    nationality_choices: list
    subdivision_country: dict[str, str]
    subdivision_choices: list
    programme_ids: dict[str, int]
    programme_choices: list
    destination_choices: list
    isco_units: frozenset[str]

    @classmethod
    def build(cls, nationalities=None) -> FormContext:
        from temporada.programmes.models import Programme

        origins = list(origin_countries())
        if nationalities is not None:
            origins = [c for c in origins if c.iso3 in nationalities] or list(
                Country.objects.filter(iso3__in=nationalities))
        codes = {c.iso3 for c in origins}
        subdivisions = list(Subdivision.objects.filter(country_id__in=codes).order_by("country_id", "name_es"))
        programmes = list(Programme.objects.order_by("slug"))
        return cls(
            nationalities=codes,
            nationality_choices=[(c.iso3, str(c)) for c in origins],
            subdivision_country={s.code: s.country_id for s in subdivisions},
            subdivision_choices=[("", "—")] + [(s.code, f"{s.name_es} ({s.code})") for s in subdivisions],
            programme_ids={p.slug: p.id for p in programmes},
            programme_choices=[(p.slug, str(p)) for p in programmes],
            destination_choices=[(c.iso3, str(c)) for c in Country.objects.filter(is_rcm_member=True).order_by("name_es")],
            isco_units=isco.unit_codes(),
        )


class WorkerForm(forms.Form):
    """One worker profile. ``nationalities``: ISO3 codes the author may register (None = any origin country).
    ``instance``: the profile being edited (documents may then be left blank to keep them)."""

    given_names = forms.CharField(label=_("Nombres"), max_length=120)
    family_names = forms.CharField(label=_("Apellidos"), max_length=120)
    birth_date = _date_field(_("Fecha de nacimiento"), required=True, help_text=_("AAAA-MM-DD"))
    sex = forms.ChoiceField(label=_("Sexo"), choices=Sex.choices)
    nationality = forms.ChoiceField(label=_("Nacionalidad"))
    national_id = forms.CharField(
        label=_("Documento de identidad"), max_length=40, required=False,
        help_text=_("Se guarda cifrado; solo se muestran los últimos 4 caracteres."),
    )
    passport_number = forms.CharField(label=_("Número de pasaporte"), max_length=40, required=False)
    passport_expiry = _date_field(_("Vencimiento del pasaporte"))
    phone = forms.RegexField(label=_("Teléfono"), regex=r"^\+?[0-9 ()\-]{6,30}$", max_length=40, required=False,
                             error_messages={"invalid": _("Use solo cifras, espacios, paréntesis, guiones y un + inicial.")})
    email = forms.EmailField(label=_("Correo electrónico"), required=False)
    residence_subdivision = forms.ChoiceField(label=_("Departamento / estado de residencia"), required=False)
    residence_locality = forms.CharField(label=_("Municipio o localidad"), max_length=120, required=False)
    education_level = forms.ChoiceField(label=_("Nivel de estudios"), required=False,
                                        choices=[("", "—")] + Education.choices)
    skills = forms.CharField(label=_("Habilidades"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    certificates = forms.CharField(label=_("Certificados"), required=False, max_length=2000,
                                   help_text=_("Uno por línea (o separados por punto y coma)."),
                                   widget=forms.Textarea(attrs={"rows": 2}))
    available_from = _date_field(_("Disponible desde"))
    available_until = _date_field(_("Disponible hasta"))
    preferred_programmes = forms.MultipleChoiceField(label=_("Programas preferidos"), required=False)
    preferred_destinations = forms.MultipleChoiceField(label=_("Países de destino preferidos"), required=False)
    consent_registry = FlexibleBoolean(
        label=_("Consiente la inscripción y el tratamiento de sus datos en el registro"), required=True,
    )
    consent_matching = FlexibleBoolean(
        label=_("Consiente ser propuesto/a a ofertas de empleo temporal en el extranjero"), required=False,
    )
    consent_date = _date_field(_("Fecha del consentimiento"), required=True)
    documents_verified = FlexibleBoolean(
        label=_("He verificado los documentos originales"), required=False,
        help_text=_("Marque solo si vio el documento de identidad en persona: el perfil quedará verificado."),
    )

    def __init__(self, *args, nationalities=None, instance: Worker | None = None, context: FormContext | None = None,
                 allow_verification=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        ctx = context or FormContext.build(nationalities)
        self.isco_units = ctx.isco_units
        self.allowed_nationalities = ctx.nationalities
        self._subdivision_country = ctx.subdivision_country
        self._programme_ids = ctx.programme_ids
        self.fields["nationality"].choices = ctx.nationality_choices
        self.fields["residence_subdivision"].choices = ctx.subdivision_choices
        programmes = ctx.programme_choices
        self.fields["preferred_programmes"].choices = programmes
        destinations = ctx.destination_choices
        self.fields["preferred_destinations"].choices = destinations
        language_choices = [("", "—")] + list(LANGUAGES)
        level_choices = [("", "—")] + list(LanguageLevel.choices)
        for i in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{i}"] = forms.ChoiceField(label=_("Idioma %(n)s") % {"n": i}, required=False,
                                                             choices=language_choices)
            self.fields[f"level_{i}"] = forms.ChoiceField(label=_("Nivel %(n)s") % {"n": i}, required=False,
                                                          choices=level_choices)
        for i in range(1, OCCUPATION_ROWS + 1):
            self.fields[f"isco_{i}"] = forms.CharField(
                label=_("Ocupación %(n)s (CIUO-08, 4 cifras)") % {"n": i}, required=i == 1, max_length=4,
                help_text=_("p. ej. 9211 peón agrícola") if i == 1 else "",
            )
            self.fields[f"years_{i}"] = forms.IntegerField(label=_("Años de experiencia %(n)s") % {"n": i},
                                                           required=False, min_value=0, max_value=60)
            self.fields[f"experience_{i}"] = forms.CharField(label=_("En sus palabras %(n)s") % {"n": i},
                                                             required=False, max_length=300)
        past_programmes = [("", "—")] + programmes
        for i in range(1, PARTICIPATION_ROWS + 1):
            self.fields[f"past_programme_{i}"] = forms.ChoiceField(label=_("Programa anterior %(n)s") % {"n": i},
                                                                   required=False, choices=past_programmes)
            self.fields[f"past_destination_{i}"] = forms.ChoiceField(label=_("País de destino %(n)s") % {"n": i},
                                                                     required=False, choices=[("", "—")] + destinations)
            self.fields[f"past_employer_{i}"] = forms.CharField(label=_("Empleador %(n)s") % {"n": i},
                                                                required=False, max_length=300)
            self.fields[f"past_season_{i}"] = forms.IntegerField(label=_("Temporada (año) %(n)s") % {"n": i},
                                                                 required=False, min_value=1942, max_value=2100)
            self.fields[f"past_returned_{i}"] = forms.ChoiceField(label=_("¿Regresó a tiempo? %(n)s") % {"n": i},
                                                                  required=False, choices=YES_NO)
        if instance is None:
            self.fields["national_id"].required = True
        else:
            # consent changes have their own page (withdrawal is dated and audited); the edit form leaves them alone
            for name in ("consent_registry", "consent_matching", "consent_date"):
                del self.fields[name]
        if not allow_verification:
            del self.fields["documents_verified"]

    def sections(self):
        """(legend, bound fields) groups for the page, in reading order."""
        groups = [
            (_("Identidad"), ["given_names", "family_names", "birth_date", "sex", "nationality", "national_id",
                              "passport_number", "passport_expiry"]),
            (_("Contacto y residencia"), ["phone", "email", "residence_subdivision", "residence_locality"]),
            (_("Estudios e idiomas"), ["education_level"] + [f"{p}_{i}" for i in range(1, LANGUAGE_ROWS + 1)
                                                              for p in ("language", "level")]),
            (_("Experiencia ocupacional"), [f"{p}_{i}" for i in range(1, OCCUPATION_ROWS + 1)
                                            for p in ("isco", "years", "experience")] + ["skills", "certificates"]),
            (_("Disponibilidad y preferencias"), ["available_from", "available_until", "preferred_programmes",
                                                  "preferred_destinations"]),
            (_("Participaciones anteriores"), [f"past_{p}_{i}" for i in range(1, PARTICIPATION_ROWS + 1)
                                               for p in ("programme", "destination", "employer", "season", "returned")]),
            (_("Consentimiento"), ["consent_registry", "consent_matching", "consent_date", "documents_verified"]),
        ]
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in groups]

    # --- field rules -------------------------------------------------------------------------
    def clean_given_names(self):
        return " ".join(self.cleaned_data["given_names"].split())

    def clean_family_names(self):
        return " ".join(self.cleaned_data["family_names"].split())

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if born > today:
            raise ValidationError(_("La fecha de nacimiento está en el futuro."))
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < MIN_AGE:
            raise ValidationError(_("La persona debe tener al menos %(n)s años.") % {"n": MIN_AGE})
        if age > MAX_AGE:
            raise ValidationError(_("Edad imposible o fuera de los programas: más de %(n)s años.") % {"n": MAX_AGE})
        return born

    def clean_nationality(self):
        code = (self.cleaned_data.get("nationality") or "").upper()
        if code not in self.allowed_nationalities:
            raise ValidationError(_("Solo puede registrar a nacionales de su país."))
        return code

    def _isco_code(self, i):
        code = (self.cleaned_data.get(f"isco_{i}") or "").strip()
        if code and code not in self.isco_units:
            raise ValidationError(_("Código CIUO-08 desconocido: %(code)s (use un grupo primario de 4 cifras).")
                                  % {"code": code})
        return code

    def clean_consent_date(self):
        when = self.cleaned_data["consent_date"]
        if when > timezone.localdate():
            raise ValidationError(_("La fecha del consentimiento está en el futuro."))
        return when

    # --- cross-field rules ---------------------------------------------------------------------
    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        country = data.get("nationality")
        born: date | None = data.get("birth_date")
        for i in range(1, OCCUPATION_ROWS + 1):
            try:
                data[f"isco_{i}"] = self._isco_code(i)
            except ValidationError as exc:
                self.add_error(f"isco_{i}", exc)
        self._clean_documents(data, country, today, born)
        subdivision = data.get("residence_subdivision")
        if subdivision and country and self._subdivision_country.get(subdivision) != country:
            self.add_error("residence_subdivision", _("La subdivisión no pertenece al país de nacionalidad."))
        start, end = data.get("available_from"), data.get("available_until")
        if (start is None) != (end is None):
            self.add_error("available_until" if start else "available_from",
                           _("Indique las dos fechas de disponibilidad, o ninguna."))
        elif start and end:
            if end < start:
                self.add_error("available_until", _("La disponibilidad termina antes de empezar."))
            elif end < today:
                self.add_error("available_until", _("La disponibilidad ya terminó."))
            elif (end - start).days > MAX_AVAILABILITY_DAYS:
                self.add_error("available_until", _("La disponibilidad no puede pasar de dos años: actualícela cada temporada."))
        when = data.get("consent_date")
        if when and born and when < born:
            self.add_error("consent_date", _("El consentimiento es anterior al nacimiento."))
        if data.get("consent_matching") and not data.get("consent_registry"):
            self.add_error("consent_matching", _("Para ser propuesto/a hace falta consentir también el registro."))
        self._clean_occupations(data, born, today)
        self._clean_languages(data)
        self._clean_participations(data, born, today)
        return data

    def _clean_documents(self, data, country, today, born):
        number = data.get("national_id", "")
        if country and (number or self.instance is None):
            problem = national_id_problem(country, number)
            if problem:
                self.add_error("national_id", problem)
            else:
                digest = lookup_hash("national_id", country, number)
                clash = Worker.objects.filter(national_id_hash=digest)
                if self.instance is not None:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error("national_id", _("Ya hay un perfil con este documento de identidad."))
                data["national_id_hash"] = digest
        passport = data.get("passport_number", "")
        if passport:
            problem = passport_problem(passport)
            if problem:
                self.add_error("passport_number", problem)
            elif country:
                digest = lookup_hash("passport", country, passport)
                clash = Worker.objects.filter(passport_hash=digest)
                if self.instance is not None:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error("passport_number", _("Ya hay un perfil con este pasaporte."))
                data["passport_hash"] = digest
        expiry = data.get("passport_expiry")
        has_passport = bool(passport) or bool(self.instance and self.instance.passport_hash)
        if expiry and not has_passport:
            self.add_error("passport_expiry", _("Indique el número de pasaporte."))
        if expiry and born and expiry <= born:
            self.add_error("passport_expiry", _("El pasaporte vence antes del nacimiento."))
        if expiry and (expiry - today).days > 10 * 366:
            self.add_error("passport_expiry", _("Un pasaporte no tiene más de 10 años de vigencia."))
        if passport and not expiry:
            self.add_error("passport_expiry", _("Indique la fecha de vencimiento del pasaporte."))

    def _clean_occupations(self, data, born, today):
        seen = set()
        occupations = []
        age = (today - born).days // 365 if born else None
        for i in range(1, OCCUPATION_ROWS + 1):
            if any(f"{name}_{i}" in self.errors for name in ("isco", "years", "experience")):
                continue  # already explained once
            code, years = data.get(f"isco_{i}"), data.get(f"years_{i}")
            if not code:
                if years or data.get(f"experience_{i}"):
                    self.add_error(f"isco_{i}", _("Indique el código de la ocupación."))
                continue
            if code in seen:
                self.add_error(f"isco_{i}", _("Ocupación repetida."))
                continue
            seen.add(code)
            years = years or 0
            if age is not None and years > max(age - 12, 0):
                self.add_error(f"years_{i}", _("Más años de experiencia de los que permite la edad."))
            occupations.append({"isco_code": code, "years": years, "description": data.get(f"experience_{i}", "")})
        data["occupations"] = occupations

    def _clean_languages(self, data):
        seen = set()
        languages = []
        for i in range(1, LANGUAGE_ROWS + 1):
            if f"language_{i}" in self.errors or f"level_{i}" in self.errors:
                continue
            code, level = data.get(f"language_{i}"), data.get(f"level_{i}")
            if not code:
                if level:
                    self.add_error(f"language_{i}", _("Indique el idioma."))
                continue
            if not level:
                self.add_error(f"level_{i}", _("Indique el nivel."))
                continue
            if code in seen:
                self.add_error(f"language_{i}", _("Idioma repetido."))
                continue
            seen.add(code)
            languages.append({"language": code, "level": level})
        data["languages"] = languages

    def _clean_participations(self, data, born, today):
        participations = []
        for i in range(1, PARTICIPATION_ROWS + 1):
            names = ("programme", "destination", "employer", "season", "returned")
            if any(f"past_{name}_{i}" in self.errors for name in names):
                continue
            values = [data.get(f"past_{name}_{i}") for name in names]
            if not any(values):
                continue
            programme, destination, employer, season, returned = values
            if not destination:
                self.add_error(f"past_destination_{i}", _("Indique el país de destino de la participación."))
                continue
            if not season:
                self.add_error(f"past_season_{i}", _("Indique el año de la temporada."))
                continue
            if season > today.year or (born and season < born.year + 14):
                self.add_error(f"past_season_{i}", _("Año de temporada imposible."))
                continue
            participations.append({
                "programme_id": self._programme_ids.get(programme) if programme else None,
                "destination_id": destination, "employer_name": employer or "", "season": season,
                "returned_on_time": {"yes": True, "no": False}.get(returned),
            })
        data["participations"] = participations
        data["certificate_names"] = [
            line.strip()[:200] for line in (data.get("certificates") or "").replace(";", "\n").splitlines() if line.strip()
        ]
        data["preferred_programme_ids"] = [self._programme_ids[s] for s in data.get("preferred_programmes", [])]

    @staticmethod
    def initial_from(worker: Worker) -> dict:
        """Form values of an existing profile (documents are never put back into a form)."""
        initial = {
            name: getattr(worker, name) for name in (
                "given_names", "family_names", "birth_date", "sex", "nationality_id", "passport_expiry", "phone",
                "email", "residence_subdivision_id", "residence_locality", "education_level", "skills",
                "available_from", "available_until",
            )
        }
        initial["nationality"] = initial.pop("nationality_id")
        initial["residence_subdivision"] = initial.pop("residence_subdivision_id") or ""
        initial["certificates"] = "\n".join(worker.certificates.values_list("name", flat=True))
        initial["preferred_programmes"] = list(worker.preferred_programmes.values_list("slug", flat=True))
        initial["preferred_destinations"] = list(worker.preferred_destinations.values_list("iso3", flat=True))
        for i, occ in enumerate(worker.occupations.all()[:OCCUPATION_ROWS], start=1):
            initial.update({f"isco_{i}": occ.isco_code, f"years_{i}": occ.years, f"experience_{i}": occ.description})
        for i, lang in enumerate(worker.languages.all()[:LANGUAGE_ROWS], start=1):
            initial.update({f"language_{i}": lang.language, f"level_{i}": lang.level})
        for i, part in enumerate(worker.participations.select_related("programme")[:PARTICIPATION_ROWS], start=1):
            initial.update({
                f"past_programme_{i}": part.programme.slug if part.programme else "",
                f"past_destination_{i}": part.destination_id, f"past_employer_{i}": part.employer_name,
                f"past_season_{i}": part.season,
                f"past_returned_{i}": {True: "yes", False: "no"}.get(part.returned_on_time, ""),
            })
        consent = worker.consents.filter(purpose="registry").order_by("-given_on").first()
        initial["consent_registry"] = worker.has_registry_consent
        initial["consent_matching"] = worker.has_matching_consent
        initial["consent_date"] = consent.given_on if consent else None
        return initial


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Archivo CSV o XLSX"))
    mode = forms.ChoiceField(label=_("Si alguna fila tiene errores"), choices=BulkUpload.Mode.choices,
                             initial=BulkUpload.Mode.ALL_OR_NOTHING, widget=forms.RadioSelect)
    country = forms.ChoiceField(label=_("País de los trabajadores"))

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(c.iso3, str(c)) for c in Country.objects.filter(iso3__in=countries)]
        if len(self.fields["country"].choices) == 1:
            self.fields["country"].initial = self.fields["country"].choices[0][0]


class WithdrawConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Consentimiento que se retira"), choices=[
        ("registry", _("Todo: registro y ofertas (el perfil sale del registro; se conserva solo la constancia legal)")),
        ("matching", _("Solo ser propuesto/a a ofertas (sigue en el registro)")),
    ], widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Motivo (opcional)"), max_length=300, required=False)


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Nombre"), required=False, max_length=100)
    document = forms.CharField(label=_("Documento de identidad (número completo)"), required=False, max_length=40)
    country = forms.ChoiceField(label=_("Nacionalidad"), required=False)
    subdivision = forms.ChoiceField(label=_("Departamento / estado"), required=False)
    occupation = forms.RegexField(label=_("Ocupación (CIUO-08)"), required=False, regex=r"^\d{1,4}$", max_length=4,
                                  error_messages={"invalid": _("Escriba de 1 a 4 cifras, p. ej. 92 o 9211.")})
    status = forms.ChoiceField(label=_("Estado"), required=False, choices=[("", _("Todos"))] + Worker.Status.choices)
    sex = forms.ChoiceField(label=_("Sexo"), required=False, choices=[("", _("Todos"))] + Sex.choices)
    available_in = forms.RegexField(label=_("Disponible en el mes (AAAA-MM)"), required=False,
                                    regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7,
                                    error_messages={"invalid": _("Use el formato AAAA-MM, p. ej. 2027-03.")})
    synthetic = forms.ChoiceField(label=_("Origen de los datos"), required=False, choices=[
        ("", _("Todos")), ("real", _("Solo reales")), ("synthetic", _("Solo sintéticos (demostración)"))])
    consent = forms.ChoiceField(label=_("Consentimiento"), required=False, choices=[
        ("", _("Vigente (registro)")), ("withdrawn", _("Retirado: solo constancia legal"))])

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Todas"))] + [
            (c.iso3, str(c)) for c in Country.objects.filter(iso3__in=countries).order_by("name_es")]
        self.fields["subdivision"].choices = [("", _("Todos"))] + [
            (s.code, f"{s.name_es} ({s.code})") for s in Subdivision.objects.filter(country_id__in=countries).order_by("name_es")]


class AccountForm(forms.Form):
    """The account part of self-registration (the worker signs in later to follow and update the profile)."""

    username = forms.RegexField(label=_("Nombre de usuario"), max_length=40, regex=r"^[A-Za-z0-9_.@+-]{4,40}$",
                                error_messages={"invalid": _("De 4 a 40 letras, cifras o . _ @ + -")})
    password1 = forms.CharField(label=_("Contraseña"), widget=forms.PasswordInput(render_value=False),
                                help_text=_("Al menos 12 caracteres; evite contraseñas conocidas."))
    password2 = forms.CharField(label=_("Repita la contraseña"), widget=forms.PasswordInput(render_value=False))

    def clean_username(self):
        from temporada.accounts.models import User
        from temporada.accounts.services import normalise_username

        username = normalise_username(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("Ese nombre de usuario ya existe."))
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Las contraseñas no coinciden."))
        elif first:
            from django.contrib.auth.password_validation import validate_password

            from temporada.accounts.models import User

            try:
                validate_password(first, User(username=data.get("username", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


LEVEL_CHOICES = [("major", _("Gran grupo (1 cifra)")), ("sub_major", _("Subgrupo principal (2 cifras)")),
                 ("unit", _("Grupo primario (4 cifras)"))]


class _StatisticsForm(forms.Form):
    start = forms.RegexField(label=_("Primer mes (AAAA-MM)"), required=False, regex=r"^\d{4}-(0[1-9]|1[0-2])$",
                             max_length=7, error_messages={"invalid": _("Use el formato AAAA-MM, p. ej. 2027-03.")})
    months = forms.IntegerField(label=_("Número de meses"), required=False, min_value=1, max_value=24)
    level = forms.ChoiceField(label=_("Nivel de la CIUO-08"), required=False, choices=LEVEL_CHOICES)
    origin = forms.ChoiceField(label=_("País de origen de los trabajadores"), required=False)
    include_synthetic = forms.BooleanField(
        label=_("Incluir perfiles SINTÉTICOS (demostración; nunca en estadísticas publicadas)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .stats import can_include_synthetic

        self.user = user
        origins = origin_countries()
        if user is not None and getattr(user, "role", None) == "origin_official":
            origins = origins.filter(iso3__in=user.country_codes) or origins
        self.fields["origin"].choices = [("", _("Todos los que puede ver"))] + [(c.iso3, str(c)) for c in origins]
        if not can_include_synthetic(user):
            del self.fields["include_synthetic"]

    def clean_start(self):
        text = self.cleaned_data.get("start")
        if not text:
            return None
        year, month = (int(p) for p in text.split("-"))
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Año fuera de rango (2000–2100)."))
        return date(year, month, 1)

    def params(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        today = timezone.localdate()
        return {
            "start": data.get("start") or date(today.year, today.month, 1),
            "months": data.get("months") or 12,
            "level": data.get("level") or "sub_major",
            "origin": data.get("origin") or "",
            "destination": data.get("destination") or "",
            "include_synthetic": bool(data.get("include_synthetic")),
        }


class GapForm(_StatisticsForm):
    destination = forms.ChoiceField(label=_("País de destino"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        destinations = Country.objects.filter(iso3__in=["USA", "CAN"]).order_by("name_es")
        self.fields["destination"].choices = [("", _("Todos"))] + [(c.iso3, str(c)) for c in destinations]


class IndicatorForm(_StatisticsForm):
    pass
