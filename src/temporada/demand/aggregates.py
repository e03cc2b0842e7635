"""Demand aggregates: positions and job orders by place, occupation, month, employer, programme and year.

One function, ``aggregate(params, group_by)``, feeds the dashboard charts, their CSV downloads and
``GET /api/v1/demand/aggregates``, so every figure shown is the figure downloaded.

Counting. By default a job order counts once: only rows with ``is_primary`` (OFLC H-2A files up to FY2019
repeat association members as extra rows of the master case; the rule is in docs/demand_counting.md).
Every row also carries ``positions_certified_all_rows``, the plain sum over all rows, so that the two
figures can be shown side by side where they differ; ``counting=all`` makes the plain sum the main one.
Synthetic job orders (scale tests) never enter these figures; only the benchmark asks for them, through
``synthetic_only``, to time the same queries over its synthetic data.

The work is bounded: at most two grouping dimensions, a row limit, and filters validated by
``AggregateParams`` (unknown values are refused with a message, never passed to the database).
"""

from __future__ import annotations

import contextvars
import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.db import connection
from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Cast, ExtractMonth, Round, Substr
from django.utils.translation import gettext_lazy as _

from .models import JobOrder, Programme, Source

# --- parameters ----------------------------------------------------------------------------------------

GROUP_BY_CHOICES = [
    ("worksite_subdivision", _("Estado o provincia del lugar de trabajo")),
    ("country", _("País de destino")),
    ("isco_major", _("CIUO-08: gran grupo (1 dígito)")),
    ("isco_submajor", _("CIUO-08: subgrupo principal (2 dígitos)")),
    ("isco_minor", _("CIUO-08: subgrupo (3 dígitos)")),
    ("isco_unit", _("CIUO-08: grupo primario (4 dígitos)")),
    ("native_major", _("Clasificación publicada: gran grupo SOC (2 dígitos) o categoría CNP (1 dígito)")),
    ("native_code", _("Código publicado (SOC, O*NET-SOC o CNP)")),
    ("month", _("Mes de inicio del empleo")),
    ("employer", _("Empleador")),
    ("programme", _("Programa")),
    ("fiscal_year", _("Año fiscal")),
    ("source", _("Fuente")),
]
GROUP_BY_VALUES = [value for value, _label in GROUP_BY_CHOICES]
# Plain-language names accepted by the API for the dimensions above. "occupation" is the ISCO-08 unit group,
# the one occupation code every source maps to (native codes differ by source: native_code).
GROUP_BY_ALIASES = {"occupation": "isco_unit"}
MAX_GROUP_DIMENSIONS = 2
DEFAULT_LIMIT = 500
MAX_LIMIT = 2000
OCCUPATION_PATTERN = re.compile(r"^(?:(isco):(\d{1,4})|(soc):(\d{2}(?:-\d{1,4}(?:\.\d{2})?)?)|(noc):(\d{1,5}))$")
NATIVE_SYSTEMS = {"soc": ["SOC2010", "SOC2018", "ONETSOC"], "noc": ["NOC2011", "NOC2021"]}
MIN_YEAR, MAX_YEAR = 2000, 2100


