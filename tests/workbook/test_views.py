"""The workbook page: upload (TP PKK desa and up) and export run as background jobs (eager here: the task runs
right after the request's commit); the job page shows the outcome or every error; downloads are scoped and
each one is logged."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dasawisma.models import RumahTangga, Warga, WorkbookJob
from dasawisma.workbook.jobs import workbook_jobs_cleanup
from pkk.models import PersonalDataExportLog

from .conftest import counts, valid_rows

pytestmark = pytest.mark.django_db

PAGE = "dasawisma:workbook"


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    def post(path):
        with open(path, "rb") as fh, django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse(PAGE), {"berkas": fh})

    return post


@pytest.fixture
def export(client, django_capture_on_commit_callbacks):
    def post(unit):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("dasawisma:workbook_export", kwargs={"unit_id": unit.pk}))

    return post


def job_url(job, name="dasawisma:workbook_job"):
    return reverse(name, kwargs={"workbook_job_id": job.pk})


def test_desa_imports_a_file_as_a_job_and_sees_the_summary_with_new_units(client, tree, book, upload):
    client.force_login(tree.desa)
    resp = upload(book())
    job = WorkbookJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == job_url(job)
    assert (job.kind, job.status, job.requester, job.filename) == ("impor", "selesai", tree.desa, "book0.xlsx")
    assert not job.upload  # the uploaded file (NIKs) is deleted once imported
    assert not any((Path(settings.PKK_PRIVATE_MEDIA_ROOT) / "workbook" / "unggah").glob("*"))
    html = client.get(job_url(job)).content.decode()
    assert "Impor berhasil" in html and "4 warga" in html and "2 rumah tangga" in html
    assert "Desa Kaliboto › Dusun Krajan › RW 02 › RT 05 › Dasawisma Bougenville" in html
    assert "hx-get" not in html  # finished: no more polling
    assert Warga.objects.count() == 4


def test_the_upload_is_kept_privately_until_the_job_runs(client, tree, book):
    client.force_login(tree.desa)
    with open(book(), "rb") as fh:
        resp = client.post(reverse(PAGE), {"berkas": fh})  # on_commit not run: the job stays queued
    job = WorkbookJob.objects.get()
    assert resp.status_code == 302 and job.status == "antri" and job.upload
    path = Path(job.upload.path)
    assert path.is_file() and path.is_relative_to(Path(settings.PKK_PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        job.upload.url  # noqa: B018 - private files have no URL
    html = client.get(job_url(job)).content.decode()
    assert 'hx-get="' + job_url(job) + '"' in html and 'hx-trigger="every 2s"' in html and "Menunggu" in html
    # htmx asks for the fragment only.
    frag = client.get(job_url(job), headers={"HX-Request": "true"}).content.decode()
    assert frag.lstrip().startswith('<div id="job-status"') and "<html" not in frag


def test_errors_come_back_as_a_table_and_nothing_is_written(client, tree, book, upload):
    rows = valid_rows()
    rows["warga"][1]["nik"] = "330610420190000"  # 15 digits
    rows["kehamilan"][0]["kek"] = "entah"
    before = counts()
    client.force_login(tree.desa)
    job_page = client.get(upload(book(rows))["Location"])
    html = job_page.content.decode()
    assert "Tidak ada data yang disimpan" in html and 'id="kesalahan-impor"' in html
    assert "<td>warga</td><td>3</td><td>nik</td><td>NIK harus 16 angka (tertulis 15 karakter).</td>" in html
    assert "<td>kehamilan</td><td>2</td><td>kek</td>" in html
    assert counts() == before
    assert WorkbookJob.objects.get().status == "selesai"


def test_the_error_limit_is_said_on_the_page(client, tree, book, upload, settings):
    settings.PKK_WORKBOOK_MAX_ERRORS = 1
    rows = valid_rows()
    rows["warga"][1]["nik"] = "1"
    rows["warga"][2]["nik"] = "2"
    client.force_login(tree.desa)
    html = client.get(upload(book(rows))["Location"]).content.decode()
    assert 'id="kesalahan-lain"' in html and "Pemeriksaan berhenti setelah 1 kesalahan pertama" in html


def test_an_outsider_desa_cannot_import_into_another_desa(client, tree, book, upload):
    before = counts()
    client.force_login(tree.desa_kp)
    html = client.get(upload(book())["Location"]).content.decode()
    assert "tidak ditemukan atau di luar wilayah Anda" in html
    assert counts() == before


def test_a_file_that_is_not_xlsx_is_refused_by_the_form(client, tree, tmp_path, upload):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    client.force_login(tree.desa)
    resp = upload(path)
    assert resp.status_code == 400 and ".xlsx" in resp.content.decode()
    assert not WorkbookJob.objects.exists()


@pytest.mark.parametrize("persona", ["kader", "ketua_rt", "nobody"])
def test_who_may_not_import(client, tree, book, persona, upload):
    client.force_login(getattr(tree, persona))
    assert upload(book()).status_code == 403
    assert RumahTangga.objects.count() == 0 and not WorkbookJob.objects.exists()


def test_the_page_for_a_kader_offers_only_the_export_of_their_dasawisma(client, tree, django_assert_max_num_queries):
    client.force_login(tree.kader)
    with django_assert_max_num_queries(9):
        resp = client.get(reverse(PAGE))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'type="file"' not in html
    assert reverse("dasawisma:workbook_export", kwargs={"unit_id": tree.mawar.pk}) in html
    assert reverse("dasawisma:workbook_export", kwargs={"unit_id": tree.melati.pk}) not in html


def test_the_page_for_a_desa_has_the_upload_form(client, tree):
    client.force_login(tree.desa)
    html = client.get(reverse(PAGE)).content.decode()
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert reverse("dasawisma:workbook_export", kwargs={"unit_id": tree.kaliboto.pk}) in html


def test_export_is_a_job_and_every_download_is_logged(client, tree, book, upload, export):
    client.force_login(tree.desa)
    upload(book())
    resp = export(tree.kaliboto)
    job = WorkbookJob.objects.get(kind="ekspor")
    assert resp.status_code == 302 and resp["Location"] == job_url(job)
    assert job.status == "selesai" and job.result["rows"] == 7 and job.expires_at > timezone.now()
    assert Path(job.file.path).is_relative_to(Path(settings.PKK_PRIVATE_MEDIA_ROOT))
    assert not PersonalDataExportLog.objects.exists()  # building the file discloses nothing yet
    html = client.get(job_url(job)).content.decode()
    assert job_url(job, "dasawisma:workbook_job_download") in html
    for _ in range(2):
        resp = client.get(job_url(job, "dasawisma:workbook_job_download"))
        assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
        assert resp["Content-Disposition"].startswith("attachment") and ".xlsx" in resp["Content-Disposition"]
        wb = load_workbook(BytesIO(b"".join(resp.streaming_content)), read_only=True)
        assert len(list(wb["warga"].iter_rows())) == 5
    logs = list(PersonalDataExportLog.objects.order_by("pk"))
    assert [(g.user, g.unit, g.channel, g.row_count) for g in logs] == [(tree.desa, tree.kaliboto, "web", 7)] * 2


def test_export_must_be_posted(client, tree):
    client.force_login(tree.desa)
    resp = client.get(reverse("dasawisma:workbook_export", kwargs={"unit_id": tree.kaliboto.pk}))
    assert resp.status_code == 405 and not WorkbookJob.objects.exists()


def test_a_kader_exports_their_own_dasawisma_only(client, tree, book, upload, export):
    client.force_login(tree.desa)
    upload(book())
    client.force_login(tree.kader)
    assert export(tree.mawar).status_code == 302
    assert export(tree.melati).status_code == 404
    assert export(tree.kaliboto).status_code == 404
    assert WorkbookJob.objects.filter(kind="ekspor").count() == 1


def test_only_the_requester_sees_a_job_and_its_file(client, tree, book, upload, export):
    client.force_login(tree.desa)
    upload(book())
    export(tree.kaliboto)
    job = WorkbookJob.objects.get(kind="ekspor")
    imp = WorkbookJob.objects.get(kind="impor")
    for persona in ("kader", "desa_kp", "pembina", "kader_kp"):
        client.force_login(getattr(tree, persona))
        for url in (job_url(job), job_url(job, "dasawisma:workbook_job_download"), job_url(imp)):
            assert client.get(url).status_code == 404, (persona, url)
    assert not PersonalDataExportLog.objects.exists()


def test_a_job_whose_unit_left_the_scope_is_404(client, tree, book, upload, export):
    from pkk.models import RoleAssignment

    client.force_login(tree.desa)
    export(tree.kaliboto)
    job = WorkbookJob.objects.get()
    RoleAssignment.objects.filter(user=tree.desa).update(unit=tree.kedungpucang)
    assert client.get(job_url(job, "dasawisma:workbook_job_download")).status_code == 404


@pytest.mark.parametrize(("persona", "unit"), [("desa_kp", "kaliboto"), ("desa_kp", "mawar"), ("kader_kp", "mawar"),
                                               ("pembina_grabag", "bener"), ("kader_grabag", "kaliboto")])  # fmt: skip
def test_outsiders_get_404_on_export(client, tree, persona, unit, export):
    client.force_login(getattr(tree, persona))
    assert export(getattr(tree, unit)).status_code == 404
    assert not WorkbookJob.objects.exists()


def test_expired_files_are_deleted_and_the_page_says_so(client, tree, export):
    client.force_login(tree.desa)
    export(tree.kaliboto)
    job = WorkbookJob.objects.get()
    path = Path(job.file.path)
    assert path.is_file()
    assert workbook_jobs_cleanup(now=timezone.now() + dt.timedelta(hours=25)) == 1
    assert not path.exists()
    html = client.get(job_url(job)).content.decode()
    assert "Berkas sudah kedaluwarsa" in html
    assert client.get(job_url(job, "dasawisma:workbook_job_download")).status_code == 404


def test_anonymous_is_sent_to_login(client, tree):
    resp = client.get(reverse(PAGE))
    assert resp.status_code == 302 and resp["Location"].startswith("/masuk/")


def test_a_workbook_job_whose_worker_died_is_failed_by_the_sweep(client, tree, book, settings):
    from pkk.heartbeat import STALE_MESSAGE
    from pkk.tasks import jobs_sweep

    client.force_login(tree.desa)
    with open(book(), "rb") as fh:
        client.post(reverse(PAGE), {"berkas": fh})  # queued (on_commit not run)
    job = WorkbookJob.objects.get()
    old = timezone.now() - dt.timedelta(seconds=settings.PKK_JOB_STALE_SECONDS + 1)
    WorkbookJob.objects.filter(pk=job.pk).update(status="proses", started_at=old, heartbeat_at=old)
    assert jobs_sweep()["dasawisma.WorkbookJob"]["failed"] == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.error) == ("gagal", STALE_MESSAGE)
    html = client.get(job_url(job)).content.decode()
    assert "berhenti di tengah jalan" in html and "Mulai lagi" in html and "hx-get" not in html
    # A late redelivery does nothing: nothing imported, the job stays failed.
    from dasawisma.workbook.jobs import workbook_job_run

    workbook_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "gagal" and Warga.objects.count() == 0
