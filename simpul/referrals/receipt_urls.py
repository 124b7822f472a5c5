"""The printable receipt of a referral (included under app_name "referrals")."""

from django.urls import path

from simpul.referrals import views_receipt

urlpatterns = [
    path("<int:pk>/tanda-terima/", views_receipt.referral_receipt, name="receipt"),
]
