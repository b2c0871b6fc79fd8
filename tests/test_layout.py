"""The shared layout (templates/base.html) on the design systems, issue 22: tab titles that
name the page, the anonymous pages' footer, sign-in pointing to the anonymous report, and the
print stylesheet."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_tab_titles_read_page_then_psd(client, alice):
    assert title(client.get(reverse("login"))) == "Sign in – PSD"
    assert title(client.get(reverse("report:new"))) == "Report wrongdoing anonymously – PSD"
    client.force_login(alice)
    assert title(client.get(reverse("cases:list"))) == "Cases – PSD"
    dashboard = client.get(reverse("accounts:dashboard", args=["investigator"]))
    assert title(dashboard) == "Investigator dashboard – PSD"


def test_a_page_with_form_errors_says_so_in_its_title(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert title(response) == "Error: Sign in – PSD"


def test_sign_in_links_to_the_anonymous_report(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("report:new")}"' in page


def test_the_anonymous_pages_do_not_claim_that_reads_are_recorded(client, alice):
    public = client.get(reverse("report:new")).content.decode()
    footer = public[public.index("<footer") :]
    assert "record nothing about you" in footer and "recorded." not in footer
    client.force_login(alice)
    staff = client.get(reverse("cases:list")).content.decode()
    assert "every read of a case or a person is recorded" in staff[staff.index("<footer") :]


def test_every_page_loads_the_print_stylesheet_which_prints_content_only(client):
    page = client.get(reverse("login")).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', page)
    rules = PRINT_CSS.read_text()
    hidden = rules[: rules.index("{")]
    for selector in (".govuk-service-navigation", ".govuk-footer", "form", ".govuk-button"):
        assert selector in hidden, selector
    assert "display: none !important" in rules


def test_scripts_load_from_a_file_as_a_module(client):
    page = client.get(reverse("login")).content.decode()
    (script,) = re.findall(r"<script[^>]*>", page)  # one, and never inline (CSP)
    assert 'type="module"' in script and re.search(r'src="[^"]*js/psd\.js"', script)
