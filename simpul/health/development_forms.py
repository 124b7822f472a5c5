"""The development checklist form: one yes/no question per item of the child's age band."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.health.development import Band
from simpul.health.development_services import DevelopmentCheckInput

YES, NO = "yes", "no"


class DevelopmentCheckForm(forms.Form):
    # Chosen before the questions are shown (``?on=`` on the page), since the date decides the band.
    checked_on = forms.DateField(label=_("Date of the check"), widget=forms.HiddenInput)
    band = forms.CharField(required=False, widget=forms.HiddenInput)
    # Made when the form is shown: a double tap on "Save" stores the check once.
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, band: Band | None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_uuid", uuid.uuid4())
        kwargs["initial"]["band"] = band.code if band else ""
        super().__init__(*args, **kwargs)
        self.band_obj = band
        for item in band.items if band else ():
            self.fields[item.code] = forms.ChoiceField(
                label=item.label, choices=[(YES, _("Yes")), (NO, _("Not yet"))], widget=forms.RadioSelect,
                error_messages={"required": _("Answer yes or no.")})

    @property
    def item_fields(self):
        return [self[item.code] for item in self.band_obj.items] if self.band_obj else []

    def to_input(self) -> DevelopmentCheckInput:
        d = self.cleaned_data
        answers = {item.code: d[item.code] == YES for item in self.band_obj.items} if self.band_obj else {}
        return DevelopmentCheckInput(checked_on=d["checked_on"], answers=answers, band=d.get("band") or "",
                                     client_uuid=d.get("client_uuid"))
