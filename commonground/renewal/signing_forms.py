"""The forms of the signing and flat-choice pages; the services decide, the forms only read the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Household, OptionKind


class RenewalForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DrawForm(RenewalForm):
    option = forms.ChoiceField(label=_("Option"), choices=OptionKind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, options: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if options is not None:
            self.fields["option"].choices = [(v, label) for v, label in OptionKind.choices if v in options]


class SignForm(RenewalForm):
    person = forms.TypedChoiceField(label=_("Owner signing"), coerce=int)
    witness = forms.CharField(label=_("Witness"), max_length=100, required=False)

    def __init__(self, *args, agreement: Agreement | None = None, household: Household | None = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if household is not None:
            signed = set(agreement.signatures.values_list("person_id", flat=True)) if agreement else set()
            self.fields["person"].choices = [(p.pk, p.name) for p in household.owners.order_by("pk")
                                             if p.pk not in signed]


class ScanForm(RenewalForm):
    scan = forms.FileField(label=_("Scan of the signed agreement (image or PDF)"),
                           widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}))


class CancelForm(RenewalForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)


class ChooseForm(RenewalForm):
    household = forms.IntegerField(widget=forms.HiddenInput)
    # the service tells a flat taken meanwhile apart (not the form's "not one of the choices")
    flat = forms.IntegerField(label=_("New flat"), widget=forms.Select)

    def __init__(self, *args, flats=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["flat"].widget.choices = [(f.pk, f"{f.building} {f.number} · {f.area_m2} m²"
                                              + (f" · {f.orientation}" if f.orientation else "")) for f in flats]


class SkipForm(RenewalForm):
    household = forms.IntegerField(widget=forms.HiddenInput)


class FlatsImportForm(RenewalForm):
    file = forms.FileField(label=_("Inventory (CSV or XLSX: building, floor, number, area_m2, orientation)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
