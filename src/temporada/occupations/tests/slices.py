"""Small slices of the real files, so most tests load in a fraction of a second.

The slice directory mirrors ``data/``: small files are linked whole (ISCO-08, SOC, crosswalks, NOC 2021,
O*NET); ESCO keeps the occupations of a few ISCO unit groups; the LMIA file keeps, for every NOC
code, its first row (so every NOC 2011 code of the real file and of the hand-made table is present).
"""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

from temporada.core.bootstrap import data_path

from ..bootstrap import (
    ESCO_FILE,
    ISCO_FILE,
    LMIA_FILE,
    NOC2021_FILE,
    ONET2010_SOC2018,
    ONET2019_SOC2018,
    SOC2010_ISCO,
    SOC2018_ISCO,
    SOC_DEFINITIONS,
    SOC_STRUCTURE,
)

# Farm, food, construction, hospitality, care and ICT unit groups (enough for search and matching tests).
ESCO_UNITS = {"9211", "9212", "9213", "9214", "6111", "6113", "6121", "6130", "5120", "3434", "5131", "5246",
              "9412", "7115", "7112", "9313", "8332", "7511", "8160", "9329", "5321", "5322", "2512", "1111",
              "2166", "7411"}


def build_slice(root: Path) -> Path:
    for parts in (ISCO_FILE, SOC_STRUCTURE, SOC_DEFINITIONS, SOC2010_ISCO, ONET2010_SOC2018, ONET2019_SOC2018,
                  SOC2018_ISCO, NOC2021_FILE):
        target = root.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data_path(*parts), target)

    esco_target = root.joinpath(*ESCO_FILE)
    esco_target.parent.mkdir(parents=True, exist_ok=True)
    with data_path(*ESCO_FILE).open(encoding="utf-8-sig", newline="") as source, \
            esco_target.open("w", encoding="utf-8", newline="") as target:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(row for row in reader if row["isco08_code"] in ESCO_UNITS)

    lmia_target = root.joinpath(*LMIA_FILE)
    lmia_target.parent.mkdir(parents=True, exist_ok=True)
    seen = set()
    with gzip.open(data_path(*LMIA_FILE), "rt", encoding="utf-8", newline="") as source, \
            gzip.open(lmia_target, "wt", encoding="utf-8", newline="") as target:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            key = (row["noc_version"], row["noc_code"], row["noc_title"])
            if key not in seen:
                seen.add(key)
                writer.writerow(row)
    return root
