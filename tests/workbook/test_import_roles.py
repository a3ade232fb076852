"""Issue 10: pembina and admin read dasawisma data, they do not write it (DOMAIN.md section 2): no import
form for them, and the import refuses them; the menu names the page in Indonesian."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("persona, can_import, menu", [
    ("desa", True, "Impor/Ekspor Data"),
    ("pembina", False, "Ekspor Data"),
    ("admin", False, "Ekspor Data"),
    ("kader", False, "Ekspor Data"),
])  # fmt: skip
def test_import_form_only_for_the_desa(tree, persona, can_import, menu):
    c = _client(getattr(tree, persona))
    html = c.get(reverse("dasawisma:workbook")).content.decode()
    assert ('enctype="multipart/form-data"' in html) is can_import
    assert f">{menu}</a>" in html and ">Workbook</a>" not in html
    if not can_import:
        upload = SimpleUploadedFile("a.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
        assert c.post(reverse("dasawisma:workbook"), {"berkas": upload}).status_code == 403
    # Export stays open to every reader of its scope.
    assert 'action="/data/workbook/ekspor/' in html
