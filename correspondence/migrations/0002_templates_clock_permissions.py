"""The first version of each letter template, the keep-informed clock and who may edit
templates. Template text is data: PSD edits it on the templates page (each edit a new
version); these are the starting texts."""

from django.db import migrations

from accounts.migration_utils import grant, revoke

REVIEW = (
    "If you are not satisfied with the outcome you may apply for a review to $review_body. "
    "Your application must be made by $review_deadline (28 days beginning with the day after "
    "this letter was sent, Police (Complaints and Misconduct) Regulations 2020 reg 29) and "
    "should say why you are not satisfied and quote reference $reference."
)

TEMPLATES = {
    "acknowledgement": (
        "Your complaint – reference $reference",
        "Dear $recipient_name,\n\n"
        "Thank you for your complaint, which we received on $received_on. Its reference is "
        "$reference: please quote it whenever you contact us.\n\n"
        "You told us:\n$case_summary\n\n"
        "We will now decide how your complaint is to be handled and will write to you again. "
        "We will keep you informed of its progress.\n\n"
        "Yours sincerely,\n\nProfessional Standards Department\n$force_name",
    ),
    "recording_decision": (
        "Your complaint $reference – recording decision",
        "Dear $recipient_name,\n\n"
        "We have $decision.\n\nReasons: $reasons\n\n"
        "Yours sincerely,\n\nProfessional Standards Department\n$force_name",
    ),
    "allegation_summary": (
        "Your complaint $reference – summary of allegations",
        "Dear $recipient_name,\n\n"
        "This is our summary of the allegations in your complaint received on $received_on:\n\n"
        "$allegations\n\n"
        "If anything is missing or wrong, please tell us quoting $reference.\n\n"
        "Yours sincerely,\n\nProfessional Standards Department\n$force_name",
    ),
    "outside_sch3": (
        "Your complaint $reference – how it will be handled",
        "Dear $recipient_name,\n\n"
        "We will handle your complaint outside Schedule 3 to the Police Reform Act 2002, "
        "which means we will try to resolve it quickly and to your satisfaction.\n\n"
        "Why: $reasons\n\n"
        "You may ask us at any time to record your complaint formally under Schedule 3 "
        "instead.\n\n"
        "Yours sincerely,\n\nProfessional Standards Department\n$force_name",
    ),
    "update": (
        "Your complaint $reference – progress update",
        "Dear $recipient_name,\n\n"
        "We are writing to keep you informed about your complaint $reference.\n\n$progress\n\n"
        "We will write to you again within 28 days, or sooner if there is news.\n\n"
        "Yours sincerely,\n\nProfessional Standards Department\n$force_name",
    ),
    "reg17_notice": (
        "Notice of investigation (Police (Conduct) Regulations 2020 reg 17) – $reference",
        "To $officer_name\n\n"
        "Your conduct is being investigated. The investigator is $investigator_name.\n\n"
        "The conduct under investigation:\n$conduct\n\n"
        "Standards of Professional Behaviour said to be breached: $standards\n\n"
        "The appropriate authority has assessed this conduct, if proved, as $severity. If the "
        "matter were referred to misconduct proceedings, they would likely be $likely_forum; "
        "you will be told, with reasons, if that changes.\n\n"
        "You may seek advice from your staff association or any other body, and may choose a "
        "police friend. If the case goes to a misconduct hearing you may be legally "
        "represented.\n\n"
        "You may provide a written or oral statement and any relevant documents by "
        "$representations_due (10 working days, reg 18). You do not have to say anything, "
        "but it may harm your case if you do not mention something you later rely on.\n\n"
        "Professional Standards Department\n$force_name",
    ),
    "referral_notice": (
        "Referral to misconduct proceedings – $reference",
        "To $officer_name\n\n"
        "The following conduct has been referred to a $forum, to be held on "
        "$proceedings_date:\n\n$conduct\n\n"
        "Standards of Professional Behaviour said to be breached: $standards\n"
        "Severity: $severity\n\n"
        "Professional Standards Department\n$force_name",
    ),
    "outcome": (
        "Your complaint $reference – outcome",
        "Dear $recipient_name,\n\n"
        "We have finished handling your complaint $reference.\n\nOutcome: $result\n\n"
        "$outcomes\n\n" + REVIEW + "\n\n"
        "Yours sincerely,\n\nProfessional Standards Department\n$force_name",
    ),
    "review_result": (
        "Your review – complaint $reference",
        "Dear $recipient_name,\n\n"
        "$review_body decided your application for a review on $decided_on.\n\n"
        "Result: $review_result\n\n$recommendations\n\n"
        "Yours sincerely,\n\nProfessional Standards Department\n$force_name",
    ),
    "withdrawal": (
        "Your complaint $reference – withdrawal confirmed",
        "Dear $recipient_name,\n\n"
        "We confirm that your complaint $reference was withdrawn on $withdrawn_on "
        "($reasons). We will take no further action on it as a complaint.\n\n"
        "Yours sincerely,\n\nProfessional Standards Department\n$force_name",
    ),
    "barred_list_report": (
        "Barred list report (Police Act 1996 s 88A) – $full_name",
        "To the College of Policing\n\n"
        "Report under section 88A of the Police Act 1996 (Barred List Regs 2017 reg 3).\n\n"
        "Full name: $full_name\nPolice force concerned: $force\nDate of birth: $date_of_birth\n"
        "Role at the relevant time: $role_at_time\nRank: $rank\nWarrant or staff number: "
        "$number\nDate of the dismissal or finding: $event_date\n\n"
        "Reasons, with a description of the conduct:\n$reasons\n\n"
        "Standards of Professional Behaviour breached: $standards\n\n"
        "Earlier advisory list report: $advisory_report\n\n"
        "Professional Standards Department\n$force_name (PSD reference $reference)",
    ),
    "advisory_list_report": (
        "Advisory list report (Police Act 1996 s 88I) – $full_name",
        "To the College of Policing\n\n"
        "Report under section 88I of the Police Act 1996 (Barred List Regs 2017 reg 12).\n\n"
        "Full name: $full_name\nPolice force concerned: $force\nDate of birth: $date_of_birth\n"
        "Role at the relevant time: $role_at_time\nRank: $rank\nWarrant or staff number: "
        "$number\nDate of the relevant event: $event_date\nHow the person left: $reason\n\n"
        "Summary of the relevant allegation:\n$allegation_summary\n\n"
        "Professional Standards Department\n$force_name (PSD reference $reference)",
    ),
}

