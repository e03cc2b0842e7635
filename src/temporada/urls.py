from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog, set_language

from .api import api

handler400 = "temporada.core.views.bad_request"
handler403 = "temporada.core.views.permission_denied"
handler404 = "temporada.core.views.page_not_found"
handler500 = "temporada.core.views.server_error"

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", include("temporada.core.urls")),
    path("accounts/", include("temporada.accounts.urls")),
    path("occupations/", include("temporada.occupations.urls")),
    path("programmes/", include("temporada.programmes.urls")),
    path("employers/", include("temporada.employers.urls")),
    path("demand/", include("temporada.demand.urls")),
    path("supply/", include("temporada.supply.urls")),
    path("matching/", include("temporada.matching.urls")),
    path("indicators/", include("temporada.indicators.urls")),
    path("rights/", include("temporada.rights.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The admin signs in through our login (lock-out + second factor), never its own form.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
