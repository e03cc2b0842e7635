from django.core.management.base import BaseCommand

from temporada.programmes.facts import catalogue_fact_counts


class Command(BaseCommand):
    help = "Verified vs not-verified facts per programme and legal instrument."

    def handle(self, *args, **options):
        counts = catalogue_fact_counts()
        for row in counts["records"]:
            extra = f"  UNCITED: {', '.join(row['uncited'])}" if row["uncited"] else ""
            self.stdout.write(f"{row['kind']:16} {row['slug']:24} verified {row['verified']:3}  "
                              f"not verified {row['not_verified']:3}  {row['name']}{extra}")
        self.stdout.write(f"TOTAL verified {counts['verified']}, not verified {counts['not_verified']}, "
                          f"filled without citation {counts['uncited']}")
