# The advisory-list reason for a volunteer who stops volunteering after an allegation came to
# attention (Police Act 1996 s88I(1)(d)).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_search_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="advisorylistentry",
            name="reason",
            field=models.CharField(
                choices=[
                    ("resigned", "Resigned while under investigation or proceedings"),
                    ("retired", "Retired while under investigation or proceedings"),
                    ("volunteer", "Volunteer whose designation was withdrawn"),
                    ("stopped", "Volunteer who stopped volunteering after an allegation"),
                ],
                max_length=10,
            ),
        ),
    ]
