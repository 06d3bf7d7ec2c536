from __future__ import annotations

from rest_framework import serializers

from ctip.orgs.models import Membership, Organisation


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "name_ky", "name_ru", "name_en", "org_type", "region", "is_active"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "organisation", "roles", "is_active"]

    def get_roles(self, obj: Membership) -> list[str]:
        return sorted(obj.role_set)


class MeSerializer(serializers.Serializer[object]):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    language = serializers.CharField()
    organisation = OrganisationSerializer()
    roles = serializers.ListField(child=serializers.CharField())
