"""Name and address normalisation, and the pairwise rules, on spellings seen in the official files."""

import pytest

from temporada.employers.normalize import (
    name_parts,
    normalize_city,
    normalize_name,
    normalize_street,
    postal_code,
    similar_names,
    split_dba,
    state_code,
    variant_from_fields,
)
from temporada.employers.resolution import match_rule


@pytest.mark.parametrize("published, normalised, form", [
    ("Boisvert Farms, L.L.C.", "BOISVERT FARMS", "LLC"),
    ("BOISVERT FARMS LLC", "BOISVERT FARMS", "LLC"),
    ("Boisvert Farms, Limited Liability Company", "BOISVERT FARMS", "LIMITED LIABILITY COMPANY"),
    ("The Excel Group, Inc.", "EXCEL GROUP", "INC"),
    ("Excel Group Incorporated", "EXCEL GROUP", "INCORPORATED"),
    ("Patout Equipment Co., Inc.", "PATOUT EQUIPMENT", "INC"),
    ("Smith and Co.", "SMITH", "AND CO"),
    ("Acme Corp.", "ACME", "CORP"),
    ("Acme Corporation", "ACME", "CORPORATION"),
    ("Village Farms, L.P.", "VILLAGE FARMS", "LP"),
    ("Jones Law Firm, PLLC", "JONES LAW FIRM", "PLLC"),
    ("Gray & Sons LLP", "GRAY AND SONS", "LLP"),
    ("M G ROOFING & SIDING LTD.", "M G ROOFING AND SIDING", "LTD"),
    ("Les Pneus Robert (Boucherville) Ltée", "LES PNEUS ROBERT BOUCHERVILLE", "LTEE"),
    ("Ferme Tremblay Ltd./Ltée", "FERME TREMBLAY", "LTEE"),
    ("Ferme Tremblay Inc./Inc.", "FERME TREMBLAY", "INC"),
    ("Ferme Duault S.E.N.C.", "FERME DUAULT", "SENC"),
    ("Agrícola San José, S.A. de C.V.", "AGRICOLA SAN JOSE", "SA DE CV"),
    ("Servicios Agrícolas del Norte, S. de R.L. de C.V.", "SERVICIOS AGRICOLAS DEL NORTE", "S DE RL DE CV"),
    ("NARL Refining Ltd Partnership", "NARL REFINING", "LTD PARTNERSHIP"),
    ("Svenson Brothers, a partnership", "SVENSON BROTHERS", "A PARTNERSHIP"),
    ("9431-0695 Québec inc", "9431 0695 QUEBEC", "INC"),
    ("Pahl's Farm", "PAHLS FARM", ""),
    ("  José   Núñez  ", "JOSE NUNEZ", ""),
    ("The Co", "CO", ""),  # a name is never cut to nothing
])
def test_names(published, normalised, form):
    assert name_parts(published) == (normalised, form)


@pytest.mark.parametrize("published, legal, trade", [
    ("Green Valley Holdings LLC dba Valley Fresh", "Green Valley Holdings LLC", "Valley Fresh"),
    ("Green Valley Holdings LLC d/b/a Valley Fresh", "Green Valley Holdings LLC", "Valley Fresh"),
    ("Green Valley Holdings LLC, D.B.A. Valley Fresh", "Green Valley Holdings LLC", "Valley Fresh"),
    ("Green Valley Holdings LLC doing business as Valley Fresh", "Green Valley Holdings LLC", "Valley Fresh"),
    ("1015514 B.C. Ltd. o/a Pizza Hut", "1015514 B.C. Ltd.", "Pizza Hut"),
    ("1557632 Ontario Inc O/A Dollar Villa", "1557632 Ontario Inc", "Dollar Villa"),
    ("9999-1111 Québec inc. faisant affaire sous le nom de Resto Bonheur", "9999-1111 Québec inc.", "Resto Bonheur"),
    ("Dba Farms LLC", "Dba Farms LLC", ""),  # a name that starts with the letters
    ("Adbar Farms", "Adbar Farms", ""),
])
def test_dba_split(published, legal, trade):
    assert split_dba(published) == (legal, trade)


def test_trade_name_column_wins_over_the_name_column():
    v = variant_from_fields(country="USA", employer_name="X Holdings LLC dba Old Name", trade_name="New Name",
                            state="GA", postal_code="31794")
    assert (v.normalized_name, v.normalized_trade) == ("X HOLDINGS", "NEW NAME")
    assert variant_from_fields(country="USA", employer_name="Y LLC", trade_name="N/A").trade_name == ""


@pytest.mark.parametrize("published, normalised", [
    ("123 North Main Street, Suite 4", "123 N MAIN ST STE 4"),
    ("123 N. Main St. Ste. 4", "123 N MAIN ST STE 4"),
    ("P.O. Box 123", "PO BOX 123"),
    ("Post Office Box 123", "PO BOX 123"),
    ("PO BOX 123", "PO BOX 123"),
    ("Box 123", "PO BOX 123"),
    ("POB 123", "PO BOX 123"),
    ("Rural Route 2 Box 5", "RR 2 PO BOX 5"),
    ("County Road 12", "CR 12"),
    ("1054 Co. Rd. 305", "1054 CR 305"),
    ("3656 Gehring Road N/A", "3656 GEHRING RD"),
    ("11479 Highway 26 West", "11479 HWY 26 W"),
    ("#1 Cimarron Drive", "1 CIMARRON DR"),
])
def test_streets(published, normalised):
    assert normalize_street(published) == normalised


