"""`/api/v1/occupations/`: search, ISCO-08 groups, ESCO occupations, SOC 2018, NOC and the crosswalk lookup.

Public reference data (reads start from ``restrict()``). Malformed parameters: 422; unknown codes: 404.
"""

from django.http import Http404
from ninja import Path, Query, Router
from ninja.errors import ValidationError

from temporada.core.i18n import translated_value
from temporada.core.restrict import get_restricted_or_404

from . import queries
from .models import LinkMethod, System
from .schemas import (
    CrosswalkOut,
    EscoOccupationOut,
    IscoGroupOut,
    IscoRef,
    KindName,
    NocGroupOut,
    NotFoundOut,
    SearchOut,
    SocOccupationOut,
    SystemName,
    ValidationErrorOut,
)

router = Router(tags=["occupations"])

ISCO = r"^\d{1,4}$"
SOC = r"^\d{2}-\d{4}$"
NOC = r"^\d{1,5}$"
UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ERRORS = {404: NotFoundOut, 422: ValidationErrorOut}
NOC_NOTE = ("English only: Statistics Canada also publishes French titles (CNP), which are not in the loaded "
            "files; there is no official Spanish version. Titles in other languages are left empty, not invented.")

_METHOD_LABELS = dict(LinkMethod.choices)


def _link(link) -> dict:
    return {
        "source_system": link.source_system, "source_code": link.source_code, "source_title": link.source_title,
        "target_system": link.target_system, "target_code": link.target_code, "target_title": link.target_title,
        "method": link.method, "method_label": str(_METHOD_LABELS.get(link.method, link.method)),
        "official": link.is_official, "provenance": link.provenance, "via_code": link.via_code,
        "detail": link.detail, "score": link.score,
    }


def _api_url(entry) -> str:
    if entry.kind in ("noc", "noc2011"):
        version, code = entry.code.split("-", 1)
        return f"/api/v1/occupations/noc/{version}/{code}"
    return f"/api/v1/occupations/{entry.kind}/{entry.code}"


@router.get("/search", response={200: SearchOut, 422: ValidationErrorOut}, summary="Search every classification")
def search(request, q: str = Query(..., min_length=1, max_length=queries.MAX_QUERY_LENGTH),  # noqa: B008
           kind: KindName | None = None, limit: int = Query(25, ge=1, le=100),  # noqa: B008
           offset: int = Query(0, ge=0, le=100_000)):  # noqa: B008
    """Titles and alternative labels in es/en/fr, accent- and case-insensitive; every word must match."""
    try:
        results = queries.search_entries(request.user, q, kind or "")
    except queries.SearchError as error:
        raise ValidationError([{"loc": ["query", "q"], "msg": str(error)}]) from None
    count = results.count()
    page = list(results[offset:offset + limit])
    return {"query": q, "count": count, "limit": limit, "offset": offset, "results": [
        {"kind": e.kind, "code": e.code, "display_code": e.display_code, "title": translated_value(e, "title"),
         "title_es": e.title_es, "title_en": e.title_en, "title_fr": e.title_fr, "api_url": _api_url(e)}
        for e in page]}


def _isco_ref(group) -> dict:
    return {"code": group.code, "level": group.level, "title": group.t("title")}


@router.get("/isco", response=list[IscoRef], summary="ISCO-08 major groups")
def isco_major_groups(request):
    return [_isco_ref(g) for g in queries.isco_groups(request.user).filter(level=1)]


@router.get("/isco/{code}", response={200: IscoGroupOut, **ERRORS}, summary="ISCO-08 group with its children")
def isco_group(request, code: str = Path(..., pattern=ISCO)):  # noqa: B008
    """Group, the groups above it, its sub-groups (or ESCO occupations for a unit group) and links into it."""
    group = get_restricted_or_404(queries.isco_groups(request.user), request.user, code=code)
    ancestors = queries.isco_groups(request.user).filter(code__in=queries.isco_ancestors(code)[:-1]).order_by("level")
    links_in = [link for _system, links in queries.links_into_isco(request.user, code) for link in links]
    return {
        "code": group.code, "level": group.level, "level_name": str(group.get_level_display()),
        "title": group.t("title"), "title_es": group.title_es, "title_en": group.title_en, "title_fr": group.title_fr,
        "definition_en": group.definition_en, "parent": group.parent_id,
        "ancestors": [_isco_ref(g) for g in ancestors],
        "children": [_isco_ref(g) for g in queries.isco_groups(request.user).filter(parent=group)],
        "esco_occupations": [{"uuid": o.uuid, "label": o.t("label")}
                             for o in queries.esco_occupations(request.user).filter(isco=group).order_by("label_en")],
        "links_in": [_link(link) for link in links_in],
    }


