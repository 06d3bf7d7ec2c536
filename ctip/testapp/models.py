from __future__ import annotations

from django.db import models

from ctip.crypto.fields import (
    BlindIndexField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    normalize_document,
)


class Specimen(models.Model):
    """A record with identity-like fields, encrypted the way a person's identity is."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20)
    name = EncryptedTextField()
    birth_date = EncryptedDateField(null=True, blank=True)
    extra = EncryptedJSONField(null=True, blank=True)
    document = EncryptedTextField(null=True, blank=True)
    document_bidx = BlindIndexField(source="document", normalizer=normalize_document)

    def __str__(self) -> str:
        return self.code


class PlainSpecimen(models.Model):
    """The same columns in the clear: the baseline for the encryption benchmark."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20)
    name = models.TextField()
    birth_date = models.DateField(null=True, blank=True)
    extra = models.JSONField(null=True, blank=True)
    document = models.TextField(null=True, blank=True)  # noqa: DJ001 (the twin of an encrypted, nullable column)

    def __str__(self) -> str:
        return self.code
