from typing import Any

from django.conf import settings
from django.http import HttpRequest


def laget(request: HttpRequest) -> dict[str, Any]:
    return {
        "idle_timeout_minutes": int(settings.LAGET_IDLE_TIMEOUT.total_seconds() // 60),
        "show_demo_otp": settings.LAGET_SHOW_DEMO_OTP,
    }
