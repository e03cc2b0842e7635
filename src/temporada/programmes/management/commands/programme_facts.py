import json

from django.core.management.base import BaseCommand

from temporada.programmes.facts import catalogue_fact_counts, party_fact_counts, procedure_fact_counts
from temporada.programmes.models import ProgrammeVolume


class Command(BaseCommand):
    help = ("Verified vs not-verified facts per programme, legal instrument, party (signature/ratification dates) "
            "and documentation procedure.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print one JSON document instead of text.")

    def handle(self, *args, **options):
        counts = catalogue_fact_counts()
        parties = party_fact_counts()
        procedures = procedure_fact_counts()
        volumes = ProgrammeVolume.objects.count()
        if options["json"]:
            self.stdout.write(json.dumps({"records": counts, "parties": parties, "procedures": procedures,
                                          "volumes_with_source": volumes}, ensure_ascii=False, default=str, indent=1))
            return
        for row in counts["records"]:
            extra = f"  UNCITED: {', '.join(row['uncited'])}" if row["uncited"] else ""
            party = parties["by_instrument"].get(row["slug"])
            dates = (f"  party dates verified {party['dates_verified']}, not verified {party['dates_not_verified']}"
                     if party else "")
            self.stdout.write(f"{row['kind']:16} {row['slug']:24} verified {row['verified']:3}  "
                              f"not verified {row['not_verified']:3}  {row['name']}{dates}{extra}")
        for row in procedures["records"]:
            self.stdout.write(f"procedure        {row['programme'] + ' × ' + row['origin']:24} steps {row['steps']:2}  "
                              f"step attributes verified {row['verified']:3}  not verified {row['not_verified']:3}")
        self.stdout.write(f"TOTAL programme/instrument facts: verified {counts['verified']}, "
                          f"not verified {counts['not_verified']}, filled without citation {counts['uncited']}")
        self.stdout.write(f"TOTAL party dates ({parties['parties']} parties): signature verified "
                          f"{parties['signature_verified']}, not verified {parties['signature_not_verified']}; "
                          f"ratification verified {parties['ratification_verified']}, not verified "
                          f"{parties['ratification_not_verified']} (accessions and ILO conventions have no signature)")
        self.stdout.write(f"TOTAL procedures {procedures['procedures']}, steps {procedures['steps']}: step attributes "
                          f"verified {procedures['verified']}, not verified {procedures['not_verified']}")
        self.stdout.write(f"TOTAL annual volumes with source: {volumes}")
