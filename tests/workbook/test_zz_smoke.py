import time
from dasawisma.workbook.sample import write_sample_workbook
from dasawisma.workbook.importer import workbook_import
from dasawisma.models import Warga, RumahTangga, Kehamilan

def test_smoke(tree, tmp_path):
    p = tmp_path / "s.xlsx"
    counts = write_sample_workbook(p, kode_desa="33.06.10.2001", n_warga=2000, seed=3)
    t = time.time()
    res = workbook_import(source=p, actor=tree.desa)
    print(counts, time.time() - t, res.issues[:20], res.new_units[:5], len(res.new_units))
    assert res.ok
    assert Warga.objects.count() == counts["warga"]
