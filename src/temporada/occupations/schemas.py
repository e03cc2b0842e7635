"""Typed API schemas for `/api/v1/occupations/`."""

from typing import Any, Literal

from ninja import Schema

SystemName = Literal["SOC2010", "SOC2018", "ONETSOC", "NOC2011", "NOC2021", "ISCO08"]
KindName = Literal["isco", "esco", "soc", "soc2010", "noc", "noc2011"]


class SearchResultOut(Schema):
    kind: str
    code: str
    display_code: str
    title: str
    title_es: str
    title_en: str
    title_fr: str
    api_url: str


class SearchOut(Schema):
    query: str
    count: int
    limit: int
    offset: int
    results: list[SearchResultOut]


class IscoRef(Schema):
    code: str
    level: int
    title: str


class EscoRef(Schema):
    uuid: str
    label: str


class LinkOut(Schema):
    source_system: str
    source_code: str
    source_title: str
    target_system: str
    target_code: str
    target_title: str
    method: str
    method_label: str
    official: bool
    provenance: str
    via_code: str
    detail: str
    score: float | None


class IscoGroupOut(Schema):
    code: str
    level: int
    level_name: str
    title: str
    title_es: str
    title_en: str
    title_fr: str
    definition_en: str
    parent: str | None
    ancestors: list[IscoRef]
    children: list[IscoRef]
    esco_occupations: list[EscoRef]
    links_in: list[LinkOut]


class EscoOccupationOut(Schema):
    uuid: str
    uri: str
    isco_code: str
    isco_title: str
    label: str
    label_es: str
    label_en: str
    label_fr: str
    alt_labels_es: list[str]
    alt_labels_en: list[str]
    alt_labels_fr: list[str]
    description_en: str


class SocRef(Schema):
    code: str
    level: int
    title_en: str


class SocOccupationOut(Schema):
    code: str
    level: int
    level_name: str
    title_en: str
    definition_en: str
    parent: str | None
    ancestors: list[SocRef]
    children: list[SocRef]
    isco: list[LinkOut]
    onet_in: list[LinkOut]


class NocRef(Schema):
    code: str
    level: int
    title_en: str


class NocGroupOut(Schema):
    version: str
    code: str
    level: int
    level_name: str
    title_en: str
    title_fr: None = None
    title_es: None = None
    title_languages: list[str]
    note: str
    definition_en: str
    teer: str
    source: str
    parent: str | None
    children: list[NocRef]
    isco: list[LinkOut]


class IscoMatchOut(Schema):
    isco_code: str
    isco_title: str
    method: str
    detail: str
    score: float | None


class CrosswalkOut(Schema):
    system: str
    code: str
    canonical_code: str
    matches: list[IscoMatchOut]


class NotFoundOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]
