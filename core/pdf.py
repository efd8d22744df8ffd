"""PDF documents (WeasyPrint): the one place HTML becomes a PDF.

Every PDF is rendered from a template extending templates/reports/pdf_base.html, which carries
the confidentiality marking, who printed it and when, and page numbers. WeasyPrint may fetch
only Laget's own static files (fonts, the print style sheet): any other address in a document
(a link typed into a note, say) is refused, so rendering a PDF never reaches the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    pass


def _static_file(url: str) -> Path | None:
    path = urlparse(url).path
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path.removeprefix(settings.STATIC_URL)
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found if isinstance(found, str) else found[0])
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None


class StaticOnlyFetcher(URLFetcher):
    """Laget's static files only (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"})

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        found = _static_file(url)
        if found is None:
            raise RefusedURL(f"PDF may not fetch {url!r}")
        return super().fetch(found.as_uri(), headers)


def render_pdf(request: HttpRequest, template: str, context: dict[str, Any]) -> bytes:
    context = {"printed_at": timezone.localtime(), "printed_by": request.user, **context}
    html = render_to_string(template, context, request=request)
    pdf: bytes = HTML(string=html, base_url="http://laget.invalid/", url_fetcher=StaticOnlyFetcher()).write_pdf()
    return pdf


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF to download. Never cached: it holds a youth's information."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
