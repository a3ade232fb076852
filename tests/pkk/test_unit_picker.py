import re

import pytest
from django.urls import reverse

from pkk.forms import AccountCreateForm, UnitPickerField
from pkk.models import Level, Unit
from pkk.services import unit_create

pytestmark = pytest.mark.django_db

URL = reverse("wilayah:unit_search")
HX = {"HTTP_HX_REQUEST": "true"}


def ids_in(response):
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'data-unit-id="(\d+)"', response.content.decode())}


def test_kader_sees_only_its_dasawisma(tree, login):
    c = login("kader")
    r = c.get(URL, {"q": "a"})  # shorter than 2: nothing
    assert ids_in(r) == set()
    for q in ("Mawar", "Melati", "Kenanga", "Dahlia", "01", "33"):
        r = c.get(URL, {"q": q}, **HX)
        assert r.status_code == 200
        assert ids_in(r) <= {tree.mawar.pk}
    assert ids_in(c.get(URL, {"q": "Mawar"}, **HX)) == {tree.mawar.pk}


def test_desa_never_sees_other_desa_units(tree, login):
    c = login("desa_kp")
    r = c.get(URL, {"q": "01"}, **HX)
    assert ids_in(r) == {tree.kp_rw1.pk, tree.kp_rt1.pk}
    r = c.get(URL, {"q": "33.06"}, **HX)
    assert ids_in(r) == {tree.kedungpucang.pk}
    assert ids_in(c.get(URL, {"q": "Kaliboto"}, **HX)) == set()
    assert ids_in(c.get(URL, {"q": "Kaliboto"})) == set()


def test_level_filter_and_htmx_fragment(tree, login):
    c = login("admin")
    r = c.get(URL, {"q": "01", "level": "rt"}, **HX)
    assert ids_in(r) == {tree.rt1.pk, tree.kp_rt1.pk, tree.hb_rt1.pk}
    assert b"<html" not in r.content and b"data-unit-id" in r.content
    assert ids_in(c.get(URL, {"q": "01", "level": "kota"})) == set()  # unknown level: no results


def test_inactive_units_are_not_offered(tree, login):
    from pkk.services import unit_set_active

    unit_set_active(unit=tree.melati, active=False)
    assert ids_in(login("desa").get(URL, {"q": "Melati"}, **HX)) == set()


def test_results_capped_at_20_and_query_count_constant(tree, login, django_assert_max_num_queries):
    for i in range(30):
        unit_create(level=Level.DASAWISMA, name=f"Sakura {i}", parent=tree.rt2)
    c = login("desa")
    c.get(URL, {"q": "Sakura"}, **HX)  # warm up (session, content types)
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for q in ("Sakura", "Sakura 1", "Mawar", "zzz"):
        with CaptureQueriesContext(connection) as ctx:
            c.get(URL, {"q": q}, **HX)
        counts.append(len(ctx.captured_queries))
    assert len(ids_in(c.get(URL, {"q": "Sakura"}, **HX))) == 20
    assert len(set(counts)) == 1, counts
    with django_assert_max_num_queries(5):
        c.get(URL, {"q": "Sakura"}, **HX)


def test_plain_search_page_without_js_links_back(tree, login):
    c = login("desa")
    r = c.get(URL, {"q": "Mawar", "field": "unit", "next": "/akun/baru/"})
    assert r.status_code == 200 and b"<html" in r.content
    assert f"/akun/baru/?unit={tree.mawar.pk}".encode() in r.content
    # an offsite next is ignored
    r = c.get(URL, {"q": "Mawar", "field": "unit", "next": "https://evil.example/"})
    assert b"evil.example" not in r.content


def test_account_without_roles_is_refused(tree, login):
    assert login("nobody").get(URL, {"q": "Mawar"}).status_code == 403


def test_anonymous_is_sent_to_login(tree, client):
    r = client.get(URL, {"q": "Mawar"})
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_picker_field_refuses_unit_outside_scope(tree):
    field = UnitPickerField(user=tree.desa, levels=(Level.DASAWISMA,))
    assert field.clean(str(tree.mawar.pk)) == tree.mawar
    from django.core.exceptions import ValidationError

    for outside in (tree.kenanga, tree.rt1):  # other desa; right desa but wrong level
        with pytest.raises(ValidationError):
            field.clean(str(outside.pk))


def test_picker_widget_renders_selected_label_only_in_scope(tree):
    form = AccountCreateForm(viewer=tree.desa, role_choices=[("kader", "Kader")], initial={"unit": tree.mawar.pk})
    html = str(form["unit"])
    assert "Dasawisma Mawar" in html and 'hx-get="/wilayah/cari/"' in html and 'href="/wilayah/cari/?' in html
    form = AccountCreateForm(viewer=tree.desa, role_choices=[("kader", "Kader")], initial={"unit": tree.kenanga.pk})
    assert "Kenanga" not in str(form["unit"])
    assert Unit.objects.filter(pk=tree.kenanga.pk).exists()


def test_large_ids_are_not_localised(tree, login):
    """USE_THOUSAND_SEPARATOR is on: an id must never render as 1.234.567 in the picker."""
    from pkk.models import path_segment

    big = Unit.objects.create(pk=1234567, level=Level.DASAWISMA, name="Bougenvil", parent=tree.rt2)
    Unit.objects.filter(pk=big.pk).update(path=tree.rt2.path + path_segment(big.pk))
    c = login("desa")
    assert ids_in(c.get(URL, {"q": "Bougenvil"}, **HX)) == {1234567}
    assert ids_in(c.get(URL, {"q": "Bougenvil"})) == {1234567}
    form = AccountCreateForm(viewer=tree.desa, role_choices=[("kader", "Kader")], initial={"unit": 1234567})
    assert 'value="1234567"' in str(form["unit"])
