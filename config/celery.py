"""Celery application. The beat schedule lives in settings (CELERY_BEAT_SCHEDULE)."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("laget")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _deliver_waiting_email(**kwargs: object) -> None:
    """A worker that starts (after a crash, a deploy or a Redis restart that lost the queue) first
    sends the e-mails that wait in the outbox (core.notifications)."""
    app.send_task("core.tasks.notifications_deliver_due")
