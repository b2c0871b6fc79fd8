"""Reads for the case's correspondence page (the caller has already checked the case)."""

from deadlines.selectors import next_deadlines_for

from .models import Bundle, Letter, UpdateRecord


def case_correspondence(*, case) -> dict:
    complainants = list(case.complainants.all())
    clocks = next_deadlines_for(targets=complainants)
    return {
        "letters": Letter.objects.filter(case=case).select_related(
            "template", "sent_by", "pdf", "docx"
        ),
        "updates": UpdateRecord.objects.filter(complainant__case=case).select_related(
            "complainant", "recorded_by", "letter"
        ),
        "bundles": Bundle.objects.filter(case=case).select_related("requested_by")[:5],
        "clocks": [(c, clocks.get(c.pk)) for c in complainants],
    }
