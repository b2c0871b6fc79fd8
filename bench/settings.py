"""The production settings (psd/settings.py, from the environment) with the benchmark's
URLconf: the project's pages plus the throwaway admin of the baselines (bench/urls.py)."""

from psd.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
