"""Every shipped catalogue is complete, and every app with UI strings ships one."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

APPS_ROOT = Path(__file__).resolve().parents[2]  # src/temporada
LANGUAGES = ("en", "fr")
GETTEXT_CALL = re.compile(r"\b(gettext|gettext_lazy|ngettext|pgettext|_)\(\s*[\"']")


def _apps():
    return sorted(p for p in APPS_ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists())


def _has_ui_strings(app: Path) -> bool:
    if any((app / "templates").rglob("*.html")):
        return True
    for source in app.rglob("*.py"):
        if "tests" in source.parts or "migrations" in source.parts:
            continue
        if GETTEXT_CALL.search(source.read_text(encoding="utf-8")):
            return True
    return False


def _problems(po_path: Path) -> list[str]:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        label = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {label!r}")
        elif not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {label!r}")
    return problems


@pytest.mark.parametrize("app", _apps(), ids=lambda p: p.name)
def test_app_with_ui_strings_ships_en_and_fr_catalogues(app):
    if not _has_ui_strings(app):
        pytest.skip(f"{app.name} has no templates or gettext calls yet")
    missing = [lang for lang in LANGUAGES if not (app / "locale" / lang / "LC_MESSAGES" / "django.po").exists()]
    assert not missing, f"{app.name} has UI strings but no locale/{{{','.join(missing)}}} catalogue"


@pytest.mark.parametrize("app", [a for a in _apps() if (a / "locale").is_dir()], ids=lambda p: p.name)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_complete(app, lang):
    po_path = app / "locale" / lang / "LC_MESSAGES" / "django.po"
    assert po_path.exists(), f"{app.name}: missing {po_path.relative_to(APPS_ROOT)}"
    problems = _problems(po_path)
    assert not problems, f"{app.name}/{lang}: {len(problems)} entries\n" + "\n".join(problems[:30])


def test_checker_catches_untranslated_and_fuzzy(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hola"\nmsgstr ""\n\n#, fuzzy\nmsgid "Adiós"\nmsgstr "Bye"\n\nmsgid "Sí"\nmsgstr "Yes"\n',
        encoding="utf-8",
    )
    assert _problems(po) == ["untranslated: 'Hola'", "fuzzy: 'Adiós'"]
