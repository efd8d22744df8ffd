from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from demo import steps


class Command(BaseCommand):
    help = (
        "Build a synthetic Oslo for the demo: districts, services, staff, youths and families, and one "
        "login per role. Deterministic from --seed; a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random choices (default 2026).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = steps.build(seed=options["seed"], stdout=self.stdout)
        counts = ", ".join(f"{count} {what}" for what, count in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (seed {result.seed}): {counts}."))
        self.stdout.write(f"\nOpen {result.url} and sign in as one of:\n")
        rows = [("role", "e-mail", "password", "TOTP secret")]
        rows += [(login.role, login.email, login.password, login.totp_secret) for login in result.logins]
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        for index, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            self.stdout.write(self.style.MIGRATE_HEADING(line) if index == 0 else line)
        self.stdout.write(
            "\nIn local settings the code screen shows the current code, so no authenticator app is needed; "
            "elsewhere, enter the TOTP secret in one."
        )
