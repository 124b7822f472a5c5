from django.urls import include, path

from simpul.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("baru/", views.referral_record_view, name="record"),
    path("ekspor.xlsx", views.referral_export, name="export"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/aksi/", views.referral_move_view, name="move"),
    path("<int:pk>/setujui/", views.confidential_approve_view, name="approve"),
    path("<int:pk>/dokumen/", views.attachment_add_view, name="attach"),
    path("<int:pk>/dokumen/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    # Supervision (SLA compliance, escalations), settings (agencies, categories, routing, holidays) and the
    # printable receipt live in their own modules.
    path("", include("simpul.referrals.monitor_urls")),
    path("", include("simpul.referrals.settings_urls")),
    path("", include("simpul.referrals.receipt_urls")),
]
