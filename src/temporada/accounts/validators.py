import gzip
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shipped list: Django's 20,000 most common passwords plus our own list of passwords seen in
# breaches that target Spanish/French speakers and this domain (data/reference/breached_passwords.txt).
EXTRA_LIST = Path(__file__).resolve().parent / "breached_passwords.txt"


@lru_cache(maxsize=1)
def _extra() -> frozenset[str]:
    if not EXTRA_LIST.exists():
        return frozenset()
    return frozenset(line.strip().lower() for line in EXTRA_LIST.read_text(encoding="utf-8").splitlines() if line.strip())


class BreachedPasswordValidator(CommonPasswordValidator):
    def validate(self, password, user=None):
        lowered = password.lower().strip()
        if lowered in self.passwords or lowered in _extra():
            raise ValidationError(
                _("Esta contraseña aparece en listas de contraseñas comunes o filtradas."), code="password_too_common"
            )

    def get_help_text(self):
        return _("La contraseña no puede ser una contraseña común o filtrada.")


__all__ = ["BreachedPasswordValidator", "gzip"]
