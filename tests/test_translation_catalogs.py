"""The Spanish catalogues are complete, current and compiled: no string missing, fuzzy or stale.

Each marked string in the code must be in locale/es/LC_MESSAGES/django.po (or djangojs.po) with a reviewed
Spanish translation, and the committed .mo files must say the same as the .po files (`make messages`
regenerates both).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")


def _catalog(domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / f"{domain}.po"))


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_is_translated_and_none_is_fuzzy(domain):
    catalog = _catalog(domain)
    assert len(catalog) > 0
    missing = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated in {domain}.po, e.g. {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {domain}.po, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_every_placeholder(domain):
    """A translation that drops or renames %(count)s breaks the page in Spanish only."""
    wrong = []
    for entry in _catalog(domain).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            if sorted(PLACEHOLDER.findall(text)) != expected and not (
                entry.msgid_plural and sorted(set(PLACEHOLDER.findall(text))) == sorted(set(expected))
            ):
                wrong.append((entry.msgid, text))
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_matches_its_source(domain):
    source = {(e.msgctxt, e.msgid): e for e in _catalog(domain).translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(LOCALE / f"{domain}.mo"))}
    assert set(source) == set(compiled), "run `make messages`: the .mo files are older than the .po files"
    for key, entry in source.items():
        assert (compiled[key].msgstr, compiled[key].msgstr_plural) == (entry.msgstr, entry.msgstr_plural), key


def test_no_marked_string_is_missing_from_the_catalogue(tmp_path, monkeypatch, settings):
    """Extract the strings afresh (into a copy of the catalogues) and compare: a string marked in code but
    never added to the .po would show in English on a Spanish page."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is not installed: .ci/run installs it")
        pytest.skip("needs GNU gettext's xgettext (`make messages` installs it)")
    # makemessages writes into the locale folder nearest the sources (the project's own, whatever LOCALE_PATHS
    # says): it runs there, and the catalogues are put back as they were afterwards.
    locale = Path(settings.BASE_DIR) / "locale"
    kept = tmp_path / "locale"
    shutil.copytree(locale, kept)
    monkeypatch.chdir(settings.BASE_DIR)
    ignored = ["tests", ".venv", "staticfiles", "node_modules", "test-artifacts"]
    try:
        for domain in DOMAINS:
            call_command(
                "makemessages", locale=["es"], domain=domain, no_obsolete=True, ignore_patterns=ignored, verbosity=0
            )
            fresh = polib.pofile(str(locale / "es" / "LC_MESSAGES" / f"{domain}.po"))
            missing = [e.msgid for e in fresh if not e.obsolete and not e.translated()]
            assert not missing, f"marked in code but not translated in {domain}.po: {missing[:5]}"
    finally:
        shutil.rmtree(locale)
        shutil.copytree(kept, locale)
