from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.activities.models import Kind
from simpul.activities.photos import PhotoInput
from simpul.activities.services import TagInput
from simpul.core.choices import SpmField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from one file input; the phone offers its camera or gallery for ``image/*``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultiplePhotoField, self).clean(item, initial) for item in items]


def photo_inputs(files) -> list[PhotoInput]:
    return [PhotoInput(name=(f.name or "foto")[:160], content=f.read()) for f in files or []]


class TagFields(forms.Form):
    people = forms.TypedMultipleChoiceField(
        label=_("Children visible in the photos"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A child's photo is shared only with a publication (publikasi) consent from a parent or guardian."
        ),
    )
    untagged_children = forms.BooleanField(
        label=_("Another child is visible who is not in the list"), required=False
    )
    share_requested = forms.BooleanField(label=_("May be shared (gallery and share card)"), required=False)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for child in children:
            mark = _("publication consent") if child.consented else _("no publication consent")
            choices.append((child.pk, f"{child.full_name} ({child.birth_date.year}) — {mark}"))
        self.fields["people"].choices = choices

    def tags(self) -> TagInput:
        data = self.cleaned_data
        return TagInput(
            person_ids=list(data.get("people") or []),
            untagged_children=data["untagged_children"],
            share_requested=data["share_requested"],
        )


class ActivityForm(TagFields):
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=Kind.choices, widget=forms.RadioSelect)
    fields = forms.MultipleChoiceField(
        label=_("Fields served"), choices=SpmField.choices, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("What was done"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public share card: no names, no NIK."),
    )
    served_children = forms.IntegerField(label=_("Children served (under 18)"), min_value=0, initial=0)
    served_adults = forms.IntegerField(label=_("Adults served (18-59)"), min_value=0, initial=0)
    served_elderly = forms.IntegerField(label=_("Elderly served (60+)"), min_value=0, initial=0)
    served_disability = forms.IntegerField(label=_("Of them with a disability"), min_value=0, initial=0)
    service_day = forms.TypedChoiceField(
        label=_("Posyandu day"), required=False, coerce=int, empty_value=None
    )
    programme_activity = forms.TypedChoiceField(
        label=_("Programme activity"), required=False, coerce=int, empty_value=None
    )
    photos = MultiplePhotoField(label=_("Photos"), required=False)

    field_order = [
        "client_uuid",
        "held_on",
        "kind",
        "fields",
        "summary",
        "served_children",
        "served_adults",
        "served_elderly",
        "served_disability",
        "service_day",
        "programme_activity",
        "photos",
        "people",
        "untagged_children",
        "share_requested",
    ]

    def __init__(self, *args, days=(), programme_activities=(), **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["service_day"].choices = [("", "—"), *[(d.pk, d.held_on.isoformat()) for d in days]]
        self.fields["programme_activity"].choices = [
            ("", "—"),
            *[(a.pk, f"{a.date.isoformat()} · {a.programme.name}") for a in programme_activities],
        ]
        if not days:
            del self.fields["service_day"]
        if not programme_activities:
            del self.fields["programme_activity"]


class PhotoAddForm(TagFields):
    photos = MultiplePhotoField(label=_("Photos"))
    field_order = ["photos", "people", "untagged_children", "share_requested"]


class TagForm(TagFields):
    pass
