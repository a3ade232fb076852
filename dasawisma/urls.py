from django.urls import path

from . import views, views_pindah, views_workbook

app_name = "dasawisma"

urlpatterns = [
    path("", views.kader_home, name="kader_home"),
    path("dasawisma/<int:unit_id>/", views.dasawisma_home, name="dasawisma_home"),
    path("dasawisma/<int:unit_id>/rumah-tangga/baru/", views.rumah_tangga_create, name="rumah_tangga_create"),
    path("rumah-tangga/<int:rumah_tangga_id>/", views.rumah_tangga_detail, name="rumah_tangga_detail"),
    path("rumah-tangga/<int:rumah_tangga_id>/ubah/", views.rumah_tangga_update, name="rumah_tangga_update"),
    path("rumah-tangga/<int:rumah_tangga_id>/keluarga/baru/", views.keluarga_create, name="keluarga_create"),
    path("rumah-tangga/<int:rumah_tangga_id>/kepala/", views.kepala_set, name="kepala_set"),
    path("rumah-tangga/<int:rumah_tangga_id>/warga/baru/", views.warga_create, name="warga_create"),
    path("rumah-tangga/<int:rumah_tangga_id>/buku-1/", views.buku1, name="buku1"),
    path("keluarga/<int:keluarga_id>/warga/baru/", views.warga_create_in_keluarga, name="warga_create_in_keluarga"),
    path("warga/<int:warga_id>/", views.warga_detail, name="warga_detail"),
    path("warga/<int:warga_id>/ubah/", views.warga_update, name="warga_update"),
    path("warga/<int:warga_id>/meninggal/", views.warga_meninggal, name="warga_meninggal"),
    path("warga/<int:warga_id>/pindah/", views.warga_pindah, name="warga_pindah"),
    path("warga/<int:warga_id>/kehamilan/baru/", views.kehamilan_create, name="kehamilan_create"),
    path("kehamilan/<int:kehamilan_id>/ubah/", views.kehamilan_update, name="kehamilan_update"),
    path("kehamilan/<int:kehamilan_id>/selesai/", views.kehamilan_selesai, name="kehamilan_selesai"),
    path("kualitas/", views.data_quality, name="data_quality"),
    path(
        "rumah-tangga/<int:rumah_tangga_id>/pindah-dasawisma/",
        views_pindah.rumah_tangga_pindah_view,
        name="rumah_tangga_pindah",
    ),
    path("dasawisma/<int:unit_id>/pindah/", views_pindah.dasawisma_pindah_view, name="dasawisma_pindah"),
    path("workbook/", views_workbook.workbook_page, name="workbook"),
    path("workbook/ekspor/<int:unit_id>/", views_workbook.workbook_export_view, name="workbook_export"),
    path("workbook/tugas/<int:workbook_job_id>/", views_workbook.workbook_job, name="workbook_job"),
    path(
        "workbook/tugas/<int:workbook_job_id>/unduh/",
        views_workbook.workbook_job_download,
        name="workbook_job_download",
    ),
]
