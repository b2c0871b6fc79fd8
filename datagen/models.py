"""The marker of a generated dataset: the benchmark reuses a database holding the scale and
seed it asks for instead of generating again."""

from django.db import models


class GeneratedDataset(models.Model):
    allegations = models.PositiveIntegerField()
    people = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    generator_version = models.PositiveSmallIntegerField(default=1)
    anchor = models.DateField(help_text="The data's 'today': deadlines and ages count from it.")
    seconds = models.FloatField(help_text="Time the generation took.")
    counts = models.JSONField(default=dict, help_text="Rows written per table.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.allegations:,} allegations, {self.people:,} people, seed {self.seed}"
