"""The cockpit's models in the admin: read-only lists scoped like the pages (sources for the district, sensors and
alerts by place). Sources, keys, sensors and readings change only through the services and pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commonground.core.admin import ScopedAdmin

from .models import Sensor, SignalSource


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SignalSource)
class SignalSourceAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("name", "kind", "bad_rows", "is_active")
    list_filter = ("kind", "is_active")
    exclude = ("key_digest",)


@admin.register(Sensor)
class SensorAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("code", "name", "kind", "source", "place", "capacity", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("source", "place")
