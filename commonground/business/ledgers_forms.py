"""Forms of the ledger pages (labels without Django's colon; the services check the rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import PeopleForm

from .models import EnterpriseStatus, EnterpriseTier
from .services.ledgers import grading_indicators

DATE = forms.DateInput(attrs={"type": "date"})


class EnterpriseForm(PeopleForm):
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=18,
                                  help_text=_("18 characters, as on the business licence."))
    name = forms.CharField(label=_("enterprise name"), max_length=200)
    industry_code = forms.CharField(label=_("industry (GB/T 4754 code)"), max_length=5, required=False)
    registered_capital = forms.DecimalField(label=_("registered capital (yuan)"), max_digits=16, decimal_places=2,
                                            min_value=Decimal(0), required=False)
    registered_on = forms.DateField(label=_("registration date"), widget=DATE)
    registered_address = forms.CharField(label=_("registered address"), max_length=255, required=False)
    building = forms.ModelChoiceField(label=_("premises (building)"), queryset=None, required=False,
                                      to_field_name="code")
    registered_building = forms.ModelChoiceField(label=_("registered at (building)"), queryset=None,
                                                 required=False, to_field_name="code")
    floor = forms.CharField(label=_("floor"), max_length=10, required=False)
    room = forms.CharField(label=_("room"), max_length=20, required=False)
    headcount = forms.IntegerField(label=_("headcount"), min_value=0, max_value=10_000_000, required=False)
    status = forms.ChoiceField(label=_("enterprise status"), choices=EnterpriseStatus.choices,
                               initial=EnterpriseStatus.ACTIVE)
    tier = forms.ChoiceField(label=_("service tier"), choices=EnterpriseTier.choices,
                             initial=EnterpriseTier.ORDINARY)
    moved_in_on = forms.DateField(label=_("moved in on"), widget=DATE, required=False)
    moved_out_on = forms.DateField(label=_("moved out on"), widget=DATE, required=False)

    def __init__(self, *args: Any, buildings: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in ("building", "registered_building"):
            self.fields[key].queryset = buildings
        if editing:
            self.fields["credit_code"].disabled = True

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("credit_code", None)
        data["registered_capital"] = data.get("registered_capital") or Decimal(0)
        data["headcount"] = data.get("headcount") or 0
        for key in ("industry_code", "registered_address", "floor", "room"):
            data[key] = (data.get(key) or "").strip()
        return data


class ContactForm(PeopleForm):
    name = forms.CharField(label=_("contact name"), max_length=100)
    phone = forms.CharField(label=_("contact phone"), max_length=20, required=False)
    title = forms.CharField(label=_("position in the firm"), max_length=50, required=False)
    is_primary = forms.BooleanField(label=_("main contact"), required=False)


class TaxForm(PeopleForm):
    year = forms.IntegerField(label=_("tax year"), min_value=1990, max_value=2100)
    month = forms.IntegerField(label=_("tax month"), min_value=0, max_value=12,
                               help_text=_("0 for the whole year."))
    amount = forms.DecimalField(label=_("tax paid (yuan)"), max_digits=14, decimal_places=2, min_value=Decimal(0))


class BuildingLedgerForm(PeopleForm):
    """The building's vacant area and one field per grading indicator (0 … its max)."""

    vacant_area_m2 = forms.DecimalField(label=_("vacant area (m²)"), max_digits=12, decimal_places=2,
                                        min_value=Decimal(0))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = grading_indicators()
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.code}"] = forms.DecimalField(
                label=f"{indicator.code} {indicator.label}", required=False, min_value=Decimal(0),
                max_value=Decimal(indicator.max), decimal_places=2,
                help_text=_("0 to %(max)d; weight %(weight)d") % {"max": indicator.max, "weight": indicator.weight})

    def by_dimension(self) -> list[tuple[str, list[Any]]]:
        from .rules import GRADE_DIMENSIONS

        groups: dict[str, list[Any]] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.dimension, []).append(self[f"indicator_{indicator.code}"])
        return [(GRADE_DIMENSIONS.get(dimension, dimension), fields) for dimension, fields in groups.items()]

    def values(self) -> tuple[Decimal, dict[str, Decimal]]:
        return self.cleaned_data["vacant_area_m2"], {
            indicator.code: self.cleaned_data[f"indicator_{indicator.code}"] for indicator in self.indicators
            if self.cleaned_data.get(f"indicator_{indicator.code}") is not None}


class LedgerImportForm(PeopleForm):
    file = forms.FileField(label=_("ledger file (CSV or XLSX)"))
