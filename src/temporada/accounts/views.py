from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from temporada.core.audit import EventType, record

from .forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            record(type=EventType.LOGOUT, actor=request.user, obj=request.user, request=request)
        return super().post(request, *args, **kwargs)


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "core:home"


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Second step of sign-in for accounts that need TOTP."""
    devices = TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
    device = next(iter(devices), None)
    if device is None:
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            record(type=EventType.OTP_VERIFIED, actor=request.user, obj=request.user, request=request)
            return redirect(_next_url(request))
        form.add_error("token", _("Código incorrecto o caducado."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: show the secret as QR code and text, confirm with one code."""
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False, defaults={"name": "authenticator"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record(type=EventType.OTP_ENROLLED, actor=request.user, obj=request.user, request=request)
            messages.success(request, _("Segundo factor activado."))
            return redirect(_next_url(request))
        form.add_error("token", _("Código incorrecto o caducado."))
    import base64

    import segno

    secret = base64.b32encode(device.bin_key).decode()
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return render(request, "accounts/otp_setup.html", {"form": form, "qr_svg": qr_svg, "secret": secret})


@login_required
def profile(request):
    return render(request, "accounts/profile.html")
