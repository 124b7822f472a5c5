"""What a new workspace holds: the posyandu's shape and its kab/kota's configuration, synthetic people with a
few months of history — and nothing personal from the real database."""

import datetime as dt

from django.utils import timezone

from conftest import MIJI, register_family
from simpul.accounts.models import Membership
from simpul.accounts.scope import scope_for
from simpul.health.models import Measurement
from simpul.posyandu.models import Posyandu
from simpul.practice import shape, workspace
from simpul.practice.middleware import SESSION_KEY
from simpul.practice.services import practice_start
from simpul.practice.tests.kit import inside, start
from simpul.referrals.models import Agency, Category, RoutingRule
from simpul.regions.models import Region
from simpul.registry.models import Household, Person
from simpul.serviceday.models import ServiceDay
from simpul.spm.models import Counter


def test_shape_configuration_and_history_without_personal_data(
    kader_miji, kader_meri, posyandu_miji, posyandu_meri, family_miji, practice_dir
):
    for n in range(14):  # the real posyandu: 15 households (family_miji and 14 more)
        register_family(kader_miji, posyandu_miji, head=f"Kepala Nyata {n}", kk="")
    real_kk = set(Household.objects.exclude(kk_hash=None).values_list("kk_hash", flat=True))
    assert real_kk
    agencies = Agency.objects.filter(region_id=MIJI[:4]).count()
    categories = Category.objects.count()
    rules = RoutingRule.objects.filter(region_id=MIJI[:4]).count()
    kader_miji.email = "kader@example.org"
    kader_miji.save()

    practice_start(user=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji)
    today = timezone.localdate()
    with inside(posyandu_miji):
        assert list(Posyandu.objects.values_list("pk", "name")) == [
            (posyandu_miji.pk, "Posyandu Melati Miji")
        ]
        assert set(Region.objects.values_list("code", flat=True)) >= {"35", "3576", "357603", MIJI}
        assert not Region.objects.filter(level=Region.Level.VILLAGE).exclude(code=MIJI).exists()
        assert Agency.objects.count() == agencies and Category.objects.count() == categories
        assert RoutingRule.objects.count() == rules
        assert Household.objects.count() >= 15  # about as many as the real posyandu
        people = Person.objects.all()
        assert not people.filter(full_name__startswith="Kepala Nyata").exists()
        assert not Household.objects.filter(kk_hash__in=real_kk).exists()
        # The real posyandu: 15 families of two adults (born 1985, 1988) and a child born 2024-01-15.
        stages = shape.stage_counts(people, today)
        assert stages["balita"] == 15 and stages["dewasa"] >= 30
        assert stages["bayi"] >= 2 and stages["lansia"] >= 3  # the minimum of a posyandu morning
        user = type(kader_miji).objects.get(pk=kader_miji.pk)
        assert user.email == "" and not user.has_usable_password()
        assert list(Membership.objects.filter(user=user).values_list("role", "posyandu_id")) == [
            ("kader", posyandu_miji.pk)
        ]
        assert not type(kader_miji).objects.filter(pk=kader_meri.pk).exists()
        assert Measurement.objects.filter(measured_on__lt=today - dt.timedelta(days=60)).exists()  # history
        assert ServiceDay.objects.filter(held_on=today, status="scheduled").count() == 1
        assert Counter.objects.filter(posyandu_id=posyandu_miji.pk, year=today.year).exists()


def test_a_workspace_of_an_older_deployment_ends_practice_until_started_again(
    client, kader_miji, posyandu_miji, practice_dir, monkeypatch
):
    start(client, kader_miji, posyandu_miji)
    monkeypatch.setattr(workspace, "template_key", lambda: "a-newer-migration")
    page = client.get("/")
    assert b'id="practice-banner"' not in page.content and SESSION_KEY not in client.session


def test_background_tasks_run_inside_the_workspace(kader_miji, posyandu_miji, practice_dir, settings):
    from django_tasks import task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    practice_start(user=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji)
    real = task_backends["default"]
    assert not isinstance(real, ImmediateBackend)
    with inside(posyandu_miji):
        assert isinstance(task_backends["default"], ImmediateBackend)
    assert task_backends["default"] is real


def test_the_template_can_be_made_ahead_of_time(settings, tmp_path, practice_template, db):
    from io import StringIO

    from django.core.management import call_command

    settings.SIMPUL_PRACTICE_DIR = tmp_path
    (tmp_path / practice_template.name).write_bytes(practice_template.read_bytes())
    out = StringIO()
    call_command("practice_prepare", stdout=out)
    assert practice_template.name in out.getvalue()
