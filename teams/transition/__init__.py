"""Turning 18 (issue 14): the transition checklist, its alerts, the handover meeting at 18."""
