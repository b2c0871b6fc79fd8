"""Sections other apps add to a team's page (reporting: the anonymous reports routed to it).

cases never imports those apps: each registers a provider in its AppConfig.ready()
(psd.sections describes providers; here ``obj`` is the team).
"""

from psd.sections import PageSections

team_page = PageSections()
register = team_page.register
sections_for = team_page.sections_for
