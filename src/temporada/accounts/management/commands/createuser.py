import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from temporada.accounts.roles import Role
from temporada.accounts.services import create_user


class Command(BaseCommand):
    help = "Create a user with a role and one or more countries (ISO3)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--country", action="append", default=[], help="ISO3 code; repeat for several")
        parser.add_argument("--email", default="")
        parser.add_argument("--reviewer", action="store_true", help="may publish content")

    def handle(self, *args, **opts):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("Passwords do not match")
        try:
            user = create_user(
                username=opts["username"], password=password, role=opts["role"], countries=opts["country"],
                email=opts["email"], is_content_reviewer=opts["reviewer"],
            )
        except (ValidationError, ValueError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)])))
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({user.role}) in {sorted(user.country_codes)}"))
