"""The dependency declarations agree: pyproject.toml = requirements*.txt (the inputs of ``make lock``), and
every declared package is pinned with hashes in the lock that installs it."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _requirements(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip() and not line.startswith("-")]


def _norm(specs: list[str]) -> set[str]:
    return {str(Requirement(s)).lower().replace("_", "-") for s in specs}


def _locked(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, flags=re.M))
    # Every pin carries at least one hash (pip --require-hashes refuses the file otherwise).
    blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text.split("\n", 2)[2])
    assert all("--hash=sha256:" in b for b in blocks if "==" in b), f"{name}: a pin without a hash"
    return {canonicalize_name(k): v for k, v in pins.items()}


def test_pyproject_declares_what_the_requirement_files_declare():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert _norm(project["dependencies"]) == _norm(_requirements("requirements.txt")), (
        "[project] dependencies in pyproject.toml must equal requirements.txt"
    )
    assert _norm(project["optional-dependencies"]["dev"]) == _norm(_requirements("requirements-dev.txt")), (
        "[project.optional-dependencies] dev in pyproject.toml must equal requirements-dev.txt (without -r)"
    )


def test_locks_pin_every_declared_package_with_hashes():
    prod, dev = _locked("requirements.lock"), _locked("requirements-dev.lock")
    for spec in _requirements("requirements.txt"):
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in prod, f"{req.name} is not in requirements.lock: run `make lock`"
        assert req.specifier.contains(prod[name]), f"{req.name}=={prod[name]} breaks {spec}: run `make lock`"
        assert dev.get(name) == prod[name], f"{req.name}: requirements-dev.lock and requirements.lock differ"
    for spec in _requirements("requirements-dev.txt"):
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in dev, f"{req.name} is not in requirements-dev.lock: run `make lock`"
        assert req.specifier.contains(dev[name]), f"{req.name}=={dev[name]} breaks {spec}: run `make lock`"
    # Production does not install the test tools.
    assert not {"pytest", "hypothesis", "playwright", "ruff"} & set(prod)
