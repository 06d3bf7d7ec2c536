"""The API's view of screenings and of an assessment; screenings carry no names, only their reference."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ctip.screening import engine
from ctip.screening.models import Screening


class AssessInputSerializer(serializers.Serializer[Any]):
    """Documents the input; ``engine.parse_input`` checks it, so the API and ``ctip screen`` refuse alike."""

    age = serializers.IntegerField(allow_null=True, min_value=0, max_value=engine.MAX_AGE)
    possible_minor = serializers.BooleanField(required=False, default=False)
    act = serializers.BooleanField(required=False, default=True)
    indicators = serializers.ListField(child=serializers.CharField())


class DimensionSerializer(serializers.Serializer[Any]):
    strong = serializers.IntegerField()
    medium = serializers.IntegerField()
    weak = serializers.IntegerField()
    positive = serializers.BooleanField()


class DimensionsSerializer(serializers.Serializer[Any]):
    dr = DimensionSerializer()
    cr = DimensionSerializer()
    vr = DimensionSerializer()
    ex = DimensionSerializer()
    cd = DimensionSerializer()
    vd = DimensionSerializer()


class ResultSerializer(serializers.Serializer[Any]):
    catalog = serializers.CharField()
    version = serializers.IntegerField()
    # Plain strings in the schema: the same values as the screening's list and outcome, documented once there.
    list = serializers.CharField(help_text="adult_labour or child_labour")
    dimensions = DimensionsSerializer()
    outcome = serializers.CharField(help_text="trafficking_indicated or not_indicated")


class AssessResultSerializer(ResultSerializer):
    explanation = serializers.ListField(child=serializers.CharField())


class ScreeningListSerializer(serializers.ModelSerializer[Screening]):
    catalogue = serializers.CharField(source="catalogue.code", read_only=True)
    # The oblast code, one of the organisations' regions (RegionEnum), not a second copy of that list.
    place = serializers.CharField(read_only=True, help_text="an oblast code, as an organisation's region")
    catalogue_version = serializers.IntegerField(source="catalogue.version", read_only=True)

    class Meta:
        model = Screening
        fields = [
            "id",
            "reference",
            "catalogue",
            "catalogue_version",
            "list",
            "outcome",
            "status",
            "interviewed_on",
            "place",
            "created_at",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(source="indicator.code")
    dimension = serializers.CharField(source="indicator.dimension")
    strength = serializers.CharField(source="indicator.strength")
    label = serializers.CharField(source="indicator.label")  # type: ignore[assignment]  # shadows Field.label
    note = serializers.CharField()


class ScreeningDetailSerializer(ScreeningListSerializer):
    interviewer = serializers.EmailField(source="interviewer.email", read_only=True)
    corrects = serializers.CharField(source="corrects.reference", read_only=True, allow_null=True, default=None)
    result = ResultSerializer(read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta(ScreeningListSerializer.Meta):
        fields = [
            *ScreeningListSerializer.Meta.fields,
            "age",
            "possible_minor",
            "act",
            "language",
            "interpreter_used",
            "interviewer",
            "corrects",
            "result",
            "answers",
        ]
        read_only_fields = fields

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, obj: Screening) -> list[dict[str, Any]]:
        answers = obj.answers.select_related("indicator").order_by("indicator__position", "indicator__code")
        return list(AnswerSerializer(answers, many=True).data)
