"""Model fields whose values are encrypted before they reach the database.

The database sees only ``ctip1$<key id>$<base64>`` text. Such a column cannot be searched or sorted: only
``isnull`` works. For exact-match look-ups (a document or phone number) add a ``BlindIndexField`` beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import unicodedata
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Lookup

from ctip.crypto.cipher import decrypt, encrypt
from ctip.crypto.keyring import keyring


class EncryptedMixin(models.Field):  # type: ignore[type-arg]
    """Store ``to_text(value)`` sealed with AES-256-GCM; ``from_text`` turns the decrypted text back."""

    encrypted = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("unique") or kwargs.get("db_index") or kwargs.get("primary_key"):
            raise TypeError("encrypted fields cannot be unique or indexed; add a BlindIndexField for look-ups")
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "TextField"

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt(self.to_text(value).encode(), context=self.context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return self.from_text(decrypt(value, context=self.context()).decode())

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, name: str) -> Any:
        return None


class EncryptedTextField(EncryptedMixin, models.TextField):  # type: ignore[type-arg]
    pass


class EncryptedDateField(EncryptedMixin, models.DateField):  # type: ignore[type-arg]
    def to_text(self, value: Any) -> str:
        date = self.to_python(value)
        if not isinstance(date, dt.date):
            raise TypeError(f"{self.name}: expected a date, got {type(value).__name__}")
        return date.isoformat()

    def from_text(self, text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return getattr(model_instance, self.attname)


class EncryptedJSONField(EncryptedMixin, models.JSONField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("encoder", DjangoJSONEncoder)
        super().__init__(*args, **kwargs)

    def to_text(self, value: Any) -> str:
        return json.dumps(value, cls=self.encoder, sort_keys=True, ensure_ascii=False)

    def from_text(self, text: str) -> Any:
        return json.loads(text)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return self.get_prep_value(value)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        return self.get_prep_value(value)

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)


# --- Blind indexes ------------------------------------------------------------------------------------------------


def normalize_text(value: str) -> str:
    """NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def normalize_document(value: str) -> str:
    """A document number as typed in many ways: letters and digits only, upper case."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", value).upper() if ch.isalnum())


def normalize_phone(value: str) -> str:
    """A phone number: digits only (``+996 (555) 12-34-56`` and ``996555123456`` match)."""
    return "".join(ch for ch in value if ch.isdigit())


def blind_index(value: str, *, purpose: str, normalizer: Callable[[str], str] = normalize_text) -> str:
    """Return the keyed HMAC-SHA256 of a normalised value; ``purpose`` keeps indexes of different fields apart."""
    message = f"{purpose}\x00{normalizer(value)}".encode()
    return hmac.new(keyring().blind_index_key, message, hashlib.sha256).hexdigest()


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The HMAC of another (encrypted) field's value, for exact-match search without decrypting anything.

    ``Model.objects.filter(passport_bidx=Model._meta.get_field("passport_bidx").compute("AB 123456"))``
    """

    def __init__(
        self, *args: Any, source: str = "", normalizer: Callable[[str], str] = normalize_text, **kwargs: Any
    ) -> None:
        self.source = source
        self.normalizer = normalizer
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def purpose(self) -> str:
        return f"{self.model._meta.label_lower}.{self.source}"

    def compute(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        return blind_index(str(value), purpose=self.purpose(), normalizer=self.normalizer)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        digest = self.compute(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, digest)
        return digest


def encrypted_fields(model: type[models.Model]) -> list[EncryptedMixin]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
