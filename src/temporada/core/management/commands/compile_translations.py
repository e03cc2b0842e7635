from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.core.management.base import BaseCommand

PACKAGE = Path(__file__).resolve().parents[3]


def compile_all(root: Path = PACKAGE) -> int:
    """Compile every <app>/locale/*/LC_MESSAGES/*.po next to itself (pure Python: no gettext tools needed).
    Fuzzy entries are left out, as msgfmt does."""
    count = 0
    for po_path in sorted(root.glob("*/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        count += 1
    return count


class Command(BaseCommand):
    help = "Compile the translation catalogues of every app (.po → .mo)."

    def handle(self, *args, **opts):
        self.stdout.write(f"{compile_all()} catalogue(s) compiled.")
