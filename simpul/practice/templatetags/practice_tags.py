"""``{% practice_mark %}``: the practice marking for pages that do not extend base.html (PDFs, receipts).

It reads the request-independent practice state, so a PDF rendered with ``render_to_string`` (no request, no
context processors) is marked too: a printed practice report must never pass for a real one.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from simpul.practice import state

register = template.Library()


@register.simple_tag
def practice_mark() -> str:
    if not state.active():
        return ""
    return format_html(
        '<div class="practice-mark" data-practice-mark style="border:3px dashed #b45309;color:#b45309;'
        'padding:4px 8px;margin:0 0 8px;font-weight:bold">{} — {}</div>',
        _("PRACTICE MODE"), _("synthetic people; not a real record."))
