"""Post case-page action forms the way the browser does: prefixed fields and the hidden
fingerprint of what the page showed."""

from django.urls import reverse

from cases.actions.runs import fingerprint


def action_url(case, name, target=None) -> str:
    return reverse("cases:action", args=[case.reference, name, target.pk if target else 0])


def post_action(client, case, name, target=None, expected=None, files=None, **fields):
    obj = target or case
    obj.refresh_from_db()
    prefix = f"{name}-{obj.pk}"
    data = {f"{prefix}-{key}": value for key, value in fields.items()}
    data[f"{prefix}-expected"] = fingerprint(obj) if expected is None else expected
    if files:
        data.update({f"{prefix}-{key}": value for key, value in files.items()})
    return client.post(action_url(case, name, target), data)


def api_action_url(case, name) -> str:
    """The API's address for action ``name`` on ``case``."""
    return f"/api/cases/{case.reference}/actions/{name}/"
