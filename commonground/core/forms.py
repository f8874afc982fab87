"""Form helpers every app's pages share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class PeopleForm(forms.Form):
    """A form of the people pages: labels without the colon Django adds (Chinese labels take none)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PersonForm(PeopleForm):
    """A person as staff register them; ID number and phone are checked by the service (core.validators)."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18, required=False,
                                help_text=_("18 characters; gender and birth date are read from it."))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            help_text=_("A mobile number, or a landline with area code (0571-87654321)."))
    registered_place = forms.ChoiceField(label=_("Registered at"),
                                         help_text=_("The community, estate or building this person belongs to."))

    def __init__(self, *args: Any, places: list[Any] | None = None, personal: bool = True,
                 creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["registered_place"].choices = [(place.code, place.name) for place in places or []]
        else:
            del self.fields["registered_place"]
        if not personal:  # who may not see the numbers may not change them either
            del self.fields["id_number"], self.fields["phone"]
        for name in ("id_number", "phone"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        if "phone" in self.fields:
            self.fields["phone"].widget.input_type = "tel"


class HouseholdForm(PeopleForm):
    """A new household: the flat (as the search box reads it, or its code) and its head, by ID number."""

    flat = forms.CharField(label=_("Flat"), max_length=100,
                           help_text=_("Building and room, such as 3幢1单元101, with the estate's name in front when several "
                                       "estates have one; or the flat's code."))
    head = forms.CharField(label=_("Head of household (ID number)"), max_length=18,
                           help_text=_("Register the head as a person first if they are not on record."))
    registered_on = forms.DateField(label=_("Registered on"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))


class HouseholdDateForm(PeopleForm):
    registered_on = forms.DateField(label=_("Registered on"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))


class MemberAddForm(PeopleForm):
    """Someone on record joins a household: found by ID number, with their relation to the head."""

    person = forms.CharField(label=_("ID number"), max_length=18)
    relation = forms.ChoiceField(label=_("Relation"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Relation

        super().__init__(*args, **kwargs)
        self.fields["relation"].choices = [(value, label) for value, label in Relation.choices if value != "head"]
