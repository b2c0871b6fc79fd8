from django.apps import AppConfig


class DatagenConfig(AppConfig):
    name = "datagen"
    verbose_name = "Synthetic data generator"
