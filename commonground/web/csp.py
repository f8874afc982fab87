"""The Content-Security-Policy middleware: django-csp's, on every response but PDFs."""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Sends settings.CONTENT_SECURITY_POLICY, except with PDFs: Chromium applies a PDF's own policy to its
    built-in viewer (crbug.com/271452), and object-src 'none' leaves notices and minutes blank."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)
