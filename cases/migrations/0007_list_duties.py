# The barred and advisory list duties read against Police Act 1996 Part 4A and SI 2017/1135.

import django.db.models.deletion
from django.db import migrations, models

STATUS = models.CharField(
    choices=[
        ("to_report", "To report to the College"),
        ("reported", "Reported"),
        ("to_remove", "Further report to make (removal)"),
        ("removed", "Removed"),
    ],
    default="to_report",
    max_length=10,
)


def further_fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="further_event_on",
            field=models.DateField(
                blank=True,
                help_text="The date of the event that calls for a further report.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name=model_name, name="further_reason", field=models.TextField(blank=True)
        ),
        migrations.AddField(
            model_name=model_name,
            name="further_report_due",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name=model_name,
            name="further_reported_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterField(model_name=model_name, name="status", field=STATUS),
    ]


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_suspension")]

    operations = [
        *further_fields("barredlistentry"),
        *further_fields("advisorylistentry"),
        migrations.AddField(
            model_name="barredlistentry",
            name="paragraph",
            field=models.CharField(
                blank=True,
                choices=[
                    ("a", "s88A(1)(a): police officer or special constable dismissed"),
                    ("b", "s88A(1)(b): former officer or special — would have been dismissed"),
                    ("c", "s88A(1)(c): civilian police employee dismissed"),
                    (
                        "d",
                        "s88A(1)(d): former civilian police employee — would have been "
                        "dismissed",
                    ),
                ],
                max_length=1,
            ),
        ),
        migrations.AddField(
            model_name="barredlistentry",
            name="ground",
            field=models.CharField(
                choices=[
                    ("conduct", "Conduct"),
                    ("performance", "Performance (efficiency or effectiveness)"),
                ],
                default="conduct",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="advisorylistentry",
            name="paragraph",
            field=models.CharField(
                blank=True,
                choices=[
                    (
                        "a",
                        "s88I(1)(a): resigned or retired while an allegation was being dealt "
                        "with",
                    ),
                    ("b", "s88I(1)(b): allegation came to attention after resigning or retiring"),
                    ("c", "s88I(1)(c): volunteer's designation withdrawn"),
                    ("d", "s88I(1)(d): volunteer stopped after an allegation"),
                ],
                max_length=1,
            ),
        ),
        migrations.AddField(
            model_name="advisorylistentry",
            name="track",
            field=models.ForeignKey(
                blank=True,
                help_text="The subject's track in the case whose allegation this entry is about.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="advisory_entries",
                to="cases.subjecttrack",
            ),
        ),
        migrations.AddField(
            model_name="advisorylistentry",
            name="left_on",
            field=models.DateField(
                blank=True, help_text="Reg 12(2)(e)(ii): the date P ceased to serve.", null=True
            ),
        ),
        migrations.AddField(
            model_name="advisorylistentry",
            name="allegation_summary",
            field=models.TextField(
                blank=True,
                help_text="Reg 12(2)(d)(v)/(e)(iv): a summary of the relevant allegation.",
            ),
        ),
        migrations.AddField(
            model_name="advisorylistentry",
            name="proceedings_form",
            field=models.CharField(
                blank=True,
                help_text="Reg 12(2)(d)(vi): the form of the disciplinary proceedings, if brought.",
                max_length=40,
            ),
        ),
        migrations.AddField(
            model_name="advisorylistentry",
            name="removal",
            field=models.CharField(
                blank=True,
                choices=[
                    (
                        "no_proceedings",
                        "Determined that no disciplinary proceedings will be brought",
                    ),
                    ("withdrawn", "Disciplinary proceedings withdrawn"),
                    (
                        "concluded",
                        "Proceedings concluded without a 'would have been dismissed' finding",
                    ),
                ],
                max_length=16,
            ),
        ),
    ]
