from django.urls import path

from . import views, views_bulk_lock, views_cycle
from .books import BUKU_II, BUKU_III, SEGMENT

app_name = "reporting"

# The one place a URL segment ("tahunan", "bulanan": books.SEGMENT, user-visible) becomes the book identifier
# the views receive as ``buku``.
T, B = SEGMENT[BUKU_II], SEGMENT[BUKU_III]
II, III = {"buku": BUKU_II}, {"buku": BUKU_III}

urlpatterns: list = [
    # Rekap report pages (reporting/views.py, helper 'report').
    path("", views.laporan_home, name="laporan_home"),
    path("<int:unit_id>/pilih/", views.laporan_pick, name="laporan_pilih"),
    path(f"<int:unit_id>/{T}/<int:tahun>/", views.rekap, II, name="rekap_tahunan"),
    path(f"<int:unit_id>/{T}/<int:tahun>/xlsx/", views.rekap_xlsx, II, name="rekap_tahunan_xlsx"),
    path(f"<int:unit_id>/{T}/<int:tahun>/ekspor/", views.rekap_export, II, name="rekap_tahunan_ekspor"),
    path(f"<int:unit_id>/{B}/<str:bulan>/", views.rekap, III, name="rekap_bulanan"),
    path(f"<int:unit_id>/{B}/<str:bulan>/xlsx/", views.rekap_xlsx, III, name="rekap_bulanan_xlsx"),
    path(f"<int:unit_id>/{B}/<str:bulan>/ekspor/", views.rekap_export, III, name="rekap_bulanan_ekspor"),
    path("ekspor/<int:job_id>/", views.export_job, name="export_job"),
    path("ekspor/<int:job_id>/unduh/", views.export_job_download, name="export_job_download"),
    # Reporting cycle (reporting/views_cycle.py, helper 'cycle').
    path("saya/", views_cycle.laporan_saya, name="laporan_saya"),
    path("saya/<int:unit_id>/ajukan/", views_cycle.laporan_submit, name="laporan_ajukan"),
    path("pengajuan/<int:laporan_id>/", views_cycle.laporan_detail, name="laporan_detail"),
    path("pengajuan/<int:laporan_id>/terima/", views_cycle.laporan_accept, name="laporan_terima"),
    path("pengajuan/<int:laporan_id>/kembalikan/", views_cycle.laporan_return, name="laporan_kembalikan"),
    path("pengajuan/<int:laporan_id>/buka/", views_cycle.laporan_reopen, name="laporan_buka"),
    path("verifikasi/", views_cycle.verifikasi, name="verifikasi"),
    path("verifikasi/terima/", views_cycle.verifikasi_accept, name="verifikasi_terima"),
    path("kunci/<int:unit_id>/", views_cycle.periode_locks, name="kunci"),
    path("kunci/<int:unit_id>/tutup/", views_cycle.periode_lock, name="kunci_tutup"),
    path("kunci/<int:unit_id>/buka/", views_cycle.periode_unlock, name="kunci_buka"),
    path("kunci-serentak/<int:unit_id>/", views_bulk_lock.bulk_lock, name="kunci_serentak"),  # people
    path("kelengkapan/", views_cycle.kelengkapan_home, name="kelengkapan_home"),
    path("kelengkapan/<int:unit_id>/", views_cycle.kelengkapan_unit, name="kelengkapan_unit"),
    path(f"kelengkapan/<int:unit_id>/{B}/<str:bulan>/", views_cycle.kelengkapan, III, name="kelengkapan_bulanan"),
    path(f"kelengkapan/<int:unit_id>/{T}/<int:tahun>/", views_cycle.kelengkapan, II, name="kelengkapan_tahunan"),
    path("dasbor/<int:unit_id>/", views_cycle.dasbor, name="dasbor"),
]
