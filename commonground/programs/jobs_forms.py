"""The job pages' forms: a posting, an interest, the fair a posting is in, a fair's file to import. The services
check everything; the forms only read the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PostingAudience


class JobsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def pay_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0, required=False,
                              widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "100"}))


class PostingForm(JobsForm):
    """A posting: where it is posted (when new), the employer, the job, the pay, whom it is for, the closing day."""

    place = forms.ChoiceField(label=_("Posted at"))
    employer_name = forms.CharField(label=_("Employer's name"), max_length=200)
    employer_credit_code = forms.CharField(label=_("Employer's unified social credit code"), max_length=18,
                                           required=False, help_text=_("18 characters; optional."))
    title = forms.CharField(label=_("Job title"), max_length=200)
    positions = forms.IntegerField(label=_("Positions offered"), min_value=1, max_value=100_000,
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    pay_min = pay_field(_("Lowest monthly pay (yuan)"))
    pay_max = pay_field(_("Highest monthly pay (yuan)"))
    requirements = forms.CharField(label=_("Job requirements"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    work_location = forms.CharField(label=_("Place of work"), max_length=200, required=False)
    audience = forms.ChoiceField(label=_("Posting open to"), choices=PostingAudience.choices)
    closes_on = forms.DateField(label=_("Applications close on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    fair = forms.ChoiceField(label=_("Job fair"), required=False)

    def __init__(self, *args: Any, places: Any = None, fairs: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if places is None:
            del self.fields["place"]
            del self.fields["fair"]
        else:
            self.fields["place"].choices = [(str(place.pk), place.name) for place in places]
            self.fields["fair"].choices = [("", _("Not in a job fair")),
                                           *[(str(fair.pk), fair.title) for fair in fairs]]


class InterestForm(JobsForm):
    note = forms.CharField(label=_("A word to the employer (optional)"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    phone_consent = forms.BooleanField(label=_("The employer may call me on my phone"), required=False)


class FairChoiceForm(JobsForm):
    fair = forms.ChoiceField(label=_("Job fair"), required=False)

    def __init__(self, *args: Any, fairs: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fair"].choices = [("", _("Not in a job fair")), *[(str(f.pk), f.title) for f in fairs]]


class PostingImportForm(JobsForm):
    file = forms.FileField(label=_("Postings file (.xlsx or .csv)"))
    publish = forms.BooleanField(label=_("Publish the postings at once"), required=False, initial=True)
