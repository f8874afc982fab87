"""Forms of the new employment groups' pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmploymentGroup

PLATFORM_SUGGESTIONS = ("顺丰", "中通", "圆通", "申通", "韵达", "京东物流", "美团", "饿了么", "滴滴", "高德打车")


class DeclarationForm(forms.Form):
    group = forms.ChoiceField(label=_("I work as"), choices=EmploymentGroup.choices, widget=forms.RadioSelect)
    platform = forms.CharField(label=_("Platform or company"), max_length=100,
                               widget=forms.TextInput(attrs={"list": "platforms", "autocomplete": "off"}))
    place = forms.TypedChoiceField(label=_("Where you live or are attached"), coerce=int)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(p.pk, p.name) for p in places]


class ZoneForm(forms.Form):
    name = forms.CharField(label=_("Zone name"), max_length=100)
    purpose = forms.CharField(label=_("What the zone is for"), max_length=200, required=False)
    area_m2 = forms.DecimalField(label=_("Zone area (m²)"), max_digits=10, decimal_places=2, required=False)


class CouncilItemForm(forms.Form):
    description = forms.CharField(label=_("The matter to bring to the council"), widget=forms.Textarea(attrs={
        "rows": 4, "placeholder": _("For example: not enough e-bike chargers in the basement at night")}))


class DeskDeclarationForm(forms.Form):
    """Staff at the desk record a resident's declaration, found by their ID number."""

    id_number = forms.CharField(label=_("The resident's ID number"), max_length=18)
    group = forms.ChoiceField(label=_("Works as"), choices=EmploymentGroup.choices)
    platform = forms.CharField(label=_("Platform or company"), max_length=100,
                               widget=forms.TextInput(attrs={"list": "platforms", "autocomplete": "off"}))