class AggregateParams(forms.Form):
    """Filters shared by the dashboard form, its CSV downloads and the aggregates API."""

    programme = forms.ChoiceField(label=_("Programa"), required=False,
                                  choices=[("", _("Todos"))] + [c for c in Programme.choices])
    fiscal_year = forms.IntegerField(label=_("Año fiscal"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    country = forms.CharField(label=_("País de destino"), required=False, max_length=3)
    subdivision = forms.CharField(label=_("Estado o provincia"), required=False, max_length=8)
    occupation = forms.CharField(
        label=_("Ocupación"), required=False, max_length=20,
        help_text=_("CIUO-08 (isco:6, isco:61, isco:6111), SOC (soc:45-2092) o CNP (noc:8431)"),
    )
    source = forms.ChoiceField(label=_("Fuente"), required=False,
                               choices=[("", _("Todas"))] + [c for c in Source.choices if c[0] != Source.SYNTHETIC])
    counting = forms.ChoiceField(
        label=_("Recuento"), required=False, initial="primary",
        choices=[("primary", _("Casos principales (cifras oficiales)")),
                 ("all", _("Todas las filas (incluye filas repetidas de miembros de asociaciones)"))],
    )

    def clean_country(self):
        from temporada.core.models import Country

        code = (self.cleaned_data.get("country") or "").upper()
        if code and not Country.objects.filter(pk=code).exists():
            raise forms.ValidationError(_("País desconocido: use un código ISO3 (USA, CAN…)."))
        return code

    def clean_subdivision(self):
        from temporada.core.models import Subdivision

        code = (self.cleaned_data.get("subdivision") or "").upper()
        if code and not Subdivision.objects.filter(pk=code).exists():
            raise forms.ValidationError(_("Estado o provincia desconocido: use un código ISO 3166-2 (US-GA, CA-ON…)."))
        return code

    def clean_occupation(self):
        value = (self.cleaned_data.get("occupation") or "").strip().lower()
        if value.isdigit():
            value = f"isco:{value}"
        if value and not OCCUPATION_PATTERN.match(value):
            raise forms.ValidationError(
                _("Ocupación no válida: use isco:<1 a 4 dígitos>, soc:<código SOC> o noc:<código CNP>."))
        return value

    def clean_counting(self):
        return self.cleaned_data.get("counting") or "primary"


@dataclass
class Filters:
    programme: str = ""
    fiscal_year: int | None = None
    country: str = ""
    subdivision: str = ""
    occupation: str = ""
    source: str = ""
    counting: str = "primary"
    synthetic_only: bool = False  # benchmark only: the same queries over the synthetic scale-test rows

    @classmethod
    def from_cleaned(cls, data: dict) -> Filters:
        return cls(**{k: data.get(k) or v for k, v in cls().__dict__.items() if k != "synthetic_only"})

    def without(self, *names) -> Filters:
        values = dict(self.__dict__)
        for name in names:
            values[name] = Filters.__dataclass_fields__[name].default
        return Filters(**values)

    def query_items(self) -> dict:
        """The non-default filters, as query-string parameters for CSV and API links."""
        out = {}
        for key, value in self.__dict__.items():
            if key == "synthetic_only" or value in ("", None) or (key == "counting" and value == "primary"):
                continue
            out[key] = value
        return out


def parse_group_by(value: str) -> list[str]:
    """``"month,isco_major"`` → ["month", "isco_major"]; raises ValueError with a message on bad input."""
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    parts = [GROUP_BY_ALIASES.get(p, p) for p in parts]
    if not parts:
        raise ValueError("group_by is required; one or two of: " + ", ".join(GROUP_BY_VALUES))
    if len(parts) > MAX_GROUP_DIMENSIONS:
        raise ValueError(f"group_by takes at most {MAX_GROUP_DIMENSIONS} dimensions")
    unknown = [p for p in parts if p not in GROUP_BY_VALUES]
    if unknown:
        raise ValueError(f"unknown group_by value(s) {', '.join(unknown)}; use: "
                         + ", ".join([*GROUP_BY_VALUES, *GROUP_BY_ALIASES]))
    if len(set(parts)) != len(parts):
        raise ValueError("group_by dimensions must differ")
    return parts


# --- queries -------------------------------------------------------------------------------------------

def _native_major():
    from django.db.models import Case, CharField, When

    return Case(
        When(occupation_system__in=NATIVE_SYSTEMS["soc"], then=Substr("occupation_code", 1, 2)),
        When(occupation_system__in=NATIVE_SYSTEMS["noc"], then=Substr("occupation_code", 1, 1)),
        default=Value(""), output_field=CharField(),
    )


# Column names on the job order table and on the cubes.
RAW_FIELDS = {"country": "country_id", "subdivision": "worksite_subdivision_id", "month": None, "employer": "employer_id"}
CUBE_FIELDS = {"country": "country", "subdivision": "subdivision", "month": "month", "employer": "employer_id"}


def _dimensions(cube: bool) -> dict:
    fields = CUBE_FIELDS if cube else RAW_FIELDS
    return {
        "worksite_subdivision": lambda: F(fields["subdivision"]),
        "country": lambda: F(fields["country"]),
        "isco_major": lambda: Substr("isco_code", 1, 1),
        "isco_submajor": lambda: Substr("isco_code", 1, 2),
        "isco_minor": lambda: Substr("isco_code", 1, 3),
        "isco_unit": lambda: F("isco_code"),
        "native_major": _native_major,
        "native_code": lambda: F("occupation_code"),
        "month": (lambda: F("month")) if cube else (lambda: ExtractMonth("begin_date")),
        "employer": lambda: F(fields["employer"]),
        "programme": lambda: F("programme"),
        "fiscal_year": lambda: F("fiscal_year"),
        "source": lambda: F("source"),
    }


DIMENSIONS = _dimensions(cube=False)
# Dimensions whose row count is open-ended: sorted by positions and cut at the limit.
RANKED = {"employer", "native_code", "isco_unit", "isco_minor"}
EMPTY = {None, "", 0}  # how the cubes store "no value" (the job order table stores NULL or "")


def _prefix(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, as a range the database can answer from an index (LIKE cannot)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def _filter(qs, filters: Filters, *, cube: bool):
    fields = CUBE_FIELDS if cube else RAW_FIELDS
    qs = qs.filter(is_synthetic=filters.synthetic_only)
    if filters.programme:
        qs = qs.filter(programme=filters.programme)
    if filters.fiscal_year:
        qs = qs.filter(fiscal_year=filters.fiscal_year)
    if filters.country:
        qs = qs.filter(**{fields["country"]: filters.country})
    if filters.subdivision:
        qs = qs.filter(**{fields["subdivision"]: filters.subdivision})
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.occupation:
        match = OCCUPATION_PATTERN.match(filters.occupation)
        if match.group(1):
            code = match.group(2)
            qs = qs.filter(isco_code=code) if len(code) == 4 else qs.filter(_prefix("isco_code", code))
        elif match.group(3):
            qs = qs.filter(_prefix("occupation_code", match.group(4)), occupation_system__in=NATIVE_SYSTEMS["soc"])
        else:
            qs = qs.filter(_prefix("occupation_code", match.group(6)), occupation_system__in=NATIVE_SYSTEMS["noc"])
    return qs


def base_queryset(filters: Filters):
    """Job orders behind the figures: real ones (or only synthetic ones for the benchmark), filtered."""
    return _filter(JobOrder.objects.all(), filters, cube=False)


MEASURES = ["positions_certified", "positions_requested", "job_orders", "positions_certified_primary",
            "positions_certified_all_rows"]


def _measures(counting: str, *, cube: bool = False) -> dict:
    """Annotations m_<measure> (model field names cannot be reused as aggregate names)."""
    if cube:
        if counting == "all":
            main = {"positions_certified": Sum("certified_all"), "positions_requested": Sum("requested_all"),
                    "job_orders": Sum("all_rows")}
        else:
            main = {"positions_certified": Sum("certified"), "positions_requested": Sum("requested"),
                    "job_orders": Sum("job_orders")}
        main.update(positions_certified_primary=Sum("certified"), positions_certified_all_rows=Sum("certified_all"))
        return {f"m_{name}": expr for name, expr in main.items()}
    primary = Q(is_primary=True)
    if counting == "all":
        main = {"positions_certified": Sum("positions_certified"), "positions_requested": Sum("positions_requested"),
                "job_orders": Count("id")}
    else:
        main = {"positions_certified": Sum("positions_certified", filter=primary),
                "positions_requested": Sum("positions_requested", filter=primary),
                "job_orders": Count("id", filter=primary)}
    main.update(positions_certified_primary=Sum("positions_certified", filter=primary),
                positions_certified_all_rows=Sum("positions_certified"))
    return {f"m_{name}": expr for name, expr in main.items()}


def _source_for(filters: Filters, group_by: list[str]):
    """(queryset, is_cube): the cube that answers these dimensions when it is up to date, else the job orders."""
    from .models import DemandCube, DemandEmployerCube

    if "employer" in group_by:
        if "month" not in group_by and cubes_ready(filters.synthetic_only):
            return DemandEmployerCube.objects.all(), True
    elif cubes_ready(filters.synthetic_only):
        return DemandCube.objects.all(), True
    return JobOrder.objects.all(), False


def aggregate(filters: Filters, group_by: list[str], *, limit: int = DEFAULT_LIMIT, labels: bool = True,
              ranked: bool | None = None) -> list[dict]:
    """Rows of ``group_by`` keys with the measures, in key order or (``ranked``; the default for employers,
    native codes and fine ISCO levels) largest first; at most ``limit`` rows."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    if group_by == ["employer"] and ranked is not False and limit <= RANK_DEPTH and _rankable(filters) \
            and cubes_ready(filters.synthetic_only):
        rows = _ranked_employers(filters, limit)
        if labels:
            add_labels(rows, group_by)
        return rows
    source, cube = _source_for(filters, group_by)
    dims = _dimensions(cube)
    keys = {f"g_{name}": dims[name]() for name in group_by}
    qs = _filter(source, filters, cube=cube)
    if "employer" in group_by:
        # Job orders without an identified employer (not resolved yet, or no name published) are no employer.
        qs = qs.exclude(employer_id=0) if cube else qs.exclude(employer_id=None)
    qs = qs.order_by().annotate(**keys).values(*keys)
    qs = qs.annotate(**_measures(filters.counting, cube=cube))
    if filters.counting == "primary":
        qs = qs.filter(m_job_orders__gt=0)  # groups made only of member rows have no primary figure
    if ranked is None:
        ranked = any(name in RANKED for name in group_by)
    if ranked:
        qs = qs.order_by(F("m_positions_certified").desc(nulls_last=True), *keys)
    else:
        qs = qs.order_by(*keys)
    rows = []
    for row in qs[:limit]:
        out = {name: (None if row[f"g_{name}"] in EMPTY else row[f"g_{name}"]) for name in group_by}
        for measure in MEASURES:
            out[measure] = row[f"m_{measure}"] or 0
        rows.append(out)
    if not ranked:
        # Same order on every database and from the cubes ("no value" last).
        rows.sort(key=lambda r: tuple((r[name] is None, r[name] if r[name] is not None else 0) for name in group_by))
    if labels:
        add_labels(rows, group_by)
    return rows


RANK_DEPTH = 50
RANK_DIMENSIONS = ("programme", "fiscal_year", "country", "source")


def _rankable(filters: Filters) -> bool:
    return not (filters.subdivision or filters.occupation)


def _ranked_employers(filters: Filters, limit: int) -> list[dict]:
    from .models import DemandEmployerRank

    rows = (DemandEmployerRank.objects.filter(
        is_synthetic=filters.synthetic_only, counting=filters.counting, programme=filters.programme or "",
        fiscal_year=filters.fiscal_year or 0, country=filters.country or "", source=filters.source or "")
        .order_by("rank")[:limit])
    out = []
    for r in rows:
        primary = filters.counting == "primary"
        out.append({"employer": r.employer_id,
                    "positions_certified": r.certified if primary else r.certified_all,
                    "positions_requested": r.requested if primary else r.requested_all,
                    "job_orders": r.job_orders if primary else r.all_rows,
                    "positions_certified_primary": r.certified, "positions_certified_all_rows": r.certified_all})
    return out


def _build_rankings(synthetic: bool) -> int:
    """Top RANK_DEPTH employers for every combination of programme, year, country and source (each or all), and
    the overall ranking of every employer.

    Sums per (programme, year, country, source, employer) come from the employer cube; the 16 combinations and
    their rankings are computed with NumPy (sorting once per combination), then stored."""
    from itertools import combinations

    import numpy as np

    from .models import DemandEmployerCube, DemandEmployerRank

    base = list(DemandEmployerCube.objects.filter(is_synthetic=synthetic).exclude(employer_id=0).order_by()
                .values_list(*RANK_DIMENSIONS, "employer_id")
                .annotate(Sum("job_orders"), Sum("all_rows"), Sum("certified"), Sum("certified_all"),
                          Sum("requested"), Sum("requested_all")).iterator(chunk_size=20_000))
    DemandEmployerRank.objects.filter(is_synthetic=synthetic).delete()
    if not base:
        return 0
    # Every (programme, year, country, source, employer) becomes one 64-bit key: 5 + 7 + 3 + 4 bits for the
    # dimensions (0 = "all"), 40 bits for the employer id. Summing and ranking are then sorts of integers.
    vocab = []
    codes = []
    for i in range(4):
        values = [r[i] for r in base]
        if i == 1:  # fiscal year: offset from 2000 (0 stays "all")
            codes.append(np.array([v - 1999 for v in values], dtype=np.int64))
            vocab.append(None)
            continue
        labels = sorted(set(values))
        mapping = {label: code for code, label in enumerate(labels, 1)}
        vocab.append({code: label for label, code in mapping.items()})
        codes.append(np.array([mapping[v] for v in values], dtype=np.int64))
    if any(c.max() >= limit for c, limit in zip(codes, (32, 128, 8, 16), strict=True)):
        raise ValueError("too many distinct programmes, years, countries or sources for the ranking keys")
    employers = np.array([r[4] for r in base], dtype=np.int64)
    measures = np.array([[r[5 + i] or 0 for i in range(6)] for r in base], dtype=np.int64)
    shifts = (54, 47, 44, 40)
    objects = []
    for size in range(len(RANK_DIMENSIONS) + 1):
        for kept in combinations(range(4), size):
            keys = employers.copy()
            for i in kept:
                keys |= codes[i] << shifts[i]
            unique, inverse = np.unique(keys, return_inverse=True)
            sums = np.stack([np.bincount(inverse, weights=measures[:, m], minlength=len(unique)) for m in range(6)],
                            axis=1).astype(np.int64)
            partitions = unique >> 40
            for counting, measure, present in (("primary", 2, 0), ("all", 3, 1)):
                keep = sums[:, present] > 0
                part, ids, totals_ = partitions[keep], unique[keep] & ((1 << 40) - 1), sums[keep]
                order = np.lexsort((ids, -totals_[:, measure], part))
                part, ids, totals_ = part[order], ids[order], totals_[order]
                new_partition = np.ones(len(part), dtype=bool)
                new_partition[1:] = part[1:] != part[:-1]
                starts = np.maximum.accumulate(np.where(new_partition, np.arange(len(part)), 0))
                ranks = np.arange(len(part)) - starts + 1
                # The overall ranking (all programmes, years, countries, sources) is kept whole: the employer
                # list pages through it when sorted by positions.
                depth = len(ranks) if not kept and counting == "primary" else RANK_DEPTH
                for idx in np.nonzero(ranks <= depth)[0]:
                    key, acc = int(part[idx]) << 40, totals_[idx]
                    p_code, y_code = (key >> 54) & 31, (key >> 47) & 127
                    c_code, s_code = (key >> 44) & 7, (key >> 40) & 15
                    objects.append((
                        synthetic, counting, vocab[0].get(p_code, ""), y_code + 1999 if y_code else 0,
                        vocab[2].get(c_code, ""), vocab[3].get(s_code, ""), int(ranks[idx]), int(ids[idx]),
                        int(acc[0]), int(acc[1]), int(acc[2]), int(acc[3]), int(acc[4]), int(acc[5])))
    # Plain executemany: tens of thousands of small rows, no need for model instances.
    q = connection.ops.quote_name
    columns = ["is_synthetic", "counting", "programme", "fiscal_year", "country", "source", "rank", "employer_id",
               "job_orders", "all_rows", "certified", "certified_all", "requested", "requested_all"]
    sql = (f"INSERT INTO {q(DemandEmployerRank._meta.db_table)} ({', '.join(q(c) for c in columns)}) "  # noqa: S608  # nosec B608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, objects)
    return len(objects)


def totals(filters: Filters) -> dict:
    """Headline figures for the filters (one row, no grouping)."""
    source, cube = _source_for(filters, [])
    row = _filter(source, filters, cube=cube).aggregate(**_measures(filters.counting, cube=cube))
    return {k: row[f"m_{k}"] or 0 for k in MEASURES}


# --- labels --------------------------------------------------------------------------------------------

def _month_names():
    return [_("enero"), _("febrero"), _("marzo"), _("abril"), _("mayo"), _("junio"), _("julio"), _("agosto"),
            _("septiembre"), _("octubre"), _("noviembre"), _("diciembre")]


def add_labels(rows: list[dict], group_by: list[str]) -> None:
    """``<dimension>_label`` for each dimension, in the active language (codes stay as they are)."""
    from temporada.core.i18n import translated_value
    from temporada.core.models import Country, Subdivision

    for name in group_by:
        values = {row[name] for row in rows if row[name] not in (None, "")}
        names: dict = {}
        if name == "worksite_subdivision":
            names = {s.code: translated_value(s, "name") for s in Subdivision.objects.filter(code__in=values)}
        elif name == "country":
            names = {c.iso3: translated_value(c, "name") for c in Country.objects.filter(iso3__in=values)}
        elif name.startswith("isco_"):
            from temporada.occupations.models import IscoGroup

            names = {g.code: translated_value(g, "title") for g in IscoGroup.objects.filter(code__in=values)}
        elif name == "employer":
            from temporada.employers.models import Employer

            # Name plus place: two businesses may publish the same name in different towns.
            names = {pk: f"{ename} ({', '.join(p for p in (city.strip().title(), (sub or '')[3:]) if p)})"
                     if (city.strip() or sub) else ename
                     for pk, ename, city, sub in Employer.objects.filter(pk__in=values).values_list(
                         "pk", "name", "city", "subdivision_id")}
        elif name == "programme":
            names = dict(Programme.choices)
        elif name == "source":
            names = dict(Source.choices)
        elif name == "month":
            months = _month_names()
            names = {i + 1: months[i] for i in range(12)}
        elif name == "native_code":
            names = _native_titles(values)
        for row in rows:
            value = row[name]
            if value in (None, ""):
                row[f"{name}_label"] = str(_("sin dato"))
            else:
                label = names.get(value)
                row[f"{name}_label"] = f"{value} {label}" if label and (name.startswith("isco_") or name == "native_code") \
                    else str(label) if label else str(value)


def _native_titles(codes) -> dict[str, str]:
    """English titles of published SOC, O*NET-SOC and NOC codes (the classifications publish no other language)."""
    from temporada.occupations.models import NocGroup, OnetOccupation, Soc2010Occupation, SocOccupation

    codes = {c for c in codes if c}
    titles: dict[str, str] = {}
    for model, field in ((Soc2010Occupation, "code"), (SocOccupation, "code"), (OnetOccupation, "code"),
                         (NocGroup, "code")):
        missing = codes - set(titles)
        if not missing:
            break
        for code, title in model.objects.filter(**{f"{field}__in": missing}).order_by(field).values_list(field, "title_en"):
            titles.setdefault(code, title)
    return titles


# --- wages ---------------------------------------------------------------------------------------------

WAGE_GROUPS = ["isco_major", "isco_submajor", "worksite_subdivision", "programme", "fiscal_year"]
MAX_HOURLY = 500  # above this an "hourly" wage is a unit error in the source; left out of the distribution
QUANTILES = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}


def quantile_from_counts(counts: dict[int, int], q: float) -> int:
    """The value at rank floor(q·(n−1)) (0-based) of the sorted values, given {value: how many}."""
    total = sum(counts.values())
    rank = int(q * (total - 1))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen > rank:
            return value
    raise ValueError("empty distribution")


def wage_quantiles(filters: Filters, group: str, *, limit: int = 30, min_job_orders: int = 5) -> list[dict]:
    """Hourly wage offered per job order (primary rows; each currency apart): 10th, 25th, 50th, 75th and 90th
    percentiles for each ``group`` value with at least ``min_job_orders`` wages, the largest groups first.

    The database returns how many job orders offer each wage (in cents), so the quantiles are exact and the
    work does not grow with the number of job orders, only with the number of distinct wages."""
    if group not in WAGE_GROUPS:
        raise ValueError(f"unknown wage group {group!r}; use: " + ", ".join(WAGE_GROUPS))
    if cubes_ready(filters.synthetic_only):
        from .models import DemandWageCube

        dims = _dimensions(cube=True)
        rows = (_filter(DemandWageCube.objects.all(), filters, cube=True).order_by()
                .annotate(g=dims[group](), wage_currency=F("currency")).values("g", "wage_currency", "cents")
                .annotate(n=Sum("job_orders")))
    else:
        qs = base_queryset(filters).filter(is_primary=True, wage_hourly__gt=0, wage_hourly__lte=MAX_HOURLY)
        cents = Cast(Round(F("wage_hourly") * Value(100)), IntegerField())
        rows = (qs.order_by().annotate(g=DIMENSIONS[group](), cents=cents).values("g", "wage_currency", "cents")
                .annotate(n=Count("id")))
    histograms: dict = defaultdict(dict)
    for row in rows:
        if row["g"] in (None, ""):
            continue
        histograms[(row["g"], row["wage_currency"])][row["cents"]] = row["n"]
    out = []
    for (value, currency), counts in histograms.items():
        n = sum(counts.values())
        if n < min_job_orders:
            continue
        item = {group: value, "currency": currency, "job_orders": n}
        for name, q in QUANTILES.items():
            item[name] = quantile_from_counts(counts, q) / 100
        out.append(item)
    out.sort(key=lambda r: (-r["job_orders"], str(r[group]), r["currency"]))
    out = out[:limit]
    add_labels(out, [group])
    return out


# --- provenance: which files the figures come from, and how recent they are ---------------------------

PROGRAMME_SOURCES = {
    Programme.H2A: [Source.OFLC_H2A, Source.SEASONALJOBS],
    Programme.H2B: [Source.OFLC_H2B, Source.SEASONALJOBS],
}


_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("demand_aggregates_memo", default=None)


@contextmanager
def one_state():
    """Within this block (one page or API call) the data state is looked up once, not before every query."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _memoised(key, compute):
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def data_version() -> str:
    """Changes whenever an import finishes or an official merges or splits employers."""
    return _memoised("version", _data_version)


def _data_version() -> str:
    from django.db.models import Max as _Max

    from temporada.core.models import AuditEvent

    from .models import ImportBatch

    row = ImportBatch.objects.aggregate(n=Count("id"), last=_Max("finished_at"), top=_Max("id"))
    # Officials' merges and splits move job orders between employers, and a deferred employer resolution
    # (large default loads) attaches them after the import finished: the employer figures change too.
    decisions = AuditEvent.objects.filter(
        Q(type__in=[AuditEvent.Type.EMPLOYER_MERGED, AuditEvent.Type.EMPLOYER_SPLIT])
        | Q(type=AuditEvent.Type.RECORD_CHANGED, object_type="demand.importbatch")
    ).aggregate(top=_Max("id"))["top"]
    return f"{row['n']}-{row['top']}-{row['last'].isoformat() if row['last'] else ''}-{decisions or 0}"


def _batches_by_source_year() -> dict[tuple[str, int], set[int]]:
    from django.core.cache import cache

    from .models import DemandCube

    stamp = cube_stamp(False)
    key = f"demand:batches-by-year:{stamp}"
    found = cache.get(key) if stamp else None
    if found is None:
        found = defaultdict(set)
        if stamp:
            triples = (DemandCube.objects.filter(is_synthetic=False).exclude(batch_id=0).order_by()
                       .values_list("source", "fiscal_year", "batch_id").distinct())
        else:
            triples = (JobOrder.objects.filter(is_synthetic=False).exclude(batch=None).order_by()
                       .values_list("source", "fiscal_year", "batch_id").distinct())
        for source, year, batch in triples:
            found[(source, year)].add(batch)
        found = dict(found)
        if stamp:
            cache.set(key, found, 24 * 3600)
    return found


def provenance(filters: Filters) -> dict:
    """Files behind the filtered figures: {"files": [...], "as_of": date, "partial": [...], "partial_years": {...}}.

    ``as_of`` is the date the most recent of those files was imported; ``partial`` lists the files that
    cover only part of a fiscal year (OFLC Q1/Q2 releases), and ``partial_years`` their (source, year)."""
    from .models import ImportBatch

    sources = set(PROGRAMME_SOURCES.get(filters.programme, [])) if filters.programme in PROGRAMME_SOURCES else None
    if filters.programme and filters.programme.startswith("CA-"):
        sources = {Source.LMIA}
    by_country = {"USA": {Source.OFLC_H2A, Source.OFLC_H2B, Source.SEASONALJOBS}, "CAN": {Source.LMIA}}
    if filters.country:
        country_sources = by_country.get(filters.country, set())
        sources = country_sources if sources is None else sources & country_sources
    if filters.source:
        sources = {filters.source} if sources is None else sources & {filters.source}
    batch_ids = set()
    years_of_batch = defaultdict(set)
    for (source, year), ids in _batches_by_source_year().items():
        if sources is not None and source not in sources:
            continue
        if filters.fiscal_year and year != filters.fiscal_year:
            continue
        batch_ids |= ids
        for batch_id in ids:
            years_of_batch[batch_id].add((source, year))
    batches = list(ImportBatch.objects.filter(pk__in=batch_ids, status=ImportBatch.Status.SUCCEEDED)
                   .order_by("source", "period_label", "file_name"))
    as_of = max((b.finished_at for b in batches if b.finished_at), default=None)
    partial = [b for b in batches if b.is_partial_period]
    return {
        "files": [{"file": b.file_name, "source": b.source, "period": b.period_label, "partial": b.is_partial_period,
                   "imported": b.finished_at.date().isoformat() if b.finished_at else None} for b in batches],
        "as_of": as_of.date().isoformat() if as_of else "",
        "partial": [{"file": b.file_name, "period": b.period_label} for b in partial],
        "partial_years": sorted({sy for b in partial for sy in years_of_batch[b.pk]}),
    }


def source_line(prov: dict) -> str:
    """One line naming the publishers and how many files, for a chart's "Fuente" line."""
    labels = dict(Source.choices)
    by_source = defaultdict(list)
    for f in prov["files"]:
        by_source[f["source"]].append(f)
    parts = []
    for source, files in sorted(by_source.items()):
        periods = sorted({f["period"] for f in files if f["period"]})
        span = f" ({periods[0]} – {periods[-1]})" if len(periods) > 1 else (f" ({periods[0]})" if periods else "")
        parts.append(f"{labels.get(source, source)}{span}")
    return "; ".join(parts)


# --- the cubes -----------------------------------------------------------------------------------------
#
# The job order table is wide (names, addresses, requirements…), so scanning it for every chart is slow.
# Three narrow cubes hold the same sums by the dimensions the dashboard filters and groups on; they are
# rebuilt with one INSERT … SELECT … GROUP BY each when the data changed (a new import, an official's
# merge or split): ``data_version`` names that state and ``CubeState`` remembers which state the cubes
# hold. Until they are rebuilt the figures come from the job order table itself, so they are never stale.

REAL, SYNTHETIC = "real", "synthetic"
CUBE_FORMAT = "3"  # bump when the cubes' content changes: cubes built by older code are then rebuilt
DIMENSION_COLUMNS = ["is_synthetic", "source", "programme", "fiscal_year", "country", "subdivision", "isco_code",
                     "occupation_system", "occupation_code"]
MEASURE_COLUMNS = ["job_orders", "all_rows", "certified", "certified_all", "requested", "requested_all"]


def cubes_ready(synthetic: bool = False) -> bool:
    """True when the cubes hold the current job orders (real ones: same data_version; synthetic ones: built by
    the benchmark after generating them)."""
    return cube_stamp(synthetic) is not None


def cube_stamp(synthetic: bool = False) -> str | None:
    """An identifier of the cubes' current build (for cache keys), or None when they are not up to date."""
    return _memoised(("stamp", synthetic), lambda: _cube_stamp(synthetic))


def _cube_stamp(synthetic: bool) -> str | None:
    from .models import CubeState

    part = SYNTHETIC if synthetic else REAL
    version = f"{CUBE_FORMAT}:{data_version() if not synthetic else 'generated'}"
    state = CubeState.objects.filter(part=part, version=version).values_list("pk", "built_at").first()
    return f"{part}-{state[0]}-{state[1].isoformat()}" if state else None


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(MONTH FROM {column}) AS integer)"
    return f"CAST(strftime('%%m', {column}) AS integer)"


def _raw_dimension_sql(q) -> list[str]:
    return ["j.is_synthetic", "j.source", "j.programme", "j.fiscal_year", "j.country_id",
            f"COALESCE(j.{q('worksite_subdivision_id')}, '')", "j.isco_code", "j.occupation_system",
            "j.occupation_code"]


def refresh_cubes(*, synthetic: bool = False) -> int:
    """Rebuild the cubes for the real (or the synthetic) job orders; returns the number of cube rows."""
    import time

    from django.db import transaction

    from .models import CubeState, DemandCube, DemandEmployerCube, DemandWageCube

    started = time.perf_counter()
    version = f"{CUBE_FORMAT}:{data_version() if not synthetic else 'generated'}"
    q = connection.ops.quote_name
    jo = q(JobOrder._meta.db_table)
    dims = _raw_dimension_sql(q)
    primary = "CASE WHEN j.is_primary THEN {x} ELSE 0 END"
    measures = [primary.format(x="1"), "1", primary.format(x="COALESCE(j.positions_certified, 0)"),
                "COALESCE(j.positions_certified, 0)", primary.format(x="COALESCE(j.positions_requested, 0)"),
                "COALESCE(j.positions_requested, 0)"]
    sums = [f"SUM({m})" for m in measures]
    plans = [
        (DemandCube, dims + [f"COALESCE({_month_sql('j.begin_date')}, 0)", "COALESCE(j.batch_id, 0)"],
         DIMENSION_COLUMNS + ["month", "batch_id"], sums, MEASURE_COLUMNS, ""),
        (DemandEmployerCube, dims + ["COALESCE(j.employer_id, 0)"], DIMENSION_COLUMNS + ["employer_id"], sums,
         MEASURE_COLUMNS, ""),
        (DemandWageCube, dims + ["j.wage_currency", "CAST(ROUND(j.wage_hourly * 100) AS integer)"],
         DIMENSION_COLUMNS + ["currency", "cents"], ["COUNT(*)"], ["job_orders"],
         f" AND j.is_primary AND j.wage_hourly > 0 AND j.wage_hourly <= {MAX_HOURLY}"),
    ]
    total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model, select_dims, dim_columns, select_measures, measure_columns, where in plans:
            table = q(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE is_synthetic = %s", [synthetic])  # noqa: S608  # nosec B608
            columns = ", ".join(q(c) for c in dim_columns + measure_columns)
            group = ", ".join(str(i + 1) for i in range(len(select_dims)))
            sql = (f"INSERT INTO {table} ({columns}) SELECT {', '.join(select_dims + select_measures)} "  # noqa: S608  # nosec B608
                   f"FROM {jo} j WHERE j.is_synthetic = %s{where} GROUP BY {group}")
            cursor.execute(sql, [synthetic])
            total += model.objects.filter(is_synthetic=synthetic).count()
        total += _build_rankings(synthetic)
        CubeState.objects.update_or_create(
            part=SYNTHETIC if synthetic else REAL,
            defaults={"version": version, "seconds": time.perf_counter() - started, "cube_rows": total})
    memo = _memo.get()
    if memo is not None:
        memo.pop(("stamp", synthetic), None)
    return total


def clear_cubes(*, synthetic: bool) -> None:
    from .models import CubeState, DemandCube, DemandEmployerCube, DemandEmployerRank, DemandWageCube

    for model in (DemandCube, DemandEmployerCube, DemandWageCube, DemandEmployerRank):
        model.objects.filter(is_synthetic=synthetic).delete()
    CubeState.objects.filter(part=SYNTHETIC if synthetic else REAL).delete()


def ensure_cubes() -> bool:
    """Rebuild the real cubes if the data changed since they were built. Returns True if it rebuilt them.

    One rebuild at a time: a request that finds another one running reads the job orders meanwhile."""
    from django.core.cache import cache

    if cubes_ready(False):
        return False
    lock = "demand:cube-rebuild"
    if not cache.add(lock, True, 15 * 60):
        return False
    try:
        refresh_cubes(synthetic=False)
    finally:
        cache.delete(lock)
    return True
