from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _


def _has_nul(request) -> bool:
    """NUL characters in an API request's path, query string or JSON body. PostgreSQL text cannot hold them
    (the query would fail with a server error) and no real input needs them. Pages handle them themselves:
    their forms refuse them field by field and the explorer's search drops them."""
    if not request.path.startswith("/api/"):
        return False
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.content_type == "application/json":
        return b"\x00" in request.body or b"\\u0000" in request.body
    return False


class RequestSizeGuardMiddleware:
    """Refuse oversized query strings and bodies, and NUL characters, before any view or parser touches them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > settings.TEMPORADA_MAX_QUERY_STRING:
            return HttpResponse(_("La consulta es demasiado larga."), status=414, content_type="text/plain; charset=utf-8")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.TEMPORADA_MAX_UPLOAD_BYTES:
            return HttpResponse(
                _("El archivo supera el tamaño máximo permitido."), status=413, content_type="text/plain; charset=utf-8"
            )
        if _has_nul(request):
            return HttpResponse(_("La solicitud contiene caracteres nulos, que ningún dato admite."), status=400,
                                content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class DefaultLanguageMiddleware:
    """Spanish unless the visitor chose otherwise (cookie) — the browser's Accept-Language is ignored
    for pages without a language prefix so that a fresh visit lands in Spanish, as the RCM asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if chosen not in settings.LANGUAGE_CODES:
                request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        else:
            lang = request.GET.get("lang")
            if lang in settings.LANGUAGE_CODES:
                request.META["HTTP_ACCEPT_LANGUAGE"] = lang
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Everything comes from our own origin; the CSP makes a stray CDN reference fail loudly."""

    POLICY = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-eval'; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The API docs page ships its own inline bootstrap script.
        if not request.path.startswith("/api/"):
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        translation.get_language()
        return response
