from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import audit


class Command(BaseCommand):
    help = "Check the audit trail's numbers and keyed hash chain and report the first entry altered or removed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seal", action="store_true", help="Seal new entries first.")
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help=(
                "A file of published checkpoints (the checkpoint file, or log lines with 'audit checkpoint'); "
                "default: AUDIT_CHECKPOINT_FILE."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seal"]:
            while audit.seal():
                pass
        checkpoints = None
        if options["checkpoints"] is not None:
            with options["checkpoints"].open(encoding="utf-8") as published:
                checkpoints = audit.read_checkpoints(published)
        result = audit.verify(checkpoints=checkpoints)
        if result.problem is not None:
            raise CommandError(f"Audit trail broken: {result.problem.message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {result.checked} sealed entries checked, {result.unsealed} not yet sealed."
            )
        )
