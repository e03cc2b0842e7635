"""Employer identity across sources and years: which job orders belong to the same business.

OFLC and ESDC publish no employer id, so identity is built from the published name and address
(normalised in ``normalize.py``). The unit is the **alias**: one normalised legal name at one
normalised address (country | state | ZIP5 or postal code | city | street). Every job order with the
same alias belongs to the same employer, always. A new alias joins an existing employer only through
one of these conservative rules, tried in this order (the rule is stored in ``EmployerAlias.resolution``
and the alias it matched in ``EmployerAlias.matched_alias``):

``same-name-postcode``
    Same normalised name (spaces ignored) in the same country, state and ZIP5 / Canadian postal code.
    The street may differ (PO box one year, farm road the next; a suite number added).
``same-name-city``
    Same normalised name in the same state and city (ZIP changed or missing), for names of at least two
    words and six letters (a bare short name in a big city is not enough).
``registered-name-state``
    Same normalised name in the same state or province, and both spellings carry a registered legal
    form (LLC, Inc., Corp., Ltd., Ltée, LP, S.A. de C.V. …). State and provincial registries refuse a
    name that differs from an existing one only by its legal form, so the name identifies the entity
    within the state. Names made only of generic words ("FARMS", "SERVICES") never qualify.
``same-address-similar-name``
    Same street address (state, ZIP and street line identical after normalisation) and names that spell
    the same business (``normalize.similar_names``: same distinctive words, or a typo-level difference).
``trade-name-postcode``
    The name is a trade name (DBA / "o/a") already recorded for an employer at the same ZIP / postal code.

Otherwise the alias starts a new employer (``new``). A trade name published next to a legal name is
recorded as a TRADE alias of the legal name's employer (``dba-of-legal-name``).

What the rules never do: merge on a name alone across states (the many "Johnson Farms" stay apart),
merge two existing employers (a new spelling that fits two of them joins the earliest; an official
decides on a merge), or move an existing alias. Officials' merges and splits move aliases and are
marked ``manual-merge`` / ``manual-split``; since re-imports look aliases up before any rule, those
decisions survive every re-import. Running the resolution twice changes nothing, and the same input in
the same order always gives the same employers (candidates are tried in a fixed order).

Synthetic job orders (scale tests) resolve only among synthetic employers.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction

from .normalize import GENERIC_WORDS, Variant, compact, similar_names, split_dba, variant_from_fields

log = logging.getLogger(__name__)

NEW = "new"
SAME_NAME_POSTCODE = "same-name-postcode"
SAME_NAME_CITY = "same-name-city"
REGISTERED_NAME_STATE = "registered-name-state"
SAME_ADDRESS_SIMILAR_NAME = "same-address-similar-name"
TRADE_NAME_POSTCODE = "trade-name-postcode"
DBA_OF_LEGAL_NAME = "dba-of-legal-name"
MANUAL_MERGE = "manual-merge"
MANUAL_SPLIT = "manual-split"
AUTOMATIC_RULES = [SAME_NAME_POSTCODE, SAME_NAME_CITY, REGISTERED_NAME_STATE, SAME_ADDRESS_SIMILAR_NAME,
                   TRADE_NAME_POSTCODE]
MANUAL_RULES = {MANUAL_MERGE, MANUAL_SPLIT}

CHUNK = 900  # ids / keys per IN (...) clause: below SQLite's variable limit on any build


# --- the rules, pairwise ---------------------------------------------------------------------------------

def _city_name_ok(name: str) -> bool:
    return len(name.split()) >= 2 and len(compact(name)) >= 6


def _registered_name_ok(name: str) -> bool:
    return len(compact(name)) >= 5 and any(t not in GENERIC_WORDS for t in name.split())


def match_rule(new: Variant, old: Variant, *, old_is_trade: bool = False) -> str | None:
    """The rule by which variant ``new`` joins the employer of ``old`` (None: no rule applies).

    ``old_is_trade``: ``old`` stands for a trade name (its normalized_name is the DBA)."""
    if new.country != old.country or new.synthetic != old.synthetic or not new.normalized_name:
        return None
    if new.state != old.state:
        return None
    same_name = compact(new.normalized_name) == compact(old.normalized_name)
    if old_is_trade:
        return TRADE_NAME_POSTCODE if same_name and new.postal and new.postal == old.postal else None
    if same_name and new.postal and new.postal == old.postal:
        return SAME_NAME_POSTCODE
    if same_name and new.city and new.city == old.city and _city_name_ok(new.normalized_name):
        return SAME_NAME_CITY
    if same_name and new.registered and old.registered and new.state and _registered_name_ok(new.normalized_name):
        return REGISTERED_NAME_STATE
    if (new.street and new.street == old.street and new.postal == old.postal and new.city == old.city
            and similar_names(new.normalized_name, old.normalized_name)):
        return SAME_ADDRESS_SIMILAR_NAME
    return None


# --- in-memory index -------------------------------------------------------------------------------------

@dataclass(eq=False)
class EmployerRef:
    id: int | None  # None until created
    order: tuple  # (0, db id) for existing employers, (1, n) for new ones: the tie-break order
    variant: Variant | None = None
    synthetic: bool = False


@dataclass(eq=False)
class AliasRef:
    normalized_name: str
    address_key: str
    kind: str  # "legal", "variant" or "trade"
    employer: EmployerRef
    variant: Variant
    resolution: str
    matched: AliasRef | None = None
    id: int | None = None
    published_name: str = ""
    source: str = ""
    years: set = field(default_factory=set)
    first_seen: int | None = None
    last_seen: int | None = None


def _variant_from_alias_row(address_key: str, normalized_name: str, legal_form: str, name: str) -> Variant:
    """Rebuild the comparable parts of a stored alias from its normalised key."""
    synthetic = address_key.startswith("SYN|")
    parts = (address_key[4:] if synthetic else address_key).split("|")
    parts += [""] * (5 - len(parts))
    country, state, postal, city, street = parts[:5]
    v = Variant.__new__(Variant)
    # The dataclass is frozen: fill its fields directly, without running the normalisation again.
    v.__dict__.update(country=country, name=name, trade_name="", street_raw=street, city_raw=city, state_raw=state,
                      postal_raw=postal, synthetic=synthetic, normalized_name=normalized_name, legal_form=legal_form,
                      normalized_trade="", state=state, postal=postal, city=city, street=street)
    return v


def _name_key(kind: str) -> str:
    return "trade" if kind == "trade" else "name"


class Resolver:
    """Aliases indexed by the keys the rules compare; resolves variants one at a time."""

    def __init__(self):
        self.aliases: dict[tuple[str, str, str], AliasRef] = {}
        self.by_postal: dict[tuple, list[AliasRef]] = defaultdict(list)
        self.by_city: dict[tuple, list[AliasRef]] = defaultdict(list)
        self.by_state: dict[tuple, list[AliasRef]] = defaultdict(list)
        self.by_street: dict[tuple, list[AliasRef]] = defaultdict(list)
        self.trade_by_postal: dict[tuple, list[AliasRef]] = defaultdict(list)
        self.new_employers: list[EmployerRef] = []
        self.new_aliases: list[AliasRef] = []
        self._seq = 0

    def add(self, alias: AliasRef) -> None:
        v = alias.variant
        self.aliases[(alias.normalized_name, alias.address_key, _name_key(alias.kind))] = alias
        name = compact(alias.normalized_name)
        base = (v.synthetic, v.country, v.state)
        if alias.kind == "trade":
            if v.postal:
                self.trade_by_postal[base + (v.postal, name)].append(alias)
            return
        if v.postal:
            self.by_postal[base + (v.postal, name)].append(alias)
        if v.city:
            self.by_city[base + (v.city, name)].append(alias)
        if v.legal_form:
            self.by_state[base + (name,)].append(alias)
        if v.street:
            self.by_street[base + (v.postal, v.city, v.street)].append(alias)

    def lookup(self, variant: Variant) -> AliasRef | None:
        return self.aliases.get((variant.normalized_name, variant.address_key, "name"))

    def candidates(self, v: Variant):
        name = compact(v.normalized_name)
        base = (v.synthetic, v.country, v.state)
        seen = []
        for bucket in (self.by_postal.get(base + (v.postal, name)) if v.postal else None,
                       self.by_city.get(base + (v.city, name)) if v.city else None,
                       self.by_state.get(base + (name,)) if v.legal_form else None,
                       self.by_street.get(base + (v.postal, v.city, v.street)) if v.street else None):
            if bucket:
                seen.extend(bucket)
        trades = self.trade_by_postal.get(base + (v.postal, name), []) if v.postal else []
        return seen, trades

    def best_match(self, v: Variant) -> tuple[str, AliasRef] | tuple[None, None]:
        """The strongest rule that applies, then the earliest employer, then the earliest alias key."""
        legal, trades = self.candidates(v)
        found = []
        for alias in legal:
            rule = match_rule(v, alias.variant)
            if rule:
                found.append((AUTOMATIC_RULES.index(rule), alias.employer.order, alias.normalized_name,
                              alias.address_key, rule, alias))
        for alias in trades:
            trade_variant = alias.variant
            rule = match_rule(v, trade_variant, old_is_trade=True)
            if rule:
                found.append((AUTOMATIC_RULES.index(rule), alias.employer.order, alias.normalized_name,
                              alias.address_key, rule, alias))
        if not found:
            return None, None
        best = min(found, key=lambda item: item[:4])
        return best[4], best[5]

    def resolve(self, v: Variant, *, published_name: str, source: str) -> AliasRef:
        """The alias of ``v``: existing, attached to an employer by a rule, or on a new employer."""
        alias = self.lookup(v)
        if alias is not None:
            return alias
        rule, matched = self.best_match(v)
        if matched is not None:
            employer, kind = matched.employer, "variant"
        else:
            self._seq += 1
            employer = EmployerRef(id=None, order=(1, self._seq), variant=v, synthetic=v.synthetic)
            self.new_employers.append(employer)
            rule, kind = NEW, "legal"
        alias = AliasRef(normalized_name=v.normalized_name, address_key=v.address_key, kind=kind, employer=employer,
                         variant=v, resolution=rule, matched=matched, published_name=published_name, source=source)
        self.add(alias)
        self.new_aliases.append(alias)
        return alias

    def resolve_trade(self, v: Variant, legal: AliasRef, *, source: str) -> AliasRef | None:
        """Record the trade name of ``v`` as a TRADE alias of ``legal``'s employer (first come keeps it)."""
        if not v.normalized_trade or v.normalized_trade == v.normalized_name:
            return None
        key = (v.normalized_trade, v.address_key, "trade")
        alias = self.aliases.get(key)
        if alias is not None:
            return alias
        trade_variant = _trade_variant(v)
        alias = AliasRef(normalized_name=v.normalized_trade, address_key=v.address_key, kind="trade",
                         employer=legal.employer, variant=trade_variant, resolution=DBA_OF_LEGAL_NAME, matched=legal,
                         published_name=v.trade_name, source=source)
        self.add(alias)
        self.new_aliases.append(alias)
        return alias


