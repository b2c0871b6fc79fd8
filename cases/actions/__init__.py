"""The actions layer: how a user takes an action on a case, whichever front end they use.

The case page (``cases/views/actions.py``) and the API (``api/views.py``) both go through
``cases.actions.page``: ``attempt`` looks the action up, checks the role and the target,
loads what the case page loads (``page_state``) and builds the action's form; ``Attempt.run``
refuses an action the case's state does not allow now or input the form rejects, then runs
the action's one service (``runs.py``).

Each action declares its input once, as a Django form class in ``forms.py`` (the
``ActionSpec.form`` of ``cases/actions_available.py``): its fields, their types, limits,
choices and validation. The page renders that form; the API binds the same form to the JSON
body, lists its fields in ``GET .../actions/`` and publishes it as the action's OpenAPI
component, all derived by one generic adapter (``api/action_inputs.py``). Changing a form
changes the page, the API and its schema together; ``tests/api/test_action_inputs.py``
checks that every action's form and schema component agree.

Why the form and not a serializer: the form is what validates the input for both front ends
(its ``clean_*`` methods, choices read from the database, the fields it adds per subject
of the case), and it alone can render the page (labels, widgets, help text, errors beside
the field). Deriving a JSON description from it needs only each field's kind; deriving a
form from a serializer would have to invent the page's half.

(Nothing is imported here: ``actions_available`` imports ``forms`` and ``runs``, and
``page`` imports ``actions_available``.)
"""
