import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pkk.models import Role, RoleAssignment
from pkk.selectors import accounts_for_user
from tests.builders import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD_PASSWORD = "Kembang-Sepatu-77"


def new_account(**kw):
    data = {
        "username": "kader.baru",
        "name": "Siti Aminah",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "role": "kader",
    }
    data.update(kw)
    return data


def usernames(viewer):
    return set(accounts_for_user(viewer).values_list("username", flat=True))


def test_account_scope(tree):
    assert usernames(tree.desa) == {"desa", "ketua_rt", "kader", "kader_melati"}
    assert usernames(tree.desa_kp) == {"desa_kp", "kader_kp"}
    assert usernames(tree.admin) == {
        "admin",
        "pembina",
        "pembina_grabag",
        "desa",
        "desa_kp",
        "ketua_rt",
        "kader",
        "kader_melati",
        "kader_kp",
        "kader_grabag",
    }
    assert usernames(tree.kader) == set() and usernames(tree.pembina) == set()
    # an account with one assignment outside the desa is not the desa's
    RoleAssignment.objects.create(user=tree.kader_melati, role=Role.KADER, unit=tree.kenanga)
    assert "kader_melati" not in usernames(tree.desa)


def test_desa_creates_kader_for_its_dasawisma(tree, login):
    c = login("desa")
    r = c.get(reverse("akun:baru"), {"unit": tree.anggrek.pk})
    html = r.content.decode()
    assert r.status_code == 200 and "Dasawisma Anggrek" in html
    assert 'value="pembina_kecamatan"' not in html  # desa offers kader only
    r = c.post(reverse("akun:baru"), new_account(unit=tree.anggrek.pk))
    assert r.status_code == 302, r.content.decode()[:2000]
    user = User.objects.get(username="kader.baru")
    assert user.first_name == "Siti Aminah" and user.check_password(GOOD_PASSWORD)
    a = user.role_assignments.get()
    assert (a.role, a.unit, a.created_by) == (Role.KADER, tree.anggrek, tree.desa)


def test_desa_cannot_create_other_roles_or_outside(tree, login):
    c = login("desa")
    r = c.post(reverse("akun:baru"), new_account(role="admin_kabupaten", unit=tree.kab.pk))
    assert r.status_code == 200
    r = c.post(reverse("akun:baru"), new_account(unit=tree.kenanga.pk))  # other desa's dasawisma
    assert r.status_code == 200 and "Wilayah tidak ditemukan di wilayah Anda" in r.content.decode()
    r = c.post(reverse("akun:baru"), new_account(unit=tree.rt1.pk))  # a kader needs a dasawisma
    assert r.status_code == 200
    assert not User.objects.filter(username="kader.baru").exists()


def test_form_errors_are_indonesian(tree, login):
    c = login("admin")
    r = c.post(reverse("akun:baru"), new_account(username="kader", password2="lain", unit=tree.mawar.pk))
    html = r.content.decode()
    assert "kedua isian tidak sama" in html
    r = c.post(reverse("akun:baru"), new_account(username="kader", unit=tree.mawar.pk))
    assert "sudah dipakai" in r.content.decode()
    r = c.post(reverse("akun:baru"), new_account(password1="123", password2="123", unit=tree.mawar.pk))
    assert r.status_code == 200 and not User.objects.filter(username="kader.baru").exists()


def test_admin_creates_pembina_within_kabupaten(tree, login):
    c = login("admin")
    r = c.post(
        reverse("akun:baru"), new_account(username="pembina.grabag2", role="pembina_kecamatan", unit=tree.grabag.pk)
    )
    assert r.status_code == 302
    assert User.objects.get(username="pembina.grabag2").role_assignments.get().unit == tree.grabag
    r = c.post(reverse("akun:baru"), new_account(username="x", role="pembina_kecamatan", unit=tree.kaliboto.pk))
    assert r.status_code == 200 and "harus pada tingkat" in r.content.decode()


def test_deactivate_and_reactivate(tree, login):
    c = login("desa")
    assert c.post(reverse("akun:nonaktifkan", kwargs={"user_id": tree.kader.pk})).status_code == 302
    tree.kader.refresh_from_db()
    assert not tree.kader.is_active
    assert User.objects.filter(pk=tree.kader.pk).exists()
    c.post(reverse("akun:aktifkan", kwargs={"user_id": tree.kader.pk}))
    tree.kader.refresh_from_db()
    assert tree.kader.is_active
    # a desa may not deactivate a ketua kelompok (not a kader) nor itself
    assert c.post(reverse("akun:nonaktifkan", kwargs={"user_id": tree.ketua_rt.pk})).status_code == 403
    assert c.post(reverse("akun:nonaktifkan", kwargs={"user_id": tree.desa.pk})).status_code == 403
    # the admin may
    assert login("admin").post(reverse("akun:nonaktifkan", kwargs={"user_id": tree.desa.pk})).status_code == 302
    tree.desa.refresh_from_db()
    assert not tree.desa.is_active


def test_list_shows_scope_only_with_constant_queries(tree, login, django_assert_max_num_queries):
    c = login("desa")
    r = c.get(reverse("akun:list"))
    html = r.content.decode()
    assert "kader_melati" in html and "kader_kp" not in html and "admin" not in html.split("<main")[1]
    with django_assert_max_num_queries(10) as few:
        c.get(reverse("akun:list"))
    for i in range(15):
        make_user(f"kader.tambahan{i}", Role.KADER, tree.anggrek)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = c.get(reverse("akun:list"))
    assert "kader.tambahan14" in r.content.decode()


def test_detail(tree, login):
    r = login("desa").get(reverse("akun:detail", kwargs={"user_id": tree.kader.pk}))
    assert r.status_code == 200 and "Dasawisma Mawar" in r.content.decode() and "Nonaktifkan" in r.content.decode()


@pytest.mark.parametrize("name", ["detail", "nonaktifkan", "aktifkan"])
def test_outsiders_get_404(tree, login, name):
    target = tree.kader  # an account of Kaliboto
    for persona in ("desa_kp", "kader", "kader_kp", "pembina", "ketua_rt", "nobody"):
        c = login(persona)
        method = c.get if name == "detail" else c.post
        assert method(reverse(f"akun:{name}", kwargs={"user_id": target.pk})).status_code == 404, persona
    tree.kader.refresh_from_db()
    assert tree.kader.is_active


def test_list_and_create_refused_to_non_managers(tree, login):
    for persona in ("kader", "pembina", "ketua_rt"):
        c = login(persona)
        assert c.get(reverse("akun:list")).status_code == 403
        assert c.get(reverse("akun:baru")).status_code == 403


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("list", {}),
        ("baru", {}),
        ("detail", {"user_id": 1}),
        ("nonaktifkan", {"user_id": 1}),
        ("aktifkan", {"user_id": 1}),
    ],
)
def test_anonymous_redirected_to_login(tree, client, name, kwargs):
    r = client.get(reverse(f"akun:{name}", kwargs=kwargs))
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_nav_links(tree, login):
    html = login("desa").get(reverse("wilayah:struktur", kwargs={"unit_id": tree.kaliboto.pk})).content.decode()
    akun = f'href="{reverse("akun:list")}"'
    assert reverse("wilayah:struktur_index") in html and akun in html
    html = login("pembina").get(reverse("home")).content.decode()
    assert akun not in html and reverse("wilayah:struktur_index") not in html
    html = login("admin").get(reverse("home")).content.decode()
    assert akun in html