@router.get("/esco/{uuid}", response={200: EscoOccupationOut, **ERRORS}, summary="ESCO v1.0 occupation")
def esco_occupation(request, uuid: str = Path(..., pattern=UUID)):  # noqa: B008
    o = get_restricted_or_404(queries.esco_occupations(request.user).select_related("isco"), request.user, uuid=uuid)
    return {
        "uuid": o.uuid, "uri": o.uri, "isco_code": o.isco_id, "isco_title": o.isco.t("title"), "label": o.t("label"),
        "label_es": o.label_es, "label_en": o.label_en, "label_fr": o.label_fr,
        "alt_labels_es": o.alt_labels("es"), "alt_labels_en": o.alt_labels("en"), "alt_labels_fr": o.alt_labels("fr"),
        "description_en": o.description_en,
    }


def _soc_ref(s) -> dict:
    return {"code": s.code, "level": s.level, "title_en": s.title_en}


@router.get("/soc/{code}", response={200: SocOccupationOut, **ERRORS}, summary="SOC 2018 group or occupation")
def soc_occupation(request, code: str = Path(..., pattern=SOC)):  # noqa: B008
    """With its ISCO-08 groups (derived via SOC 2010, not official) and the O*NET-SOC codes that lead to it."""
    s = get_restricted_or_404(queries.soc_occupations(request.user).select_related("parent__parent__parent"),
                              request.user, code=code)
    ancestors, parent = [], s.parent
    while parent is not None:
        ancestors.insert(0, _soc_ref(parent))
        parent = parent.parent
    links = queries.links(request.user)
    return {
        "code": s.code, "level": s.level, "level_name": str(s.get_level_display()), "title_en": s.title_en,
        "definition_en": s.definition_en, "parent": s.parent_id, "ancestors": ancestors,
        "children": [_soc_ref(c) for c in queries.soc_occupations(request.user).filter(parent=s)],
        "isco": [_link(k) for k in links.filter(source_system=System.SOC2018, source_code=code,
                                                  target_system=System.ISCO08)],
        "onet_in": [_link(k) for k in links.filter(target_system=System.SOC2018, target_code=code)
                    .order_by("source_system", "source_code")],
    }


@router.get("/noc/{version}/{code}", response={200: NocGroupOut, **ERRORS}, summary="NOC 2021 or NOC 2011 group")
def noc_group(request, version: str = Path(..., pattern=r"^(2011|2021)$"),  # noqa: B008
              code: str = Path(..., pattern=NOC)):  # noqa: B008
    """English titles only (see ``note``); ISCO-08 links say how each was made (manual or title match)."""
    g = get_restricted_or_404(queries.noc_groups(request.user), request.user, version=version, code=code)
    system = System.NOC2011 if version == "2011" else System.NOC2021
    return {
        "version": g.version, "code": g.code, "level": g.level, "level_name": g.level_name, "title_en": g.title_en,
        "title_languages": ["en"], "note": NOC_NOTE, "definition_en": g.definition_en, "teer": g.teer,
        "source": g.source, "parent": g.parent.code if g.parent_id else None,
        "children": [{"code": c.code, "level": c.level, "title_en": c.title_en}
                     for c in queries.noc_groups(request.user).filter(parent=g)],
        "isco": [_link(k) for k in queries.links(request.user).filter(source_system=system, source_code=code)],
    }


@router.get("/crosswalk", response={200: CrosswalkOut, **ERRORS}, summary="ISCO-08 groups for a code of another system")
def crosswalk(request, system: SystemName, code: str = Query(..., min_length=1, max_length=64)):  # noqa: B008
    """``?system=SOC2018&code=45-2092`` → ISCO-08 matches with their method. Messy codes are normalised
    ("452092", "45-2092.00", "8431.0"). A code that is not in the data: 404; a known code without links: 200
    with no matches."""
    if not queries.code_exists(system, code):
        raise Http404()
    table = queries.isco_mapping_table(system)
    matches = table.lookup(code)
    titles = {g.code: g.t("title") for g in queries.isco_groups(request.user).filter(code__in=[m.isco_code for m in matches])}
    return {"system": system, "code": code, "canonical_code": table.canonical(code), "matches": [
        {"isco_code": m.isco_code, "isco_title": titles.get(m.isco_code, ""), "method": m.method, "detail": m.detail,
         "score": m.score} for m in matches]}
