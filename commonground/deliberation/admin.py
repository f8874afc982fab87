"""Read-only admin views of votes, notices, meetings and representatives, scoped by the resolver.

Votes, ballots and notices change only through the services (a notice never changes, a result is fixed
at close), so the admin never adds, edits or deletes them; it is for looking things up and their history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from commonground.core.admin import ScopedAdmin, ScopedHistoryAdmin

from .models import Meeting, Notice, Representative, Vote
from .selectors import votes_for


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Vote)
class VoteAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ("title", "estate", "kind", "matter", "opens_at", "closes_at", "status", "outcome")
    list_filter = ("kind", "status", "outcome", "matter")
    list_select_related = ("estate",)
    search_fields = ("title", "estate__name")
    exclude = ("result",)  # the full record is on the result page and in record.json
    readonly_fields = ("record_hash",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Vote]:
        """The votes `access_vote` gives: drafts and cancelled votes only to those who run them."""
        return super().get_queryset(request).filter(pk__in=votes_for(request.user).values("pk"))


@admin.register(Notice)
class NoticeAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("title", "place", "kind", "posted_on", "ends_on")
    list_filter = ("kind",)
    list_select_related = ("place",)
    search_fields = ("title", "place__name")
    date_hierarchy = "posted_on"


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ("title", "place", "convener", "kind", "starts_at", "status")
    list_filter = ("kind", "status")
    list_select_related = ("place", "convener")
    search_fields = ("title", "place__name", "venue")
    date_hierarchy = "starts_at"


@admin.register(Representative)
class RepresentativeAdmin(ReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ("building", "person", "status", "confirmed_on")
    list_filter = ("status",)
    list_select_related = ("building", "person")
    search_fields = ("building__name", "person__name")
