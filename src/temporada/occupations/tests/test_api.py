"""`/api/v1/occupations/`: typed answers, 422 for malformed parameters, 404 for unknown codes."""

import pytest

from temporada.api import api

API = "/api/v1/occupations"


def test_search(client, occupations):
    data = client.get(f"{API}/search", {"q": "agricola", "limit": 5}).json()
    assert data["count"] > 5 and len(data["results"]) == 5
    assert any(r["kind"] == "isco" and r["code"] == "9211" for r in
               client.get(f"{API}/search", {"q": "agricola", "kind": "isco"}).json()["results"])
    first = data["results"][0]
    assert client.get(first["api_url"]).status_code == 200


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "a" * 101}, {"q": "%%%"}, {"q": "farm", "kind": "x"},
                                    {"q": "farm", "limit": 0}, {"q": "farm", "limit": 101}, {"q": "farm", "offset": -1}])
def test_search_validation_is_422(client, occupations, params):
    response = client.get(f"{API}/search", params)
    assert response.status_code == 422 and "detail" in response.json()


def test_isco_groups(client, occupations):
    assert [g["code"] for g in client.get(f"{API}/isco").json()] == list("0123456789")
    minor = client.get(f"{API}/isco/921").json()
    assert [c["code"] for c in minor["children"]] == ["9211", "9212", "9213", "9214", "9215", "9216"]
    assert [a["code"] for a in minor["ancestors"]] == ["9", "92"]
    unit = client.get(f"{API}/isco/9211").json()
    assert unit["title_fr"] == "Manœuvres de l’agriculture" and unit["esco_occupations"]
    methods = {(link["source_system"], link["method"], link["official"]) for link in unit["links_in"]}
    assert ("SOC2010", "official_bls_ibs", True) in methods
    assert ("SOC2018", "derived_via_soc2010", False) in methods
    assert ("NOC2021", "manual", False) in methods
    assert client.get(f"{API}/isco/0110").json()["parent"] == "011"


def test_esco_soc_noc(client, occupations):
    unit = client.get(f"{API}/isco/9211").json()
    esco = client.get(f"{API}/esco/{unit['esco_occupations'][0]['uuid']}").json()
    assert esco["isco_code"] == "9211" and isinstance(esco["alt_labels_es"], list)
    soc = client.get(f"{API}/soc/45-2092").json()
    assert soc["parent"] == "45-2090" and "9211" in {link["target_code"] for link in soc["isco"]}
    assert "45-2092.02" in {link["source_code"] for link in soc["onet_in"]}
    noc = client.get(f"{API}/noc/2021/85101").json()
    assert noc["title_fr"] is None and noc["title_es"] is None and noc["title_languages"] == ["en"]
    assert [(link["target_code"], link["method"]) for link in noc["isco"]] == [("9211", "manual")]
    assert client.get(f"{API}/noc/2011/0016").json()["code"] == "0016"


def test_crosswalk_lookup(client, occupations):
    data = client.get(f"{API}/crosswalk", {"system": "SOC2018", "code": "45-2092"}).json()
    assert data["canonical_code"] == "45-2092"
    assert {m["method"] for m in data["matches"]} == {"derived via SOC 2010 (not official)"}
    assert "9211" in {m["isco_code"] for m in data["matches"]}
    messy = client.get(f"{API}/crosswalk", {"system": "NOC2011", "code": "8431.0"}).json()
    assert [m["isco_code"] for m in messy["matches"]] == ["9211", "9212", "9213"]
    known_without_links = client.get(f"{API}/crosswalk", {"system": "SOC2018", "code": "29-2055"})
    assert known_without_links.status_code == 200 and known_without_links.json()["matches"] == []


@pytest.mark.parametrize("path, status", [
    (f"{API}/isco/9999", 404), (f"{API}/isco/x", 422), (f"{API}/isco/12345", 422),
    (f"{API}/esco/00000000-0000-0000-0000-000000000000", 404), (f"{API}/esco/nope", 422),
    (f"{API}/soc/99-9999", 404), (f"{API}/soc/452092", 422),
    (f"{API}/noc/2021/99999", 404), (f"{API}/noc/2019/85101", 422),
    (f"{API}/crosswalk?system=SOC2018&code=99-9999", 404), (f"{API}/crosswalk?system=BAD&code=1", 422),
    (f"{API}/crosswalk?system=SOC2018", 422), (f"{API}/crosswalk?system=SOC2018&code=" + "1" * 65, 422),
])
def test_errors(client, occupations, path, status):
    assert client.get(path).status_code == status


def test_schema_documents_the_occupation_operations():
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    for path in ("search", "isco", "isco/{code}", "esco/{uuid}", "soc/{code}", "noc/{version}/{code}", "crosswalk"):
        assert f"{API}/{path}" in paths
