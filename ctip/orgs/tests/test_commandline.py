"""``--user EMAIL --org CODE`` on the command line names an account the way the login page does."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["ADMIN.A@EXAMPLE.ORG", " admin.a@example.org ", "Admin.A@Example.org\n"])
def test_a_member_is_found_in_any_spelling_of_the_e_mail(cast, tmp_path, spelling):
    # The member is accepted, so the command goes on to look for the program.
    with pytest.raises(CommandError, match=r"^There is no program 987654\.$"):
        call_command("plan_export", "987654", str(tmp_path / "x.xlsx"), "--user", spelling, "--org", "shelter-a")


@pytest.mark.django_db
def test_another_address_is_still_refused(cast, tmp_path):
    with pytest.raises(
        CommandError, match=r"^admin\.a@example\.org\.evil is not a member of organisation shelter-a\.$"
    ):
        call_command(
            "plan_export",
            "987654",
            str(tmp_path / "x.xlsx"),
            "--user",
            "admin.a@example.org.evil",
            "--org",
            "shelter-a",
        )
