from django.urls import path

from . import views

app_name = "binaan"

urlpatterns = [
    path("", views.index, name="index"),
    path("penetapan/", views.penetapan_list, name="penetapan_list"),
    path("penetapan/baru/", views.penetapan_create, name="penetapan_baru"),
    path("penetapan/<int:penetapan_id>/", views.penetapan_detail, name="penetapan"),
    path("penetapan/<int:penetapan_id>/ubah/", views.penetapan_update, name="penetapan_ubah"),
    path("penetapan/<int:penetapan_id>/sk/", views.penetapan_sk, name="penetapan_sk"),
    path("penetapan/<int:penetapan_id>/desa/", views.desa_binaan_add, name="desa_tambah"),
    path("ringkasan/<int:tahun>/", views.ringkasan, name="ringkasan"),
    path("ringkasan/<int:tahun>/xlsx/", views.ringkasan_xlsx, name="ringkasan_xlsx"),
    path("<int:binaan_id>/", views.detail, name="detail"),
    path("<int:binaan_id>/pembina/", views.desa_binaan_set_pembina, name="binaan_pembina"),
    path("<int:binaan_id>/hapus/", views.desa_binaan_remove, name="binaan_hapus"),
    path("<int:binaan_id>/kunjungan/baru/", views.kunjungan_create, name="kunjungan_baru"),
    path("kunjungan/<int:kunjungan_id>/", views.kunjungan, name="kunjungan"),
    path("kunjungan/<int:kunjungan_id>/hapus/", views.kunjungan_delete, name="kunjungan_hapus"),
    path("kunjungan/<int:kunjungan_id>/foto/", views.foto_upload, name="foto_upload"),
    path("foto/<int:kunjungan_foto_id>/", views.foto, name="foto"),
    path("foto/<int:kunjungan_foto_id>/hapus/", views.foto_delete, name="foto_hapus"),
    path("tindak-lanjut/<int:tindak_lanjut_id>/jawab/", views.tindak_lanjut_answer, name="tl_jawab"),
    path("tindak-lanjut/<int:tindak_lanjut_id>/konfirmasi/", views.tindak_lanjut_confirm, name="tl_konfirmasi"),
    path("tindak-lanjut/<int:tindak_lanjut_id>/buka/", views.tindak_lanjut_reopen, name="tl_buka"),
    path("tindak-lanjut/<int:tindak_lanjut_id>/foto/", views.tindak_lanjut_foto, name="tl_foto"),
]
