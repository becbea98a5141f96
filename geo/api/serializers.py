from rest_framework import serializers

from geo.models import Area, AreaPopulation


class PopulationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = AreaPopulation
        fields = [
            "year",
            "inhabitants",
            "age_0_14",
            "age_15_24",
            "age_25_44",
            "age_45_64",
            "age_65_plus",
            "men",
            "women",
            "suppressed_fields",
            "source",
        ]


class AreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name", "level", "year"]


class AreaLookupOutputSerializer(serializers.Serializer):
    buurt = AreaRefSerializer()
    wijk = AreaRefSerializer(allow_null=True)
    gemeente = AreaRefSerializer(allow_null=True)
