from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Demasiados intentos fallidos. Espere unos minutos antes de volver a intentarlo."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "login_locked", False):
                raise forms.ValidationError(self.error_messages["locked"], code="locked")
            raise


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Código de 6 dígitos"), min_length=6, max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("El código tiene solo cifras."))
        return token
