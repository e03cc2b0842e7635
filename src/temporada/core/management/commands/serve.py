import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the web app and run the background task worker alongside it."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args, **opts):
        worker = None
        if not opts["no_worker"]:
            # The worker is a separate process so a long import never blocks a page.
            worker = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "temporada.cli", "db_worker", "--queue-name", "default", "--interval", "1"],
                env=os.environ.copy(),
            )
            self.stdout.write(f"Task worker started (pid {worker.pid}).")
        try:
            self.stdout.write(f"Temporada on http://{opts['addrport']}/")
            call_command("runserver", opts["addrport"], use_reloader=False, use_threading=True)
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
