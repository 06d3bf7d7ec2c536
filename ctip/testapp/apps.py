from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Models that exist only under the test profile: they exercise shared machinery (encrypted fields, the
    access-policy base classes) before the domain apps that use it for real, and give benchmarks a plain twin."""

    name = "ctip.testapp"
    label = "testapp"
    verbose_name = "Test models"
