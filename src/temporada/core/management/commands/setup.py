import fcntl
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from temporada.core.bootstrap import MissingReferenceFile, run_steps


class Command(BaseCommand):
    help = "Migrate, compile translations and load reference + default data (skips unchanged files)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="reload every dataset even if unchanged")
        parser.add_argument("--only", action="append", default=[], help="load only this step (repeatable)")
        parser.add_argument("--skip-messages", action="store_true")

    def handle(self, *args, **opts):
        lock_path = settings.VAR_DIR / "setup.lock"
        with open(lock_path, "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CommandError(
                    "Another `temporada setup` (or `make run`) is already running on this database. "
                    "Wait for it to finish; nothing was changed by this one."
                )
            started = time.monotonic()
            call_command("migrate", interactive=False, verbosity=0)
            self.stdout.write("Database migrated.")
            if not opts["skip_messages"]:
                call_command("compile_translations", verbosity=0)
                self.stdout.write("Translations compiled.")
            try:
                run_steps(stdout=self.stdout, force=opts["force"], only=opts["only"])
            except MissingReferenceFile as exc:
                raise CommandError(f"{exc}. Restore the data/ folder from the repository (git checkout -- data).")
            self.stdout.write(self.style.SUCCESS(f"Setup finished in {time.monotonic() - started:.1f}s"))
