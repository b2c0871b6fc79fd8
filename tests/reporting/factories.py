"""Reports are made the way reporters make them: through ``report_submit``."""

import factory

from reporting import services


class SubmittedReportFactory(factory.Factory):
    """Builds a report through the service; returns ``Submitted`` (report + receipt code)."""

    class Meta:
        model = services.Submitted

    what = factory.Sequence(lambda n: f"A sergeant altered the custody record, incident {n}.")
    who = "PS 1234 on response team B"
    when = "Last Tuesday night"
    where = "Central custody suite"
    name = ""

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.report_submit(**kwargs)

    _build = _create
