from django.core.management.base import BaseCommand

from temporada.occupations.bootstrap import read_manual_table
from temporada.occupations.coverage import lmia_coverage, report_lines
from temporada.occupations.titlematch import TitleMatcher, calibrate


class Command(BaseCommand):
    help = "Share of positive-LMIA positions whose NOC code maps to ISCO-08, by method (manual, title match)."

    def add_arguments(self, parser):
        parser.add_argument("--calibrate", action="store_true",
                            help="also compare title matching with the hand-made table at several thresholds")

    def handle(self, *args, **options):
        for line in report_lines(lmia_coverage()):
            self.stdout.write(line)
        if options["calibrate"]:
            manual = {}
            for row in read_manual_table():
                for version in ("2011", "2021"):
                    if row[f"noc{version}_code"]:
                        manual[(version, row[f"noc{version}_code"])] = (row[f"noc{version}_title"],
                                                                        set(row["isco08_codes"].split()))
            self.stdout.write(f"Title matching against {len(manual)} hand-mapped NOC unit groups:")
            self.stdout.write("  threshold  matched  same unit group  same sub-major group")
            for threshold, matched, unit, sub_major in calibrate(TitleMatcher.from_database("en"), manual):
                self.stdout.write(f"  {threshold:9.2f}  {matched:7}  {unit:7} ({unit / max(matched, 1):4.0%})"
                                  f"  {sub_major:7} ({sub_major / max(matched, 1):4.0%})")
