from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = "Correspondence"

    def ready(self) -> None:
        from audit.registry import track
        from psd.navigation import NavEntry, register

        from . import models, receivers  # noqa: F401 - connect signal receivers

        register(
            NavEntry("Letters", "correspondence:templates", "correspondence.view_lettertemplate")
        )
        for model in (models.LetterTemplate, models.Letter, models.UpdateRecord, models.Bundle):
            track(model)
