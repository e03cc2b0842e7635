"""Regenerate data/reference/countries.csv and subdivisions.csv.

Inputs: the ISO 3166 lists in pycountry (Debian iso-codes), country names from the Unicode
CLDR via Babel, and US FIPS codes from the vendored us-atlas file. Run once by a maintainer;
the generated CSVs are what the product loads (no network, no pycountry at run time).

    pip install pycountry babel && python scripts/build_reference_geo.py
"""

import csv
import gettext
import json
from pathlib import Path

import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "reference"
RCM = {"BLZ", "CAN", "CRI", "DOM", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "USA"}
SUBDIVISION_COUNTRIES = ["US", "CA", "MX", "GT", "SV", "HN", "NI", "CR", "PA", "BZ", "DO"]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    names = {lang: Locale(lang).territories for lang in ("es", "en", "fr")}
    with (OUT / "countries.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["iso2", "iso3", "numeric", "name_es", "name_en", "name_fr", "is_rcm_member"])
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
            row = [c.alpha_2, c.alpha_3, c.numeric]
            for lang in ("es", "en", "fr"):
                row.append(names[lang].get(c.alpha_2) or c.name)
            row.append("1" if c.alpha_3 in RCM else "0")
            w.writerow(row)
    # ISO 3166-2 names with the iso-codes translations (English = the ISO name itself)
    sub_tr = {lang: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
              for lang in ("es", "fr")}
    sub_tr["en"] = gettext.NullTranslations()
    atlas = json.loads((ROOT / "data/geo/us_atlas/states-10m.json").read_text())
    fips = {g["properties"]["name"]: g["id"] for g in atlas["objects"]["states"]["geometries"]}
    with (OUT / "subdivisions.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "country_iso2", "short_code", "kind", "fips", "name_es", "name_en", "name_fr"])
        for cc in SUBDIVISION_COUNTRIES:
            subs = [s for s in pycountry.subdivisions.get(country_code=cc) if s.parent_code is None]
            for s in sorted(subs, key=lambda s: s.code):
                local = [sub_tr[lang].gettext(s.name).split(" (")[0] for lang in ("es", "en", "fr")]
                w.writerow([s.code, cc, s.code.split("-", 1)[1], s.type, fips.get(s.name, ""), *local])


if __name__ == "__main__":
    main()
