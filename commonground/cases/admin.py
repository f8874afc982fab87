"""The admin for the case engine's master data (categories, API clients) and a read-only view of
cases, scoped by the same resolver as every page (commonground/core/admin.py).

Categories and API clients have no place: only roles held at the top of the tree (and superusers)
see or change them. Cases move only through the workflow services, so the admin never edits them.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commonground.core.admin import ScopedAdmin, ScopedInline
from commonground.core.masking import shown
from commonground.core.permissions import can, visible_to

from .models import ApiClient, Case, CaseEvent, Category, CategoryQuestion
from .selectors import visible_cases
from .services.categories import (
    category_question_delete,
    category_question_save,
    category_save,
    validate_parent,
)


class CategoryQuestionInline(ScopedInline, admin.TabularInline):
    """A category's questions are part of the category: whoever may change it edits them."""

    model = CategoryQuestion
    fields = ("order", "key", "label", "type", "required", "choices")

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super(ScopedInline, self).get_queryset(request)
        return queryset if self.may(request, "view", None) else queryset.none()

    def may(self, request: HttpRequest, verb: str, parent: models.Model | None) -> bool:
        action = "category.view" if verb == "view" else "category.change"
        return can(request.user, action, parent if parent is not None else Category())


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):  # place-less: only root-scope roles (the resolver)
    list_display = ("name", "code", "parent", "kind", "default_level", "sla_hours", "is_dispute", "is_active")
    list_filter = ("kind", "default_level", "is_dispute", "is_active")
    list_select_related = ("parent",)
    search_fields = ("name", "name_en", "code", "keywords")
    autocomplete_fields = ("parent",)
    fields = ("code", "name", "name_en", "parent", "kind", "default_level", "sla_hours", "is_dispute",
              "handler_kind", "open_to", "description", "keywords", "is_active")
    inlines = (CategoryQuestionInline,)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cases keep their category: deactivate it instead

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is the Open311 service_code clients already use.
        return super().get_readonly_fields(request, obj) + (["code"] if obj else [])

    def check_scope(self, request: HttpRequest, data: dict, *, change: bool, instance: Any) -> None:
        validate_parent(instance, data.get("parent"))  # asked early so the form can say it

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        category_save(category=obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for question in formset.save(commit=False):
            question.category = form.instance
            category_question_save(question=question)
        for question in formset.deleted_objects:
            category_question_delete(question=question)


class CaseEventInline(ScopedInline, admin.TabularInline):
    """The case's append-only log, shown to whoever may see the case."""

    model = CaseEvent
    fields = ("at", "actor", "get_action_display", "from_stage", "to_stage", "note")
    readonly_fields = fields
    can_delete = False
    max_num = 0

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        cases = visible_cases(request.user)
        return super(ScopedInline, self).get_queryset(request).filter(case__in=cases.values("pk"))

    def may(self, request: HttpRequest, verb: str, parent: models.Model | None) -> bool:
        return verb == "view" and can(request.user, "case.view", parent)


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    """Read-only: cases change through the workflow (accept, dispatch, …), never by editing fields."""

    list_display = ("number", "category", "place", "stage", "level", "deadline", "is_overdue", "closed_level")
    list_filter = ("stage", ("category", admin.RelatedOnlyFieldListFilter), "level", "is_overdue", "closed_level")
    list_select_related = ("category", "place")
    search_fields = ("number",)
    fields = ("number", "category", "description", "answers", "place", "address", "latitude", "longitude",
              "channel", "reporter", "recorded_by", "contact_name", "shown_contact_phone", "stage", "level",
              "handling_place", "handler", "dispatched_at", "deadline", "is_overdue", "escalations", "reopenings",
              "closed_at", "closed_level", "rating", "merged_into", "created_at")
    readonly_fields = fields
    inlines = (CaseEventInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        in_full = visible_to(request.user, "person.view_personal_data", Case.objects.filter(pk=OuterRef("pk")))
        return super().get_queryset(request).annotate(personal_ok=Exists(in_full))

    @admin.display(description=_("contact phone"))
    def shown_contact_phone(self, obj: Case) -> str:
        return shown("phone", obj.contact_phone, in_full=getattr(obj, "personal_ok", False))


@admin.register(ApiClient)
class ApiClientAdmin(ScopedAdmin):  # place-less: only root-scope roles (the resolver)
    list_display = ("name", "user", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name",)
    autocomplete_fields = ("user",)
    fields = ("name", "api_key", "user", "is_active")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_changeform_initial_data(request), "api_key": secrets.token_urlsafe(32)}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: cases keep naming the client that sent them
