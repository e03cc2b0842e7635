"""Open data: catalogue page, whole-dataset downloads, and a DCAT catalogue a CKAN harvester can read."""

import csv
import io
import json

import pytest
from django.test import Client

from temporada.indicators.catalogue import DATASETS
from temporada.indicators.models import Dataset, IndicatorValue, MigrantStock

pytestmark = pytest.mark.django_db

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "@type"


def expand(document: dict) -> list[dict]:
    """Minimal JSON-LD expansion of our document: prefixed names → full IRIs (keys, @type values, @id values)."""
    context = document["@context"]

    def iri(term: str) -> str:
        prefix, _, local = term.partition(":")
        return context[prefix] + local if local and prefix in context else term

    def walk(node):
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == RDF_TYPE:
                out[key] = iri(value)
            elif key.startswith("@"):
                out[key] = value
            else:
                out[iri(key)] = walk(value)
        return out

    return walk(document["@graph"])


def values(node, prop):
    value = node.get(prop)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_catalogue_page_lists_every_dataset(migration_data):
    response = Client().get("/es/indicators/data/")
    page = response.content.decode()
    keys = [e["dataset"].key for e in response.context["entries"]]
    assert sorted(keys) == sorted(DATASETS)
    for key, info in DATASETS.items():
        dataset = Dataset.objects.get(key=key)
        assert dataset.title_es in page and info.licence[0] in page
        assert f"/api/v1/indicators/datasets/{key}/download?format=csv" in page
    stock = next(e for e in response.context["entries"] if e["dataset"].key == "migrant-stock")
    assert (stock["coverage_start"], stock["coverage_end"]) == (1990, 2020)
    assert stock["rows"] == MigrantStock.objects.count() and stock["last_loaded_at"] is not None
    positions = next(e for e in response.context["entries"] if e["dataset"].key == "temporary-positions")
    assert positions["rows"] == 0 and "Sin datos cargados" in page


def test_dataset_page_shows_provenance_and_rejects(migration_data):
    response = Client().get("/en/indicators/data/country-codes/")
    page = response.content.decode()
    batch = response.context["current"]
    assert batch.sha256 in page and batch.rows_rejected == 4
    assert "British overseas territories" in page
    assert len(response.context["preview"]) == 20


def test_downloads_carry_every_row_in_the_published_layout(migration_data):
    client = Client()
    body = b"".join(client.get("/api/v1/indicators/datasets/migrant-stock/download", {"format": "csv"})
                    .streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == list(DATASETS["migrant-stock"].columns)
    assert len(rows) - 1 == MigrantStock.objects.count()
    assert ["USA", "MEX", "2020", "Female", "5148924"] in rows or any(r[:4] == ["USA", "MEX", "2020", "Female"]
                                                                       for r in rows)
    response = client.get("/api/v1/indicators/datasets/country-indicators/download", {"format": "json"})
    assert response["Content-Type"] == "application/json"
    data = json.loads(b"".join(response.streaming_content))
    assert len(data) == IndicatorValue.objects.count()
    gtm = next(d for d in data if d["iso3"] == "GTM" and d["indicator"] == "remin" and d["year"] == 2022)
    assert gtm["value"] == IndicatorValue.objects.get(iso3="GTM", indicator_id="remin", year=2022).value
    assert client.get("/api/v1/indicators/datasets/migrant-stock/download", {"format": "xml"}).status_code == 400
    assert client.get("/api/v1/indicators/datasets/nope/download").status_code == 404


def test_dcat_catalogue_is_harvestable(migration_data):
    client = Client()
    response = client.get("/api/v1/indicators/catalog.jsonld")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    graph = expand(json.loads(response.content))
    catalogs = [n for n in graph if n["@type"] == DCAT + "Catalog"]
    datasets = {n["@id"]: n for n in graph if n["@type"] == DCAT + "Dataset"}
    assert len(catalogs) == 1 and len(datasets) == len(DATASETS)
    catalog = catalogs[0]
    assert {d["@id"] for d in values(catalog, DCAT + "dataset")} == set(datasets)
    assert values(catalog, DCT + "title") and values(catalog, DCT + "publisher")
    for node in datasets.values():
        identifier = node[DCT + "identifier"]
        assert identifier in DATASETS
        assert {t["@language"] for t in values(node, DCT + "title")} == {"es", "en", "fr"}
        assert all(d["@value"] for d in values(node, DCT + "description"))
        assert values(node, DCT + "publisher")[0]["http://xmlns.com/foaf/0.1/name"]
        assert node[DCT + "license"]["@id"] == DATASETS[identifier].licence[1]
        assert node[DCT + "spatial"]["@type"] == DCT + "Location"
        assert node[DCAT + "landingPage"]["@id"].startswith("http://testserver/")
        if identifier in ("migrant-stock", "population", "country-indicators"):  # series over years
            period = node[DCT + "temporal"]
            assert period["@type"] == DCT + "PeriodOfTime"
            assert period[DCAT + "startDate"]["@value"] <= period[DCAT + "endDate"]["@value"]
        if identifier != "temporary-positions":  # no job orders loaded here: nothing modified yet
            assert node[DCT + "modified"]["@value"]
        distributions = values(node, DCAT + "distribution")
        assert {d[DCT + "format"] for d in distributions} == {"CSV", "JSON"}
        for dist in distributions:
            assert dist["@type"] == DCAT + "Distribution"
            assert dist[DCAT + "mediaType"]["@id"].startswith("https://www.iana.org/assignments/media-types/")
            url = dist[DCAT + "downloadURL"]["@id"]
            assert url.startswith("http://testserver/api/v1/indicators/datasets/")
            download = client.get(url.removeprefix("http://testserver"))
            assert download.status_code == 200, url
            first = b"".join(download.streaming_content)[:200] if download.streaming else download.content[:200]
            assert first, url
    # The catalogue page advertises the DCAT document to crawlers.
    assert 'rel="alternate" type="application/ld+json"' in client.get("/es/indicators/data/").content.decode()


def test_dataset_api(migration_data):
    client = Client()
    listing = client.get("/api/v1/indicators/datasets").json()
    assert {d["key"] for d in listing} == set(DATASETS)
    detail = client.get("/api/v1/indicators/datasets/population").json()
    assert detail["current_import"]["rows_loaded"] == detail["rows"] and len(detail["current_import"]["sha256"]) == 64
    assert detail["licence"] == "CC BY 3.0 IGO"
    rejects = client.get("/api/v1/indicators/datasets/country-codes/rejects").json()
    assert rejects["count"] == 4 and {r["line"] for r in rejects["items"]} == {240, 241, 242, 243}
    assert client.get("/api/v1/indicators/datasets/nope").status_code == 404
