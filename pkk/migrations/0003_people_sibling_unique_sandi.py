# Issue 10 (people): RW/RT numbers stored normalised, active siblings below a desa unique by name, and
# one-time passwords that must be changed at next login.

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


def normalise_and_check(apps, schema_editor):
    """Digit-only RW/RT names become two-digit ("1" -> "01"); then any remaining clash among active
    siblings stops the migration with the list (deciding which of two RW 01 is the real one is for a person:
    deactivate or rename one, then migrate again)."""
    Unit = apps.get_model("pkk", "Unit")
    for unit in Unit.objects.filter(level__in=["rw", "rt"]).only("pk", "name"):
        name = " ".join(unit.name.split())
        if name.isascii() and name.isdigit() and int(name) > 0 and name != f"{int(name):02d}":
            Unit.objects.filter(pk=unit.pk).update(name=f"{int(name):02d}")
    seen: dict[tuple, int] = {}
    clashes = []
    rows = Unit.objects.filter(is_active=True, level__in=["dusun", "rw", "rt", "dasawisma"]).values_list(
        "pk", "parent_id", "level", "name"
    )
    for pk, parent_id, level, name in rows.iterator():
        key = (parent_id, level, name.lower())
        if key in seen:
            clashes.append(f"{level} “{name}” (id {seen[key]} dan {pk}) di bawah wilayah id {parent_id}")
        else:
            seen[key] = pk
    if clashes:
        raise RuntimeError(
            "Wilayah aktif dengan nama/nomor kembar di bawah induk yang sama; nonaktifkan atau ganti nama salah "
            "satunya lalu jalankan migrate lagi:\n" + "\n".join(clashes[:50])
        )


class Migration(migrations.Migration):

    dependencies = [
        ('pkk', '0002_unit_level_trigger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(normalise_and_check, migrations.RunPython.noop),
        migrations.CreateModel(
            name='SandiSementara',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('must_change', models.BooleanField(default=True)),
                ('reset_at', models.DateTimeField()),
                ('changed_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'kata sandi sementara',
                'verbose_name_plural': 'kata sandi sementara',
            },
        ),
        migrations.AddConstraint(
            model_name='unit',
            constraint=models.UniqueConstraint(models.F('parent'), models.F('level'), django.db.models.functions.text.Lower('name'), condition=models.Q(('is_active', True), ('level__in', ['dusun', 'rw', 'rt', 'dasawisma'])), name='unit_sibling_name_unique'),
        ),
        migrations.AddField(
            model_name='sandisementara',
            name='reset_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='sandisementara',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='sandi_sementara', to=settings.AUTH_USER_MODEL),
        ),
    ]
