"""Sections other apps add to the person page (cases: history; vetting: clearance).

accounts never imports those apps: each registers a provider in its AppConfig.ready()
(psd.sections describes providers).
"""

from psd.sections import PageSections

person_page = PageSections()
register = person_page.register
sections_for = person_page.sections_for
