# The advisory-list reason for a volunteer who stops volunteering after an allegation came to
# attention (Police Act 1996 s88I(1)(d)); room in the copied role type for "Community support
# volunteer" (reg 12(2)(f)(i)).

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
        migrations.AlterField(
            model_name="advisorylistentry",
            name="role_type",
            field=models.CharField(max_length=40),
        ),
        migrations.AlterField(
            model_name="barredlistentry",
            name="role_type",
            field=models.CharField(max_length=40),
        ),
    ]
