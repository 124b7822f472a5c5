from django import forms
from django.utils.translation import gettext_lazy as _

from simpul.tasks.models import Task
from simpul.tasks.services import NOTE_MAX

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DismissForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why is this task closed?"), choices=Task.Reason.choices,
                               widget=forms.RadioSelect)
    on = forms.DateField(label=_("Since when (moved away or died)"), required=False, widget=DATE_WIDGET,
                         help_text=_("Only for “moved away” and “deceased”; empty means today."))
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, person: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not person:
            # A household neither moves away nor dies through a task: the household page records a move.
            self.fields["reason"].choices = [(code, label) for code, label in Task.Reason.choices
                                             if code not in (Task.Reason.MOVED, Task.Reason.DECEASED)]
            del self.fields["on"]
