"""Open data: full downloads of every dataset (CSV and JSON, streamed) and the DCAT catalogue in
JSON-LD that open-data portals (CKAN with ckanext-dcat, data.europa.eu…) harvest."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from temporada.core.exports import csv_response

from .catalogue import DATASETS
from .demand import positions_dataset
from .models import Area, Dataset, Indicator, IndicatorValue, MigrantStock, Population, Sex

CHUNK = 5000
SEX_PUBLISHED = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.TOTAL: "Total"}


def dataset_rows(user, key: str) -> Iterator[list]:
    """Rows of a dataset in the column order of ``DATASETS[key].columns`` (the official layout)."""
    if key == "migrant-stock":
        qs = MigrantStock.objects.restrict(user, "export").order_by("destination", "origin", "year", "sex")
        for d, o, y, s, v in qs.values_list("destination", "origin", "year", "sex", "value").iterator(CHUNK):
            yield [d, o, y, SEX_PUBLISHED[s], v]
    elif key == "population":
        qs = Population.objects.restrict(user, "export").order_by("iso3", "year", "sex")
        for iso3, y, s, t in qs.values_list("iso3", "year", "sex", "thousands").iterator(CHUNK):
            yield [iso3, y, SEX_PUBLISHED[s], t]
    elif key == "indicator-definitions":
        for i in Indicator.objects.restrict(user, "export").order_by("code"):
            yield [i.code, i.name_en, i.unit_en, i.source, i.last_updated, i.link]
    elif key == "country-indicators":
        qs = IndicatorValue.objects.restrict(user, "export").order_by("iso3", "indicator_id", "year")
        yield from (list(r) for r in qs.values_list("iso3", "indicator_id", "year", "value").iterator(CHUNK))
    elif key == "country-codes":
        qs = Area.objects.restrict(user, "export").order_by("iso3")
        yield from (list(r) for r in qs.values_list("iso3", "iso2", "numeric", "name", "region").iterator(CHUNK))
    elif key == "temporary-positions":
        for r in positions_dataset(user):
            yield [r["programme"], r["destination"], r["fiscal_year"], r["source"], r["positions_requested"],
                   r["positions_certified"], r["job_orders"], r["eligible_origins"]]
    else:
        raise KeyError(key)


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def json_stream_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A JSON array of objects, written row by row (the migrant stock has 150,000 rows)."""
    def generate():
        yield "["
        first = True
        for row in rows:
            item = json.dumps({h: _json_value(v) for h, v in zip(header, row, strict=True)}, ensure_ascii=False)
            yield item if first else "," + item
            first = False
        yield "]"

    response = StreamingHttpResponse(generate(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download_response(user, key: str, fmt: str):
    header = list(DATASETS[key].columns)
    rows = dataset_rows(user, key)
    basename = f"temporada-{key}"
    if fmt == "csv":
        return csv_response(f"{basename}.csv", header, rows)
    if fmt == "json":
        return json_stream_response(f"{basename}.json", header, rows)
    raise ValueError(fmt)


def download_path(key: str, fmt: str) -> str:
    return f"/api/v1/indicators/datasets/{key}/download?format={fmt}"


def derived_summary(user, dataset: Dataset) -> dict:
    """Coverage of a dataset computed from other apps' data (rows, years, last change)."""
    if dataset.key != "temporary-positions":
        return {}
    rows = positions_dataset(user)
    years = [r["fiscal_year"] for r in rows]
    last = None
    if rows:
        from temporada.demand.models import JobOrder

        last = JobOrder.objects.restrict(user).filter(is_synthetic=False).order_by("-updated_at") \
            .values_list("updated_at", flat=True).first()
    return {"rows": len(rows), "coverage_start": min(years, default=None), "coverage_end": max(years, default=None),
            "areas": len({r["destination"] for r in rows}), "last_loaded_at": last}


def catalogue_entries(user) -> list[dict]:
    entries = []
    for dataset in Dataset.objects.restrict(user).order_by("key"):
        info = DATASETS.get(dataset.key)
        if info is None:
            continue
        values = {"rows": dataset.rows, "coverage_start": dataset.coverage_start, "coverage_end": dataset.coverage_end,
                  "areas": dataset.areas, "last_loaded_at": dataset.last_loaded_at}
        values.update(derived_summary(user, dataset))
        entries.append({"dataset": dataset, "info": info, **values})
    return entries


# --- DCAT (W3C Data Catalog Vocabulary) in JSON-LD ----------------------------------------------

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
LANGS = ("es", "en", "fr")


def _lang_values(values: dict) -> list[dict]:
    return [{"@value": values[lang], "@language": lang} for lang in LANGS if values.get(lang)]


def _date(value) -> dict:
    return {"@value": value.date().isoformat() if hasattr(value, "date") else value.isoformat(),
            "@type": "xsd:date"}


def dcat_catalog(request) -> dict:
    """The whole catalogue as one JSON-LD graph: a dcat:Catalog and its datasets and distributions."""
    absolute = request.build_absolute_uri
    catalog_id = absolute(download_catalog_path())
    publisher = {"@id": absolute("/") + "#publisher", "@type": "foaf:Agent",
                 "foaf:name": "Temporada — Regional Conference on Migration (RCM/CRM)"}
    datasets = []
    last = None
    for entry in catalogue_entries(request.user):
        dataset, info = entry["dataset"], entry["info"]
        landing = absolute(reverse("indicators:dataset", args=[dataset.key]))
        node = {
            "@id": landing + "#dataset",
            "@type": "dcat:Dataset",
            "dct:identifier": dataset.key,
            "dct:title": _lang_values({lang: getattr(dataset, f"title_{lang}") for lang in LANGS}),
            "dct:description": _lang_values({lang: getattr(dataset, f"description_{lang}") for lang in LANGS}),
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": dataset.publisher},
            "dct:creator": {"@id": publisher["@id"]} if dataset.derived else {"@type": "foaf:Agent",
                                                                              "foaf:name": dataset.publisher},
            "dct:license": {"@id": dataset.licence_url},
            "dct:rights": dataset.licence_name,
            "dct:source": {"@id": dataset.source_url},
            "dcat:landingPage": {"@id": landing},
            "dcat:keyword": list(info.keywords),
            "dct:language": [{"@id": f"http://id.loc.gov/vocabulary/iso639-1/{lang}"} for lang in LANGS],
            "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": "Temporada",
                                  "vcard:hasURL": {"@id": absolute(reverse("indicators:catalog"))}},
            "dct:spatial": {"@type": "dct:Location",
                            "skos:prefLabel": "World" if entry["areas"] and entry["areas"] > 11 else "RCM countries"},
            "dcat:distribution": [],
        }
        if dataset.version:
            node["owl:versionInfo"] = dataset.version
        if entry["coverage_start"] is not None:
            node["dct:temporal"] = {"@type": "dct:PeriodOfTime",
                                    "dcat:startDate": {"@value": f"{entry['coverage_start']}-01-01", "@type": "xsd:date"},
                                    "dcat:endDate": {"@value": f"{entry['coverage_end']}-12-31", "@type": "xsd:date"}}
        if entry["last_loaded_at"]:
            node["dct:modified"] = _date(entry["last_loaded_at"])
            last = max(last, entry["last_loaded_at"]) if last else entry["last_loaded_at"]
        for fmt, media in MEDIA_TYPES.items():
            url = absolute(download_path(dataset.key, fmt))
            node["dcat:distribution"].append({
                "@id": url + "#distribution",
                "@type": "dcat:Distribution",
                "dct:title": f"{dataset.key}.{fmt}",
                "dct:format": fmt.upper(),
                "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
                "dcat:downloadURL": {"@id": url},
                "dcat:accessURL": {"@id": url},
                "dct:license": {"@id": dataset.licence_url},
            })
        datasets.append(node)
    catalog = {
        "@id": catalog_id,
        "@type": "dcat:Catalog",
        "dct:title": _lang_values({"es": "Temporada: datos abiertos de migración y trabajo temporal",
                                   "en": "Temporada: open data on migration and temporary work",
                                   "fr": "Temporada : données ouvertes sur la migration et le travail temporaire"}),
        "dct:description": _lang_values({
            "es": "Estadísticas de migración de los países de la Conferencia Regional sobre Migración, tal como las "
                  "publican la ONU y el Banco Mundial, y la demanda de trabajadores temporales.",
            "en": "Migration statistics of the Regional Conference on Migration countries as published by the UN and "
                  "the World Bank, and the demand for temporary workers.",
            "fr": "Statistiques migratoires des pays de la Conférence régionale sur les migrations telles que publiées "
                  "par l'ONU et la Banque mondiale, et la demande de travailleurs temporaires."}),
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": absolute(reverse("indicators:catalog"))},
        "dct:language": [{"@id": f"http://id.loc.gov/vocabulary/iso639-1/{lang}"} for lang in LANGS],
        "dct:modified": _date(last or timezone.now()),
        "dcat:dataset": [{"@id": d["@id"]} for d in datasets],
    }
    return {"@context": CONTEXT, "@graph": [catalog, *datasets]}


def download_catalog_path() -> str:
    return "/api/v1/indicators/catalog.jsonld"
