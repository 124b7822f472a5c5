import datetime as dt

from django.urls import path, register_converter

from simpul.reports import views


class MonthConverter:
    """``2026-10`` ⇄ date(2026, 10, 1); an impossible month (``2026-13``) matches nothing: 404."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        year, month = value.split("-")
        return dt.date(int(year), int(month), 1)

    def to_url(self, value) -> str:
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else str(value)


register_converter(MonthConverter, "report_month")

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("posyandu/<int:pk>/<report_month:month>/", views.posyandu_report, name="posyandu_report"),
    path("posyandu/<int:pk>/<report_month:month>.xlsx", views.posyandu_report_xlsx, name="posyandu_report_xlsx"),
    path("posyandu/<int:pk>/<report_month:month>.pdf", views.posyandu_report_pdf, name="posyandu_report_pdf"),
    path("posyandu/<int:pk>/<report_month:month>/kirim/", views.posyandu_report_submit, name="posyandu_report_submit"),
    path("posyandu/<int:pk>/<report_month:month>/koreksi/", views.posyandu_report_correct,
         name="posyandu_report_correct"),
    path("wilayah/<str:code>/<report_month:month>/", views.region_summary, name="region_summary"),
    path("wilayah/<str:code>/<report_month:month>.xlsx", views.region_summary_xlsx, name="region_summary_xlsx"),
    path("wilayah/<str:code>/<report_month:month>.pdf", views.region_summary_pdf, name="region_summary_pdf"),
]
