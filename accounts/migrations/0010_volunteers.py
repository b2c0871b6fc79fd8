# Designated police volunteers (Police Reform Act 2002 s38(1A)) and how they leave: the
# designation withdrawn (with its grounds) or a decision to stop volunteering (with the date
# it came to attention), for the advisory-list duties of Police Act 1996 s88I(1)(c)-(d).

from django.db import migrations, models

STATUSES = [
    ("serving", "Serving"),
    ("suspended", "Suspended"),
    ("resigned", "Resigned"),
    ("retired", "Retired"),
    ("dismissed", "Dismissed"),
    ("withdrawn", "Designation withdrawn"),
    ("stopped", "Stopped volunteering"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_person_detective"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="role_type",
            field=models.CharField(
                choices=[
                    ("officer", "Police officer"),
                    ("special", "Special constable"),
                    ("pcso", "PCSO"),
                    ("staff", "Police staff"),
                    ("csv", "Community support volunteer"),
                    ("psv", "Policing support volunteer"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="status",
            field=models.CharField(choices=STATUSES, default="serving", max_length=10),
        ),
        migrations.AlterField(
            model_name="personstatuschange",
            name="status",
            field=models.CharField(choices=STATUSES, max_length=10),
        ),
        migrations.AddField(
            model_name="personstatuschange",
            name="grounds",
            field=models.CharField(
                blank=True,
                choices=[
                    ("conduct", "A reason relates to conduct"),
                    ("efficiency", "A reason relates to efficiency or effectiveness"),
                    ("other", "No reason relates to conduct, efficiency or effectiveness"),
                ],
                help_text="A volunteer's designation withdrawn: do the reasons relate to "
                "conduct, efficiency or effectiveness? (Police Act 1996 s88I(1)(c))",
                max_length=10,
                verbose_name="grounds for withdrawal",
            ),
        ),
        migrations.AddField(
            model_name="personstatuschange",
            name="noticed_on",
            field=models.DateField(
                blank=True,
                help_text="A volunteer's decision to stop volunteering: the date it came to the "
                "force's attention (Barred List Regs 2017 reg 12(1)(b)).",
                null=True,
                verbose_name="came to attention on",
            ),
        ),
    ]
