"""Forms of the attendance pages: a walk-in found by ID number or mobile number; the figures' filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place
from commonground.core.models.places import within_q
from commonground.core.permissions import scope_paths


class WalkInForm(forms.Form):
    who = forms.CharField(label=_("ID number or mobile number of the walk-in"), max_length=20,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))

    def lookup(self) -> Q:
        value = self.cleaned_data["who"].strip().upper()
        return Q(id_number=value) | Q(phone=value)


class FiguresForm(forms.Form):
    start = forms.DateField(label=_("From (date)"), required=False,
                            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(label=_("To (date)"), required=False,
                          widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    place = forms.ModelChoiceField(label=_("Street, community or business community"), required=False,
                                   queryset=Place.objects.none(), empty_label=_("All of my area"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        paths = scope_paths(user, "participation.view")
        places = Place.objects.filter(kind__in=["street", "community", "business_community"]).order_by("path")
        if paths is not None:
            places = places.filter(within_q("path", paths))
        self.fields["place"].queryset = places

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period starts after it ends."))
        return data
