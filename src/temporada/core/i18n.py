"""Content translation: records carry ``<field>_es``, ``<field>_en`` and ``<field>_fr`` columns."""

from django.conf import settings
from django.utils.translation import get_language


def current_language() -> str:
    lang = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return lang if lang in settings.LANGUAGE_CODES else settings.LANGUAGE_CODE


def translated_value(obj, field: str, lang: str | None = None) -> str:
    """Value of ``field`` in ``lang`` (default: active), falling back to es, en, fr."""
    lang = lang or current_language()
    order = [lang] + [code for code in ("es", "en", "fr") if code != lang]
    for code in order:
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return value
    return ""


def missing_translations(obj, fields) -> list[str]:
    """Names of ``<field>_<lang>`` columns that are empty while another language has text."""
    missing = []
    for field in fields:
        values = {code: getattr(obj, f"{field}_{code}", "") for code in settings.LANGUAGE_CODES}
        if any(values.values()):
            missing += [f"{field}_{code}" for code, v in values.items() if not v]
    return missing


class TranslatedMixin:
    def t(self, field: str, lang: str | None = None) -> str:
        return translated_value(self, field, lang)
