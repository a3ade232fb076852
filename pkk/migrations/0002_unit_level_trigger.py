"""The database refuses a unit whose level does not fit its parent (a trigger on both backends)."""

from django.db import migrations

# (level, allowed parent levels)
PAIRS = {
    "kabupaten": ("provinsi",),
    "kecamatan": ("kabupaten",),
    "desa": ("kecamatan",),
    "dusun": ("desa",),
    "rw": ("desa", "dusun"),
    "rt": ("rw",),
    "dasawisma": ("rt",),
}


def _condition(new: str, parent_level: str) -> str:
    parts = []
    for level, parents in PAIRS.items():
        allowed = ", ".join(f"'{p}'" for p in parents)
        parts.append(f"({new}.level = '{level}' AND {parent_level} IN ({allowed}))")
    return " OR ".join(parts)


PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION pkk_unit_check_parent() RETURNS trigger AS $$
DECLARE parent_level varchar(10);
BEGIN
  IF NEW.parent_id IS NULL THEN
    IF NEW.level <> 'provinsi' THEN
      RAISE EXCEPTION 'unit level % needs a parent', NEW.level USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  SELECT level INTO parent_level FROM pkk_unit WHERE id = NEW.parent_id;
  IF NOT ({_condition("NEW", "parent_level")}) THEN
    RAISE EXCEPTION 'unit level % does not fit parent level %', NEW.level, parent_level
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER pkk_unit_check_parent BEFORE INSERT OR UPDATE OF parent_id, level ON pkk_unit
FOR EACH ROW EXECUTE FUNCTION pkk_unit_check_parent();
"""
PG_BACKWARD = "DROP TRIGGER IF EXISTS pkk_unit_check_parent ON pkk_unit; DROP FUNCTION IF EXISTS pkk_unit_check_parent();"

_SQLITE_PARENT = "(SELECT level FROM pkk_unit WHERE id = NEW.parent_id)"
SQLITE_FORWARD = [
    f"""CREATE TRIGGER pkk_unit_check_parent_{op} BEFORE {op.upper()} ON pkk_unit
    FOR EACH ROW WHEN NEW.parent_id IS NOT NULL AND NOT ({_condition("NEW", _SQLITE_PARENT)})
    BEGIN SELECT RAISE(ABORT, 'unit level does not fit parent level'); END;"""
    for op in ("insert", "update")
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS pkk_unit_check_parent_{op};" for op in ("insert", "update")]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("pkk", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
