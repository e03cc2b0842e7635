from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def registry() -> dict:
    """kind -> importer description, collected from each app's ``importers`` package."""
    kinds = {}
    for module_name in settings.TEMPORADA_IMPORTER_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        kinds.update(module.IMPORTERS)
    return kinds


class Command(BaseCommand):
    help = "Import an official file: `temporada import KIND FILE`. Run without arguments to list the kinds."

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?")
        parser.add_argument("path", nargs="?")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        kinds = registry()
        if not opts["kind"]:
            for name, importer in sorted(kinds.items()):
                self.stdout.write(f"{name:24} {importer['help']}")
            return
        if opts["kind"] not in kinds:
            raise CommandError(f"Unknown kind {opts['kind']!r}. Known: {', '.join(sorted(kinds))}")
        if not opts["path"]:
            raise CommandError("Give the file to import.")
        importer = kinds[opts["kind"]]
        try:
            summary = importer["run"](path=opts["path"], stdout=self.stdout, progress=not opts["no_progress"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS(str(summary)))
