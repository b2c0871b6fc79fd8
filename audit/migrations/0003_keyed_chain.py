"""The keyed chain (issue 20): seals and the sealing queue.

Cut-over: entries already in the trail keep their unkeyed SHA-256 link (``prev_hash``/``hash``
filled, ``seq`` 1..n); audit_verify checks them as before. From here on the insert trigger
(reinstalled after migrate) only numbers and queues an entry; the sealer gives it a seal whose
position continues from n and whose first link points at the last old hash, so the old chain's
head is covered by the first HMAC: recomputing the old entries breaks that link.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_grants_and_retention_policies'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditPending',
            fields=[
                ('entry_id', models.BigIntegerField(primary_key=True, serialize=False)),
            ],
        ),
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('position', models.BigIntegerField(primary_key=True, serialize=False)),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64)),
                ('sealed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('entry', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='seal', to='audit.auditentry')),
            ],
            options={
                'ordering': ['position'],
            },
        ),
    ]
