"""Walk EVERY URL pattern of the project (admin and static files aside) and check the scope rules:

- anonymous users are sent to the login page (except the few public pages listed in PUBLIC);
- a view that did not declare its scope is refused to a scoped user (deny by default, tested with a
  throwaway view through a urlconf override: this module is also that urlconf);
- outsiders (a kader, a TP PKK desa and a pembina from elsewhere) get 404 on every object URL of the
  dasawisma Mawar (Desa Kaliboto, Kecamatan Bener), GET and POST; an insider reaches the same GET URLs;
- an account without any role assignment (``nobody``) gets 403/404 everywhere except a few account pages.

URL kwargs follow the project convention (brief: COMMON.md). A pattern with a kwarg that is not in
the ``mawar`` fixture fails the walk: name your kwargs by the convention, or extend the map here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.utils import timezone
from django.views import View

from pkk.models import Level
from pkk.scope import scope_exempt, scoped
from tests.binaan.factories import binaan_objects

# --------------------------------------------------------------------------------------------------
# The walk

OBJECT_KWARGS = (
    "unit_id",
    "rumah_tangga_id",
    "keluarga_id",
    "warga_id",
    "kehamilan_id",
    "laporan_id",
    "job_id",
    "user_id",
    "kegiatan_id",
    "foto_id",
    # desa binaan (tests/binaan/factories.py: Kaliboto, pembina Bener)
    "penetapan_id",
    "binaan_id",
    "kunjungan_id",
    "kunjungan_foto_id",
    "tindak_lanjut_id",
    "workbook_job_id",
)
PLAIN_KWARGS = ("tahun", "bulan", "lampiran")
# Views any visitor may open (login_not_required). A new public view must be reviewed and added here.
PUBLIC = {"login", "healthz"}
# Account pages without unit data that an authenticated user without any role may open.
ACCOUNT_PAGES = {"home", "login", "logout", "password_change", "password_change_done", "healthz"}
SKIP_NAMESPACES = {"admin"}
SKIP_MODULES = ("django.views.static", "django.contrib.staticfiles", "django.contrib.admin")

# Lampiran that fit a unit of each level (so the insider control finds a report for that unit).
LAMPIRAN_FOR_LEVEL = {
    Level.DASAWISMA: ("4.16a", "4.18a"),
    Level.RT: ("4.16b", "4.18b"),
    Level.RW: ("4.16c", "4.18c"),
    Level.DUSUN: ("4.16d", "4.18d"),
    Level.DESA: ("4.17a", "4.19a"),
}
TAHUN = 2025
BULAN = "2025-03"
MISSING_ID = 987654321


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern as written, for messages
    kwargs: tuple[str, ...]
    callback: object

    @property
    def short_name(self) -> str:
        return self.name.rsplit(":", 1)[-1]

    @property
    def object_kwargs(self) -> tuple[str, ...]:
        return tuple(k for k in self.kwargs if k in OBJECT_KWARGS)

    @property
    def is_public(self) -> bool:
        return getattr(self.callback, "login_required", True) is False


def _pattern_kwargs(pattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None and hasattr(pattern.pattern, "_route"):
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def walk(resolver=None, prefix: str = "", namespace: str | None = None, kwargs: tuple = ()) -> list[Route]:
    resolver = resolver or get_resolver()
    routes: list[Route] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in SKIP_NAMESPACES:
                continue
            full_ns = ":".join(filter(None, [namespace, ns])) or None
            routes += walk(entry, prefix + str(entry.pattern), full_ns, kwargs + tuple(_pattern_kwargs(entry)))
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "") or ""
            if module.startswith(SKIP_MODULES):
                continue
            route = prefix + str(entry.pattern)
            if not entry.name:
                raise AssertionError(f"URL pattern {route!r} has no name: every route needs one")
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            routes.append(Route(name, route, kwargs + tuple(_pattern_kwargs(entry)), entry.callback))
    return routes


# --------------------------------------------------------------------------------------------------
# Objects of dasawisma Mawar (the persona ``kader``), built with the ORM


@pytest.fixture
def mawar(tree, settings, tmp_path):
    from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga
    from reporting.models import ExportJob, JenisLaporan, Laporan

    settings.MEDIA_ROOT = tmp_path
    unit = tree.mawar
    rumah_tangga = RumahTangga.objects.create(dasawisma=unit, kode="RT-MAWAR-1", alamat="Jl. Mawar 1")
    keluarga = Keluarga.objects.create(rumah_tangga=rumah_tangga, no_kk="3306101203040001")
    common = {
        "dasawisma": unit,
        "rumah_tangga": rumah_tangga,
        "keluarga": keluarga,
        "no_kk": keluarga.no_kk,
        "status_perkawinan": "kawin",
        "agama": "islam",
        "pendidikan": "sma",
    }
    suami = Warga.objects.create(
        no_registrasi="3306162006202500001",
        nama="Budi Santoso",
        jenis_kelamin="L",
        tanggal_lahir=dt.date(1990, 4, 12),
        status_dalam_keluarga="kepala_keluarga",
        **common,
    )
    ibu = Warga.objects.create(
        no_registrasi="3306162006202500002",
        nama="Siti Aminah",
        jenis_kelamin="P",
        nik="3306105208950002",
        tanggal_lahir=dt.date(1995, 8, 12),
        status_dalam_keluarga="istri",
        **common,
    )
    rumah_tangga.kepala = suami
    rumah_tangga.save(update_fields=["kepala"])
    kehamilan = Kehamilan.objects.create(warga=ibu, dasawisma=unit, tanggal_mulai=dt.date(2025, 1, 10))
    laporan = Laporan.objects.create(
        unit=unit,
        jenis=JenisLaporan.BUKU_III,
        periode=dt.date(2025, 3, 1),
        submitted_at=timezone.now(),
        submitted_by=tree.kader,
    )
    job = ExportJob.objects.create(
        requester=tree.kader,
        unit=unit,
        kind="rekap_subtree",
        params={"lampiran": "4.16a", "tahun": TAHUN},
        status=ExportJob.Status.SELESAI,
        progress=1,
        total=1,
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    job.file.save("uji-mawar.xlsx", ContentFile(b"PK\x03\x04 not really a workbook"), save=True)
    # A kegiatan of Desa Kaliboto (Mawar's desa) with a photo: outside every outsider's scope too.
    from kegiatan.models import Kegiatan, KegiatanFoto

    kegiatan = Kegiatan.objects.create(
        unit=tree.kaliboto,
        tanggal=dt.date(2025, 3, 4),
        tempat="Balai Desa",
        pokja="IV",
        program_pokok=7,
        judul="Posyandu",
        uraian="Penimbangan",
        jumlah_peserta=30,
        nama="desa",
        jabatan="TP PKK Desa Kaliboto",
    )
    foto = KegiatanFoto(kegiatan=kegiatan)
    foto.file.save("uji.jpg", ContentFile(b"\xff\xd8\xff not really a photo"), save=True)
    # A finished workbook export of Mawar, started by its kader (only the requester may see it).
    from dasawisma.models import WorkbookJob

    workbook_job = WorkbookJob.objects.create(
        requester=tree.kader,
        unit=unit,
        kind="ekspor",
        status="selesai",
        result={"ok": True, "rows": 3},
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    workbook_job.file.save("uji-mawar.xlsx", ContentFile(b"PK\x03\x04 not really a workbook"), save=True)
    return {
        # unit_id: Mawar and every ancestor up to its desa, all outside the outsiders' scope.
        "unit_id": [tree.mawar, tree.rt1, tree.rw1, tree.krajan, tree.kaliboto],
        "rumah_tangga_id": [rumah_tangga],
        "keluarga_id": [keluarga],
        "warga_id": [ibu],
        "kehamilan_id": [kehamilan],
        "laporan_id": [laporan],
        "job_id": [job],
        "user_id": [tree.kader],
        "kegiatan_id": [kegiatan],
        "foto_id": [foto],
        **binaan_objects(tree),
        "workbook_job_id": [workbook_job],
    }


def kwarg_sets(route: Route, objects: dict, *, missing: bool = False) -> list[dict]:
    """Every combination of sample values for the route's kwargs (lampiran follows the unit's level)."""
    unknown = [k for k in route.kwargs if k not in OBJECT_KWARGS + PLAIN_KWARGS]
    assert not unknown, (
        f"URL {route.name} ({route.route}) has kwarg(s) {unknown} outside the naming convention "
        f"{OBJECT_KWARGS + PLAIN_KWARGS}: rename them, or extend the ``mawar`` fixture in tests/test_url_walk.py"
    )
    choices = []
    for k in route.object_kwargs:
        choices.append([(k, MISSING_ID if missing else obj.pk, obj) for obj in objects[k]])
    out = []
    for combo in itertools.product(*choices) if choices else [()]:
        kw = {k: pk for k, pk, _ in combo}
        unit = next((obj for k, _, obj in combo if k == "unit_id"), None)
        if "tahun" in route.kwargs:
            kw["tahun"] = TAHUN
        if "bulan" in route.kwargs:
            kw["bulan"] = BULAN
        if "lampiran" in route.kwargs:
            levels = LAMPIRAN_FOR_LEVEL.get(unit.level if unit else Level.DASAWISMA, ("4.16a",))
            for lampiran in levels:
                out.append({**kw, "lampiran": lampiran})
        else:
            out.append(kw)
    return out


def plain_kwargs(route: Route) -> dict:
    """One sample value per kwarg without objects (anonymous and ``nobody`` walks)."""
    kw = {}
    for k in route.kwargs:
        kw[k] = {"tahun": TAHUN, "bulan": BULAN, "lampiran": "4.16a"}.get(k, MISSING_ID)
    return kw


def _request(client: Client, method: str, url: str):
    try:
        return getattr(client, method)(url)
    except Exception as exc:  # collect every failure, report them together
        return exc


def _status(resp) -> str | int:
    return f"raised {type(resp).__name__}: {resp}" if isinstance(resp, Exception) else resp.status_code


def hidden_problems(client: Client, url: str, missing_url: str | None, *, allowed: tuple[int, ...]) -> list[str]:
    """GET and POST ``url``: each answer must be in ``allowed``; 405 is fine for the method a view does not
    take (not for both); a 403 is also fine when ``missing_url`` (same view, ids that do not exist) answers
    403 too: the role was checked before any lookup, so the answer says nothing about the object."""
    problems, answers = [], {}
    for method in ("get", "post"):
        status = _status(_request(client, method, url))
        answers[method] = status
        if status in allowed or status == 405:
            continue
        if status == 403 and missing_url is not None and _status(_request(client, method, missing_url)) == 403:
            continue
        problems.append(f"{method.upper()} {url}: {status}")
    if answers["get"] == answers["post"] == 405:
        problems.append(f"GET and POST {url}: both 405, the view was never reached")
    return problems


# --------------------------------------------------------------------------------------------------
# Tests


def test_walk_finds_the_project_views(db):
    names = {r.name for r in walk()}
    assert {"home", "login", "logout", "healthz"} <= names
    assert not any(n.startswith("admin:") for n in names)


@pytest.mark.django_db
def test_every_url_sends_anonymous_users_to_login(client):
    failures = []
    routes = walk()
    public = {r.short_name for r in routes if r.is_public}
    assert public <= PUBLIC, f"new public (login_not_required) views {public - PUBLIC}: review, then add to PUBLIC"
    for route in routes:
        if route.is_public:
            continue
        url = reverse(route.name, kwargs=plain_kwargs(route))
        for method in ("get", "post"):
            resp = _request(client, method, url)
            if isinstance(resp, Exception) or resp.status_code != 302 or not resp["Location"].startswith("/masuk/"):
                where = "" if isinstance(resp, Exception) else resp.get("Location", "")
                failures.append(f"{method.upper()} {url} ({route.name}): {_status(resp)} {where}")
    assert not failures, "anonymous users must be sent to /masuk/:\n" + "\n".join(failures)


OUTSIDERS = ("kader_kp", "desa_kp", "pembina_grabag")
INSIDERS = ("kader", "desa", "pembina", "admin")


@pytest.mark.django_db
def test_outsiders_get_404_on_every_object_url_of_another_dasawisma(tree, mawar):
    """GET and POST every object URL of Mawar as outsiders. 404 is the answer; a 403 is accepted only when the
    same URL with ids that do not exist answers 403 too (a role check before any lookup reveals nothing)."""
    routes = [r for r in walk() if r.object_kwargs]
    failures = []
    for persona in OUTSIDERS:
        client = Client()
        client.force_login(getattr(tree, persona))
        for route in routes:
            for kw in kwarg_sets(route, mawar):
                url = reverse(route.name, kwargs=kw)
                missing = reverse(route.name, kwargs=kwarg_sets(route, mawar, missing=True)[0])
                for problem in hidden_problems(client, url, missing, allowed=(404,)):
                    failures.append(f"{persona} {problem} ({route.name})")
    assert not failures, "outsiders must get 404 on Mawar's object URLs:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_insiders_reach_the_object_urls_of_mawar(tree, mawar):
    """The control for the test above: the sample objects fit the views (someone in scope gets a page), so
    the outsiders' 404 comes from the scope and not from an unfit sample."""
    failures = []
    clients = {}
    for persona in INSIDERS:
        clients[persona] = Client()
        clients[persona].force_login(getattr(tree, persona))
    for route in (r for r in walk() if r.object_kwargs):
        seen = []
        ok = False
        for kw in kwarg_sets(route, mawar):
            url = reverse(route.name, kwargs=kw)
            for persona, client in clients.items():
                status = _status(_request(client, "get", url))
                seen.append(f"{persona} {url}: {status}")
                if status in (200, 302, 405):  # 405: a POST-only view was found by its URL
                    ok = True
                    break
            if ok:
                break
        if not ok:
            failures.append(f"{route.name} ({route.route}): " + "; ".join(seen))
    assert not failures, "no insider reached these object URLs with the sample objects:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_an_account_without_roles_sees_nothing(tree, mawar):
    client = Client()
    client.force_login(tree.nobody)
    failures = []
    for route in walk():
        if route.short_name in ACCOUNT_PAGES:
            continue
        sets = kwarg_sets(route, mawar) if route.object_kwargs else [plain_kwargs(route)]
        for kw in sets:
            url = reverse(route.name, kwargs=kw)
            for problem in hidden_problems(client, url, None, allowed=(403, 404)):
                failures.append(f"nobody {problem} ({route.name})")
    assert not failures, "an account without roles must get 403/404:\n" + "\n".join(failures)
    assert client.get(reverse("home")).status_code == 200


