"""The letters' wording, kept by an administrator in the admin.

Adding a version opens every phrase with the wording in use; saving checks each phrase (the
details it fills in, no filler) and saves the whole set as the newest version through
``versions.wording_publish``. Versions are read-only once saved and are never deleted: bringing
back older wording saves it again as the newest.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet, Subquery
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from putright.core.errors import DomainError
from putright.letters import versions
from putright.letters.models import WordingVersion
from putright.letters.wording import BUILT_IN, MAX_PHRASE_LENGTH, PHRASES, phrase_problems


def _field_name(key: str) -> str:
    return "phrase__" + key.replace(".", "__")


def _help(key: str) -> str:
    phrase = PHRASES[key]
    fills = ", ".join(f"{{{name}}}" for name in sorted(phrase.fields))
    if not fills:
        return f"Built-in wording: {phrase.default}"
    return f"Keep {fills}: the letter fills in each. Built-in wording: {phrase.default}"


class _WordingFormBase(forms.ModelForm):
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = WordingVersion
        fields = ["note"]
        widgets = {"note": forms.TextInput(attrs={"size": 80})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            in_use = versions.wording_in_use()
            self.initial["based_on"] = in_use.version
            for key in PHRASES:
                self.initial.setdefault(_field_name(key), in_use.text(key))

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(_field_name(key), "") for key in PHRASES}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        texts = {key: text for key, text in self.texts().items() if text}
        for key, message in phrase_problems(texts).items():
            self.add_error(_field_name(key), message)
        in_use = versions.wording_in_use().version
        if cleaned.get("based_on") != in_use:
            raise forms.ValidationError(
                f"Someone saved wording version {in_use} while you were editing, so these "
                "changes cannot be saved over it. Open “Add” again to start from that version.",
                code="wording_changed",
            )
        return cleaned


# One box per phrase, declared on the class so the admin's fieldsets can name them.
WordingForm = type(
    "WordingForm",
    (_WordingFormBase,),
    {
        _field_name(key): forms.CharField(
            label=phrase.label,
            max_length=MAX_PHRASE_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2 if len(phrase.default) < 90 else 4, "cols": 90}),
            help_text=_help(key),
        )
        for key, phrase in PHRASES.items()
    },
)


def _groups() -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for key, phrase in PHRASES.items():
        groups.setdefault(phrase.group, []).append(_field_name(key))
    return list(groups.items())


@admin.register(WordingVersion)
class WordingVersionAdmin(admin.ModelAdmin):
    form = WordingForm
    list_display = ["number", "note", "created_by", "created_at", "in_use"]
    list_select_related = ["created_by"]
    readonly_fields = ["number", "note", "created_by", "created_at", "changes", "wording"]
    actions = ["bring_back"]

    def get_fieldsets(self, request: HttpRequest, obj: WordingVersion | None = None):
        if obj is not None:
            return [
                (None, {"fields": ["number", "note", "created_by", "created_at"]}),
                ("Changed from the version before", {"fields": ["changes"]}),
                ("Every phrase in this version", {"fields": ["wording"]}),
            ]
        return [
            (
                None,
                {
                    "fields": ["note", "based_on"],
                    "description": (
                        "Saving makes this the wording of every letter issued from now on. "
                        "Letters already issued keep the wording they were sent in."
                    ),
                },
            ),
            # Closed until opened; a group with a faulty phrase opens by itself.
            *((group, {"fields": names, "classes": ["collapse"]}) for group, names in _groups()),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: WordingVersion | None = None):
        return self.readonly_fields if obj is not None else []

    # Versions are history: added, never changed or deleted.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(boolean=True, description="in use")
    def in_use(self, obj: WordingVersion) -> bool:
        return obj.number == obj.newest

    def get_queryset(self, request: HttpRequest) -> QuerySet[WordingVersion]:
        newest = WordingVersion.objects.order_by("-number").values("number")[:1]
        return super().get_queryset(request).annotate(newest=Subquery(newest))

    @admin.display(description="changes")
    def changes(self, obj: WordingVersion) -> str:
        before = WordingVersion.objects.filter(number__lt=obj.number).order_by("-number").first()
        old = BUILT_IN if before is None else versions.wording_of(before)
        new = versions.wording_of(obj)
        changed = [key for key in PHRASES if old.text(key) != new.text(key)]
        if not changed:
            return "No phrase changed."
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "",
                "<dt><strong>{}</strong></dt><dd>Was: {}</dd><dd>Now: {}</dd>",
                ((PHRASES[k].label, old.text(k), new.text(k)) for k in changed),
            ),
        )

    @admin.display(description="wording")
    def wording(self, obj: WordingVersion) -> str:
        words = versions.wording_of(obj)
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "",
                "<dt><strong>{}: {}</strong></dt><dd>{}</dd>",
                ((p.group, p.label, words.text(k)) for k, p in PHRASES.items()),
            ),
        )

    def save_model(self, request: HttpRequest, obj: WordingVersion, form, change: bool) -> None:
        saved = versions.wording_publish(
            acting_user=request.user,
            texts=form.texts(),
            note=obj.note,
            based_on=form.cleaned_data.get("based_on"),
        )
        obj.pk, obj.texts, obj.created_by, obj.created_at = (
            saved.pk,
            saved.texts,
            saved.created_by,
            saved.created_at,
        )

    @admin.action(description="Bring back the wording of the selected version", permissions=["add"])
    def bring_back(self, request: HttpRequest, queryset: QuerySet[WordingVersion]) -> None:
        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(request, "Choose one version to bring back.", messages.ERROR)
            return
        try:
            saved = versions.wording_reinstate(acting_user=request.user, version=chosen[0])
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(
            request,
            f"Version {chosen[0].number}'s wording is in use again, saved as version "
            f"{saved.number}.",
            messages.SUCCESS,
        )
