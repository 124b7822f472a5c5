from django.urls import path

from simpul.health import views

app_name = "health"
urlpatterns = [
    path("kalkulator/", views.calculator_view, name="calculator"),
    path("orang/<int:pk>/pertumbuhan/", views.person_growth, name="person_growth"),
    path("orang/<int:pk>/ukur/", views.measurement_record_view, name="measurement_record"),
    path("ukuran/<int:pk>/koreksi/", views.measurement_correct_view, name="measurement_correct"),
    path("ukuran/<int:pk>/validasi/", views.measurement_validate_view, name="measurement_validate"),
    path("orang/<int:pk>/kms-bb.svg", views.kms_svg, {"index": "wfa"}, name="kms_wfa_svg"),
    path("orang/<int:pk>/kms-tb.svg", views.kms_svg, {"index": "lhfa"}, name="kms_lhfa_svg"),
    path("orang/<int:pk>/kms.pdf", views.kms_pdf, name="kms_pdf"),
    path("orang/<int:pk>/perkembangan/", views.development_view, name="development"),
]
