"""Sections other apps add to the person page (cases: history; vetting: clearance).

accounts never imports those apps: each registers a provider in its AppConfig.ready().
A provider is ``provider(request, person) -> dict | None``: the dict holds ``template`` (an
include) and the context it needs; None leaves the section out (e.g. no permission).
"""

from collections.abc import Callable

PROVIDERS: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def sections_for(request, person) -> list[dict]:
    return [s for s in (provider(request, person) for provider in PROVIDERS) if s]
