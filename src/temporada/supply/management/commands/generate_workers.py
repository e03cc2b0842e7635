from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from temporada.supply import synthetic


class Command(BaseCommand):
    help = ("Create SYNTHETIC worker profiles (labelled synthetic everywhere, never in statistics): "
            "`temporada generate_workers --count 1000 --seed 42 [--country GTM]`.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--country", action="append", default=[],
                            help="ISO3 origin country (repeat for several); default: the nine RCM origin countries")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--explain", action="store_true", help="print where each distribution comes from")
        parser.add_argument("--delete", action="store_true", help="delete every synthetic profile first")

    def handle(self, *args, **opts):
        if opts["count"] < 0 or opts["count"] > 5_000_000:
            raise CommandError("--count must be between 0 and 5,000,000")
        if opts["batch_size"] < 1:
            raise CommandError("--batch-size must be positive")
        countries = [c.upper() for c in opts["country"]] or None
        unknown = set(countries or []) - set(synthetic.ORIGINS)
        if unknown:
            raise CommandError(f"Unknown origin country: {', '.join(sorted(unknown))}. Known: {', '.join(synthetic.ORIGINS)}")
        if opts["delete"]:
            try:
                deleted = synthetic.delete_synthetic()
            except ProtectedError as error:  # one transaction: nothing was deleted
                raise CommandError(
                    f"Nothing deleted: {len(error.protected_objects):,} records of other modules (match-run proposals) "
                    "refer to synthetic profiles and keep their history; the synthetic profiles stay.") from error
            self.stdout.write(f"Deleted {deleted:,} synthetic profiles.")
        dist = synthetic.load_distributions(countries)
        if opts["explain"]:
            self.stdout.write("Sources: " + "; ".join(dist.sources))
            shares = ", ".join(f"{c} {w:.1%}" for c, w in zip(dist.countries, dist.country_weights, strict=True))
            self.stdout.write(f"Origin shares: {shares}")
        created = synthetic.generate(count=opts["count"], seed=opts["seed"], batch_size=opts["batch_size"],
                                     dist=dist, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Created {created:,} SYNTHETIC worker profiles (seed {opts['seed']})."))
