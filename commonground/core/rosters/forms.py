"""The upload form: which roster, which file (type and size checked before reading)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from .readers import EXTENSIONS, check_roster_file
from .specs import ROSTERS


class RosterUploadForm(forms.Form):
    roster = forms.ChoiceField(label=gettext_lazy("Roster"), choices=[(name, spec.title) for name, spec in ROSTERS.items()])
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}))
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file, write nothing"), required=False)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        try:
            check_roster_file(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["file"]) from None
        return upload
