"""Kyrgyz, Russian and English are complete: every msgid has a real ru and ky translation, and none is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

LOCALE = Path(settings.LOCALE_PATHS[0])
PACKAGE = LOCALE.parent


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_every_msgid_has_a_translation(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"{lang}: {len(missing)} untranslated or fuzzy: {missing[:10]}"
    assert len(po) > 100


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_translations_are_cyrillic_and_keep_their_placeholders(lang):
    import re

    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    placeholder = re.compile(r"%\(\w+\)s|%s|%d")
    for entry, msgstr in ((e, s) for e in po for s in (e.msgstr_plural.values() if e.msgid_plural else [e.msgstr])):
        assert sorted(placeholder.findall(msgstr)) == sorted(placeholder.findall(entry.msgid)), entry.msgid
        prose = re.sub(r"<[^>]+>", "", placeholder.sub("", msgstr))
        letters = [c for c in prose if c.isalpha()]
        cyrillic = [c for c in letters if "\u0400" <= c <= "\u04ff"]
        # Acronyms and names (UNODC, API, ctip) may stay Latin; a sentence may not.
        if len(letters) > 12:
            assert len(cyrillic) / len(letters) > 0.6, (lang, entry.msgid, msgstr)


def test_kyrgyz_uses_its_own_letters():
    text = " ".join(e.msgstr for e in polib.pofile(str(LOCALE / "ky" / "LC_MESSAGES" / "django.po")))
    assert {"ң", "ө", "ү"} <= set(text.lower())


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_the_catalogues_hold_every_string_in_the_code(tmp_path):
    """Extract the messages afresh into a copy and compare: a new string without a translation fails here."""
    copy = tmp_path / "ctip"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
    committed_text = (LOCALE / "ru" / "LC_MESSAGES" / "django.po").read_bytes()
    # The copy is imported first, so its settings point makemessages at the copy's catalogues, not ours.
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "CTIP_VAR_DIR": str(tmp_path / "var")}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ctip",
            "makemessages",
            "-l",
            "ru",
            "--no-obsolete",
            "--no-location",
            "--ignore=tests/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env=env,
    )
    assert (LOCALE / "ru" / "LC_MESSAGES" / "django.po").read_bytes() == committed_text
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "ru" / "LC_MESSAGES" / "django.po"))}
    assert len(fresh) > 100
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new strings"
    assert sorted(committed - fresh) == [], "run `make messages` to drop strings the code no longer uses"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "title"),
    [("en", "Log in"), ("ru", "Войти"), ("ky", "Кирүү")],
)
def test_the_login_page_speaks_each_language(lang, title):
    response = Client(headers={"Accept-Language": lang}).get("/accounts/login/")
    body = response.content.decode()
    assert f'<html lang="{lang}">' in body
    assert f"<title>{title}" in body


@pytest.mark.django_db
def test_the_language_switch_is_remembered_in_a_cookie_and_on_the_account(cast, as_member):
    client = as_member(cast.case_worker_a)
    response = client.post("/language/", {"language": "ky", "next": "/orgs/"})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ky"
    cast.case_worker_a.user.refresh_from_db()
    assert cast.case_worker_a.user.language == "ky"
    assert '<html lang="ky">' in client.get("/orgs/").content.decode()


@pytest.mark.django_db
def test_the_saved_language_follows_the_user_to_a_new_browser(cast):
    from ctip.testing import PASSWORD, current_code, enrol_second_factor

    user = cast.case_worker_a.user
    user.language = "ky"
    user.save()
    device = enrol_second_factor(user)
    client = Client(headers={"Accept-Language": "en"})
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ky"
    client.post("/accounts/mfa/", {"code": current_code(device)})
    assert '<html lang="ky">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_or_foreign_next_is_ignored(db):
    response = Client().post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
