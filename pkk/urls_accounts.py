from django.urls import path

from . import views_accounts, views_log_ekspor

app_name = "akun"

urlpatterns = [
    path("", views_accounts.akun_list, name="list"),
    path("baru/", views_accounts.akun_baru, name="baru"),
    path("log-ekspor/", views_log_ekspor.log_ekspor, name="log_ekspor"),
    path("<int:user_id>/", views_accounts.akun_detail, name="detail"),
    path("<int:user_id>/nonaktifkan/", views_accounts.akun_nonaktifkan, name="nonaktifkan"),
    path("<int:user_id>/aktifkan/", views_accounts.akun_aktifkan, name="aktifkan"),
    path("<int:user_id>/reset-sandi/", views_accounts.akun_reset_sandi, name="reset_sandi"),
    path("<int:user_id>/ubah/", views_accounts.akun_ubah, name="ubah"),
]
