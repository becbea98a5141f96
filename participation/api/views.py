"""The veiligheidsplan API under /api/v1/plans/ (policy staff and administrators, a session
confirmed with two-step verification): read-only, the same data as the JSON export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import MfaConfirmedPermission, RulesPermission
from participation.models import SafetyPlan
from participation.selectors import plan_export, plan_get, plan_list


class PlanSummaryOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    title = serializers.CharField()
    municipality_code = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    status = serializers.CharField(help_text="`concept` (draft) or `vastgesteld` (adopted).")
    adopted_on = serializers.DateField(allow_null=True)
    priority_count = serializers.IntegerField()
    evidence_count = serializers.IntegerField(help_text="Evidence blocks not withdrawn.")


class EvidenceOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField()
    payload = serializers.JSONField(help_text="Columns, rows and total row: published figures.")
    source = serializers.JSONField(help_text="What was counted, period, key figures, rule.")
    digest_sha256 = serializers.CharField()
    digest_verified = serializers.BooleanField(help_text="The figures still match the digest.")
    frozen_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawn_reason = serializers.CharField(allow_null=True)


class GoalOutputSerializer(serializers.Serializer):
    description = serializers.CharField()
    indicator = serializers.CharField()
    indicator_code = serializers.CharField()
    unit = serializers.CharField()
    baseline_value = serializers.CharField(allow_null=True, help_text="Decimal as a string.")
    baseline_year = serializers.IntegerField(allow_null=True)
    target_value = serializers.CharField()
    target_year = serializers.IntegerField()
    ambition_value = serializers.CharField(allow_null=True)
    source = serializers.CharField()
    evidence = EvidenceOutputSerializer(many=True)


class ThemeRefOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    slug = serializers.CharField()
    name = serializers.CharField()


class PriorityOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    theme = ThemeRefOutputSerializer()
    rationale = serializers.CharField()
    evidence = EvidenceOutputSerializer(many=True)
    goals = GoalOutputSerializer(many=True)


class PlanHeaderOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    municipality_code = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    status = serializers.CharField()
    adopted_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField()


class PlanDetailOutputSerializer(serializers.Serializer):
    plan = PlanHeaderOutputSerializer()
    evidence = EvidenceOutputSerializer(many=True, help_text="Evidence for the plan as a whole.")
    priorities = PriorityOutputSerializer(many=True)
    exported_at = serializers.DateTimeField()


class _PlanApi(APIView):
    permission_classes = [RulesPermission, MfaConfirmedPermission]
    required_perm = "participation.manage_plans"


class PlanListApi(_PlanApi):
    @extend_schema(
        operation_id="plans_list",
        summary="Veiligheidsplannen of the municipality",
        responses={200: PlanSummaryOutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        plans = plan_list(municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE)
        return Response(PlanSummaryOutputSerializer(plans, many=True).data)


class PlanDetailApi(_PlanApi):
    @extend_schema(
        operation_id="plans_detail",
        summary="One veiligheidsplan with priorities, goals and frozen evidence",
        description="Every evidence block with its digest and whether the stored figures "
        "still match it; withdrawn blocks are included and marked.",
        responses={200: PlanDetailOutputSerializer},
    )
    def get(self, request: Request, uuid: Any) -> Response:
        try:
            plan = plan_get(uuid=uuid)
        except SafetyPlan.DoesNotExist as exc:
            raise Http404 from exc
        return Response(PlanDetailOutputSerializer(plan_export(plan=plan)).data)
