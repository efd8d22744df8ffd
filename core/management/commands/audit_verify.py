from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import audit


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and report the first entry altered or removed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seal", action="store_true", help="Seal new entries first.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seal"]:
            while audit.seal():
                pass
        result = audit.verify()
        if result.problem is not None:
            raise CommandError(f"Audit trail broken: {result.problem.message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {result.checked} sealed entries checked, {result.unsealed} not yet sealed."
            )
        )
