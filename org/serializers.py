from __future__ import annotations

from rest_framework import serializers

from core.models import User
from org.models import District, StaffRole, Unit


class DistrictSerializer(serializers.ModelSerializer[District]):
    class Meta:
        model = District
        fields = ["id", "number", "name", "max_youths_per_follower", "intake_interval_weeks"]


class UnitSerializer(serializers.ModelSerializer[Unit]):
    district = DistrictSerializer(read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "district", "email", "phone", "is_active"]


class StaffMemberSerializer(serializers.ModelSerializer[StaffRole]):
    name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = StaffRole
        fields = ["id", "name", "email", "role", "title", "starts_on", "ends_on"]


class UnitDetailSerializer(UnitSerializer):
    staff = StaffMemberSerializer(many=True, read_only=True, source="active_roles")

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "staff"]


class RoleSerializer(serializers.ModelSerializer[StaffRole]):
    unit = UnitSerializer(read_only=True)

    class Meta:
        model = StaffRole
        fields = ["id", "role", "title", "unit", "starts_on", "ends_on"]


class MeSerializer(serializers.ModelSerializer[User]):
    roles = RoleSerializer(many=True, read_only=True, source="active_roles")

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "roles"]
