"""Precision of the automatic employer merges, against a hand-checked sample of merged pairs.

    .venv/bin/python benchmarks/employers_merge_precision.py             # precision of the current rules
    .venv/bin/python benchmarks/employers_merge_precision.py --stats     # employers vs distinct raw names
    .venv/bin/python benchmarks/employers_merge_precision.py --draw 240  # draw a new sample to check by hand

The labelled sample is ``data/employers/merge_sample_checked.csv``: one row per pair of distinct published
name/address variants that the rules put in the same employer, with the verdict of a person who read
both (same / different / unsure) and a note. The precision printed is, over the pairs with a same or
different verdict that the *current* rules still merge, the share judged "same". Pairs the current
rules no longer merge are counted apart (a rule change can only lose recall there, not precision).

The variants come straight from the official files (OFLC H-2A/H-2B disclosure files, the SeasonalJobs
snapshot, the ESDC positive-LMIA lists) read with the same column mapping the importers use for the
employer columns, and resolved in memory with ``temporada.employers.resolution.Resolver`` — the same
code that resolves job orders in the database.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")

from temporada.employers.normalize import Variant, variant_from_fields  # noqa: E402
from temporada.employers.resolution import NEW, Resolver, match_rule  # noqa: E402

DATA = ROOT / "data" / "labor_demand"
SAMPLE = ROOT / "data" / "employers" / "merge_sample_checked.csv"
SEED = 20240611
PER_RULE = 40
FIELDS = ["pair_id", "country", "rule", "rule_decisions", "a_name", "a_trade_name", "a_address", "a_city", "a_state", "a_postal_code",
          "b_name", "b_trade_name", "b_address", "b_city", "b_state", "b_postal_code", "verdict", "note"]


def _col(header, *names):
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _cell(row, index):
    if index is None or index >= len(row):
        return ""
    value = row[index]
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_oflc():
    """(source, fiscal year, variant) for every row of the OFLC disclosure files."""
    from python_calamine import CalamineWorkbook

    for folder, source in (("us_oflc_h2a/raw", "oflc_h2a"), ("us_oflc_h2b/raw", "oflc_h2b")):
        for path in sorted((DATA / folder).glob("*.xls*")):
            if "Appendix" in path.name or "Addendum" in path.name:
                continue
            match = re.search(r"FY(?:20)?(\d{2})", path.name)
            year = 2000 + int(match.group(1))
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            header = [str(h).strip().upper() for h in rows[0]]
            name = _col(header, "EMPLOYER_NAME")
            trade = _col(header, "TRADE_NAME_DBA")
            addr1 = _col(header, "EMPLOYER_ADDRESS1", "EMPLOYER_ADDRESS_1")
            addr2 = _col(header, "EMPLOYER_ADDRESS2", "EMPLOYER_ADDRESS_2")
            city = _col(header, "EMPLOYER_CITY")
            state = _col(header, "EMPLOYER_STATE")
            postal = _col(header, "EMPLOYER_POSTAL_CODE")
            for row in rows[1:]:
                address = " ".join(p for p in (_cell(row, addr1), _cell(row, addr2)) if p)
                yield source, year, variant_from_fields(
                    country="USA", employer_name=_cell(row, name), trade_name=_cell(row, trade), address=address,
                    city=_cell(row, city), state=_cell(row, state), postal_code=_cell(row, postal),
                )


def read_seasonaljobs():
    path = next((DATA / "us_seasonaljobs").glob("seasonaljobs_*.csv.gz"))
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            year = int(row["begin_date"][:4]) if row.get("begin_date", "")[:4].isdigit() else 2026
            yield "seasonaljobs", year, variant_from_fields(
                country="USA", employer_name=row["employer_business_name"], city=row["employer_city"],
                state=row["employer_state"], postal_code=row["employer_zip"],
            )


def read_lmia():
    path = DATA / "canada_lmia" / "lmia_positive_employers_2017q1_2024q4_harmonized.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield "lmia", int(row["year"]), variant_from_fields(
                country="CAN", employer_name=row["employer"], address=row["address"], state=row["province_territory"],
            )


def resolve_all(limit_sources=None):
    """Resolve every published variant in memory. Returns (resolver, variants → (alias, count, sources))."""
    started = time.perf_counter()
    counts: Counter = Counter()
    raw_names: set = set()
    years: dict = defaultdict(set)
    for reader in (read_oflc, read_seasonaljobs, read_lmia):
        if limit_sources and reader.__name__ not in limit_sources:
            continue
        for source, year, variant in reader():
            counts[(source, variant)] += 1
            raw_names.add((variant.country, variant.name.strip().upper()))
            years[variant].add(year)
    read_seconds = time.perf_counter() - started
    variants = sorted({v for _s, v in counts}, key=lambda v: (v.synthetic, v.country, v.normalized_name, v.address_key,
                                                              v.name, v.trade_name, v.street_raw, v.city_raw, v.postal_raw))
    source_of = {}
    for (source, v), _n in sorted(counts.items(), key=lambda kv: kv[0][0]):
        source_of.setdefault(v, source)
    started = time.perf_counter()
    resolver = Resolver()
    alias_of = {}
    for v in variants:
        if not v.normalized_name:
            continue
        alias = resolver.resolve(v, published_name=v.name, source=source_of[v])
        resolver.resolve_trade(v, alias, source=source_of[v])
        alias_of[v] = alias
    resolve_seconds = time.perf_counter() - started
    per_variant = Counter()
    for (_s, v), n in counts.items():
        per_variant[v] += n
    return resolver, alias_of, per_variant, raw_names, read_seconds, resolve_seconds


def stats():
    resolver, alias_of, per_variant, raw_names, read_s, resolve_s = resolve_all()
    employers = {id(a.employer) for a in alias_of.values()}
    rules = Counter(a.resolution for a in resolver.new_aliases)
    print(f"rows read: {sum(per_variant.values()):,} in {read_s:.1f} s; resolved in {resolve_s:.1f} s")
    print(f"distinct published (country, name): {len(raw_names):,}")
    print(f"distinct normalised legal names: {len({(v.country, v.normalized_name) for v in alias_of}):,}")
    print(f"distinct published name+address variants: {len(alias_of):,}")
    print(f"aliases: {len(resolver.new_aliases):,}  employers: {len(employers):,}")
    for country in ("USA", "CAN"):
        raw = sum(1 for c, _n in raw_names if c == country)
        emp = len({id(a.employer) for v, a in alias_of.items() if v.country == country})
        print(f"  {country}: {raw:,} distinct raw names → {emp:,} employers")
    print("aliases by rule:", dict(rules))


def _pairs_by_rule(resolver, alias_of):
    """Every merge decision as a pair of published variants: (rule, variant A, variant B).

    - an alias attached by a rule, with the alias it matched;
    - two published spellings that normalise to the same alias (rule "same-normalised-name-address")."""
    variants_of_alias = defaultdict(list)
    for v, alias in alias_of.items():
        variants_of_alias[id(alias)].append(v)
    first_variant = {aid: sorted(vs, key=lambda v: (v.name, v.street_raw))[0] for aid, vs in variants_of_alias.items()}
    decisions = []
    for alias in resolver.new_aliases:
        if alias.kind == "trade" or alias.resolution == NEW or alias.matched is None:
            continue
        a = first_variant.get(id(alias))
        matched = alias.matched
        b = first_variant.get(id(matched)) if matched.kind != "trade" else None
        if b is None and matched.kind == "trade":
            # the matched trade alias: show the legal variant that carried the trade name
            b = next((v for v, al in alias_of.items() if al.employer is matched.employer
                      and v.normalized_trade == matched.normalized_name and v.address_key == matched.address_key),
                     None)
        if a is not None and b is not None:
            decisions.append((alias.resolution, a, b))
    for vs in variants_of_alias.values():
        if len(vs) < 2:
            continue
        vs = sorted(vs, key=lambda v: (v.name, v.street_raw, v.city_raw, v.postal_raw))
        for other in vs[1:]:
            decisions.append(("same-normalised-name-address", vs[0], other))
    return decisions


def _row(pair_id, rule, a: Variant, b: Variant, decisions: int):
    return {
        "pair_id": pair_id, "country": a.country, "rule": rule, "rule_decisions": decisions,
        "a_name": a.name, "a_trade_name": a.trade_name, "a_address": a.street_raw, "a_city": a.city_raw,
        "a_state": a.state_raw, "a_postal_code": a.postal_raw,
        "b_name": b.name, "b_trade_name": b.trade_name, "b_address": b.street_raw, "b_city": b.city_raw,
        "b_state": b.state_raw, "b_postal_code": b.postal_raw, "verdict": "", "note": "",
    }


def draw(per_rule, out, *, seed=SEED, rules=None, start=1):
    """A stratified sample: ``per_rule`` random decisions of each rule (fixed seed), so that rare rules are
    checked as carefully as frequent ones; precision is then weighted by each rule's number of decisions."""
    resolver, alias_of, _pv, _raw, _r, _s = resolve_all()
    decisions = _pairs_by_rule(resolver, alias_of)
    sizes = Counter(r for r, _a, _b in decisions)
    print(f"merge decisions: {len(decisions):,}", dict(sizes))
    rng = random.Random(seed)
    picked = []
    for rule in sorted(sizes):
        if rules and rule not in rules:
            continue
        stratum = [d for d in decisions if d[0] == rule]
        picked.extend(rng.sample(stratum, min(per_rule, len(stratum))))
    rng.shuffle(picked)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, FIELDS)
        writer.writeheader()
        for i, (rule, a, b) in enumerate(picked, start):
            writer.writerow(_row(f"P{i:03d}", rule, a, b, sizes[rule]))
    print(f"wrote {len(picked)} pairs to {out}")


