"""Loads the occupation classifications and crosswalks for `temporada setup` (three Steps).

- ``occupations.isco_esco``: ISCO-08 groups (619: 10 major, 43 sub-major, 130 minor, 436 unit; es/en/fr)
  from ``isco08/isco08_groups_en_es_fr.csv`` and ESCO v1.0 occupations (2,942) from
  ``esco_v1.0/esco_occupations_en_es_fr.csv``.
- ``occupations.soc``: SOC 2018 (23 major, 98 minor, 459 broad, 867 detailed) from BLS's
  ``soc_structure_2018.xlsx`` (hierarchy) and ``soc_2018_definitions.xlsx`` (definitions); crosswalks
  SOC 2010→ISCO-08 (BLS via IBS, 1,131 rows), O*NET-SOC 2010→SOC 2018 (1,170), O*NET-SOC 2019→SOC 2018
  (1,016) and SOC 2018→ISCO-08 derived via SOC 2010 (1,343 rows, of which 2 have no ISCO code and are
  reported, not loaded); SOC 2010 codes and titles as they appear in those crosswalks.
- ``occupations.noc``: NOC 2021 V1.0 (822 groups, 516 unit groups; English only), NOC 2011 unit groups as
  they appear in ESDC's positive-LMIA lists (the NOC 2011 structure file is not vendored), the hand-made
  NOC→ISCO table (``reference/noc_isco08_manual.csv``) and title matches for the NOC unit groups it does
  not cover (``titlematch``).

Every load runs in one transaction, reads codes as text, reports each rejected row with its reason,
and leaves the same rows whether it runs once or twice (upsert by natural key; derived tables rebuilt).
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from temporada.core.bootstrap import MissingReferenceFile, Step, data_path, read_csv

from .models import (
    CrosswalkLink,
    EscoOccupation,
    IscoGroup,
    LinkMethod,
    NocGroup,
    OnetOccupation,
    SearchEntry,
    Soc2010Occupation,
    SocOccupation,
    System,
)
from .search import normalise

MANUAL_NOC_TABLE = Path(__file__).resolve().parent / "reference" / "noc_isco08_manual.csv"

ISCO_FILE = ("occupations", "isco08", "isco08_groups_en_es_fr.csv")
ESCO_FILE = ("occupations", "esco_v1.0", "esco_occupations_en_es_fr.csv")
SOC_STRUCTURE = ("occupations", "soc2018", "soc_structure_2018.xlsx")
SOC_DEFINITIONS = ("occupations", "soc2018", "soc_2018_definitions.xlsx")
SOC2010_ISCO = ("occupations", "crosswalks", "soc2010_isco08_bls_ibs.csv")
ONET2010_SOC2018 = ("occupations", "crosswalks", "onet_soc2010_to_soc2018_crosswalk.xlsx")
ONET2019_SOC2018 = ("occupations", "onet", "onet_soc2019_to_soc2018_crosswalk.xlsx")
SOC2018_ISCO = ("occupations", "crosswalks", "soc2018_isco08_derived_via_soc2010.csv")
NOC2021_FILE = ("occupations", "noc2021", "noc2021_v1_structure_en.csv")
LMIA_FILE = ("labor_demand", "canada_lmia", "lmia_positive_employers_2017q1_2024q4_harmonized.csv.gz")

ESCO_PREFIX = "http://data.europa.eu/esco/occupation/"
NOC2011_SOURCE = "NOC 2011 code and title as published in ESDC's positive LMIA lists, 2017 Q1–2024 Q1"
NOC2021_SOURCE = "NOC 2021 Version 1.0 classification structure (Statistics Canada)"


@dataclass
class LoadReport:
    """What a load did: rows written per table, and every rejected row with its reason."""

    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def reject(self, where: str, reason: str):
        self.rejected.append((where, reason))

    def write(self, stdout):
        if stdout is None:
            return
        for name, count in self.counts.items():
            stdout.write(f"    {name}: {count}")
        for where, reason in self.rejected:
            stdout.write(f"    rejected {where}: {reason}")


# --- generic helpers -------------------------------------------------------------------------------------


def _sync(model, rows: list[dict], key: tuple[str, ...], fields: list[str]) -> int:
    """Upsert ``rows`` by natural ``key`` and delete rows no longer in the file. Returns len(rows)."""
    existing = {tuple(getattr(obj, k) for k in key): obj for obj in model.objects.all()}
    new, changed, seen = [], [], set()
    for values in rows:
        ident = tuple(values[k] for k in key)
        seen.add(ident)
        obj = existing.get(ident)
        if obj is None:
            new.append(model(**values))
        elif any(getattr(obj, f) != values[f] for f in fields):
            for f in fields:
                setattr(obj, f, values[f])
            changed.append(obj)
    stale = [obj.pk for ident, obj in existing.items() if ident not in seen]
    if stale:
        # Children before parents (self-referencing hierarchies protect their parents).
        order = "-level" if any(f.name == "level" for f in model._meta.fields) else "pk"
        for pk in model.objects.filter(pk__in=stale).order_by(order).values_list("pk", flat=True):
            model.objects.filter(pk=pk).delete()
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=500)
    return len(rows)


def _replace_links(provenances: list[str], links: list[CrosswalkLink]) -> int:
    CrosswalkLink.objects.filter(provenance__in=provenances).delete()
    CrosswalkLink.objects.bulk_create(links, batch_size=1000)
    return len(links)


def _replace_search(kinds: list[str], entries: list[SearchEntry]) -> int:
    SearchEntry.objects.filter(kind__in=kinds).delete()
    SearchEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _entry(kind, code, display_code, *, level=0, titles, extra=(), sort) -> SearchEntry:
    titles = {lang: titles.get(lang, "") for lang in ("es", "en", "fr")}
    primary = "|" + "|".join(normalise(t) for t in titles.values() if t) + "|" + normalise(display_code) + "|"
    compact = display_code.replace("-", "").replace(".", "")
    search = " ".join(filter(None, [*(normalise(t) for t in titles.values()), *(normalise(t) for t in extra),
                                    normalise(display_code), compact]))
    return SearchEntry(kind=kind, code=code, display_code=display_code, level=level, title_es=titles["es"][:255],
                       title_en=titles["en"][:255], title_fr=titles["fr"][:255], primary_text=primary,
                       search_text=" " + search + " ", sort=sort)


def _xlsx_rows(path: Path) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    if not path.exists():
        raise MissingReferenceFile(f"missing file {path}")
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [[str(cell).strip() if cell is not None else "" for cell in row] for row in sheet.to_python()]


def _rows_after_header(rows: list[list[str]], first_header: str) -> list[list[str]]:
    for index, row in enumerate(rows):
        if row and row[0] == first_header:
            return rows[index + 1:]
    raise ValueError(f"header {first_header!r} not found")


# --- ISCO-08 and ESCO --------------------------------------------------------------------------------------


@transaction.atomic
def import_isco_esco() -> LoadReport:
    report = LoadReport()
    isco_rows = read_csv(data_path(*ISCO_FILE))
    groups = []
    for row in isco_rows:
        code, level = row["code"].strip(), row["level"].strip()
        if not code.isdigit() or level not in "1234" or len(code) != int(level):
            report.reject(f"{ISCO_FILE[-1]} code {code!r}", "code and level do not agree")
            continue
        groups.append({
            "code": code, "level": int(level), "parent_id": row["parent_code"].strip() or None,
            "title_es": row["title_es"], "title_en": row["title_en"], "title_fr": row["title_fr"],
            "definition_en": row["definition_en"].strip(), "esco_uri": row["esco_uri"],
        })
    groups.sort(key=lambda g: (g["level"], g["code"]))
    fields = ["level", "parent_id", "title_es", "title_en", "title_fr", "definition_en", "esco_uri"]
    report.counts["ISCO-08 groups"] = _sync(IscoGroup, groups, ("code",), fields)
    units = {g["code"] for g in groups if g["level"] == 4}

    occupations = []
    for number, row in enumerate(read_csv(data_path(*ESCO_FILE)), start=2):
        uri, isco = row["esco_uri"].strip(), row["isco08_code"].strip()
        if not uri.startswith(ESCO_PREFIX):
            report.reject(f"{ESCO_FILE[-1]} line {number}", f"unexpected URI {uri!r}")
            continue
        if isco not in units:
            report.reject(f"{ESCO_FILE[-1]} line {number}", f"ISCO code {isco!r} is not an ISCO-08 unit group")
            continue
        occupations.append({
            "uuid": uri[len(ESCO_PREFIX):], "uri": uri, "isco_id": isco,
            "label_es": row["label_es"], "label_en": row["label_en"], "label_fr": row["label_fr"],
            "alt_labels_es": _lines(row["alt_labels_es"]), "alt_labels_en": _lines(row["alt_labels_en"]),
            "alt_labels_fr": _lines(row["alt_labels_fr"]), "description_en": row["description_en"].strip(),
        })
    fields = ["uri", "isco_id", "label_es", "label_en", "label_fr", "alt_labels_es", "alt_labels_en",
              "alt_labels_fr", "description_en"]
    report.counts["ESCO occupations"] = _sync(EscoOccupation, occupations, ("uuid",), fields)

    entries = [
        _entry("isco", g["code"], g["code"], level=g["level"], sort=i,
               titles={"es": g["title_es"], "en": g["title_en"], "fr": g["title_fr"]})
        for i, g in enumerate(sorted(groups, key=lambda g: g["code"]))
    ]
    entries += [
        _entry("esco", o["uuid"], o["isco_id"], sort=10_000 + i,
               titles={"es": o["label_es"], "en": o["label_en"], "fr": o["label_fr"]},
               extra=[o["alt_labels_es"], o["alt_labels_en"], o["alt_labels_fr"]])
        for i, o in enumerate(sorted(occupations, key=lambda o: o["label_en"]))
    ]
    report.counts["search entries (ISCO, ESCO)"] = _replace_search(["isco", "esco"], entries)
    _clear_caches()
    return report


def _lines(pipe_separated: str) -> str:
    """The derived file joins alternative labels with " | "; ESCO publishes one per line."""
    return "\n".join(label.strip() for label in pipe_separated.split(" | ") if label.strip())


# --- SOC 2018, SOC 2010, O*NET-SOC and their crosswalks -----------------------------------------------


@transaction.atomic
def import_soc() -> LoadReport:
    report = LoadReport()
    structure = _rows_after_header(_xlsx_rows(data_path(*SOC_STRUCTURE)), "Major Group")
    definitions = {}
    for row in _rows_after_header(_xlsx_rows(data_path(*SOC_DEFINITIONS)), "SOC Group"):
        if len(row) >= 4 and row[1]:
            definitions[row[1]] = (row[2], row[3])
    socs, last_at_level = [], {}
    for row in structure:
        filled = [i for i in range(4) if i < len(row) and row[i]]
        if len(filled) != 1:
            continue  # blank or footnote rows below the table
        level = filled[0] + 1
        code, title = row[filled[0]], row[4] if len(row) > 4 else ""
        if len(code) != 7 or code[2] != "-":
            report.reject(f"{SOC_STRUCTURE[-1]} {code!r}", "not a SOC code")
            continue
        parent = last_at_level.get(level - 1) if level > 1 else None
        last_at_level[level] = code
        defined_title, definition = definitions.get(code, ("", ""))
        if defined_title and defined_title != title:
            report.reject(f"{SOC_DEFINITIONS[-1]} {code}", f"title differs from the structure file ({defined_title!r})")
        socs.append({"code": code, "level": level, "parent_id": parent, "title_en": title, "definition_en": definition})
    socs.sort(key=lambda s: (s["level"], s["code"]))
    report.counts["SOC 2018 groups"] = _sync(SocOccupation, socs, ("code",), ["level", "parent_id", "title_en", "definition_en"])
    soc_codes = {s["code"] for s in socs}

    links: list[CrosswalkLink] = []
    soc2010_titles: dict[str, str] = {}
    # SOC 2010 → ISCO-08 (BLS crosswalk as distributed by IBS).
    for position, row in enumerate(read_csv(data_path(*SOC2010_ISCO)), start=2):
        soc, isco = row["soc2010_code"].strip(), row["isco08_code"].strip()
        if not soc or not isco:
            report.reject(f"{SOC2010_ISCO[-1]} line {position}", "missing code")
            continue
        soc2010_titles.setdefault(soc, row["soc2010_title"].strip())
        links.append(CrosswalkLink(
            source_system=System.SOC2010, source_code=soc, source_title=row["soc2010_title"][:255],
            target_system=System.ISCO08, target_code=isco, target_title=row["isco08_title_en"][:255],
            method=LinkMethod.OFFICIAL_BLS_IBS, provenance=SOC2010_ISCO[-1], position=position))
    report.counts["SOC 2010 → ISCO-08 links"] = sum(1 for link in links if link.source_system == System.SOC2010)

    onets = []
    for version, parts in (("2010", ONET2010_SOC2018), ("2019", ONET2019_SOC2018)):
        system = System.ONETSOC2010 if version == "2010" else System.ONETSOC2019
        titles, count = {}, 0
        for position, row in enumerate(_rows_after_header(_xlsx_rows(data_path(*parts)), f"O*NET-SOC {version} Code"), 1):
            if len(row) < 4 or not row[0]:
                continue
            onet, title, soc, soc_title = row[:4]
            if soc not in soc_codes:
                report.reject(f"{parts[-1]} {onet}", f"SOC 2018 code {soc!r} is not in the SOC 2018 structure")
                continue
            titles.setdefault(onet, title)
            links.append(CrosswalkLink(
                source_system=system, source_code=onet, source_title=title[:255], target_system=System.SOC2018,
                target_code=soc, target_title=soc_title[:255], method=LinkMethod.OFFICIAL_ONET,
                provenance=parts[-1], position=position))
            count += 1
        report.counts[f"O*NET-SOC {version} → SOC 2018 links"] = count
        onets += [{"version": version, "code": code, "title_en": title[:255]} for code, title in titles.items()]
    report.counts["O*NET-SOC occupations"] = _sync(OnetOccupation, onets, ("version", "code"), ["title_en"])

    count = 0
    for position, row in enumerate(read_csv(data_path(*SOC2018_ISCO)), start=2):
        soc, soc2010, isco = row["soc2018_code"].strip(), row["soc2010_code"].strip(), row["isco08_code"].strip()
        if soc2010 and row["soc2010_title"].strip():
            soc2010_titles.setdefault(soc2010, row["soc2010_title"].strip())
        elif soc2010:
            soc2010_titles.setdefault(soc2010, "")
        if not isco:
            report.reject(f"{SOC2018_ISCO[-1]} line {position} ({soc})", f"no ISCO-08 code for SOC 2010 {soc2010} in the file")
            continue
        if soc not in soc_codes:
            report.reject(f"{SOC2018_ISCO[-1]} line {position}", f"SOC 2018 code {soc!r} is not in the SOC 2018 structure")
            continue
        links.append(CrosswalkLink(
            source_system=System.SOC2018, source_code=soc, source_title=row["soc2018_title"][:255],
            target_system=System.ISCO08, target_code=isco, target_title=row["isco08_title_en"][:255],
            method=LinkMethod.DERIVED_VIA_SOC2010, provenance=SOC2018_ISCO[-1], position=position,
            via_code=soc2010, detail=f"SOC 2018 {soc} → SOC 2010 {soc2010} → ISCO-08 {isco}"))
        count += 1
    report.counts["SOC 2018 → ISCO-08 links (derived)"] = count
    _replace_links([SOC2010_ISCO[-1], ONET2010_SOC2018[-1], ONET2019_SOC2018[-1], SOC2018_ISCO[-1]], links)

    soc2010 = [{"code": code, "title_en": title[:255]} for code, title in sorted(soc2010_titles.items())]
    report.counts["SOC 2010 codes"] = _sync(Soc2010Occupation, soc2010, ("code",), ["title_en"])

    entries = [_entry("soc", s["code"], s["code"], level=s["level"], titles={"en": s["title_en"]}, sort=20_000 + i)
               for i, s in enumerate(sorted(socs, key=lambda s: s["code"]))]
    entries += [_entry("soc2010", s["code"], s["code"], titles={"en": s["title_en"]}, sort=40_000 + i)
                for i, s in enumerate(soc2010)]
    report.counts["search entries (SOC)"] = _replace_search(["soc", "soc2010"], entries)
    _clear_caches()
    return report


# --- NOC 2021, NOC 2011 (from the LMIA lists), manual and title-matched NOC → ISCO ----------------------


def noc2011_from_lmia(path: Path | None = None) -> tuple[dict[str, str], Counter]:
    """NOC 2011 code → title (the most frequent spelling) from the LMIA file, and positions per (version, code)."""
    path = path or data_path(*LMIA_FILE)
    if not path.exists():
        raise MissingReferenceFile(f"missing file {path}")
    spellings: dict[str, Counter] = defaultdict(Counter)
    positions: Counter = Counter()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        version_at, code_at, title_at, positions_at = (header.index(c) for c in
                                                       ("noc_version", "noc_code", "noc_title", "approved_positions"))
        for row in reader:
            version, code = row[version_at], row[code_at].strip()
            try:
                positions[(version, code)] += int(float(row[positions_at] or 0))
            except ValueError:
                pass
            if version == "NOC 2011" and code.isdigit() and len(code) == 4:
                spellings[code][row[title_at].strip()] += 1
    return {code: counts.most_common(1)[0][0] for code, counts in spellings.items()}, positions


def read_manual_table(path: Path | None = None) -> list[dict[str, str]]:
    return read_csv(path or MANUAL_NOC_TABLE)


@transaction.atomic
def import_noc() -> LoadReport:
    from .titlematch import TitleMatcher

    report = LoadReport()
    rows = read_csv(data_path(*NOC2021_FILE))
    groups = []
    for number, row in enumerate(rows, start=2):
        code, level = row["code"].strip(), row["level"].strip()
        if not code.isdigit() or not level.isdigit() or len(code) != int(level):
            report.reject(f"{NOC2021_FILE[-1]} line {number}", f"code {code!r} does not fit level {level!r}")
            continue
        groups.append({"version": "2021", "code": code, "level": int(level), "level_name": row["hierarchical_structure"],
                       "title_en": row["class_title"][:255], "definition_en": row["class_definition"].strip(),
                       "teer": row["teer"].strip(), "source": NOC2021_SOURCE})
    noc2011, _positions = noc2011_from_lmia()
    groups += [{"version": "2011", "code": code, "level": 4, "level_name": "Unit group", "title_en": title[:255],
                "definition_en": "", "teer": "", "source": NOC2011_SOURCE} for code, title in sorted(noc2011.items())]
    fields = ["level", "level_name", "title_en", "definition_en", "teer", "source"]
    report.counts["NOC groups"] = _sync(NocGroup, groups, ("version", "code"), fields)
    # Parents by code prefix (the NOC 2021 hierarchy is positional: 8 → 85 → 851 → 8510 → 85100).
    ids = {(g.version, g.code): g for g in NocGroup.objects.all()}
    changed = []
    for (version, code), group in ids.items():
        parent = ids.get((version, code[:-1])) if version == "2021" and len(code) > 1 else None
        parent_id = parent.pk if parent else None
        if group.parent_id != parent_id:
            group.parent_id = parent_id
            changed.append(group)
    NocGroup.objects.bulk_update(changed, ["parent"], batch_size=500)

    titles = {("2011", code): title for code, title in noc2011.items()}
    titles.update({("2021", g["code"]): g["title_en"] for g in groups if g["version"] == "2021" and g["level"] == 5})
    units = set(IscoGroup.objects.filter(level=4).values_list("code", flat=True))
    links, manual_keys = [], set()
    for number, row in enumerate(read_manual_table(), start=2):
        isco_codes = row["isco08_codes"].split()
        bad = [c for c in isco_codes if c not in units]
        if not isco_codes or bad:
            report.reject(f"{MANUAL_NOC_TABLE.name} line {number}", f"not ISCO-08 unit groups: {bad or 'none given'}")
            continue
        for version in ("2011", "2021"):
            code, title = row[f"noc{version}_code"].strip(), row[f"noc{version}_title"].strip()
            if not code:
                continue
            if (version, code) not in titles:
                report.reject(f"{MANUAL_NOC_TABLE.name} line {number}", f"NOC {version} {code} is not a known unit group")
                continue
            if titles[(version, code)] != title:
                report.reject(f"{MANUAL_NOC_TABLE.name} line {number}",
                              f"NOC {version} {code} title {title!r} differs from {titles[(version, code)]!r}")
                continue
            manual_keys.add((version, code))
            system = System.NOC2011 if version == "2011" else System.NOC2021
            for isco in isco_codes:
                links.append(CrosswalkLink(
                    source_system=system, source_code=code, source_title=title, target_system=System.ISCO08,
                    target_code=isco, method=LinkMethod.MANUAL, provenance=MANUAL_NOC_TABLE.name,
                    detail=row["reason"].strip(), position=number))
    report.counts["NOC → ISCO-08 manual links"] = len(links)

    matcher = TitleMatcher.from_database("en")
    isco_titles = dict(IscoGroup.objects.filter(level=4).values_list("code", "title_en"))
    for link in links:
        link.target_title = isco_titles.get(link.target_code, "")
    matched = 0
    for (version, code), title in sorted(titles.items()):
        if (version, code) in manual_keys:
            continue
        match = matcher.best(title)
        if match is None:
            continue
        matched += 1
        links.append(CrosswalkLink(
            source_system=System.NOC2011 if version == "2011" else System.NOC2021, source_code=code,
            source_title=title, target_system=System.ISCO08, target_code=match.isco_code,
            target_title=isco_titles.get(match.isco_code, ""), method=LinkMethod.TITLE_MATCH,
            provenance="titlematch", score=match.score,
            detail=f"“{match.part}” ~ “{match.label}” ({match.origin})"))
    report.counts["NOC → ISCO-08 title matches"] = matched
    _replace_links([MANUAL_NOC_TABLE.name, "titlematch"], links)

    entries = [
        _entry("noc" if g["version"] == "2021" else "noc2011", f"{g['version']}-{g['code']}", g["code"],
               level=g["level"], titles={"en": g["title_en"]}, sort=(50_000 if g["version"] == "2021" else 60_000) + i)
        for i, g in enumerate(sorted(groups, key=lambda g: (g["version"], g["code"])))
    ]
    report.counts["search entries (NOC)"] = _replace_search(["noc", "noc2011"], entries)
    _clear_caches()
    return report


def _clear_caches():
    from .queries import clear_caches

    transaction.on_commit(clear_caches)
    clear_caches()


# --- Steps ----------------------------------------------------------------------------------------------


def _runner(importer):
    def load(*, stdout=None) -> int:
        report = importer()
        report.write(stdout)
        return report.rows

    return load


def steps() -> list[Step]:
    isco_esco = [data_path(*ISCO_FILE), data_path(*ESCO_FILE)]
    return [
        Step("occupations.isco_esco", isco_esco, _runner(import_isco_esco)),
        Step("occupations.soc", [data_path(*p) for p in (SOC_STRUCTURE, SOC_DEFINITIONS, SOC2010_ISCO,
                                                          ONET2010_SOC2018, ONET2019_SOC2018, SOC2018_ISCO)],
             _runner(import_soc)),
        # Title matching reads the ISCO/ESCO labels, so their files are part of this step's fingerprint.
        Step("occupations.noc", [data_path(*NOC2021_FILE), data_path(*LMIA_FILE), MANUAL_NOC_TABLE, *isco_esco],
             _runner(import_noc)),
    ]


def load_all(stdout=None) -> LoadReport:
    """All three loads in order (tests, benchmarks)."""
    total = LoadReport()
    for importer in (import_isco_esco, import_soc, import_noc):
        report = importer()
        total.counts.update(report.counts)
        total.rejected += report.rejected
        report.write(stdout)
    return total
