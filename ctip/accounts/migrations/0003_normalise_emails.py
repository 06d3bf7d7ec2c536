"""Store every e-mail address in the one spelling that login, lock-out and commands look up (``normalise_email``).

Earlier versions lower-cased addresses but did not apply Unicode compatibility normalisation; an address that the
new rule would spell differently could no longer be found. An address whose new spelling belongs to another account
is left as it is (an administrator must merge the two by hand); nothing is deleted.
"""

import unicodedata

from django.db import migrations


def _normalise(value: str) -> str:  # frozen copy of ctip.accounts.models.normalise_email, as of this migration
    return unicodedata.normalize("NFKC", value).strip().lower()


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("email", flat=True))
    for user in User.objects.only("pk", "email").iterator():
        spelled = _normalise(user.email)
        if spelled != user.email and spelled not in taken:
            User.objects.filter(pk=user.pk).update(email=spelled)
            taken.add(spelled)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
