from django.urls import path

from . import views_wilayah

app_name = "wilayah"

urlpatterns = [
    path("cari/", views_wilayah.unit_search, name="unit_search"),
    path("struktur/", views_wilayah.struktur_index, name="struktur_index"),
    path("<int:unit_id>/struktur/", views_wilayah.struktur, name="struktur"),
    path("<int:unit_id>/tambah/", views_wilayah.unit_create, name="unit_tambah"),
    path("<int:unit_id>/ubah-nama/", views_wilayah.unit_rename, name="unit_ubah_nama"),
    path("<int:unit_id>/pindah/", views_wilayah.unit_move, name="unit_pindah"),
    path("<int:unit_id>/nonaktifkan/", views_wilayah.unit_deactivate, name="unit_nonaktifkan"),
    path("<int:unit_id>/aktifkan/", views_wilayah.unit_activate, name="unit_aktifkan"),
    path("<int:unit_id>/pengurus/", views_wilayah.pengurus, name="pengurus"),
]
