"""The report table is built in Python (reporting.views._thead_html/_tbody_html/_tfoot_html) for speed:
the markup must be what the per-cell template loop produced, and every text must be escaped."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.urls import reverse

from pkk.models import Unit

from .conftest import BULAN, TAHUN, login, parse_table

pytestmark = pytest.mark.django_db

# The table as the template rendered it before (kept here as the reference; long lines as they were).
# ruff: noqa: E501
REFERENCE = """{% load l10n %}{% localize off %}<table>
    <thead>
      {% for header_row in report.header_rows %}
      <tr>
        {% for label, cell in header_row %}<th scope="col"{% if cell.colspan > 1 %} colspan="{{ cell.colspan }}"{% endif %}{% if cell.rowspan > 1 %} rowspan="{{ cell.rowspan }}"{% endif %}>{{ label }}</th>{% endfor %}
      </tr>
      {% endfor %}
      <tr class="colnum">{% for n in report.column_numbers %}<th scope="col">{{ n }}</th>{% endfor %}</tr>
    </thead>
    <tbody>
      {% for row, url in rows %}
      <tr{% if url %} class="rekap-link"{% endif %} data-row="{{ row.no }}">
        {% for cell in row.cells %}
          {% if cell.col.kind == 'name' %}
            <td class="name">{% if url %}<a class="stretched-link" href="{{ url }}">{{ cell.display }}</a>{% else %}{{ cell.display }}{% endif %}</td>
          {% elif cell.col.kind == 'no' %}<td class="no">{{ cell.display }}</td>
          {% elif cell.col.kind == 'mark' %}<td class="num tick">{% if cell.value %}✓{% endif %}</td>
          {% elif cell.numeric %}<td class="num">{{ cell.display }}</td>
          {% else %}<td>{{ cell.display }}</td>{% endif %}
        {% endfor %}
      </tr>
      {% empty %}
      {% if layout.is_list and layout.buku == 'buku3' %}<tr><td colspan="{{ layout.width }}" class="nihil">NIHIL</td></tr>{% else %}
      <tr><td colspan="{{ layout.width }}" class="text-muted">Belum ada {% if layout.is_list %}catatan{% else %}unit terdaftar di bawah {{ unit.label }}{% endif %}.</td></tr>{% endif %}
      {% endfor %}
    </tbody>
    <tfoot>
      <tr class="fw-bold jumlah">
        {% for cell in report.jumlah %}
          {% if cell.numeric %}<td class="num">{{ cell.display }}</td>{% else %}<td>{{ cell.display }}</td>{% endif %}
        {% endfor %}
      </tr>
    </tfoot>
  </table>{% endlocalize %}"""


def _norm(html: str) -> str:
    table = re.search(r"<table.*?</table>", html, re.S).group(0)
    table = table.replace(' class="v"', "")  # upright print labels: checked in test_upright_print_labels
    table = re.sub(r"<table[^>]*>", "<table>", table, count=1)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", table)).strip()


def _pages(tree):
    for key in ("mawar", "rt1", "rw1", "krajan", "kaliboto", "kedungpucang", "bener", "kab"):
        unit = getattr(tree, key)
        yield reverse("reporting:rekap_tahunan", kwargs={"unit_id": unit.pk, "tahun": TAHUN})
        yield reverse("reporting:rekap_bulanan", kwargs={"unit_id": unit.pk, "bulan": f"{BULAN:%Y-%m}"})


def test_table_markup_is_what_the_template_loop_made(seeded):
    reference = engines["django"].from_string(REFERENCE)
    client = login(seeded.admin)
    compared = 0
    for url in _pages(seeded):
        response = client.get(url)
        assert response.status_code == 200, url
        expected = reference.render(response.context[0].flatten(), response.wsgi_request)
        assert _norm(response.content.decode()) == _norm(expected), url
        compared += 1
    assert compared == 16


def test_upright_print_labels(seeded):
    html = (
        login(seeded.admin)
        .get(reverse("reporting:rekap_tahunan", kwargs={"unit_id": seeded.kab.pk, "tahun": TAHUN}))
        .content.decode()
    )
    assert '<th scope="col" rowspan="2" class="v">PEMANFAATAN TANAH PEKARANGAN</th>' in html
    assert '<th scope="col" rowspan="2">PUS</th>' in html  # short labels lie flat


def test_empty_report_says_so(tree):
    # A new RT without dasawisma: no rows, the message names the unit.
    rt = Unit.objects.get(pk=tree.rt1.pk)
    Unit.objects.filter(parent=rt).update(is_active=False)
    html = login(tree.admin).get(reverse("reporting:rekap_tahunan", kwargs={"unit_id": rt.pk, "tahun": TAHUN}))
    assert f"Belum ada unit terdaftar di bawah {rt.label}." in html.content.decode()


def test_unit_names_are_escaped(seeded):
    Unit.objects.filter(pk=seeded.mawar.pk).update(name='Mawar <b>&"x"')
    html = (
        login(seeded.admin)
        .get(reverse("reporting:rekap_tahunan", kwargs={"unit_id": seeded.rt1.pk, "tahun": TAHUN}))
        .content.decode()
    )
    assert "Mawar &lt;b&gt;&amp;&quot;x&quot;" in html
    assert "<b>&" not in html
    names = [row[1] for row in parse_table(html).rows["tbody"]]
    assert 'Mawar <b>&"x"' in names  # the parser unescapes: the text shown is the name


def test_header_follows_the_name_label_of_each_page(seeded):
    # 4.17a: the same layout has two name-column headers (dusun or RW); the cached header must not leak.
    client = login(seeded.admin)
    for unit, label in (
        (seeded.kedungpucang, "NOMOR RW"),
        (seeded.kaliboto, "NAMA DUSUN/LINGKUNGAN"),
        (seeded.kedungpucang, "NOMOR RW"),
    ):
        html = client.get(reverse("reporting:rekap_tahunan", kwargs={"unit_id": unit.pk, "tahun": TAHUN}))
        thead = parse_table(html.content.decode()).rows["thead"][0]
        assert label in thead
        assert ({"NOMOR RW", "NAMA DUSUN/LINGKUNGAN"} - {label}).isdisjoint(thead)


def test_row_links_point_to_each_childs_report(seeded):
    html = (
        login(seeded.admin)
        .get(reverse("reporting:rekap_bulanan", kwargs={"unit_id": seeded.kab.pk, "bulan": f"{BULAN:%Y-%m}"}))
        .content.decode()
    )
    links = parse_table(html).links
    children = Unit.objects.filter(parent=seeded.kab, is_active=True)
    assert links and set(links) == {
        reverse("reporting:rekap_bulanan", kwargs={"unit_id": c.pk, "bulan": f"{BULAN:%Y-%m}"}) for c in children
    }
