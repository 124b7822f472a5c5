"""Consent and duplicate decisions from the person page (POST-only routes)."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import person_input, register_family
from simpul.registry.models import Consent, DuplicateCandidate


@pytest.mark.django_db
class TestConsentFromThePage:
    def test_the_kader_records_a_guardians_consent_for_a_child(self, client, kader_miji, family_miji):
        client.force_login(kader_miji)
        child = family_miji.members.get(full_name="Aisyah Putri")
        client.post(reverse("registry:consent_add", args=[child.pk]), {
            "purpose": "layanan_kesehatan", "method": "lisan", "given_on": "2026-11-01",
            "guardian_name": "Siti Aminah", "guardian_relationship": "ibu"})
        consent = Consent.objects.get(person=child)
        assert consent.guardian_name == "Siti Aminah" and consent.witness == kader_miji

    def test_a_child_without_a_guardian_is_refused(self, client, kader_miji, family_miji):
        client.force_login(kader_miji)
        child = family_miji.members.get(full_name="Aisyah Putri")
        client.post(reverse("registry:consent_add", args=[child.pk]),
                    {"purpose": "pendataan", "method": "lisan", "given_on": "2026-11-01"})
        assert not Consent.objects.exists()

    def test_the_neighbouring_kader_cannot_record_it(self, client, kader_meri, family_miji):
        client.force_login(kader_meri)
        person = family_miji.members.first()
        response = client.post(reverse("registry:consent_add", args=[person.pk]),
                               {"purpose": "pendataan", "method": "lisan", "given_on": "2026-11-01"})
        assert response.status_code == 404
        assert not Consent.objects.exists()


@pytest.mark.django_db
class TestDuplicateDecision:
    @pytest.fixture
    def proposal(self, kader_miji, posyandu_miji, family_miji, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):  # the duplicate search runs after commit
            register_family(kader_miji, posyandu_miji, head="Rahmat Hidayat", rt="005", members=[
                person_input("Rahmat Hidayat", "M", dt.date(1960, 1, 1), "kepala"),
                person_input("Aisyah Putri", "F", dt.date(2024, 1, 20), "cucu", mother_name="Siti Aminah"),
            ])
        return DuplicateCandidate.objects.get()

    def test_confirming_links_the_newer_record_and_keeps_both(self, client, kader_miji, proposal):
        client.force_login(kader_miji)
        client.post(reverse("registry:duplicate_decide", args=[proposal.pk]), {"decision": "same"})
        proposal.refresh_from_db()
        proposal.person.refresh_from_db()
        assert proposal.status == "confirmed"
        assert proposal.person.duplicate_of == proposal.other

    def test_an_outsider_cannot_decide(self, client, kader_jepara, proposal):
        client.force_login(kader_jepara)
        response = client.post(reverse("registry:duplicate_decide", args=[proposal.pk]), {"decision": "same"})
        assert response.status_code == 404
        proposal.refresh_from_db()
        assert proposal.status == "proposed"


@pytest.mark.django_db
class TestConsentWithdrawal:
    @pytest.fixture
    def consent(self, kader_miji, family_miji):
        from simpul.accounts.scope import scope_for
        from simpul.registry.services import consent_record

        head = family_miji.members.get(full_name="Budi Santoso")
        return consent_record(actor=kader_miji, scope=scope_for(kader_miji), person=head, purpose="publikasi",
                              method="tertulis", given_on=dt.date(2026, 1, 5))

    def test_the_kader_records_a_withdrawal_and_the_consent_stays_on_record(self, client, kader_miji, consent):
        client.force_login(kader_miji)
        client.post(reverse("registry:consent_withdraw", args=[consent.person_id, consent.pk]), {"reason": "pindah"})
        consent.refresh_from_db()
        assert consent.withdrawn_on is not None and consent.withdrawal_reason == "pindah"
        assert Consent.objects.count() == 1

    def test_an_outsider_cannot_withdraw_it(self, client, kader_meri, consent):
        client.force_login(kader_meri)
        response = client.post(reverse("registry:consent_withdraw", args=[consent.person_id, consent.pk]))
        assert response.status_code == 404
        consent.refresh_from_db()
        assert consent.withdrawn_on is None
