"""URLs used only by the PermissionMatrix self-test: one correct view, one that leaks, one that answers 403."""

from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.urls import path


def correct(request, pk):
    if getattr(request.user, "role", None) != "admin":
        raise Http404
    return HttpResponse(f"secret-{pk}")


def leaky(request, pk):
    return HttpResponse(f"secret-{pk}")


def forbidden(request, pk):
    if getattr(request.user, "role", None) != "admin":
        return HttpResponseForbidden("no")
    return HttpResponse(f"secret-{pk}")


urlpatterns = [
    path("correct/<int:pk>/", correct),
    path("leaky/<int:pk>/", leaky),
    path("forbidden/<int:pk>/", forbidden),
]