def _trade_variant(v: Variant) -> Variant:
    t = Variant.__new__(Variant)
    for attr in ("country", "street_raw", "city_raw", "state_raw", "postal_raw", "synthetic", "state", "postal",
                 "city", "street"):
        object.__setattr__(t, attr, getattr(v, attr))
    for attr, value in dict(name=v.trade_name, trade_name="", normalized_name=v.normalized_trade, legal_form="",
                            normalized_trade="").items():
        object.__setattr__(t, attr, value)
    return t


# --- database layer --------------------------------------------------------------------------------------

JOB_ORDER_FIELDS = ["id", "employer_id", "country_id", "employer_name", "trade_name", "employer_address",
                    "employer_city", "employer_state", "employer_postal_code", "fiscal_year", "source", "is_synthetic"]


def variant_of(row: dict) -> Variant:
    """The variant of a job order given as a dict of JOB_ORDER_FIELDS."""
    return variant_from_fields(
        country=row["country_id"], employer_name=row["employer_name"], trade_name=row["trade_name"],
        address=row["employer_address"], city=row["employer_city"], state=row["employer_state"],
        postal_code=row["employer_postal_code"], synthetic=row["is_synthetic"],
    )


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _load_existing(resolver: Resolver, match_keys: set[str], address_keys: set[str]) -> None:
    from .models import Employer, EmployerAlias

    rows = {}
    fields = ["id", "employer_id", "kind", "name", "normalized_name", "address_key", "legal_form", "resolution",
              "source", "first_seen_year", "last_seen_year"]
    for chunk in _chunks(sorted(match_keys)):
        for row in EmployerAlias.objects.filter(match_key__in=chunk).values(*fields):
            rows[row["id"]] = row
    for chunk in _chunks(sorted(address_keys)):
        for row in EmployerAlias.objects.filter(address_key__in=chunk).values(*fields):
            rows[row["id"]] = row
    employer_ids = {row["employer_id"] for row in rows.values()}
    synthetic = set()
    for chunk in _chunks(sorted(employer_ids)):
        synthetic.update(Employer.objects.filter(pk__in=chunk, is_synthetic=True).values_list("pk", flat=True))
    employers = {eid: EmployerRef(id=eid, order=(0, eid), synthetic=eid in synthetic) for eid in employer_ids}
    for row in sorted(rows.values(), key=lambda r: r["id"]):
        variant = _variant_from_alias_row(row["address_key"], row["normalized_name"], row["legal_form"], row["name"])
        alias = AliasRef(
            normalized_name=row["normalized_name"], address_key=row["address_key"], kind=row["kind"],
            employer=employers[row["employer_id"]], variant=variant, resolution=row["resolution"], id=row["id"],
            published_name=row["name"], source=row["source"], first_seen=row["first_seen_year"],
            last_seen=row["last_seen_year"],
        )
        resolver.add(alias)


