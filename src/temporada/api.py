"""`/api/v1/`: one router per app, OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError

from . import __version__

api = NinjaAPI(
    title="Temporada API",
    version=__version__,
    description=(
        "Temporary migrant worker programmes in the Regional Conference on Migration countries: "
        "reference classifications, programmes, labour demand and supply, indicators. Reads are scoped "
        "to the caller's role and countries (session authentication); public data needs no login."
    ),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


def _mount():
    from importlib import import_module

    for app in ["core", "occupations", "programmes", "employers", "demand", "supply", "matching", "indicators", "rights"]:
        try:
            module = import_module(f"temporada.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name == f"temporada.{app}.api":
                continue
            raise
        api.add_router(f"/{app}/", module.router)


_mount()
