"""The admin for master data, scoped by the same resolver as every page.

Each admin asks `can(user, "<model>.<verb>", obj)` (resources are lowercase model names) and
lists only `visible_to(user, "<model>.view", ...)`; every foreign-key choice and autocomplete
is scoped the same way. Saves go through the services where one exists, with the user as `actor`, so a
write out of scope is refused by the service too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .masking import shown
from .models import (
    Household,
    HouseholdMember,
    Organisation,
    OrganisationMembership,
    Ownership,
    Person,
    Place,
    PlaceKind,
    Relation,
    RoleAssignment,
    Setting,
    User,
)
from .models.places import ALLOWED_PARENT_KINDS
from .permissions import can, can_on_model, scope_paths, visible_to
from .services.accounts import may_grant, role_assign, role_assignment_update, setting_set
from .services.organisations import (
    ORGANISATION_EDITABLE_FIELDS,
    organisation_create,
    organisation_member_add,
    organisation_member_remove,
    organisation_member_update,
    organisation_update,
)
from .services.people import (
    household_create,
    household_member_remove,
    household_member_save,
    household_update,
    ownership_create,
    ownership_end,
    person_create,
    person_update,
)
from .services.places import EDITABLE_FIELDS as PLACE_EDITABLE_FIELDS
from .services.places import place_create, place_move, place_update

admin.site.site_header = _("CommonGround administration")
admin.site.site_title = _("CommonGround")
admin.site.index_title = _("Master data")


def resource_of(model: type[models.Model]) -> str:
    return model._meta.model_name


class ScopedFieldsMixin:
    """Foreign-key choices (and so autocomplete validation) limited to what the user may see."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related_admin, ScopedFieldsMixin) and "queryset" not in kwargs:
            kwargs["queryset"] = related_admin.get_queryset(request)
            if db_field.name == "flat":
                kwargs["queryset"] = kwargs["queryset"].filter(kind=PlaceKind.FLAT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdmin(ScopedFieldsMixin, admin.ModelAdmin):
    """Base of every CommonGround ModelAdmin: the resolver decides what is listed and allowed."""

    show_full_result_count = False  # one COUNT less per changelist

    def may(self, request: HttpRequest, verb: str, obj: models.Model | None = None) -> bool:
        user, action = request.user, f"{resource_of(self.model)}.{verb}"
        allowed = can(user, action, obj) if obj is not None else can_on_model(user, action, self.model)
        return can(user, "admin.access") and allowed

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return visible_to(request.user, f"{resource_of(self.model)}.view", super().get_queryset(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may(request, "view") or self.may(request, "change")

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.may(request, "view", obj) or self.may(request, "change", obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.may(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.may(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.may(request, "delete", obj)

    def get_search_results(self, request: HttpRequest, queryset: models.QuerySet, search_term: str) -> Any:
        # Autocomplete for another admin's field lands here: scope it by the same resolver.
        if getattr(request.resolver_match, "url_name", "") == "autocomplete":
            queryset = visible_to(request.user, f"{resource_of(self.model)}.view", queryset)
        return super().get_search_results(request, queryset, search_term)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        """The form checks that the place the object will hang from is within the user's scope."""
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ScopedForm(form_class):
            def clean(self) -> dict:
                data = super().clean()
                model_admin.check_scope(request, data, change=change, instance=self.instance)
                return data

        return ScopedForm

    def check_scope(self, request: HttpRequest, data: dict, *, change: bool, instance: Any) -> None:
        """Refuse an object hung (through its scope field) outside where the user may add or change it."""
        lookup = getattr(self.model, "scope_path", "")
        field = lookup.split("__", 1)[0]
        anchor = data.get(field)
        if field and field != "path" and isinstance(anchor, models.Model):
            action = f"{resource_of(self.model)}.{'change' if change else 'add'}"
            if not can(request.user, action, anchor):
                raise ValidationError({field: gettext("This is outside the area where you may do this.")})

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [name for name in self.unreachable_links(request, obj) if name not in readonly]

    def unreachable_links(self, request: HttpRequest, obj: Any) -> list[str]:
        """Foreign keys whose current value the user cannot see: shown read-only, never blanked by a save."""
        if obj is None or obj.pk is None:
            return []
        cache = request.__dict__.setdefault("_cg_unreachable", {})
        key = (type(obj), obj.pk)
        if key not in cache:
            cache[key] = []
            for field in obj._meta.fields:
                value = getattr(obj, field.attname) if field.many_to_one else None
                related_admin = self.admin_site._registry.get(field.related_model) if value is not None else None
                if isinstance(related_admin, ScopedFieldsMixin) and not (
                    related_admin.get_queryset(request).filter(pk=value).exists()
                ):
                    cache[key].append(field.name)
        return cache[key]

    def use_service(self, obj: models.Model, created: models.Model) -> None:
        """Make the admin's unsaved instance stand for the row a service created."""
        obj.pk = created.pk
        obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False


class ScopedHistoryAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """History is shown to users who may "history.view" the live object; never reverted (that bypasses services)."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_view_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return can(request.user, "history.view")
        live = self.get_queryset(request).filter(pk=obj.pk).first()
        return live is not None and self.has_view_permission(request, live) and can(request.user, "history.view", live)

    def has_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_history_or_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_history_permission(request, obj)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedInline(ScopedFieldsMixin):
    """Inline rows: listed through visible_to, allowed by can() on the parent object."""

    extra = 0

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return visible_to(request.user, f"{resource_of(self.model)}.view", super().get_queryset(request))

    def may(self, request: HttpRequest, verb: str, parent: models.Model | None) -> bool:
        return can(request.user, f"{resource_of(self.model)}.{verb}", parent)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "view", obj) or self.may(request, "change", obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "add", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "delete", obj)


# --- places -------------------------------------------------------------------------------

@admin.register(Place)
class PlaceAdmin(ScopedHistoryAdmin):
    list_display = ("name", "kind", "code", "parent")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    fields = ("code", "name", "kind", "parent", "address", "latitude", "longitude", "outline", "floor_area_m2",
              "year_built", "floors", "households")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return super().get_readonly_fields(request, obj) + (["code", "kind"] if obj else [])

    def check_scope(self, request: HttpRequest, data: dict, *, change: bool, instance: Any) -> None:
        """Scope first, then the tree rules place_create / place_move would refuse after the form said yes."""
        if change and "parent" not in data:
            return  # the parent is shown read-only: its position does not change here
        parent = data.get("parent")
        action = "place.change" if change else "place.add"
        if parent is None and not change and scope_paths(request.user, action) is not None:
            raise ValidationError({"parent": gettext("Only a superuser may add a place at the top of the tree.")})
        if parent is not None and not can(request.user, action, parent):
            raise ValidationError({"parent": gettext("This is outside the area where you may do this.")})
        kind = data.get("kind") or instance.kind
        if kind in ALLOWED_PARENT_KINDS and (parent.kind if parent else None) not in ALLOWED_PARENT_KINDS[kind]:
            raise ValidationError({"parent": gettext("A place of this kind cannot be placed there.")})
        if change and parent is not None and parent.path.startswith(instance.path):
            raise ValidationError({"parent": gettext("A place cannot be moved under itself or one of its own descendants.")})

    def save_model(self, request: HttpRequest, obj: Place, form: Any, change: bool) -> None:
        if not change:
            values = {field: getattr(obj, field) for field in PLACE_EDITABLE_FIELDS}
            self.use_service(obj, place_create(code=obj.code, kind=obj.kind, parent=obj.parent, actor=request.user,
                                               **values))
            return
        current = Place.objects.get(pk=obj.pk)
        changes = {field: getattr(obj, field) for field in PLACE_EDITABLE_FIELDS if field in form.changed_data}
        if changes:
            current = place_update(place=current, actor=request.user, **changes)
        if "parent" in form.changed_data and obj.parent is not None:
            current = place_move(place=current, new_parent=obj.parent, actor=request.user)
        self.use_service(obj, current)


# --- people ---------------------------------------------------------------------------------

class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ("name", "id_number", "phone", "registered_place")


@admin.register(Person)
class PersonAdmin(ScopedHistoryAdmin):
    """ID number and phone in full only for users who may "person.view_personal_data" of that person."""

    form = PersonAdminForm
    list_display = ("name", "shown_id_number", "shown_phone", "gender")
    search_fields = ("name", "name_pinyin")
    autocomplete_fields = ("registered_place",)

    def check_scope(self, request: HttpRequest, data: dict, *, change: bool, instance: Any) -> None:
        """A scoped user registers people at a place of their own scope, so they stay visible to them."""
        place = data.get("registered_place")
        if place is None and scope_paths(request.user, "person.add") is not None and not change:
            raise ValidationError({"registered_place": gettext("Choose where this person is registered.")})
        if place is not None and not can(request.user, "person.add", place):
            raise ValidationError({"registered_place": gettext("This is outside the area where you may do this.")})

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        in_full = visible_to(request.user, "person.view_personal_data", Person.objects.filter(pk=OuterRef("pk")))
        return super().get_queryset(request).annotate(personal_ok=Exists(in_full))

    def get_search_results(self, request: HttpRequest, queryset: models.QuerySet, search_term: str) -> Any:
        results, distinct = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if len(term) >= 4 and term.upper().rstrip("X").isdigit():
            # Matching on ID number or phone only among people whose data the user may see in full,
            # so the search cannot be used to confirm a masked number.
            by_number = Q(id_number__startswith=term.upper()) | Q(phone__startswith=term)
            results = results | queryset.filter(by_number, personal_ok=True)
        return results, distinct

    def _shown(self, obj: Person, field: str) -> str:
        value = getattr(obj, field) or ""
        return shown(field, value, in_full=getattr(obj, "personal_ok", False))

    @admin.display(description=_("resident ID number"))
    def shown_id_number(self, obj: Person) -> str:
        return self._shown(obj, "id_number")

    @admin.display(description=_("phone"))
    def shown_phone(self, obj: Person) -> str:
        return self._shown(obj, "phone")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["name", "id_number", "phone", "registered_place"]
        if getattr(obj, "personal_ok", False):
            return ["name", "name_pinyin", "id_number", "phone", "gender", "birth_date", "registered_place"]
        return ["name", "name_pinyin", "shown_id_number", "shown_phone", "gender", "registered_place"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        readonly = ["name_pinyin", "gender", "birth_date", "id_number", "registered_place"]  # derived or fixed
        if not getattr(obj, "personal_ok", False):
            readonly += ["shown_id_number", "shown_phone"]
        return readonly

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        if not change:
            self.use_service(obj, person_create(name=obj.name, id_number=obj.id_number, phone=obj.phone,
                                                registered_place=obj.registered_place, actor=request.user))
            return
        phone = obj.phone if "phone" in form.changed_data else None
        self.use_service(obj, person_update(person=Person.objects.get(pk=obj.pk), name=obj.name, phone=phone,
                                            actor=request.user))


class HouseholdMemberFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        heads = [
            form for form in self.forms
            if form.cleaned_data.get("relation") == Relation.HEAD and not form.cleaned_data.get("DELETE")
        ]
        allowed = 0 if self.instance._state.adding else 1  # on add, the service records the head itself
        if len(heads) > allowed:
            raise ValidationError(gettext("A household has exactly one head."))


class HouseholdMemberInline(ScopedInline, admin.TabularInline):
    model = HouseholdMember
    formset = HouseholdMemberFormSet
    fields = ("person", "relation")
    autocomplete_fields = ("person",)


@admin.register(Household)
class HouseholdAdmin(ScopedHistoryAdmin):
    list_display = ("__str__", "flat_code", "head", "registered_on")
    list_select_related = ("flat", "head")
    search_fields = ("flat__name", "flat__code", "head__name")
    autocomplete_fields = ("flat", "head")
    fields = ("flat", "head", "registered_on")
    inlines = (HouseholdMemberInline,)

    @admin.display(description=_("code"), ordering="flat__code")
    def flat_code(self, obj: Household) -> str:
        return obj.flat.code

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return super().get_readonly_fields(request, obj) + (["flat", "head"] if obj else [])  # set by household_create

    def save_model(self, request: HttpRequest, obj: Household, form: Any, change: bool) -> None:
        if not change:
            self.use_service(obj, household_create(flat=obj.flat, head=obj.head, registered_on=obj.registered_on,
                                                   actor=request.user))
            return
        self.use_service(obj, household_update(household=obj, registered_on=obj.registered_on, actor=request.user))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        household = form.instance
        for member in formset.save(commit=False):
            if not change and member.person_id == household.head_id:
                continue  # the head is already a member: household_create added them
            household_member_save(member=member, actor=request.user)
        for member in formset.deleted_objects:
            household_member_remove(member=member, actor=request.user)


@admin.register(Ownership)
class OwnershipAdmin(ScopedHistoryAdmin):
    list_display = ("flat", "holder", "exclusive_area_m2", "acquired_on", "ended_on")
    list_select_related = ("flat", "person", "organisation")
    search_fields = ("flat__name", "flat__code", "person__name", "organisation__name")
    autocomplete_fields = ("flat", "person", "organisation")
    fields = ("flat", "person", "organisation", "exclusive_area_m2", "acquired_on", "ended_on")

    @admin.display(description=_("owner"))
    def holder(self, obj: Ownership) -> str:
        return str(obj.person or obj.organisation)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["flat", "person", "organisation", "exclusive_area_m2", "acquired_on"] if obj else []
        return super().get_readonly_fields(request, obj) + fixed

    def check_scope(self, request: HttpRequest, data: dict, *, change: bool, instance: Any) -> None:
        super().check_scope(request, data, change=change, instance=instance)
        flat, area = data.get("flat"), data.get("exclusive_area_m2")
        if not change and flat is not None and area is not None:
            # ownership_create's rule, asked before saving so the form can say it
            other = Ownership.objects.filter(flat=flat, ended_on__isnull=True).values_list(
                "exclusive_area_m2", flat=True).first()
            if other is not None and other != area:
                raise ValidationError({"exclusive_area_m2": gettext(
                    "Co-owners of one flat share its registered area (%(area)s m²).") % {"area": other}})

    def save_model(self, request: HttpRequest, obj: Ownership, form: Any, change: bool) -> None:
        if not change:
            created = ownership_create(
                flat=obj.flat, exclusive_area_m2=obj.exclusive_area_m2, person=obj.person,
                organisation=obj.organisation, acquired_on=obj.acquired_on, actor=request.user,
            )
            if obj.ended_on:
                created = ownership_end(ownership=created, ended_on=obj.ended_on, actor=request.user)
            self.use_service(obj, created)
        elif "ended_on" in form.changed_data:
            self.use_service(obj, ownership_end(ownership=Ownership.objects.get(pk=obj.pk), ended_on=obj.ended_on,
                                                actor=request.user))


# --- organisations ----------------------------------------------------------------------------

class OrganisationMembershipInline(ScopedInline, admin.TabularInline):
    model = OrganisationMembership
    fields = ("person", "position", "term_from", "term_to")
    autocomplete_fields = ("person",)


def save_membership(membership: OrganisationMembership, *, actor: User) -> OrganisationMembership:
    """New members and edits of existing ones, through the services."""
    if membership.pk is None:
        return organisation_member_add(
            organisation=membership.organisation, person=membership.person, position=membership.position,
            term_from=membership.term_from, term_to=membership.term_to, actor=actor,
        )
    return organisation_member_update(
        membership=membership, position=membership.position, term_from=membership.term_from,
        term_to=membership.term_to, actor=actor,
    )


def save_memberships(formset: Any, organisation: Organisation, *, actor: User) -> None:
    for membership in formset.save(commit=False):
        membership.organisation = organisation
        save_membership(membership, actor=actor)
    for membership in formset.deleted_objects:
        organisation_member_remove(membership=membership, actor=actor)


@admin.register(Organisation)
class OrganisationAdmin(ScopedHistoryAdmin):
    list_display = ("name", "kind", "place")
    list_filter = ("kind",)
    list_select_related = ("place",)
    search_fields = ("name", "credit_code")
    autocomplete_fields = ("place", "parent")
    fields = ("name", "kind", "place", "parent", "credit_code", "phone", "established_on", "dissolved_on")
    inlines = (OrganisationMembershipInline,)

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        if change:
            self.use_service(obj, organisation_update(
                organisation=obj, actor=request.user,
                **{field: getattr(obj, field) for field in ORGANISATION_EDITABLE_FIELDS}))
            return
        created = organisation_create(
            name=obj.name, kind=obj.kind, place=obj.place, parent=obj.parent, credit_code=obj.credit_code,
            phone=obj.phone, established_on=obj.established_on, actor=request.user,
        )
        if obj.dissolved_on:
            created = organisation_update(organisation=created, dissolved_on=obj.dissolved_on, actor=request.user)
        self.use_service(obj, created)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        save_memberships(formset, form.instance, actor=request.user)


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(ScopedHistoryAdmin):
    list_display = ("person", "organisation", "position", "term_from", "term_to")
    list_select_related = ("person", "organisation")
    search_fields = ("person__name", "organisation__name", "position")
    autocomplete_fields = ("organisation", "person")
    fields = ("organisation", "person", "position", "term_from", "term_to")

    def save_model(self, request: HttpRequest, obj: OrganisationMembership, form: Any, change: bool) -> None:
        self.use_service(obj, save_membership(obj, actor=request.user))


# --- accounts and settings ------------------------------------------------------------------------

@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedHistoryAdmin):
    list_display = ("user", "role", "scope", "valid_from", "valid_to")
    list_filter = ("role",)
    list_select_related = ("user", "scope")
    search_fields = ("user__username", "user__display_name", "scope__name", "scope__code")
    autocomplete_fields = ("user", "scope")
    fields = ("user", "role", "scope", "valid_from", "valid_to")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["user", "role", "scope"] if obj else []  # a different role is a new grant
        return super().get_readonly_fields(request, obj) + fixed

    def check_scope(self, request: HttpRequest, data: dict, *, change: bool, instance: Any) -> None:
        super().check_scope(request, data, change=change, instance=instance)
        role, scope = data.get("role"), data.get("scope")
        if role and scope and not may_grant(request.user, role, scope):  # asked early so the form can say it
            raise ValidationError({"role": gettext("You may not grant a role that reaches beyond your own.")})

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool) -> None:
        if change:
            self.use_service(obj, role_assignment_update(
                assignment=obj, valid_from=obj.valid_from, valid_to=obj.valid_to, actor=request.user))
            return
        self.use_service(obj, role_assign(
            user=obj.user, role=obj.role, scope=obj.scope, valid_from=obj.valid_from, valid_to=obj.valid_to,
            actor=request.user,
        ))


@admin.register(User)
class UserAdmin(ScopedFieldsMixin, DjangoUserAdmin):
    """Users have no place of their own: they are reached through the places of their roles."""

    show_full_result_count = False
    list_display = ("username", "display_name", "is_staff", "is_active")
    search_fields = ("username", "display_name", "first_name", "last_name")
    autocomplete_fields = ("person", "organisation")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email", "person", "organisation")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        if not getattr(request.user, "is_active", False):
            return User.objects.none()
        return visible_to(request.user, "user.view", super().get_queryset(request))

    def may(self, request: HttpRequest, verb: str, obj: User | None = None) -> bool:
        user = request.user
        if not (can(user, "admin.access") and can(user, f"user.{verb}")):
            return False
        return can(user, f"user.{verb}", obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may(request, "view") or self.may(request, "change")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "view", obj) or self.may(request, "change", obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.may(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "delete", obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = ("last_login", "date_joined")
        return readonly if request.user.is_superuser else (*readonly, "is_superuser")

    def get_search_results(self, request: HttpRequest, queryset: models.QuerySet, search_term: str) -> Any:
        if getattr(request.resolver_match, "url_name", "") == "autocomplete":
            queryset = visible_to(request.user, "user.view", queryset)
        return super().get_search_results(request, queryset, search_term)


@admin.register(Setting)
class SettingAdmin(ScopedAdmin):
    list_display = ("key", "value", "updated_at")
    search_fields = ("key",)
    fields = ("key", "value")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return super().get_readonly_fields(request, obj) + (["key"] if obj else [])

    def save_model(self, request: HttpRequest, obj: Setting, form: Any, change: bool) -> None:
        self.use_service(obj, setting_set(key=obj.key, value=obj.value, actor=request.user))