def _subdivision_codes() -> dict[str, str]:
    from temporada.core.models import Country, Subdivision

    iso2 = dict(Country.objects.filter(iso3__in=["USA", "CAN", "MEX"]).values_list("iso3", "iso2"))
    codes = set(Subdivision.objects.values_list("code", flat=True))
    return {iso3: (code, codes) for iso3, code in iso2.items()} if codes else {}


def _subdivision_for(variant: Variant, subdivisions) -> str | None:
    entry = subdivisions.get(variant.country)
    if not entry or not variant.state:
        return None
    code = f"{entry[0]}-{variant.state}"
    return code if code in entry[1] else None


def bulk_set_column(model, column: str, pairs: list[tuple[int, int]]) -> None:
    """Set an integer ``column`` of ``model`` from (row id, value) pairs: one UPDATE … FROM (VALUES …) per
    two thousand rows (SQLite ≥ 3.33 and PostgreSQL both name VALUES columns column1, column2)."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        for chunk in _chunks(pairs, 2000):
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params = [v for pair in chunk for v in pair]
            if connection.vendor == "postgresql":
                values = ", ".join(["(%s::bigint, %s::bigint)"] * len(chunk))
            # Table and column names come from the model, never from input; every value is a bound parameter.
            sql = f"UPDATE {table} SET {column} = v.column2 FROM (VALUES {values}) AS v WHERE {table}.id = v.column1"  # noqa: S608  # nosec B608
            cursor.execute(sql, params)


def _live_employer_ids(ids: set[int]) -> dict[int, int]:
    """Follow ``merged_into`` so a job order never lands on an employer that was merged away."""
    from .models import Employer

    parent: dict[int, int] = {}
    pending = set(ids)
    while pending:
        found = {}
        for chunk in _chunks(sorted(pending)):
            found.update(dict(Employer.objects.filter(pk__in=chunk, merged_into__isnull=False)
                              .values_list("pk", "merged_into_id")))
        parent.update(found)
        pending = set(found.values()) - set(parent)

    def live(eid, depth=0):
        while eid in parent and depth < 100:
            eid, depth = parent[eid], depth + 1
        return eid

    return {eid: live(eid) for eid in ids}


@transaction.atomic
def resolve_job_orders(job_orders) -> int:
    """Attach every job order of ``job_orders`` (a queryset) to its employer, creating employers and aliases
    as needed. Returns the number of job orders whose employer changed. Idempotent; see the module doc."""
    from .models import Employer, EmployerAlias

    by_variant: dict[Variant, list[tuple[int, int | None, int | None, str, str]]] = defaultdict(list)
    cache: dict[tuple, Variant] = {}
    for row in job_orders.order_by().values(*JOB_ORDER_FIELDS).iterator(chunk_size=5000):
        raw = (row["country_id"], row["employer_name"], row["trade_name"], row["employer_address"], row["employer_city"],
               row["employer_state"], row["employer_postal_code"], row["is_synthetic"])
        variant = cache.get(raw)
        if variant is None:
            variant = cache[raw] = variant_of(row)
        by_variant[variant].append((row["id"], row["employer_id"], row["fiscal_year"], row["source"],
                                    row["employer_name"]))
    if not by_variant:
        return 0

    resolver = Resolver()
    match_keys, address_keys = set(), set()
    for v in by_variant:
        match_keys.add(compact(v.normalized_name))
        if v.normalized_trade:
            match_keys.add(compact(v.normalized_trade))
        address_keys.add(v.address_key)
    _load_existing(resolver, match_keys, address_keys)

    # Resolve in a fixed order: same input, same employers.
    order = sorted(by_variant, key=lambda v: (v.synthetic, v.country, v.normalized_name, v.address_key,
                                              v.name, v.trade_name, v.street_raw, v.city_raw, v.postal_raw))
    alias_of: dict[Variant, AliasRef] = {}
    for v in order:
        if not v.normalized_name:
            continue
        first = by_variant[v][0]
        legal = resolver.resolve(v, published_name=v.name[:300], source=first[3])
        alias_of[v] = legal
        resolver.resolve_trade(v, legal, source=first[3])

    # Create the new employers, then their aliases. A new employer's job orders are all in this run, so its
    # most frequent published name and address are counted here (existing employers are counted below).
    published: dict[int, Counter] = defaultdict(Counter)
    for v, alias in alias_of.items():
        if alias.employer.id is None:
            for _id, _e, _y, _s, name in by_variant[v]:
                published[id(alias.employer)][(name, v.street_raw, v.city_raw, v.postal_raw)] += 1
    subdivisions = _subdivision_codes()
    new_employers = []
    for ref in resolver.new_employers:
        v = ref.variant
        name, address, city, postal = _most_frequent(published[id(ref)]) or (v.name, v.street_raw, v.city_raw,
                                                                           v.postal_raw)
        new_employers.append(Employer(
            name=(split_dba(name)[0] or v.normalized_name)[:300], normalized_name=v.normalized_name,
            country_id=v.country, subdivision_id=_subdivision_for(v, subdivisions), city=(city or "").strip()[:120],
            postal_code=(postal or "").strip()[:20], address=(address or "").strip()[:300], is_synthetic=v.synthetic,
        ))
    created = Employer.objects.bulk_create(new_employers, batch_size=1000)
    for ref, obj in zip(resolver.new_employers, created, strict=True):
        ref.id = obj.pk
        if obj.pk is None:  # backends that cannot return ids from bulk inserts
            raise RuntimeError("bulk_create did not return employer ids")

    # Years seen, per alias (new and existing), from the job orders of this run.
    for v, alias in alias_of.items():
        alias.years.update(y for _id, _e, y, _s, _n in by_variant[v] if y)
        if v.normalized_trade:
            trade = resolver.aliases.get((v.normalized_trade, v.address_key, "trade"))
            if trade is not None:
                trade.years.update(alias.years)
    new_alias_objs = []
    for alias in resolver.new_aliases:
        new_alias_objs.append(EmployerAlias(
            employer_id=alias.employer.id, kind=alias.kind, name=alias.published_name[:300] or alias.normalized_name,
            normalized_name=alias.normalized_name, match_key=compact(alias.normalized_name)[:300],
            address_key=alias.address_key, legal_form=alias.variant.legal_form,
            city=alias.variant.city_raw.strip()[:120], state=alias.variant.state_raw.strip()[:60],
            postal_code=alias.variant.postal_raw.strip()[:20], address=alias.variant.street_raw.strip()[:300],
            source=alias.source[:30], first_seen_year=min(alias.years) if alias.years else None,
            last_seen_year=max(alias.years) if alias.years else None, resolution=alias.resolution,
        ))
    created_aliases = EmployerAlias.objects.bulk_create(new_alias_objs, batch_size=1000)
    for alias, obj in zip(resolver.new_aliases, created_aliases, strict=True):
        alias.id = obj.pk
    bulk_set_column(EmployerAlias, "matched_alias_id",
                    [(alias.id, alias.matched.id) for alias in resolver.new_aliases if alias.matched is not None])

    # Widen the years of existing aliases seen again.
    stale = []
    fresh = {id(alias) for alias in resolver.new_aliases}
    for alias in resolver.aliases.values():
        if alias.id is None or not alias.years or id(alias) in fresh:
            continue
        first = min(alias.years | ({alias.first_seen} if alias.first_seen else set()))
        last = max(alias.years | ({alias.last_seen} if alias.last_seen else set()))
        if (first, last) != (alias.first_seen, alias.last_seen):
            stale.append(EmployerAlias(pk=alias.id, first_seen_year=first, last_seen_year=last))
    EmployerAlias.objects.bulk_update(stale, ["first_seen_year", "last_seen_year"], batch_size=500)

    # Point the job orders at their employer (following official merges).
    live = _live_employer_ids({alias.employer.id for alias in alias_of.values()})
    changes = []
    touched = set()
    created_ids = {ref.id for ref in resolver.new_employers}
    for v, alias in alias_of.items():
        target = live[alias.employer.id]
        for job_id, current, _y, _s, _n in by_variant[v]:
            if current != target:
                changes.append((job_id, target))
                touched.add(target)
                if current:
                    touched.add(current)
    from temporada.demand.models import JobOrder

    bulk_set_column(JobOrder, "employer_id", changes)
    refresh_employer_names(touched - created_ids)
    return len(changes)


def _most_frequent(counts: Counter):
    """The most frequent (name, address, city, postal code); ties: mixed case first, then alphabetical."""
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0][0].isupper(), tuple(x or "" for x in kv[0])))[0]


def refresh_employer_names(employer_ids) -> None:
    """Name and address of each employer = its most frequent published legal name and address (ties: the
    alphabetically first), unless an official has reviewed it."""
    from temporada.demand.models import JobOrder

    from .models import Employer

    for chunk in _chunks(sorted(employer_ids), 500):
        counts: dict[int, Counter] = defaultdict(Counter)
        for row in (JobOrder.objects.filter(employer_id__in=chunk).order_by()
                    .values_list("employer_id", "employer_name", "employer_address", "employer_city",
                                 "employer_postal_code")):
            counts[row[0]][row[1:]] += 1
        employers = Employer.objects.filter(pk__in=chunk, manually_reviewed=False)
        changed = []
        for employer in employers:
            if not counts.get(employer.pk):
                continue
            name, address, city, postal = _most_frequent(counts[employer.pk])
            legal = split_dba(name)[0][:300] or employer.name
            values = {"name": legal, "address": (address or "")[:300], "city": (city or "")[:120],
                      "postal_code": (postal or "")[:20]}
            if any(getattr(employer, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(employer, k, v)
                changed.append(employer)
        Employer.objects.bulk_update(changed, ["name", "address", "city", "postal_code"], batch_size=500)
