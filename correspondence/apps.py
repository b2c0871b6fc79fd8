from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = "Correspondence"

    def ready(self) -> None:
        from audit.registry import track

        from . import models, receivers  # noqa: F401 - connect signal receivers

        for model in (models.LetterTemplate, models.Letter, models.UpdateRecord, models.Bundle):
            track(model)
