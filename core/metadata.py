"""The API's answer to OPTIONS (REST_FRAMEWORK's DEFAULT_METADATA_CLASS). A module of its own:
rest_framework.views reads the setting when it is first imported, so the class must not live in a
module that imports rest_framework.views itself (core.api), or whichever is imported first fails."""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request


class Metadata(SimpleMetadata):
    """An OPTIONS answer names the endpoint, what it renders and parses, and nothing of its
    object: DRF's default would fetch the object (get_object) to describe the fields a PUT or
    POST takes, a read of youth data outside the selectors that audit it, and a 500 on views
    that fetch through a selector rather than a queryset. The fields are in the OpenAPI schema."""

    def determine_actions(self, request: Request, view: Any) -> dict[str, Any]:
        return {}
