"""The design system (GOV.UK Frontend, MOJ Frontend) is vendored in static/vendor/, built by
`make assets` from pinned npm packages: the committed files are exactly the recorded ones, the
versions are the locked ones, and nothing is fetched from elsewhere (no CDN, no web font)."""

import hashlib
import json
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "static" / "vendor"
ASSETS = ROOT / "assets"


def _recorded() -> dict[str, str]:
    lines = (VENDOR / "CHECKSUMS").read_text().splitlines()
    return {path: digest for digest, path in (line.split("  ", 1) for line in lines if line)}


def test_every_vendored_file_matches_its_recorded_checksum():
    recorded = _recorded()
    present = {
        str(path.relative_to(VENDOR))
        for path in VENDOR.rglob("*")
        if path.is_file() and path.name != "CHECKSUMS"
    }
    assert present == set(recorded), "static/vendor and CHECKSUMS list different files"
    for name, digest in recorded.items():
        actual = hashlib.sha256((VENDOR / name).read_bytes()).hexdigest()
        assert actual == digest, f"static/vendor/{name} differs from CHECKSUMS (run make assets)"


def test_the_versions_are_the_pinned_and_locked_ones():
    package = json.loads((ASSETS / "package.json").read_text())
    lock = json.loads((ASSETS / "package-lock.json").read_text())
    pins = {**package["dependencies"], **package["devDependencies"]}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pins.values()), pins
    versions = [
        line.split(" ")
        for line in (VENDOR / "VERSIONS").read_text().splitlines()
        if not line.startswith("#")
    ]
    assert {name for name, *_ in versions} == {
        "govuk-frontend",
        "@ministryofjustice/frontend",
        "sass",
    }
    for name, version, integrity in versions:
        locked = lock["packages"][f"node_modules/{name}"]
        assert version == pins[name] == locked["version"]
        assert integrity == locked["integrity"]


def test_the_stylesheet_loads_no_font_and_nothing_from_elsewhere():
    css = (VENDOR / "design-system.min.css").read_text()
    assert "@font-face" not in css and "GDS Transport" not in css
    assert "font-family:helvetica,arial,sans-serif" in css
    urls = re.findall(r"url\(\"?([^\")]+)\"?\)", css)
    assert urls, "the stylesheet's images"
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), url
        assert (VENDOR / url).is_file(), f"{url} is not vendored"


def test_pages_load_only_local_styles_and_scripts():
    base = (ROOT / "templates" / "base.html").read_text()
    for tag in re.findall(r"<(?:link|script)\b[^>]*>", base):
        assert "http" not in tag and "//" not in tag.replace("://", ""), tag
    assert "<script>" not in base, "inline script (the CSP refuses it)"
