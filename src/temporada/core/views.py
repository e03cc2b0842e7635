from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import DataLoad

# Publisher and licence of each loaded dataset, shown on the attribution page (exact step name first,
# then the app prefix). Details per file are in data/ATTRIBUTION.md.
DATASET_ATTRIBUTION = {
    "core.countries": ("ISO 3166-1 (Debian iso-codes) · Unicode CLDR", "LGPL-2.1 / Unicode License"),
    "core.subdivisions": ("ISO 3166-2 (Debian iso-codes) · US Census (FIPS)", "LGPL-2.1 / public domain"),
    "occupations.isco_esco": ("ILO ISCO-08 · European Commission ESCO v1.0", "Decision 2011/833/EU"),
    "occupations.soc": ("US BLS SOC 2018/2010 · O*NET Center · IBS crosswalk", "public domain / CC BY 4.0"),
    "occupations.noc": ("Statistics Canada NOC 2021 · ESDC · Temporada (NOC→ISCO table)", "OGL – Canada"),
    "programmes.catalogue": ("Temporada, from official sources cited per fact", "—"),
    "demand.h2a_fy2017": ("US DOL ETA, Office of Foreign Labor Certification", "public domain"),
    "demand.h2b_fy2019": ("US DOL ETA, Office of Foreign Labor Certification", "public domain"),
    "demand.seasonaljobs": ("US DOL ETA, SeasonalJobs.dol.gov", "public domain"),
    "demand.lmia": ("Employment and Social Development Canada (ESDC)", "OGL – Canada"),
    "demand.cubes": ("Temporada: sums of the US DOL and ESDC job orders above, for the dashboards", "—"),
    "supply.origin_subdivisions": ("ISO 3166-2 (Debian iso-codes)", "LGPL-2.1"),
    "supply.demo_workers": ("Temporada: SYNTHETIC demo profiles (seeded generator)", "—"),
    "indicators.migrant-stock": ("UN DESA Population Division, International Migrant Stock 2020", "CC BY 3.0 IGO"),
    "indicators.population": ("UN DESA Population Division, World Population Prospects 2022", "CC BY 3.0 IGO"),
    "indicators.country-indicators": ("World Bank WDI and others, via IOM GDI", "CC BY 4.0 (per indicator)"),
    "indicators.indicator-definitions": ("IOM Global Data Institute", "MIT (package)"),
    "indicators.country-codes": ("IOM Global Data Institute", "MIT (package)"),
    "indicators": ("Temporada open-data catalogue", "—"),
    "rights": ("Temporada, from official sources cited per statement", "—"),
    "accounts": ("Temporada: demo accounts", "—"),
}


def dataset_attribution(name: str) -> tuple[str, str]:
    return DATASET_ATTRIBUTION.get(name) or DATASET_ATTRIBUTION.get(name.split(".")[0], ("", ""))


@require_GET
def home(request):
    return render(request, "core/home.html")


@require_GET
def about_data(request):
    loads = []
    for load in DataLoad.objects.order_by("name"):
        publisher, licence = dataset_attribution(load.name)
        loads.append({"name": load.name, "rows": load.rows, "loaded_at": load.loaded_at,
                      "publisher": publisher, "licence": licence})
    return render(request, "core/about_data.html", {"loads": loads})


def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


def server_error(request):
    return render(request, "core/error.html", {"status": 500}, status=500)


def bad_request(request, exception=None):
    return render(request, "core/error.html", {"status": 400}, status=400)


def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)
