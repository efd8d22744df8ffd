import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from core.dbroles import app_role_grant


class Command(BaseCommand):
    help = (
        "Create the application's database role if it is missing and grant it what the application needs "
        "(read and append only on the audit trail). Run as the tables' owner, after migrate; safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default=settings.LAGET_DB_APP_ROLE, help="Role name (default: DB_APP_ROLE).")
        parser.add_argument(
            "--password-env",
            default="",
            help="Name of an environment variable holding the role's password (set on every run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
            if not password:
                raise CommandError(f"The environment variable {options['password_env']} is empty or not set.")
        if not app_role_grant(connection, options["role"], password=password):
            raise CommandError(
                f"The role {options['role']} does not exist and {connection.settings_dict['USER']} may not create "
                "roles: create it (CREATE ROLE ... LOGIN PASSWORD ...) as an administrator and run this again."
            )
        self.stdout.write(self.style.SUCCESS(f"Database role {options['role']} has the application's rights."))
