"""The fund pages' forms: a project with its budget lines (a formset), a review, a payment, a photo, the residents'
acceptance. The services check everything; the forms only read the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AcceptanceResult, PhotoKind, ReviewDecision


class FundForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def money_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0,
                              widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}), **kwargs)


class NewFundForm(FundForm):
    """A fund the fund office opens: where it is held, its name, year, total and application period."""

    place = forms.ChoiceField(label=_("Held by"))
    name = forms.CharField(label=_("Fund name"), max_length=200)
    year = forms.IntegerField(label=_("Fund year"), min_value=2000, max_value=2100)
    total = money_field(_("Fund total (yuan)"))
    opens_on = forms.DateField(label=_("Applications open on"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Applications close on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, places: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(str(place.pk), place.name) for place in places]


class FundProjectForm(FundForm):
    """A project: its estate (when new), title, description and the supporting decision."""

    estate = forms.ChoiceField(label=_("Estate applying"))
    title = forms.CharField(label=_("Project title"), max_length=200)
    description = forms.CharField(label=_("What the project does"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    resolution = forms.ChoiceField(label=_("Supporting meeting resolution"), required=False)
    vote = forms.ChoiceField(label=_("Supporting owners' vote"), required=False,
                             help_text=_("Name a resolution or a passed owners' vote (at least one before submitting)."))

    def __init__(self, *args: Any, estates: list[tuple[int, str]] | None, resolutions: list[tuple[int, str]],
                 votes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if estates is None:
            del self.fields["estate"]
        else:
            self.fields["estate"].choices = estates
        self.fields["resolution"].choices = [("", "—"), *resolutions]
        self.fields["vote"].choices = [("", "—"), *votes]


class BudgetLineForm(FundForm):
    item = forms.CharField(label=_("Budget item"), max_length=200)
    quantity = forms.DecimalField(label=_("Quantity bought"), max_digits=10, decimal_places=2, min_value=0,
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    unit = forms.CharField(label=_("Unit of measure"), max_length=20)
    unit_price = money_field(_("Unit price (yuan)"))


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, max_num=50, validate_max=True)


class ReviewForm(FundForm):
    decision = forms.ChoiceField(label=_("Review decision"), choices=ReviewDecision.choices,
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Review comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    amount = money_field(_("Amount approved (yuan)"), required=False,
                         help_text=_("The fund office only: leave empty to approve the amount requested."))


class DisbursementForm(FundForm):
    amount = money_field(_("Amount paid (yuan)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    receipt = forms.FileField(label=_("Receipt (photo or PDF)"))
    note = forms.CharField(label=_("Payment note"), max_length=200, required=False)


class PhotoForm(FundForm):
    kind = forms.ChoiceField(label=_("Photo taken"), choices=PhotoKind.choices)
    image = forms.FileField(label=_("Photo file"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("Photo caption"), max_length=200, required=False)


class AcceptanceForm(FundForm):
    result = forms.ChoiceField(label=_("Acceptance result"), choices=AcceptanceResult.choices,
                               widget=forms.RadioSelect)
    accepted_on = forms.DateField(label=_("Residents' acceptance on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Acceptance note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
