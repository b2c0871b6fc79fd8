"""Sections one app adds to another app's page, without the page's app importing it.

A page owns a ``PageSections``; other apps register providers in their AppConfig.ready().
A provider is ``provider(request, obj) -> dict | None``: the dict holds ``template`` (an
include) and the context it needs; None leaves the section out (e.g. no permission).
"""

from collections.abc import Callable


class PageSections:
    def __init__(self) -> None:
        self._providers: list[Callable] = []

    def register(self, provider: Callable) -> None:
        if provider not in self._providers:
            self._providers.append(provider)

    def sections_for(self, request, obj) -> list[dict]:
        return [s for s in (provider(request, obj) for provider in self._providers) if s]
