"""Forms of the signals pages: a sensor, a source, a file of readings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Place, PlaceKind
from commonground.core.models.places import within_q
from commonground.core.permissions import scope_paths

from .models import BadRows, SignalKind, SignalSource

SENSOR_PLACE_KINDS = (PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.ESTATE, PlaceKind.BUSINESS_COMMUNITY,
                      PlaceKind.OFFICE_BUILDING)


def places_for(user: Any, action: str = "sensor.manage") -> Any:
    places = Place.objects.filter(kind__in=SENSOR_PLACE_KINDS).order_by("path")
    paths = scope_paths(user, action)
    return places if paths is None else places.filter(within_q("path", paths or ["-"]))


class SensorForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Signal source of the sensor"), queryset=SignalSource.objects.none())
    code = forms.CharField(label=_("Sensor code, as the source sends it"), max_length=64)
    name = forms.CharField(label=_("Sensor name"), max_length=100)
    place = forms.ModelChoiceField(label=_("Where the sensor stands"), queryset=Place.objects.none())
    capacity = forms.IntegerField(label=_("Capacity (people an hour)"), required=False, min_value=1,
                                  max_value=10_000_000)
    latitude = forms.DecimalField(label=_("Latitude of the sensor"), required=False, max_digits=9, decimal_places=6,
                                  min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=_("Longitude of the sensor"), required=False, max_digits=9,
                                   decimal_places=6, min_value=-180, max_value=180)
    is_active = forms.BooleanField(label=_("The sensor is in service"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_for(user)
        if editing:
            del self.fields["source"], self.fields["code"]
        else:
            self.fields["source"].queryset = SignalSource.objects.filter(is_active=True).order_by("name")
            del self.fields["is_active"]


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name of the signal source"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind of signal it sends"), choices=SignalKind.choices)
    bad_rows = forms.ChoiceField(label=_("When a batch has bad rows"), choices=BadRows.choices,
                                 initial=BadRows.SKIP)


class ImportForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Signal source of the readings"), queryset=SignalSource.objects.none())
    file = forms.FileField(label=_("File of readings (CSV or XLSX: sensor, at, value)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = SignalSource.objects.filter(is_active=True).order_by("name")
