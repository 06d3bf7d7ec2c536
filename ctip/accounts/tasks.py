"""Mail that carries a one-time link is composed by the worker: the queue never stores a working link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_password_link(*, user_id: int, base_url: str, kind: str) -> int:
    """E-mail a set-password ("setup") or reset-password ("reset") link to an active user."""
    from ctip.accounts.models import User
    from ctip.accounts.services import password_link_message

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    subject, body = password_link_message(user=user, base_url=base_url, kind=kind)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
