"""A poetry plugin that points poetry's PyPI repository at the e2e tier's PyPI stand-in.

pip and pipenv have a mirror setting (the stand-in images' /etc/pip.conf, PIPENV_PYPI_MIRROR); poetry
1.x has none: it calls pypi.org itself. Organisations behind a firewall give poetry a plugin that
swaps the repository, and so does the stand-in: pypi-standin.py packs this file as the distribution
stageopt-standin-poetry-mirror, which the stand-in's poetry wheel requires, so `pip install poetry`
brings it along and a fixture app's Dockerfile says nothing about it.

It reads the index pip reads (PIP_INDEX_URL, else /etc/pip.conf's index-url) and replaces the
repository poetry calls "pypi", under that name and with its priority: a poetry.lock whose packages
name no source is installed from the repository called "pypi" (poetry/installation/chooser.py).
"""
import configparser
import os

from poetry.plugins.plugin import Plugin
from poetry.repositories.legacy_repository import LegacyRepository
from poetry.repositories.repository_pool import Priority


def pip_index_url():
    url = os.environ.get("PIP_INDEX_URL")
    if url:
        return url
    config = configparser.ConfigParser()
    config.read(["/etc/pip.conf"])
    return config.get("global", "index-url", fallback=None)


class PyPIStandIn(LegacyRepository):
    def __init__(self, url, config, disable_cache):
        # LegacyRepository refuses the name "pypi", which is the name the lock's packages are found by.
        super().__init__("pypi-stand-in", url, config=config, disable_cache=disable_cache)
        self._name = "pypi"

    # Its packages carry no source, as PyPiRepository's do: a lock made against the stand-in is the
    # lock PyPI would give (LegacyRepository marks them "legacy", with the stand-in's URL).
    def package(self, name, version, extras=None):
        return as_pypi(super().package(name, version, extras))

    def _find_packages(self, name, constraint):
        return [as_pypi(p) for p in super()._find_packages(name, constraint)]


def as_pypi(package):
    package._source_type = package._source_url = package._source_reference = None
    return package


class StandInMirror(Plugin):
    def activate(self, poetry, io):
        url = pip_index_url()
        if not url or not poetry.pool.has_repository("pypi"):
            return
        priority = poetry.pool._repositories["pypi"].priority
        poetry.pool.remove_repository("pypi")
        poetry.pool.add_repository(PyPIStandIn(url, poetry.config, poetry.disable_cache),
                                   default=priority is Priority.DEFAULT,
                                   secondary=priority is Priority.SECONDARY)
        if io.is_debug():
            io.write_line(f"PyPI stand-in: poetry's pypi repository is {url}")
