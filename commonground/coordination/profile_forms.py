"""Forms of the estate profile: a property service contract, an owners' committee's filing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.models import Organisation, OrganisationKind, Place

from .models import ServiceLevel


class ProfileForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


class ContractForm(ProfileForm):
    company = forms.ModelChoiceField(label=_("Property company of the contract"), queryset=Organisation.objects.none())
    starts_on = forms.DateField(label=_("Contract starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Contract ends on"), widget=DateInput)
    fee_per_m2 = forms.DecimalField(label=_("Property fee (yuan per m² per month)"), max_digits=14, decimal_places=2)
    service_level = forms.ChoiceField(label=_("Service standard level"), choices=ServiceLevel.choices)
    note = forms.CharField(label=_("Contract note"), max_length=200, required=False)

    def __init__(self, *args: Any, estate: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the companies themselves (at the district) and their project departments at this estate
        self.fields["company"].queryset = Organisation.objects.filter(kind=OrganisationKind.PROPERTY_COMPANY).filter(
            parent__isnull=True).order_by("name")


class FilingForm(ProfileForm):
    term_from = forms.DateField(label=_("Committee term from"), widget=DateInput)
    term_to = forms.DateField(label=_("Committee term to"), widget=DateInput)
    filed_on = forms.DateField(label=_("Filed with the street office on"), widget=DateInput)
    members = forms.IntegerField(label=_("Number of committee members"), min_value=1, max_value=99)
