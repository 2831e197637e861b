"""Signing in and out, passwords, the home page for each role, and the server error page."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.defaultfilters import pluralize
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import requires_csrf_token

from putright.accounts import roles
from putright.accounts.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
)
from putright.accounts.navigation import NavItem, can_use_admin_site, links_for, role_names
from putright.casework.selectors.workload import (
    board_figures,
    handler_work,
    reviewer_work,
    team_work,
)
from putright.casework.steps import url_or_none
from putright.core import security_log
from putright.organisation.selectors import organisation_name

logger = logging.getLogger(__name__)


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The sign-in page when django-axes has locked sign-in (``AXES_LOCKOUT_CALLABLE``), for
    our sign-in page and the admin's alike: why, when to try again, and who can unlock it.

    Every further failed attempt starts the wait again, so "in N minutes" counts from now.
    """
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    wait = f"{minutes} minute{pluralize(minutes)}"
    message = (
        f"Too many attempts to sign in have failed, so signing in is locked for {wait}. "
        "Try again after that, or ask your PutRight administrator to unlock it now."
    )
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "locked_out": [{"text": message, "href": "#id_username"}],
        "has_errors": True,
    }
    return render(request, "registration/login.html", context, status=429)


@method_decorator(login_not_required, name="dispatch")
class SignOutView(LogoutView):
    """POST only (Django's LogoutView refuses GET), then back to sign in with a message.

    Not behind sign-in itself: someone whose session has expired who presses "Sign out" lands on
    the sign-in page rather than being asked to sign in to sign out.
    """

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out")
        return response


def _password_changed(user, request, *, how: str) -> None:
    security_log.record(
        security_log.Kind.PASSWORD_CHANGED,
        actor=user,
        subject=security_log.user_subject(user),
        request=request,
        how=how,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in member of staff changes their own password (their other sessions end)."""

    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        _password_changed(form.user, self.request, how="changed by the account's owner")
        messages.success(self.request, "Your password has been changed")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by email. The next page is the same whether or not the address
    has an account, so it never tells a stranger who works here."""

    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form):
        self.extra_email_context = {"organisation_name": organisation_name()}
        security_log.record(
            security_log.Kind.PASSWORD_RESET_REQUESTED,
            actor=None if self.request.user.is_authenticated else "Someone asking for a link",
            subject=security_log.shorten(f"user {form.cleaned_data['email'].strip().lower()}"),
            request=self.request,
        )
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        _password_changed(form.user, self.request, how="reset with an emailed link")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@dataclass(frozen=True)
class RoleSection:
    """One role's part of the home page: its own template, its links, and later its data.

    ``context`` is where a later issue plugs in a selector, e.g. the case handler's queue::

        RoleSection(roles.CASE_HANDLER, "accounts/home/case_handler.html",
                    context=lambda user: {"queue": queue_for_handler(handler=user)})

    Whatever it returns is available to the section's template as ``section.<name>``.
    """

    role: str
    template_name: str
    links: tuple[NavItem, ...] = ()
    context: Callable[..., Mapping] | None = field(default=None)


_ADMIN = {"check": can_use_admin_site}

# Pages of the caseworking screens, offered on the home pages of the roles that work cases. A
# link appears once its page is registered (links_for skips URL names that do not exist yet).
_CASEWORK_LINKS = (
    NavItem(
        "Complaint queues",
        "casework:queues",
        permission="complaints.view_complaint",
        description="Every complaint you can work on, by queue, with filters and search.",
    ),
    NavItem(
        "Log a complaint",
        "casework:log",
        permission="complaints.handle_complaint",
        description="Record a complaint received by phone, email, letter or in person.",
    ),
)


def _handler_section(user) -> dict:
    return {"work": handler_work(user=user), "queue_url": url_or_none("queue", queue="mine")}


def _reviewer_section(user) -> dict:
    """Drafts to check, and (for a reviewer who is not also a case handler, whose own section
    shows them) the cases they handle themselves, such as stage 2 complaints."""
    own = None if user.groups.filter(name=roles.CASE_HANDLER).exists() else handler_work(user=user)
    return {
        "work": reviewer_work(user=user),
        "queue_url": url_or_none("queue", queue="quality-check"),
        "own": own if own is not None and own.case_count else None,
        "own_queue_url": url_or_none("queue", queue="mine"),
    }


def _manager_section(user) -> dict:
    return {
        "team": team_work(),
        "unallocated_url": url_or_none("queue", queue="unallocated"),
        "due_soon_url": url_or_none("queue", queue="due-soon"),
        "overdue_url": url_or_none("queue", queue="overdue"),
    }


def _board_section(user) -> dict:
    return {"figures": board_figures(), "dashboard_url": reverse("reporting:dashboard")}


