import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class SessionExpiryMiddleware:
    """Staff sessions end after 30 minutes idle or 12 hours in all, whatever the cookie says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff_role:
            now = time.time()
            started = request.session.setdefault("_started_at", now)
            last = request.session.get("_last_seen", now)
            if now - last > settings.STAFF_SESSION_IDLE_SECONDS or now - started > settings.STAFF_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Session expired"}, status=401)
                # This middleware runs outside MessageMiddleware, so store the notice by hand.
                storage = default_storage(request)
                storage.add(messages.INFO, _("Su sesión expiró. Vuelva a iniciar sesión."))
                response = redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.path})}")
                storage.update(response)
                return response
            request.session["_last_seen"] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Consular, ministry and administrator accounts reach nothing until their TOTP code is verified."""

    ALLOWED_PREFIXES = ("/static/", "/i18n/", "/favicon")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.needs_two_factor and not user.is_verified():
            allowed = {reverse("accounts:otp_verify"), reverse("accounts:otp_setup"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(self.ALLOWED_PREFIXES):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Two-factor verification required"}, status=401)
                return redirect(reverse("accounts:otp_verify"))
        return self.get_response(request)
