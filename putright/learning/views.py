"""Learning's screens: the lessons register (with its themes), a lesson, and the service
improvement plan with its actions, progress updates and quarterly snapshots.

Who: ``learning.view_lesson`` and ``learning.view_improvementplan`` read (staff and the board);
``learning.add_lesson`` / ``learning.change_lesson`` record and change lessons, and
``learning.manage_improvementplan`` changes the plan (complaints managers). Complaint references
appear only to people who may see complaints, and a confidential one only to those who may see
it: the board reads the register without any.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from putright.core import clock
from putright.core.errors import DomainError
from putright.learning import selectors, services
from putright.learning.forms import (
    ActionForm,
    GoalForm,
    LessonFilterForm,
    LessonForm,
    NewActionForm,
    PlanForm,
    ProgressForm,
    SnapshotForm,
    add_domain_error,
    lesson_initial,
    visible_complaints,
)
from putright.learning.models import ImprovementPlan, Lesson, PlanAction, QuarterSnapshot, Rag

VIEW_LESSON = "learning.view_lesson"
ADD_LESSON = "learning.add_lesson"
CHANGE_LESSON = "learning.change_lesson"
VIEW_PLAN = "learning.view_improvementplan"
MANAGE_PLAN = "learning.manage_improvementplan"
PAGE_SIZE = 25


def _needs(permission: str):
    """Signed in (else to sign in), then the permission (else 403)."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def case_url(reference: str) -> str:
    try:
        return reverse("casework:case", kwargs={"reference": reference})
    except NoReverseMatch:  # a deployment without the casework screens
        return ""


# --- Lessons -------------------------------------------------------------------------------------


@_needs(VIEW_LESSON)
@require_http_methods(["GET"])
def register(request: HttpRequest) -> HttpResponse:
    years = selectors.lesson_years()
    form = LessonFilterForm(request.GET or None, years=years)
    filters = selectors.LessonFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.LessonFilters(
            status=data["status"],
            root_cause=data["root_cause"],
            category_id=data["category"].pk if data["category"] else None,
            business_area_id=data["business_area"].pk if data["business_area"] else None,
            year=data["year"] or None,
        )
    lessons = selectors.lessons_register(filters)
    page = Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    links = selectors.complaint_links(lesson_ids=[row.pk for row in rows], user=request.user)
    return render(
        request,
        "learning/register.html",
        {
            "form": form,
            "page_obj": page,
            "rows": [
                {
                    "lesson": row,
                    "complaint_count": links[row.pk]["count"],
                    "references": [
                        (reference, case_url(reference))
                        for reference in links[row.pk]["references"]
                    ],
                }
                for row in rows
            ],
            "themes": selectors.themes(lessons),
            "filtered": any(vars(filters).values()),
            "may_add": request.user.has_perm(ADD_LESSON),
        },
    )


def _lesson(pk: int) -> Lesson:
    try:
        return selectors.lesson_detail(pk)
    except Lesson.DoesNotExist:
        raise Http404("No such lesson") from None


@_needs(VIEW_LESSON)
@require_http_methods(["GET"])
def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson(pk)
    links = selectors.complaint_links(lesson_ids=[lesson.pk], user=request.user)[lesson.pk]
    return render(
        request,
        "learning/lesson.html",
        {
            "lesson": lesson,
            "complaint_count": links["count"],
            "references": [(reference, case_url(reference)) for reference in links["references"]],
            "actions": selectors.lesson_plan_actions(lesson),
            "history": selectors.lesson_history(lesson),
            "may_change": request.user.has_perm(CHANGE_LESSON),
        },
    )


def _lesson_form_page(
    request: HttpRequest, form: LessonForm, *, title: str, cancel_url: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "learning/lesson_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url},
        status=400 if form.errors else status,
    )


