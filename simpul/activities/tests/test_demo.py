"""The demo activities: recorded once through the service, photos cleaned, one kept private by the rule."""

import datetime as dt

import pytest
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.activities import demo, selectors
from simpul.activities.models import ActivityLog, ActivityPhoto

pytestmark = pytest.mark.django_db


def test_the_demo_logs_activities_with_drawn_photos(kader_miji, kader_meri, family_miji, pembina_mojokerto):
    today = timezone.localdate()
    assert demo.seed_demo(today=today) == 4
    assert demo.seed_demo(today=today) == 0  # once
    assert ActivityLog.objects.filter(desa__code__startswith="3576").count() == 4
    assert ActivityPhoto.objects.count() == 6
    assert all(max(p.width, p.height) == 1600 for p in ActivityPhoto.objects.all())
    shared = selectors.gallery(scope_for(pembina_mojokerto), today=today)
    assert shared.count() == 5  # the photo with Aisyah (no publikasi consent) stays private
    private = ActivityPhoto.objects.exclude(pk__in=shared.values("pk")).get()
    assert [p.full_name for p in private.people.all()] == ["Aisyah Putri"]
    assert all(
        a.held_on <= today and a.held_on >= today - dt.timedelta(days=40) for a in ActivityLog.objects.all()
    )
