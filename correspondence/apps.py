from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = "Correspondence"

    def ready(self) -> None:
        from accounts.navigation import NavEntry, register
        from audit.registry import track

        from . import models, receivers  # noqa: F401 - connect signal receivers

        register(
            NavEntry("Letters", "correspondence:templates", "correspondence.view_lettertemplate")
        )
        for model in (models.LetterTemplate, models.Letter, models.UpdateRecord, models.Bundle):
            track(model)
