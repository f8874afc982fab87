"""The upload form: which roster, which file (type and size checked before reading)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from ..uploads import max_upload_bytes
from .readers import EXTENSIONS, check_roster_file
from .specs import ROSTERS


class RosterUploadForm(forms.Form):
    roster = forms.ChoiceField(label=gettext_lazy("Roster"), choices=[(name, spec.title) for name, spec in ROSTERS.items()],
                               help_text=gettext_lazy("What the file lists. The columns each roster takes are below."))
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"),
                           widget=forms.FileInput(attrs={"accept": ",".join(EXTENSIONS)}))
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file, write nothing"), required=False,
                                 help_text=gettext_lazy(
                                     "A trial run: every row is checked and every problem listed, and nothing is "
                                     "written. When the check passes, upload the file again without this box."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext_lazy(
            "A CSV or Excel file of up to %(limit)s; its first row holds the column headers, in Chinese or English."
        ) % {"limit": filesizeformat(max_upload_bytes())}

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        try:
            check_roster_file(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["file"]) from None
        return upload
