"""Form helpers every app's pages share."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(form: forms.Form, error: ValidationError, *,
                         field_of: Mapping[str, str] | None = None) -> None:
    """Attach a service's ValidationError to the form: keyed messages to their fields (renamed by `field_of`
    where the form's field has another name), the rest on top."""
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            field = (field_of or {}).get(key, key)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
