"""Occupation explorer: search across classifications, browse hierarchies, see crosswalk links both ways.

Thin: reads come from queries.py (every queryset starts from restrict()). Codes in URLs are checked
against their format before any query, so odd paths answer 404, never 500.
"""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from temporada.core.restrict import get_restricted_or_404

from . import queries
from .forms import CrosswalkForm, SearchForm
from .models import IscoGroup, LinkMethod, SocOccupation, System, code_url

PER_PAGE = 25
ISCO_CODE = re.compile(r"^\d{1,4}$")
SOC_CODE = re.compile(r"^\d{2}-\d{4}$")
NOC_CODE = re.compile(r"^\d{1,5}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _check(pattern, value):
    if not pattern.match(value or ""):
        raise Http404()


@require_GET
def explorer(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "page": None}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = queries.search_entries(request.user, form.cleaned_data["q"], form.cleaned_data["kind"])
        context["page"] = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    elif not form.is_bound or not form.errors:
        context["majors"] = queries.isco_groups(request.user).filter(level=1)
        context["soc_majors"] = queries.soc_occupations(request.user).filter(level=1)
        context["noc_categories"] = queries.noc_groups(request.user).filter(version="2021", level=1)
    return render(request, "occupations/explorer.html", context)


def _isco_path(user, code: str):
    """The groups above ``code`` (major group first), read from the database."""
    codes = queries.isco_ancestors(code)[:-1]
    return list(queries.isco_groups(user).filter(code__in=codes).order_by("level"))


@require_GET
def isco_detail(request, code):
    _check(ISCO_CODE, code)
    group = get_restricted_or_404(queries.isco_groups(request.user), request.user, code=code)
    context = {
        "group": group, "path": _isco_path(request.user, code),
        "children": queries.isco_groups(request.user).filter(parent=group),
        "occupations": queries.esco_occupations(request.user).filter(isco=group).order_by("label_en")
        if group.level == IscoGroup.Level.UNIT else [],
        "incoming": queries.links_into_isco(request.user, code) if group.level == IscoGroup.Level.UNIT else [],
    }
    return render(request, "occupations/isco_detail.html", context)


@require_GET
def esco_detail(request, uuid):
    _check(UUID, uuid)
    occupation = get_restricted_or_404(queries.esco_occupations(request.user).select_related("isco"),
                                       request.user, uuid=uuid)
    context = {
        "occupation": occupation, "path": _isco_path(request.user, occupation.isco_id) + [occupation.isco],
        "alt_labels": [(lang, name, occupation.alt_labels(lang)) for lang, name in
                       (("es", "Español"), ("en", "English"), ("fr", "Français"))],
        "incoming": queries.links_into_isco(request.user, occupation.isco_id),
    }
    return render(request, "occupations/esco_detail.html", context)


def _soc_path(occupation: SocOccupation) -> list[SocOccupation]:
    path, parent = [], occupation.parent
    while parent is not None:
        path.insert(0, parent)
        parent = parent.parent
    return path


@require_GET
def soc_detail(request, code):
    _check(SOC_CODE, code)
    occupation = get_restricted_or_404(
        queries.soc_occupations(request.user).select_related("parent__parent__parent"), request.user, code=code)
    links = queries.links(request.user)
    context = {
        "occupation": occupation, "path": _soc_path(occupation),
        "children": queries.soc_occupations(request.user).filter(parent=occupation),
        "to_isco": links.filter(source_system=System.SOC2018, source_code=code, target_system=System.ISCO08),
        "from_onet": links.filter(target_system=System.SOC2018, target_code=code).order_by("source_system", "source_code"),
        "is_detailed": occupation.level == SocOccupation.Level.DETAILED,
    }
    return render(request, "occupations/soc_detail.html", context)


@require_GET
def soc2010_detail(request, code):
    _check(SOC_CODE, code)
    occupation = get_restricted_or_404(queries.soc2010_occupations(request.user), request.user, code=code)
    links = queries.links(request.user)
    soc2018 = (links.filter(source_system=System.SOC2018, via_code=code).order_by("source_code")
               .values_list("source_code", "source_title").distinct())
    context = {
        "occupation": occupation,
        "to_isco": links.filter(source_system=System.SOC2010, source_code=code),
        "soc2018": list(dict.fromkeys(soc2018)),
        "onet": links.filter(source_system=System.ONETSOC2010, source_code__startswith=f"{code}."),
    }
    return render(request, "occupations/soc2010_detail.html", context)


@require_GET
def noc_detail(request, version, code):
    if version not in ("2011", "2021"):
        raise Http404()
    _check(NOC_CODE, code)
    group = get_restricted_or_404(queries.noc_groups(request.user).select_related("parent"), request.user,
                                  version=version, code=code)
    path, parent = [], group.parent
    while parent is not None:
        path.insert(0, parent)
        parent = parent.parent
    system = System.NOC2011 if version == "2011" else System.NOC2021
    to_isco = list(queries.links(request.user).filter(source_system=system, source_code=code))
    context = {
        "group": group, "path": path, "children": queries.noc_groups(request.user).filter(parent=group),
        "to_isco": to_isco, "manual": [link for link in to_isco if link.method == LinkMethod.MANUAL],
    }
    return render(request, "occupations/noc_detail.html", context)


@require_GET
def crosswalk(request):
    form = CrosswalkForm(request.GET or None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        system, code = form.cleaned_data["system"], form.cleaned_data["code"]
        table = queries.isco_mapping_table(system)
        canonical = table.canonical(code)
        matches = table.lookup(code)
        titles = dict(queries.isco_groups(request.user).filter(code__in=[m.isco_code for m in matches])
                      .values_list("code", f"title_{_lang()}"))
        context.update({
            "system": system, "canonical": canonical, "known": queries.code_exists(system, code),
            "matches": [(m, titles.get(m.isco_code, "")) for m in matches],
            "code_url": _code_url(system, canonical) if canonical else None,
        })
    return render(request, "occupations/crosswalk.html", context)


def _lang():
    from temporada.core.i18n import current_language

    return current_language()


def _code_url(system: str, canonical: str):
    """Explorer page of the looked-up code, when the code exists (O*NET-SOC: its SOC 2018 occupation)."""
    if system == "ONETSOC":
        system, canonical = "SOC2018", canonical[:7]
    if not queries.code_exists(system, canonical):
        return None
    return code_url(system, canonical)
