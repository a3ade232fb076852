# Issue 10 (people): where a warga moved to (free text, optional).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dasawisma', '0005_merge_security_jobs'),
    ]

    operations = [
        migrations.AddField(
            model_name='warga',
            name='pindah_ke',
            field=models.CharField(blank=True, default='', max_length=200),
        ),
    ]
