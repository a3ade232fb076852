"""Issue 12: every download of a file with personal data is logged, one row per download (an export job
with names downloaded by 5 users produced 1 log row)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pkk.models import PersonalDataExportLog, Role
from reporting.books import BUKU_II
from reporting.exports import export_job_create, export_job_run
from tests.builders import make_user
from tests.dasawisma.factories import make_rt, make_warga
from tests.reporting_show.conftest import TAHUN, login

pytestmark = pytest.mark.django_db


def test_each_download_of_a_job_with_names_is_logged(seeded, media):
    for _ in range(2):
        make_warga(make_rt(seeded.mawar, seeded.kader), seeded.kader, kepala=True)
    job = export_job_create(unit=seeded.bener, buku=BUKU_II, periode=TAHUN, sampai="dasawisma", actor=seeded.pembina)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    built = PersonalDataExportLog.objects.get(channel="job")
    assert built.row_count > 0 and job.params["personal_rows"] == built.row_count
    download = reverse("reporting:export_job_download", kwargs={"job_id": job.pk})
    downloaders = [seeded.pembina, seeded.admin, make_user("pembina_bener_2", Role.PEMBINA_KECAMATAN, seeded.bener)]
    for user in downloaders:
        r = login(user).get(download)
        assert r.status_code == 200
        assert r["Cache-Control"] == "no-store"
    login(seeded.pembina).get(download)  # a second download by the same user is a second disclosure
    rows = list(PersonalDataExportLog.objects.filter(channel="unduh").order_by("pk"))
    assert [r.username for r in rows] == [u.username for u in downloaders] + [seeded.pembina.username]
    assert {r.unit_id for r in rows} == {seeded.bener.pk}
    assert {r.row_count for r in rows} == {built.row_count}
    assert all(r.at is not None and f"#{job.pk}" in r.what for r in rows)
    # Refused downloads (outsiders) log nothing.
    assert login(seeded.pembina_grabag).get(download).status_code == 404
    assert PersonalDataExportLog.objects.filter(channel="unduh").count() == 4


def test_a_job_without_names_logs_no_download(seeded, media):
    job = export_job_create(unit=seeded.bener, buku=BUKU_II, periode=TAHUN, sampai="desa", actor=seeded.pembina)
    export_job_run(job_id=job.pk)
    download = reverse("reporting:export_job_download", kwargs={"job_id": job.pk})
    assert login(seeded.pembina).get(download).status_code == 200
    assert not PersonalDataExportLog.objects.exists()


def test_workbook_export_logs_every_download(seeded, django_capture_on_commit_callbacks):
    from dasawisma.models import WorkbookJob

    make_warga(make_rt(seeded.mawar, seeded.kader), seeded.kader, kepala=True)
    client = login(seeded.desa)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("dasawisma:workbook_export", kwargs={"unit_id": seeded.kaliboto.pk}))
    assert r.status_code == 302
    job = WorkbookJob.objects.latest("pk")
    download = reverse("dasawisma:workbook_job_download", kwargs={"workbook_job_id": job.pk})
    before = PersonalDataExportLog.objects.filter(user=seeded.desa, unit=seeded.kaliboto).count()
    for _ in range(2):
        r = client.get(download)
        assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    assert PersonalDataExportLog.objects.filter(user=seeded.desa, unit=seeded.kaliboto).count() == before + 2