def test_postal_codes_and_states():
    assert postal_code("39837-1234", "USA") == "39837"
    assert postal_code("398371234", "USA") == "39837"
    assert postal_code("2150", "USA") == "02150"  # leading zero lost in a spreadsheet
    assert postal_code("39837.0", "USA") == "39837"
    assert postal_code("n9y 1a1", "CAN") == "N9Y1A1"
    assert postal_code("Kingsville, ON N9Y 1A1", "CAN") == "N9Y1A1"
    assert postal_code("", "USA") == ""
    assert state_code("GEORGIA", "USA") == "GA" and state_code("ga", "USA") == "GA"
    assert state_code("North Carolina", "USA") == "NC"
    assert state_code("Québec", "CAN") == "QC" and state_code("Colombie-Britannique", "CAN") == "BC"
    assert normalize_city("St. John's") == normalize_city("Saint Johns") == "ST JOHNS"


def test_lmia_address_column():
    v = variant_from_fields(country="CAN", employer_name="Coastal Shipping Ltd", address="Lewisporte, NL A0G 3A0",
                            state="Newfoundland and Labrador")
    assert (v.state, v.postal, v.city, v.street) == ("NL", "A0G3A0", "LEWISPORTE", "")
    assert v.address_key == "CAN|NL|A0G3A0|LEWISPORTE|"
    garbled = variant_from_fields(country="CAN", employer_name="X", address="Saint-Roch-de-l'Achigan, Qu\x82bec, QC J0K 3H0",
                                  state="Quebec")
    assert garbled.city == "ST ROCH DE LACHIGAN" and garbled.postal == "J0K3H0"


@pytest.mark.parametrize("a, b, same", [
    ("KUHNS PRODUCE", "KUHNS PRODUCE AND PACKING", True),
    ("NEWMOON EXPRESS", "NEW MOON EXPRESS", True),
    ("JIMMY ALLEN DAIL FARMSS", "JIMMY ALLEN DAIL FARMS", True),
    ("RINEY DAIRY", "BILLY RINEY JR", True),  # a farmer and his dairy at one address
    ("LOWRY FARMS", "CLAY LOWRY FORESTRY", False),  # two activities: two businesses
    ("HERMANSON VETERINARY SERVICE PC", "HERMANSON FARM AND RANCH", False),
    ("VALLEY PACKING", "KUHNS PRODUCE", False),
    ("SMITH FARMS", "JONES FARMS", False),
])
def test_similar_names(a, b, same):
    assert similar_names(a, b) is same


def _v(name, **kw):
    values = dict(country="USA", employer_name=name, address="", city="", state="WA", postal_code="")
    values.update(kw)
    return variant_from_fields(**values)


def test_pairwise_rules():
    assert match_rule(_v("Acme LLC", postal_code="98801"), _v("ACME, L.L.C.", postal_code="98801-0001")) == \
        "same-name-postcode"
    assert match_rule(_v("Acme Orchards", city="Wenatchee"), _v("ACME ORCHARDS", city="WENATCHEE")) == "same-name-city"
    assert match_rule(_v("Acme", city="Wenatchee"), _v("ACME", city="WENATCHEE")) is None  # too short a name
    assert match_rule(_v("Acme Orchards LLC", city="Chelan"), _v("Acme Orchards Inc", city="Yakima")) == \
        "registered-name-state"
    assert match_rule(_v("Acme Orchards", city="Chelan"), _v("Acme Orchards LLC", city="Yakima")) is None
    assert match_rule(_v("Farms LLC", city="Chelan"), _v("Farms Inc", city="Yakima")) is None  # generic words only
    assert match_rule(_v("Acme Orchards LLC", state="OR"), _v("Acme Orchards LLC", state="WA")) is None
    assert match_rule(_v("Kuhn's Produce", address="1 Orchard Rd", city="Pasco", postal_code="99301"),
                      _v("Kuhns Produce & Packing", address="1 Orchard Road", city="Pasco", postal_code="99301")) == \
        "same-address-similar-name"
    assert match_rule(_v("Acme LLC", postal_code="98801"), _v("Acme LLC", postal_code="98801", country="CAN")) is None
    assert match_rule(_v("Acme LLC", postal_code="98801"), _v("Acme LLC", postal_code="98801", synthetic=True)) is None
    assert normalize_name("") == ""


def test_lmia_rows_as_the_importer_stores_them():
    """The importer copies city and postal code into their own columns and keeps the address as published."""
    stored = variant_from_fields(country="CAN", employer_name="Coastal Shipping Ltd", address="Lewisporte, NL A0G 3A0",
                                 city="Lewisporte", postal_code="A0G 3A0", state="NL")
    raw = variant_from_fields(country="CAN", employer_name="Coastal Shipping Ltd", address="Lewisporte, NL A0G 3A0",
                              state="Newfoundland and Labrador")
    assert stored.address_key == raw.address_key == "CAN|NL|A0G3A0|LEWISPORTE|"
    with_street = variant_from_fields(country="CAN", employer_name="X", address="123 Main St, Lewisporte, NL A0G 3A0",
                                      city="Lewisporte", postal_code="A0G3A0", state="NL")
    assert with_street.street.startswith("123 MAIN ST")