@_needs(ADD_LESSON)
@require_http_methods(["GET", "POST"])
def lesson_new(request: HttpRequest) -> HttpResponse:
    """Record a lesson; ``?complaint=C-2026-00042`` starts it from that complaint (the "Record a
    lesson" link on the case page), with its category and business area."""
    reference = request.GET.get("complaint", "").strip().upper()
    complaint = visible_complaints(request.user).filter(reference=reference).first()
    cancel = case_url(complaint.reference) if complaint else reverse("learning:lessons")
    if request.method == "POST":
        form = LessonForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                lesson = services.lesson_record(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Lesson {lesson.reference} recorded")
                return HttpResponseRedirect(reverse("learning:lesson", args=[lesson.pk]))
        return _lesson_form_page(request, form, title="Record a lesson", cancel_url=cancel)
    initial: dict[str, Any] = {
        "owner": request.user.pk,
        "status": "identified",
        "identified_on": clock.today(),
    }
    if complaint is not None:
        initial.update(
            complaints=complaint.reference,
            category=complaint.category_id,
            business_area=complaint.business_area_id,
        )
    form = LessonForm(initial=initial, user=request.user)
    return _lesson_form_page(request, form, title="Record a lesson", cancel_url=cancel)


@_needs(CHANGE_LESSON)
@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson(pk)
    cancel = reverse("learning:lesson", args=[lesson.pk])
    title = f"Change lesson {lesson.reference}"
    if request.method == "POST":
        form = LessonForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.lesson_update(acting_user=request.user, lesson=lesson, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Lesson {lesson.reference} updated")
                return HttpResponseRedirect(cancel)
        return _lesson_form_page(request, form, title=title, cancel_url=cancel)
    form = LessonForm(initial=lesson_initial(lesson, user=request.user), user=request.user)
    return _lesson_form_page(request, form, title=title, cancel_url=cancel)


# --- The improvement plan -------------------------------------------------------------------------


@_needs(VIEW_PLAN)
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every year's plan; those who manage the plan start a new year's here."""
    may_manage = request.user.has_perm(MANAGE_PLAN)
    form = PlanForm(initial={"year": services.financial_year_of(clock.today())})
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_create(acting_user=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Plan for {plan.year_label} started")
                return HttpResponseRedirect(reverse("learning:plan", args=[plan.year]))
    return render(
        request,
        "learning/plans.html",
        {"plans": selectors.plans(), "form": form, "may_manage": may_manage},
        status=400 if form.errors else 200,
    )


def _plan(year: int) -> ImprovementPlan:
    try:
        return ImprovementPlan.objects.get(year=year)
    except ImprovementPlan.DoesNotExist:
        raise Http404("No plan for that year") from None


RAG_TAGS = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
    Rag.COMPLETE: "govuk-tag--blue",
}


@_needs(VIEW_PLAN)
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    """The plan: its goals with their actions, the RAG counts, and the quarterly snapshots
    (taken here with POST by those who manage the plan)."""
    plan = _plan(year)
    may_manage = request.user.has_perm(MANAGE_PLAN)
    snapshot_form = SnapshotForm()
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        snapshot_form = SnapshotForm(request.POST)
        if snapshot_form.is_valid():
            quarter = snapshot_form.cleaned_data["quarter"]
            try:
                _, created = services.plan_snapshot_take(
                    acting_user=request.user, plan=plan, quarter=quarter
                )
            except DomainError as error:
                add_domain_error(snapshot_form, error)
            else:
                messages.success(
                    request,
                    f"Quarter {quarter} snapshot taken"
                    if created
                    else f"Quarter {quarter} already had a snapshot: it is kept as it was",
                )
                return HttpResponseRedirect(reverse("learning:snapshot", args=[year, quarter]))
    plan, goals = selectors.plan_with_goals(year)
    counts = selectors.rag_counts(PlanAction.objects.filter(goal__plan=plan))
    return render(
        request,
        "learning/plan.html",
        {
            "plan": plan,
            "goals": goals,
            "rag_counts": [
                {"label": label, "count": counts[value], "classes": RAG_TAGS[value]}
                for value, label in Rag.choices
            ],
            "action_total": counts["total"],
            "rag_tags": RAG_TAGS,
            "snapshots": selectors.plan_snapshots(plan),
            "snapshot_form": snapshot_form,
            "may_manage": may_manage,
        },
        status=400 if snapshot_form.errors else 200,
    )


@_needs(MANAGE_PLAN)
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(year)
    plan_url = reverse("learning:plan", args=[year])
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_add(acting_user=request.user, plan=plan, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Goal {goal.number} added")
            return HttpResponseRedirect(plan_url)
    return render(
        request,
        "learning/plan_form.html",
        {"form": form, "title": "Add a goal", "plan": plan, "cancel_url": plan_url},
        status=400 if form.errors else 200,
    )


@_needs(MANAGE_PLAN)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, year: int, goal: int) -> HttpResponse:
    plan = _plan(year)
    the_goal = plan.goals.filter(number=goal).first()
    if the_goal is None:
        raise Http404("No such goal")
    plan_url = reverse("learning:plan", args=[year])
    form = NewActionForm(request.POST or None, initial={"percent_complete": 0, "rag": Rag.GREEN})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.plan_action_add(
                acting_user=request.user, goal=the_goal, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Action {the_goal.number}.{action.number} added")
            return HttpResponseRedirect(plan_url)
    return render(
        request,
        "learning/plan_form.html",
        {
            "form": form,
            "title": f"Add an action to goal {the_goal.number}: {the_goal.title}",
            "plan": plan,
            "cancel_url": plan_url,
        },
        status=400 if form.errors else 200,
    )


def _action(pk: int) -> PlanAction:
    try:
        return selectors.plan_action_detail(pk)
    except PlanAction.DoesNotExist:
        raise Http404("No such action") from None


@_needs(VIEW_PLAN)
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An action with its progress updates; those who manage the plan add one here (POST)."""
    action = _action(pk)
    may_manage = request.user.has_perm(MANAGE_PLAN)
    form = ProgressForm(
        initial={
            "on": clock.today(),
            "percent_complete": action.percent_complete,
            "rag": action.rag,
            "rag_reason": action.rag_reason,
        }
    )
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        form = ProgressForm(request.POST)
        if form.is_valid():
            try:
                services.plan_action_progress(
                    acting_user=request.user, action=action, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Progress update added")
                return HttpResponseRedirect(reverse("learning:action", args=[action.pk]))
    return render(
        request,
        "learning/action.html",
        {
            "action": action,
            "plan": action.goal.plan,
            "updates": selectors.action_updates(action),
            "lessons": action.lessons.order_by("-identified_on").only("id", "title"),
            "rag_tags": RAG_TAGS,
            "form": form,
            "may_manage": may_manage,
        },
        status=400 if form.errors else 200,
    )


@_needs(MANAGE_PLAN)
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(pk)
    action_url = reverse("learning:action", args=[action.pk])
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            try:
                services.plan_action_change(
                    acting_user=request.user, action=action, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Action changed")
                return HttpResponseRedirect(action_url)
    else:
        form = ActionForm(
            initial={
                "description": action.description,
                "lead": action.lead_id,
                "due_on": action.due_on,
                "lessons": list(action.lessons.values_list("pk", flat=True)),
            }
        )
    return render(
        request,
        "learning/plan_form.html",
        {
            "form": form,
            "title": f"Change action {action.goal.number}.{action.number}",
            "plan": action.goal.plan,
            "cancel_url": action_url,
        },
        status=400 if form.errors else 200,
    )


@_needs(VIEW_PLAN)
@require_http_methods(["GET"])
def snapshot_detail(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    plan = _plan(year)
    try:
        snapshot = selectors.snapshot_detail(plan=plan, quarter=quarter)
    except QuarterSnapshot.DoesNotExist:
        raise Http404("No snapshot for that quarter") from None
    rows = list(snapshot.rows.all())
    return render(
        request,
        "learning/snapshot.html",
        {
            "plan": plan,
            "snapshot": snapshot,
            "rows": rows,
            "rag_tags": RAG_TAGS,
            "rag_counts": [
                {
                    "label": label,
                    "count": sum(1 for row in rows if row.rag == value),
                    "classes": RAG_TAGS[value],
                }
                for value, label in Rag.choices
            ],
        },
    )