# --------------------------------------------------------------------------------------------------
# Deny by default: this module is also a urlconf with throwaway views (used through @pytest.mark.urls).


def _undeclared(request):
    return HttpResponse("rahasia")


class _UndeclaredView(View):
    def get(self, request):
        return HttpResponse("rahasia")


urlpatterns = [
    path("uji/tanpa-scope/", _undeclared, name="uji_undeclared"),
    path("uji/tanpa-scope-kelas/", _UndeclaredView.as_view(), name="uji_undeclared_cbv"),
    path("uji/scoped/", scoped()(_undeclared), name="uji_scoped"),
    path("uji/scoped-desa/", scoped("tp_pkk_desa")(_undeclared), name="uji_scoped_desa"),
    path("uji/exempt/", scope_exempt(lambda request: HttpResponse("ok")), name="uji_exempt"),
    path("", include("pkk.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["kader", "desa", "admin", "nobody"])
def test_a_view_without_declared_scope_is_refused_to_scoped_users(tree, persona):
    client = Client()
    client.force_login(getattr(tree, persona))
    assert client.get("/uji/tanpa-scope/").status_code == 403
    assert client.get("/uji/tanpa-scope-kelas/").status_code == 403
    assert client.get("/uji/exempt/").status_code == 200
    assert client.get("/uji/scoped/").status_code == 200  # @scoped() without roles: any signed-in user


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_scoped_with_roles_checks_the_role_and_superusers_pass(tree, django_user_model):
    kader, desa = Client(), Client()
    kader.force_login(tree.kader)
    desa.force_login(tree.desa)
    assert kader.get("/uji/scoped-desa/").status_code == 403
    assert desa.get("/uji/scoped-desa/").status_code == 200
    root = django_user_model.objects.create_superuser("operator", password="x-uji-12345")
    su = Client()
    su.force_login(root)
    assert su.get("/uji/tanpa-scope/").status_code == 200  # operators are not bound to a unit
    anon = Client()
    resp = anon.get("/uji/tanpa-scope/")
    assert resp.status_code == 302 and resp["Location"].startswith("/masuk/")


def test_role_values_used_above_exist():
    from pkk.models import Role

    assert "tp_pkk_desa" in {r.value for r in Role}
