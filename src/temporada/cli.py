"""The ``temporada`` console command: a thin wrapper around the management commands users need.

    temporada setup            migrate, compile translations, load reference + default data, demo users
    temporada serve            web app + background task worker
    temporada import KIND FILE import an official file (see `temporada import --help`)
    temporada createuser ...   create a user with a role and countries
    temporada <any manage.py command>
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "temporada.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not args:
            return
    aliases = {"import": "import_data"}
    if args:
        args[0] = aliases.get(args[0], args[0])
    execute_from_command_line(["temporada", *args])


if __name__ == "__main__":
    main()
