"""The staff roles of DESIGN.md section 1, as groups with permissions.

Least privilege: each role lists the permissions it needs and nothing else. The list is applied
after every migration, so a new permission reaches the right people as soon as it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: tuple[str, ...]  # "app_label.codename"


CASE_HANDLER = "Case handler"
QUALITY_REVIEWER = "Quality reviewer"
COMPLAINTS_MANAGER = "Complaints manager"
BOARD_MEMBER = "Board member"
ADMINISTRATOR = "Administrator"

_CASEWORK = (
    "complaints.view_complaint",
    "complaints.handle_complaint",
    "people.view_resident",
    "people.add_resident",
    "people.change_resident",
)
# The lessons register and the improvement plan, read by staff, the board and (through them)
# residents' panels (Code 9.3): no resident's details are on either.
_LEARNING_READ = ("learning.view_lesson", "learning.view_improvementplan")
# The Code self-assessment (Code 8.1 to 8.4): read by quality reviewers and the board, who
# approve it; it holds the landlord's own evidence, no resident's details.
_SELF_ASSESSMENT_READ = ("selfassessment.view_selfassessment",)
# Its review by someone other than whoever prepared it (the service refuses them): quality
# reviewers, independent of the complaints team, and complaints managers, so a second manager can
# review at a landlord without a head of service free to.
_SELF_ASSESSMENT_REVIEW = ("selfassessment.review_selfassessment",)
# The governing body's approval and its response (Code 8.2), recorded by a board member or by the
# complaints manager from the minutes: the board's own decision, no resident's details.
_SELF_ASSESSMENT_APPROVE = ("selfassessment.approve_selfassessment",)
# Contacts beside complaints (Code 1.3 to 1.6): enquiries, service requests, compliments,
# surveys and logged contacts, recorded and read by case handlers and complaints managers. They
# hold residents' details, so the board sees none of them.
_CONTACTS = tuple(
    f"contacts.{verb}_{model}"
    for model in (
        "enquiry",
        "servicerequest",
        "compliment",
        "satisfactionsurvey",
        "surveyfollowup",
        "contact",
    )
    for verb in ("view", "add", "change")
)

ROLES: tuple[Role, ...] = (
    Role(
        CASE_HANDLER,
        "Logs, acknowledges, investigates and responds to complaints in their queue.",
        _CASEWORK + _LEARNING_READ + _CONTACTS,
    ),
    Role(
        QUALITY_REVIEWER,
        "Service manager or head of service: drafts, approves and signs off responses, "
        "and considers complaints at stage 2.",
        _CASEWORK
        + _LEARNING_READ
        + _SELF_ASSESSMENT_READ
        + _SELF_ASSESSMENT_REVIEW
        + ("complaints.sign_off_response",),
    ),
    Role(
        COMPLAINTS_MANAGER,
        "Allocates work, watches deadlines and breaches, handles confidential cases and "
        "Ombudsman casework.",
        _CASEWORK
        + (
            "complaints.sign_off_response",
            "complaints.allocate_complaint",
            "complaints.act_on_any_complaint",
            "complaints.view_confidential",
            "complaints.reverse_refusal",
            # Promised actions: give one to another person or team, or a new date.
            "complaints.reassign_action",
            "people.view_special_category",
            "people.export_subject_access",
            "outbox.resend_outgoingemail",
            # The performance figures the board receives, to check them before they go.
            "complaints.view_reports",
            # Report editions: the landlord's words, the TP09 survey result, and publishing.
            "reporting.change_edition",
            "reporting.publish_edition",
            "reporting.record_governing_body_response",
            "reporting.change_perceptionsurveyresult",
            # Learning (Code 9.4): records lessons and keeps the service improvement plan.
            *_LEARNING_READ,
            "learning.add_lesson",
            "learning.change_lesson",
            "learning.manage_improvementplan",
            "redress.view_payments_register",
            # Ombudsman casework: cases, requests, findings, orders and the case review.
            "ombudsman.view_ombudsmancase",
            "ombudsman.manage_ombudsmancase",
            "ombudsman.view_ombudsman_summary",
            *_CONTACTS,
            # The Code self-assessment: prepares it; keeps the register of exceptional
            # circumstances (Code 8.5) whose notice is published.
            *_SELF_ASSESSMENT_READ,
            "selfassessment.prepare_selfassessment",
            *_SELF_ASSESSMENT_REVIEW,
            *_SELF_ASSESSMENT_APPROVE,
            "selfassessment.view_exceptionalcircumstance",
            "selfassessment.manage_exceptionalcircumstance",
        ),
    ),
    Role(
        BOARD_MEMBER,
        "Sees performance reports and the self-assessment; no personal data.",
        (
            "complaints.view_reports",
            *_LEARNING_READ,
            "ombudsman.view_ombudsman_summary",
            # The governing body's response to a report (Code 8.2), from its own meeting.
            "reporting.record_governing_body_response",
            *_SELF_ASSESSMENT_READ,
            *_SELF_ASSESSMENT_APPROVE,
        ),
    ),
    Role(
        ADMINISTRATOR,
        "Keeps the organisation's settings, calendar closures, categories and staff accounts.",
        (
            "organisation.change_organisation",
            "organisation.add_closureday",
            "organisation.change_closureday",
            "organisation.delete_closureday",
            "organisation.view_closureday",
            "organisation.add_category",
            "organisation.change_category",
            "organisation.view_category",
            "organisation.add_exclusionreason",
            "organisation.change_exclusionreason",
            "organisation.view_exclusionreason",
            "organisation.add_businessarea",
            "organisation.change_businessarea",
            "organisation.view_businessarea",
            "organisation.add_stockcount",
            "organisation.change_stockcount",
            "organisation.view_stockcount",
            # Letter wording: a change is a new version; versions are never edited or deleted.
            "letters.add_wordingversion",
            "letters.view_wordingversion",
            # Confirming the Ombudsman's compensation bands against its published guidance.
            "redress.add_bandconfirmation",
            "redress.change_bandconfirmation",
            "redress.view_bandconfirmation",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_user",
            "accounts.add_team",
            "accounts.change_team",
            "accounts.view_team",
            # Sign-in lockouts (django-axes): deleting an access attempt unlocks it. The logs of
            # sign-ins and failures are for reading only.
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
            # The security log (sign-ins, role changes, reads of sensitive data): read only.
            "core.view_securityevent",
        ),
    ),
)

ROLE_NAMES = tuple(role.name for role in ROLES)

# Who may give a role (``accounts.services.user_set_roles``): nobody may give a role carrying a
# permission they do not hold themselves, except these, the ordinary work of case handlers,
# quality reviewers and board members. So an administrator, who keeps staff accounts without
# seeing casework, runs starters and leavers for those roles, but cannot make anyone (themselves
# included) a complaints manager, with confidential complaints and special category data: a
# superuser, or someone who is both administrator and complaints manager, does that. A permission
# added later is outside this list, so it needs its holder until someone decides otherwise.
GRANTABLE_WITHOUT_HOLDING = frozenset(
    {
        *_CASEWORK,
        *_CONTACTS,
        "complaints.sign_off_response",
        "complaints.view_reports",
        *_LEARNING_READ,
        # Counts and the maladministration rate only: no resident's details.
        "ombudsman.view_ombudsman_summary",
        # The board's own words on a report.
        "reporting.record_governing_body_response",
        # The landlord's own evidence against the Code, no resident's details; its review, and
        # the governing body's approval of it.
        *_SELF_ASSESSMENT_READ,
        *_SELF_ASSESSMENT_REVIEW,
        *_SELF_ASSESSMENT_APPROVE,
    }
)


def _permission_query(codes: tuple[str, ...]) -> Q:
    query = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return query


def sync_roles(*, strict: bool = False, using: str = "default") -> set[str]:
    """Make each role's group hold exactly its permissions; return any that do not exist.

    ``strict`` turns an unknown permission into an error (the test suite runs it that way).
    """
    missing: set[str] = set()
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role.name)
        permissions = list(
            Permission.objects.using(using)
            .filter(_permission_query(role.permissions))
            .select_related("content_type")
        )
        found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        missing |= set(role.permissions) - found
        group.permissions.set(permissions)
    if strict and missing:
        raise ImproperlyConfigured(f"Roles name unknown permissions: {sorted(missing)}")
    return missing


def sync_roles_after_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    """Keep the role groups in step with the permissions on every ``migrate`` (and ``flush``).

    Django sends post_migrate once for each app that has a models module, in INSTALLED_APPS
    order, and within each send runs contenttypes' and auth's handlers (connected first) before
    this one. So after the send for the last app with models, every permission exists. Apps
    without models (casework, demo) get no send at all, which is why this cannot wait for the
    last app in INSTALLED_APPS.
    """
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not None and with_models and app_config is with_models[-1]:
        sync_roles(using=using)
