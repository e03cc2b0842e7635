from django.core.management.base import BaseCommand

from temporada.demand.services import remap_all_isco


class Command(BaseCommand):
    help = "Map every job order's published occupation code to ISCO-08 again (after the crosswalks changed)."

    def handle(self, *args, **options):
        changed = remap_all_isco()
        self.stdout.write(self.style.SUCCESS(f"{changed} job orders got a new ISCO-08 mapping."))
