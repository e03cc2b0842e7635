from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import DataLoad

# Publisher and licence of each loaded dataset, shown on the attribution page.
DATASET_ATTRIBUTION = {
    "core.countries": ("ISO 3166-1 (Debian iso-codes) · Unicode CLDR", "LGPL-2.1 / Unicode License"),
    "core.subdivisions": ("ISO 3166-2 (Debian iso-codes) · US Census (FIPS)", "LGPL-2.1 / public domain"),
}


@require_GET
def home(request):
    return render(request, "core/home.html")


@require_GET
def about_data(request):
    loads = []
    for load in DataLoad.objects.order_by("name"):
        publisher, licence = DATASET_ATTRIBUTION.get(load.name, ("", ""))
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
