"""The upload form: which roster, which file (type and size checked before reading)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .readers import EXTENSIONS
from .specs import ROSTERS


class RosterUploadForm(forms.Form):
    roster = forms.ChoiceField(label=gettext_lazy("Roster"), choices=[(name, spec.title) for name, spec in ROSTERS.items()])
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}))
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file, write nothing"), required=False)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."), code="file_type")
        if upload.size > settings.CG_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.CG_MAX_UPLOAD_BYTES)},
                code="file_size",
            )
        return upload