# Reviewers and the board read the Code self-assessment (managers reach it from Reports).
_SELF_ASSESSMENT_LINK = NavItem(
    "Self-assessment",
    "selfassessment:list",
    permission="selfassessment.view_selfassessment",
    description="The landlord's self-assessment against every provision of the Complaint "
    "Handling Code, with its evidence.",
)

ROLE_SECTIONS: tuple[RoleSection, ...] = (
    RoleSection(
        roles.CASE_HANDLER,
        "accounts/home/case_handler.html",
        links=_CASEWORK_LINKS,
        context=_handler_section,
    ),
    RoleSection(
        roles.QUALITY_REVIEWER,
        "accounts/home/quality_reviewer.html",
        links=(*_CASEWORK_LINKS, _SELF_ASSESSMENT_LINK),
        context=_reviewer_section,
    ),
    RoleSection(
        roles.COMPLAINTS_MANAGER,
        "accounts/home/complaints_manager.html",
        links=_CASEWORK_LINKS,
        context=_manager_section,
    ),
    RoleSection(
        roles.BOARD_MEMBER,
        "accounts/home/board_member.html",
        # The dashboard is the section's button; these are the pages beside it.
        links=(
            NavItem(
                "Reports",
                "reporting:index",
                permission="complaints.view_reports",
                description="The figures of each reporting year, with the year before beside them.",
            ),
            _SELF_ASSESSMENT_LINK,
        ),
        context=_board_section,
    ),
    RoleSection(
        roles.ADMINISTRATOR,
        "accounts/home/administrator.html",
        links=(
            NavItem(
                "Organisation settings",
                "admin:organisation_organisation_changelist",
                permission="organisation.change_organisation",
                description="Your name and contact details, the people accountable for "
                "complaints, your escalation window and quality sign-off.",
                **_ADMIN,
            ),
            NavItem(
                "Closure days",
                "admin:organisation_closureday_changelist",
                permission="organisation.view_closureday",
                description="Days the office is closed besides weekends and bank holidays. "
                "Deadlines skip them.",
                **_ADMIN,
            ),
            NavItem(
                "Complaint categories",
                "admin:organisation_category_changelist",
                permission="organisation.view_category",
                description="The categories and sub-categories complaints are recorded under.",
                **_ADMIN,
            ),
            NavItem(
                "Reasons for not accepting a complaint",
                "admin:organisation_exclusionreason_changelist",
                permission="organisation.view_exclusionreason",
                description="The exclusions in your complaints policy.",
                **_ADMIN,
            ),
            NavItem(
                "Business areas",
                "admin:organisation_businessarea_changelist",
                permission="organisation.view_businessarea",
                **_ADMIN,
            ),
            NavItem(
                "Homes owned",
                "admin:organisation_stockcount_changelist",
                permission="organisation.view_stockcount",
                description="Stock counts by tenure, which the Tenant Satisfaction Measures "
                "divide by.",
                **_ADMIN,
            ),
            NavItem(
                "Compensation bands",
                "admin:redress_bandconfirmation_changelist",
                permission="redress.view_bandconfirmation",
                description="Confirm each compensation band from the Housing Ombudsman once "
                "checked against its published remedies guidance.",
                **_ADMIN,
            ),
            NavItem(
                "Staff accounts",
                "admin:accounts_user_changelist",
                permission="accounts.view_user",
                description="Who can sign in, and the roles each person holds.",
                **_ADMIN,
            ),
            NavItem(
                "Teams",
                "admin:accounts_team_changelist",
                permission="accounts.view_team",
                **_ADMIN,
            ),
            NavItem(
                "Locked sign-ins",
                "admin:axes_accessattempt_changelist",
                permission="axes.view_accessattempt",
                description="Accounts and addresses locked after too many failed attempts to "
                "sign in. Delete a row to unlock it before its wait is over.",
                **_ADMIN,
            ),
        ),
    ),
)

_DESCRIPTIONS = {role.name: role.description for role in roles.ROLES}


def home(request: HttpRequest) -> HttpResponse:
    """The home page: one section for each role the signed-in person holds."""
    held = role_names(request.user)
    sections = []
    for section in ROLE_SECTIONS:
        if section.role not in held:
            continue
        data = dict(section.context(request.user)) if section.context else {}
        sections.append(
            {
                **data,
                "role": section.role,
                "description": _DESCRIPTIONS.get(section.role, ""),
                "template_name": section.template_name,
                "links": links_for(request.user, section.links),
            }
        )
    return render(
        request,
        "accounts/home.html",
        {
            "sections": sections,
            "can_use_admin_site": can_use_admin_site(request.user),
        },
    )


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: a plain template that needs no database and no context processors."""
    try:
        html = loader.render_to_string("500.html")
    except Exception:  # the error page must not fail in its turn
        logger.exception("The 500 page could not be rendered")
        html = (
            '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            "<title>Sorry, there is a problem with the service</title></head><body>"
            "<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>"
            "</body></html>"
        )
    return HttpResponseServerError(html)
