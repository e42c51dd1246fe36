"""The notifications API: the caller's own notifications, marking them read, their language."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.parsing import body_object
from notifications import people, selectors, services
from notifications.messages import compose
from notifications.models import Language, Notification


class NotificationSerializer(serializers.ModelSerializer):
    """``subject`` and ``body`` are composed in the request's language (Accept-Language)."""

    document = serializers.CharField(source="document_id", read_only=True)
    reference = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    field_comments = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "document",
            "reference",
            "subject",
            "body",
            "reason",
            "comment",
            "field_comments",
            "actor",
            "url",
            "read",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    def _message(self, note: Notification):
        cache = self.context.setdefault("_messages", {})
        if note.pk not in cache:
            cache[note.pk] = compose(note.kind, note.payload, note.document_id)
        return cache[note.pk]

    def get_reference(self, note) -> str:
        return note.payload.get("reference", "")

    def get_subject(self, note) -> str:
        return self._message(note).headline

    def get_body(self, note) -> str:
        return "\n\n".join(self._message(note).paragraphs)

    def get_reason(self, note) -> str:
        return note.payload.get("reason", "")

    def get_comment(self, note) -> str:
        return note.payload.get("comment", "")

    def get_field_comments(self, note) -> list[dict]:
        labelled = self._message(note).field_comments
        keys = sorted((note.payload.get("field_comments") or {}).keys())
        return [
            {"field": key, "label": label, "comment": text}
            for key, (label, text) in zip(keys, labelled, strict=True)
        ]

    def get_actor(self, note) -> str:
        return note.payload.get("actor", "")

    def get_url(self, note) -> str:
        return self._message(note).url

    def get_read(self, note) -> bool:
        return note.read_at is not None


class NotificationList(generics.ListAPIView):
    """The caller's notifications, newest first, with ``unread_count``."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["unread_count"] = selectors.unread_count(request.user)
        return response


class NotificationRead(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk: str):
        note = services.notification_mark_read(notification_id=pk, by=request.user)
        return Response(NotificationSerializer(note).data)


class NotificationReadAll(APIView):
    @extend_schema(
        request=None,
        responses=inline_serializer(
            "ReadAll",
            {"marked": serializers.IntegerField(), "unread_count": serializers.IntegerField()},
        ),
    )
    def post(self, request):
        marked = services.notification_mark_all_read(by=request.user)
        return Response({"marked": marked, "unread_count": selectors.unread_count(request.user)})


class PreferenceSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)


class PreferenceView(APIView):
    """The caller's notification language (``sw`` by default)."""

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response({"language": people.language_of(request.user)})

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def patch(self, request):
        body = body_object(request, allowed={"language"}, required={"language"})
        preference = services.preference_set(user=request.user, language=body["language"])
        return Response({"language": preference.language})