# IOPC Statutory Guidance on the police complaints system (2020): keep the complainant
# informed at least every 28 days. UNVERIFIED: the guidance's text was not found when this was
# written. The 2012 regime's Police (Complaints and Misconduct) Regulations 2012 reg 32(5)(a)
# required progress "within four weeks of the previous notification" (verified on
# legislation.gov.uk/uksi/2012/62/regulation/32). Calendar days, counted from the last update.
KIND = {
    "code": "complainant_update",
    "name": "Keep the complainant informed",
    "unit": "calendar_days",
    "amount": 28,
    "counting": "after",
    "reminder_days": "7,2",
    "escalate_when_overdue": True,
    "citation": (
        "IOPC Statutory Guidance 2020 (unverified): update the complainant at least every 28 "
        "days; cf. C&M Regs 2012 reg 32(5)(a): within four weeks of the previous notification"
    ),
}

GRANTS = {
    "Investigator": ["view_lettertemplate"],
    "Supervisor": ["view_lettertemplate", "edit_lettertemplate"],
    "Appropriate authority": ["view_lettertemplate", "edit_lettertemplate"],
    "Analyst / auditor": ["view_lettertemplate"],
}


def forwards(apps, schema_editor):
    LetterTemplate = apps.get_model("correspondence", "LetterTemplate")
    for kind, (subject, body) in TEMPLATES.items():
        LetterTemplate.objects.get_or_create(
            kind=kind, version=1,
            defaults={"subject": subject, "body": body, "change_note": "First version"},
        )
    DeadlineKind = apps.get_model("deadlines", "DeadlineKind")
    DeadlineKind.objects.update_or_create(code=KIND["code"], defaults=KIND)
    grant(apps, "correspondence", GRANTS)


def backwards(apps, schema_editor):
    revoke(apps, "correspondence", GRANTS)
    apps.get_model("deadlines", "DeadlineKind").objects.filter(code=KIND["code"]).delete()
    apps.get_model("correspondence", "LetterTemplate").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0001_initial"),
        ("deadlines", "0003_sweep_schedule"),
        ("accounts", "0005_person_prefix_search_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
