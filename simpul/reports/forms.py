from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class SubmitForm(forms.Form):
    # Made when the page is shown: a double tap on "Submit" stores the report once.
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)


class CorrectionForm(SubmitForm):
    reason = forms.CharField(label=_("Why is the report corrected?"), max_length=255,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: a weighing was typed wrong, a child was registered late."))