def _variant(row, side):
    return variant_from_fields(
        country=row["country"], employer_name=row[f"{side}_name"], trade_name=row[f"{side}_trade_name"],
        address=row[f"{side}_address"], city=row[f"{side}_city"], state=row[f"{side}_state"],
        postal_code=row[f"{side}_postal_code"],
    )


def current_rule(a: Variant, b: Variant) -> str | None:
    """The rule that would merge the two variants now (either direction), or None."""
    if a.normalized_name == b.normalized_name and a.address_key == b.address_key:
        return "same-normalised-name-address"
    for new, old in ((a, b), (b, a)):
        rule = match_rule(new, old)
        if rule:
            return rule
        if old.normalized_trade:
            trade = variant_from_fields(country=old.country, employer_name=old.trade_name, address=old.street_raw,
                                        city=old.city_raw, state=old.state_raw, postal_code=old.postal_raw)
            if match_rule(new, trade, old_is_trade=True):
                return "trade-name-postcode"
    return None


def precision(path=SAMPLE):
    started = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    verdicts = Counter()
    per_rule = defaultdict(Counter)
    no_longer = Counter()
    for row in rows:
        rule = current_rule(_variant(row, "a"), _variant(row, "b"))
        if rule is None:
            no_longer[row["verdict"]] += 1
            continue
        verdicts[row["verdict"]] += 1
        per_rule[rule][row["verdict"]] += 1
    judged = verdicts["same"] + verdicts["different"]
    print(f"labelled pairs: {len(rows)}; still merged by the current rules: {sum(verdicts.values())}; "
          f"no longer merged: {sum(no_longer.values())} {dict(no_longer)}")
    print(f"verdicts on merged pairs: {dict(verdicts)}")
    if judged:
        p = verdicts["same"] / judged
        # Wilson 95% interval
        z = 1.96
        centre = (p + z * z / (2 * judged)) / (1 + z * z / judged)
        half = z * ((p * (1 - p) / judged + z * z / (4 * judged * judged)) ** 0.5) / (1 + z * z / judged)
        print(f"precision over the checked pairs (unweighted): {p:.3f} ({verdicts['same']}/{judged}; 95% CI {centre - half:.3f}–"
              f"{centre + half:.3f}); counting 'unsure' as wrong: {verdicts['same'] / sum(verdicts.values()):.3f}")
    weights = {row["rule"]: int(row["rule_decisions"]) for row in rows}
    weighted, strict, total = 0.0, 0.0, 0
    for rule, c in sorted(per_rule.items()):
        j = c["same"] + c["different"]
        p_rule = c["same"] / j if j else float("nan")
        print(f"  {rule:30s} decisions={weights.get(rule, 0):6,d} checked={sum(c.values()):3d} same={c['same']:3d} "
              f"different={c['different']:2d} unsure={c['unsure']:2d} precision={p_rule:.3f}")
        if j and rule in weights:
            weighted += weights[rule] * p_rule
            strict += weights[rule] * c["same"] / sum(c.values())
            total += weights[rule]
    if total:
        print(f"PRECISION weighted by each rule's share of all {total:,} merge decisions in the real data: "
              f"{weighted / total:.3f} (counting 'unsure' as wrong: {strict / total:.3f})")
    # Baseline: what a naive rule (same normalised name anywhere in the country) would have merged.
    naive = sum(1 for row in rows if _variant(row, "a").normalized_name == _variant(row, "b").normalized_name)
    print(f"(pairs with identical normalised names: {naive}; evaluated in {time.perf_counter() - started:.2f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draw", type=int, help="draw N merged pairs per rule from the official files (unlabelled)")
    parser.add_argument("--out", default=str(SAMPLE.with_name("merge_sample_unlabelled.csv")))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--rule", action="append", help="draw only from these rules (repeatable)")
    parser.add_argument("--start", type=int, default=1, help="number of the first pair id")
    parser.add_argument("--stats", action="store_true", help="employers vs distinct raw names in the real files")
    args = parser.parse_args()
    if args.draw:
        draw(args.draw, args.out, seed=args.seed, rules=args.rule, start=args.start)
    elif args.stats:
        stats()
    else:
        precision()


if __name__ == "__main__":
    main()
