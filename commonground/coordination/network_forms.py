"""Forms of the offices and network pages: they hold fields only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place, PlaceKind

from .models import OfficePosition


class StaffAppointForm(forms.Form):
    position = forms.ChoiceField(label=_("Position in the office"), choices=OfficePosition.choices)
    name = forms.CharField(label=_("Name of the person appointed"), max_length=100)
    phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    term_from = forms.DateField(label=_("Serving from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))


class StaffEndForm(forms.Form):
    term_to = forms.DateField(label=_("Term ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class BranchBuildingsForm(forms.Form):
    buildings = forms.ModelMultipleChoiceField(label=_("Buildings the branch covers"), queryset=Place.objects.none(),
                                               required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, estate: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buildings"].queryset = Place.objects.filter(parent=estate, kind=PlaceKind.BUILDING).order_by(
            "code", "pk")
