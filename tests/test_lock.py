"""The dependency lock: every install (make install, CI, the Docker image) takes exact versions
checked against their hashes, and the lock still satisfies the ranges in pyproject.toml."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


def read_lock(name: str) -> dict[str, tuple[str, int]]:
    """{canonical name: (version, number of hashes)} from a uv/pip-compile hashed lock."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match["name"])
            pins[current] = (match["version"], 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"]
    if extra:
        names = names + project["optional-dependencies"][extra]
    return [Requirement(spec) for spec in names]


@pytest.mark.parametrize(("lock", "extra"), [("base.txt", None), ("dev.txt", "dev")])
def test_lock_pins_every_declared_dependency_within_its_range(lock, extra):
    pins = read_lock(lock)
    assert pins, f"requirements/{lock} holds no pins"
    for requirement in declared(extra):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements/{lock}: run make lock"
        version = pins[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements/{lock} pins {name}=={version}, outside {requirement.specifier}: "
            "run make lock"
        )


@pytest.mark.parametrize("lock", ["base.txt", "dev.txt"])
def test_every_pin_carries_a_hash(lock):
    unhashed = [name for name, (_, hashes) in read_lock(lock).items() if hashes == 0]
    assert unhashed == []


def test_runtime_and_dev_locks_agree_on_shared_versions():
    base, dev = read_lock("base.txt"), read_lock("dev.txt")
    assert set(base) <= set(dev)
    assert {name: base[name][0] for name in base} == {name: dev[name][0] for name in base}


def test_every_declared_dependency_has_an_upper_bound():
    unbounded = [
        str(requirement)
        for requirement in declared("dev")
        if not any(spec.operator in {"<", "<=", "==", "~="} for spec in requirement.specifier)
    ]
    assert unbounded == []


def test_installs_go_through_the_hashed_lock():
    makefile = (ROOT / "Makefile").read_text()
    assert "LOCK := requirements/dev.txt" in makefile
    assert "--require-hashes --no-deps -r $(LOCK)" in makefile
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    assert "--require-hashes --no-deps -r requirements/base.txt" in dockerfile
    assert "pip install ." not in dockerfile
    assert "make lint" in (ROOT / ".ci" / "run").read_text()  # lint runs pip check
