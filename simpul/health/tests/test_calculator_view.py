"""The bidan's calculator page. Reference: WHO 2006 boys weight-for-age at 365 days:
-2 SD 7.7 kg, median 9.6 kg, +2 SD 12.0 kg (the issue's own example)."""

import pytest

pytestmark = pytest.mark.django_db
BOY_365 = {"sex": "M", "birth_date": "2024-01-01", "measured_on": "2024-12-31"}  # 365 days (2024 is a leap year)


@pytest.mark.parametrize("weight, z, category", [("9.6", 0, "Berat badan normal"), ("7.7", -2, "Berat badan kurang"),
                                                 ("12.0", 2, "Risiko berat badan lebih")])
def test_it_shows_the_who_z_score_and_category(client, bidan_kranggan, weight, z, category):
    client.force_login(bidan_kranggan)
    response = client.get("/kesehatan/kalkulator/", {**BOY_365, "weight_kg": weight})
    assert response.status_code == 200
    result = response.context["result"]
    wfa = result["rows"][0]
    assert result["age_days"] == 365
    # The SD table prints kg to 0.1 (half a step is about 0.05 z at this age).
    assert abs(wfa["z"] - z) <= 0.06
    assert wfa["category"].lower() == category.lower()


def test_a_date_before_birth_is_refused_with_a_message(client, bidan_kranggan):
    client.force_login(bidan_kranggan)
    response = client.get("/kesehatan/kalkulator/", {**BOY_365, "measured_on": "2023-06-01", "weight_kg": "9"})
    assert response.status_code == 400
    assert response.context["result"] is None and response.context["form"].errors


@pytest.mark.parametrize("persona", ["lurah_miji", "camat_kranggan", "pembina_mojokerto", "admin_user"])
def test_people_without_health_access_cannot_open_it(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/kesehatan/kalkulator/").status_code == 403
