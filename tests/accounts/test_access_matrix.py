"""Every page, as every role: the answer each one gets (OWASP ASVS V4).

The matrix names every URL in the project. A new page fails this test until it is added with
the answer each role should get, so no page can ship without someone deciding who may open it.
Pages are opened with GET; the services refuse the steps themselves whatever a screen shows.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from putright.complaints import services
from putright.complaints.models import Action, Channel, Complaint, Remedy
from putright.inbound.models import InboundMessage
from putright.inbound.services import message_receive
from putright.letters.models import IssuedLetter
from putright.letters.services import letter_issue
from putright.organisation.models import ExclusionReason
from putright.redress.models import Compensation
from putright.redress.services import compensation_offer
from tests.accounts.helpers import make_staff
from tests.complaints import helpers as flow
from tests.people.factories import ResidentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ROLES = ("signed out", "handler", "colleague", "reviewer", "manager", "board", "admin")
STAFF = ("handler", "colleague", "reviewer", "manager", "board", "admin")
CASEWORKERS = ("handler", "colleague", "reviewer", "manager")
SIGN_IN = 302  # signed out: sent to sign in


def answers(**by_role: int) -> dict[str, int]:
    """The status each role gets; roles not named are refused (403), the signed out sent to
    sign in."""
    expected = dict.fromkeys(STAFF, 403) | {"signed out": SIGN_IN}
    expected.update({role.replace("_", " "): status for role, status in by_role.items()})
    return expected


def to(roles: tuple[str, ...], status: int = 200, **others: int) -> dict[str, int]:
    return answers(**dict.fromkeys(roles, status), **others)


EVERY_STAFF = to(STAFF)
CASEWORK = to(CASEWORKERS)
# A step that changes where the complaint stands: its handler, or a complaints manager.
OWN_CASE = to(("handler", "manager"))
QUALITY_CHECK = to(("reviewer", "manager"))
PUBLIC = dict.fromkeys(ROLES, 200)
LEARNING_READERS = to((*CASEWORKERS, "board"))
CONTACTS = to(("handler", "colleague", "manager"))
SELF_ASSESSMENT_READERS = to(("reviewer", "manager", "board"))

MATRIX: dict[str, dict[str, int]] = {
    "accounts:home": EVERY_STAFF,
    "accounts:sign-in": answers(**dict.fromkeys(STAFF, 302), signed_out=200),  # signed in: home
    "accounts:sign-out": answers(**dict.fromkeys(STAFF, 405), signed_out=405),  # POST only
    "accounts:password-change": EVERY_STAFF,
    "accounts:password-reset": PUBLIC,
    "accounts:password-reset-sent": PUBLIC,
    "accounts:password-reset-complete": PUBLIC,
    "accounts:password-reset-confirm": PUBLIC,  # a bad link says so, to anyone
    "keep-alive": answers(**dict.fromkeys(STAFF, 405)),  # POST only
    # The second factor's own pages: open to every member of staff for their own account.
    "accounts:two-factor": EVERY_STAFF,
    "accounts:two-factor-set-up": EVERY_STAFF,
    "accounts:two-factor-backup-code": EVERY_STAFF,
    # Asked for only while a session waits for its code: anyone else goes on to the service.
    "accounts:two-factor-code": answers(**dict.fromkeys(STAFF, 302)),
    # Shown once, straight after they are made: otherwise back to the overview.
    "accounts:two-factor-backup-codes": answers(**dict.fromkeys(STAFF, 302)),
    "accounts:two-factor-new-backup-codes": answers(**dict.fromkeys(STAFF, 405)),  # POST only
    "casework:queues": answers(**dict.fromkeys(CASEWORKERS, 302)),  # to the person's queue
    "casework:queue": CASEWORK,
    "casework:bulk-allocate": answers(**dict.fromkeys(STAFF, 405)),  # POST only
    "casework:log": CASEWORK,
    # Also changes the contacts record, which quality reviewers may not.
    "casework:log-from-service-request": to(("handler", "colleague", "manager")),
    "casework:log-from-follow-up": to(("handler", "colleague", "manager")),
    "casework:case": CASEWORK,
    "casework:document": CASEWORK,
    "casework:record-contact": CASEWORK,
    "casework:upload": CASEWORK,
    "casework:add-note": CASEWORK,
    "casework:complete-action": CASEWORK,
    "casework:not-accept": OWN_CASE,
    "casework:acknowledge": OWN_CASE,
    "casework:extend": OWN_CASE,
    "casework:add-point": OWN_CASE,
    "casework:update-interval": OWN_CASE,
    "casework:mark-duplicate": OWN_CASE,
    "casework:draft-response": OWN_CASE,
    "casework:issue-response": OWN_CASE,
    "casework:escalate": OWN_CASE,
    "casework:withdraw": OWN_CASE,
    "casework:close": OWN_CASE,
    "casework:refuse-escalation": OWN_CASE,
    "casework:allocate": to(("manager",)),  # the handler cannot hand their case on
    "casework:sign-off": QUALITY_CHECK,
    "casework:return-draft": QUALITY_CHECK,
    "casework:reverse-refusal": to(("manager",)),
    "privacy:subject-access": to(("manager",)),
    # An issued letter: read, and recorded as posted, by anyone working the case.
    "casework:letter": CASEWORK,
    # A letter of its own (an update on actions, a closure letter, a free letter): the case's
    # handler, or a manager.
    "casework:write-letter": OWN_CASE,
    "outbox:failed": to(("manager",)),
    "outbox:resend": to(("manager",), 405),  # POST only
    # Email in: the triage queue and each message, for everyone working cases.
    "inbound:triage": CASEWORK,
    "inbound:message": CASEWORK,
    "inbound:log": CASEWORK,
    "inbound:attachment": CASEWORK,
    # Learning: the register and the plan are read by staff and the board (no personal data);
    # complaints managers record lessons and keep the plan.
    # The performance figures: counts and rates only, for the board and complaints managers.
    "reporting:index": to(("manager", "board")),
    "reporting:annual": to(("manager", "board")),
    # The complaints behind a figure name complaints: reports and complaints both, so not the
    # board (no personal data) nor a handler (no reports).
    "reporting:drill": to(("manager",)),
    # Report editions: the board reads drafts and records its response (Code 8.2); complaints
    # managers write, publish and enter TP09. Published reports are for anyone.
    "reporting:editions": to(("manager", "board")),
    "reporting:edition": to(("manager", "board")),
    "reporting:edition-new": to(("manager",)),
    "reporting:edition-words": to(("manager",)),
    "reporting:edition-response": to(("manager", "board")),
    "reporting:edition-publish": to(("manager",)),
    "reporting:tp09": to(("manager",)),
    "published:index": PUBLIC,
    "published:edition": PUBLIC,
    "published:download": PUBLIC,
    "reporting:edition-download": to(("manager", "board")),
    "reporting:dashboard": to(("manager", "board")),
    "learning:lessons": LEARNING_READERS,
    "learning:lesson": LEARNING_READERS,
    "learning:lesson-new": to(("manager",)),
    "learning:lesson-edit": to(("manager",)),
    "learning:plans": LEARNING_READERS,
    "learning:plan": LEARNING_READERS,
    "learning:snapshot": LEARNING_READERS,
    "learning:action": LEARNING_READERS,
    "learning:goal-new": to(("manager",)),
    "learning:action-new": to(("manager",)),
    "learning:action-edit": to(("manager",)),
    # A financial remedy's steps: the handler's (or a manager's), except approval, which is
    # anyone's whose limit covers the amount (the service checks the limit).
    "casework:remedy-offer": OWN_CASE,
    "casework:compensation-accept": OWN_CASE,
    "casework:compensation-decline": OWN_CASE,
    "casework:compensation-approve": CASEWORK,
    "casework:compensation-pay": OWN_CASE,
    # The payments register and its exports: complaints managers.
    # Contacts beside complaints hold residents' details: case handlers and managers only.
    "contacts:hub": CONTACTS,
    "contacts:enquiries": CONTACTS,
    "contacts:enquiry-new": CONTACTS,
    "contacts:enquiry": CONTACTS,
    "contacts:enquiry-edit": CONTACTS,
    "contacts:service-requests": CONTACTS,
    "contacts:service-request-new": CONTACTS,
    "contacts:service-request": CONTACTS,
    "contacts:service-request-edit": CONTACTS,
    "contacts:service-request-review": CONTACTS,
    "contacts:service-request-link": CONTACTS,
    "contacts:compliments": CONTACTS,
    "contacts:compliment-new": CONTACTS,
    "contacts:compliment": CONTACTS,
    "contacts:compliment-edit": CONTACTS,
    "contacts:surveys": CONTACTS,
    "contacts:survey-new": CONTACTS,
    "contacts:survey": CONTACTS,
    "contacts:survey-response": CONTACTS,
    "contacts:follow-ups": CONTACTS,
    "contacts:follow-up": CONTACTS,
    "contacts:contacts": CONTACTS,
    "contacts:contact-new": CONTACTS,
    "contacts:contact": CONTACTS,
    "contacts:contact-edit": CONTACTS,
    "contacts:demand": CONTACTS,
    "redress:register": to(("manager",)),
    "redress:register-csv": to(("manager",)),
    "redress:register-xlsx": to(("manager",)),
    # Ombudsman casework: complaints managers; the board reads the anonymised summary.
    "ombudsman:cases": to(("manager",)),
    "ombudsman:case": to(("manager",)),
    "ombudsman:case-new": to(("manager",)),
    "ombudsman:step": to(("manager",)),
    "ombudsman:item-step": to(("manager",)),
    "ombudsman:summary": to(("manager", "board")),
    # The Code self-assessment: complaints managers prepare it; quality reviewers and the board
    # read it. The register of exceptional circumstances (Code 8.5) is the managers'.
    "selfassessment:list": SELF_ASSESSMENT_READERS,
    "selfassessment:assessment": SELF_ASSESSMENT_READERS,
    "selfassessment:new": to(("manager",)),
    "selfassessment:answer": to(("manager",)),
    "selfassessment:circumstances": to(("manager",)),
    "selfassessment:circumstance": to(("manager",)),
    "selfassessment:circumstance-new": to(("manager",)),
    "selfassessment:circumstance-edit": to(("manager",)),
    # Approval: managers submit, publish and start new versions; quality reviewers and managers
    # review (the service refuses whoever prepared it); the board and managers record the
    # governing body's approval. Every reader downloads the files (a draft's say so).
    "selfassessment:submit": to(("manager",)),
    "selfassessment:review": to(("reviewer", "manager")),
    "selfassessment:approve": to(("manager", "board")),
    "selfassessment:publish": to(("manager",)),
    "selfassessment:revise": to(("manager",)),
    "selfassessment:download": SELF_ASSESSMENT_READERS,
    # The published self-assessment, beside the published reports: open to anyone.
    "published-selfassessment:assessment": PUBLIC,
    "published-selfassessment:download": PUBLIC,
    # Promised actions: the tracker for everyone working cases; complaints managers reassign.
    "tracking:tracker": CASEWORK,
    "tracking:overdue": CASEWORK,
    "tracking:team": CASEWORK,
    "tracking:reassign": to(("manager",)),
    "tracking:update-interval": OWN_CASE,
}


def url_names(resolver=None, namespace: str = "") -> list[str]:
    """Every named URL outside the admin (which is checked on its own below)."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            # The admin is checked on its own below; providers' webhooks in tests/inbound.
            if str(pattern.pattern).startswith(("admin/", "anymail/")):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(namespace + pattern.name)
    return names


@pytest.fixture
def world(db, set_today, named_organisation):
    set_today(dt.date(2026, 3, 2))
    people = {
        "handler": make_staff("Case handler", full_name="Hana Handler"),
        "colleague": make_staff(
            "Case handler", full_name="Colin Colleague", email="colin@example.org"
        ),
        "reviewer": make_staff("Quality reviewer"),
        "manager": make_staff("Complaints manager"),
        "board": make_staff("Board member"),
        "admin": make_staff("Administrator"),
    }
    handler = people["handler"]

    def log(hour: int) -> Complaint:
        return services.complaint_log(
            acting_user=handler,
            complainant=ResidentFactory(),
            channel=Channel.EMAIL,
            received_at=dt.datetime(2026, 2, 2, hour, tzinfo=dt.UTC),
            description="The kitchen tap has leaked since January.",
            handler=handler,
        )

    # Drafted and waiting for its quality check, with a document.
    complaint = flow.acknowledge(acting_user=handler, complaint=log(10), on=dt.date(2026, 2, 3))
    complaint = flow.draft(acting_user=handler, complaint=complaint, on=dt.date(2026, 2, 10))
    document = services.document_upload(
        acting_user=handler,
        complaint=complaint,
        uploaded_file=SimpleUploadedFile("photo.pdf", PDF),
        kind="evidence",
    )
    # Not accepted, so the refusal can be reversed.
    refused = services.complaint_not_accept(
        acting_user=handler,
        complaint=log(11),
        reason=ExclusionReason.objects.filter(is_active=True).first(),
        explanation="Outside the time limit with no reason for the delay.",
        evidence="The repair was finished in 2019.",
        evidence_date=dt.date(2019, 5, 1),
        resident_told_on=dt.date(2026, 2, 4),
        ombudsman_rights_given=True,
        on=dt.date(2026, 2, 4),
    )
    refusal = refused.refusals.get()
    # Responded with an action promised.
    answered = flow.acknowledge(acting_user=handler, complaint=log(12), on=dt.date(2026, 2, 3))
    flow.respond(
        acting_user=handler,
        complaint=answered,
        on=dt.date(2026, 2, 12),
        actions=[
            {"description": "Replace the tap.", "owner": handler, "due_on": dt.date(2026, 3, 20)}
        ],
        remedies=[
            {"kind": "compensation", "description": "For the leak.", "amount_pence": 5_000},
            {"kind": "compensation", "description": "For the delay.", "amount_pence": 6_000},
        ],
    )
    action = Action.objects.get(complaint=answered)
    compensation_offer(
        acting_user=handler,
        remedy=Remedy.objects.get(description="For the delay."),
        heads={"time_trouble_pence": 6_000},
    )
    letter_issue(
        acting_user=handler,
        complaint=complaint,
        letter_type_key="free",
        sections={"body": "We will visit on Tuesday."},
    )
    message_receive(
        message_id="<matrix@example.org>",
        received_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
        from_address="resident@example.org",
        subject="The damp is back",
        text="The damp is back.",
        attachments=[("damp.pdf", "application/pdf", PDF)],
        source="imap",
    )
    return people, complaint, document, refused, refusal, action


def learning_path(name: str, world) -> str:
    """A lesson, and a plan with a goal, an action and a quarter's snapshot, made on demand."""
    from putright.learning import services as learning

    manager = world[0]["manager"]
    plan = learning.plan_create(acting_user=manager, year=2025)
    goal = learning.goal_add(acting_user=manager, plan=plan, title="People")
    item = learning.plan_action_add(
        acting_user=manager,
        goal=goal,
        description="Training.",
        lead=manager,
        due_on=dt.date(2026, 3, 31),
    )
    learning.plan_snapshot_take(acting_user=manager, plan=plan, quarter=3)
    lesson = learning.lesson_record(
        acting_user=manager,
        title="Damp",
        what_happened="Closed early.",
        root_cause="delay",
        learning="Survey first.",
        owner=manager,
    )
    arguments = {
        "learning:lesson": {"pk": lesson.pk},
        "learning:lesson-edit": {"pk": lesson.pk},
        "learning:plan": {"year": 2025},
        "learning:goal-new": {"year": 2025},
        "learning:action-new": {"year": 2025, "goal": 1},
        "learning:snapshot": {"year": 2025, "quarter": 3},
        "learning:action": {"pk": item.pk},
        "learning:action-edit": {"pk": item.pk},
    }
    return reverse(name, kwargs=arguments.get(name, {}))


def ombudsman_path(name: str, world) -> str:
    """An Ombudsman case determined with a finding of failure (so a case review), made on
    demand."""
    from putright.core import clock
    from putright.ombudsman import services as ombudsman

    manager, complaint = world[0]["manager"], world[1]
    day = clock.today() - dt.timedelta(days=30)
    case = ombudsman.case_open(
        acting_user=manager,
        reference="202599999",
        referred_on=day,
        complaints=[complaint],
        stage="investigation",
    )
    ombudsman.determination_record(acting_user=manager, case=case, on=day)
    ombudsman.finding_add(
        acting_user=manager, case=case, element="Repairs", outcome="maladministration"
    )
    arguments = {
        "ombudsman:case": {"pk": case.pk},
        "ombudsman:step": {"pk": case.pk, "step": "order"},
        "ombudsman:item-step": {
            "pk": case.pk,
            "record": "review",
            "item": case.review.pk,
            "step": "complete",
        },
    }
    return reverse(name, kwargs=arguments.get(name, {}))


def contacts_path(name: str, world) -> str:
    """One record of each kind in putright.contacts, made on demand."""
    from putright.contacts import services as contacts

    people, complaint, _, refused, _, _ = world
    handler = people["handler"]
    day = dt.date(2026, 2, 20)
    enquiry = contacts.enquiry_record(
        acting_user=handler,
        received_on=day,
        enquirer_name="Jo Bloggs MP",
        enquirer_role="mp",
        resident=complaint.complainant,
        summary="Asks about the tap.",
    )
    request = contacts.service_request_record(
        acting_user=handler,
        source="phone",
        category="repairs",
        description="Tap.",
        opened_on=day,
        target_on=day,
    )
    compliment = contacts.compliment_record(
        acting_user=handler, received_on=day, channel="email", text="Thanks.", about_team="Repairs"
    )
    survey = contacts.survey_send(
        acting_user=handler, complaint=refused, sent_on=day, score=1, responded_on=day
    )
    contact = contacts.contact_log(
        acting_user=handler, received_on=day, channel="email", contact_type="repair"
    )
    pk = {
        "enquiry": enquiry.pk,
        "service-request": request.pk,
        "compliment": compliment.pk,
        "survey": survey.pk,
        "follow-up": survey.follow_up.pk,
        "contact": contact.pk,
    }
    kind = name.removeprefix("contacts:")
    for prefix, value in pk.items():
        if kind == prefix or (kind.startswith(f"{prefix}-") and not kind.endswith("-new")):
            return reverse(name, kwargs={"pk": value})
    return reverse(name)


def reporting_path(name: str, world) -> str:
    """The 2024-25 annual report published, and a draft of its version 2, made on demand."""
    from putright.reporting import services as reporting

    manager = world[0]["manager"]
    edition = reporting.edition_start(acting_user=manager, kind="annual", reporting_year=2024)
    edition = reporting.edition_record_response(
        acting_user=manager,
        edition=edition,
        response="Accepted.",
        meeting_on=dt.date(2025, 6, 1),
        minute="1",
        member="Priya Shah",
        expected_revision=edition.revision,
    )
    reporting.edition_publish(
        acting_user=manager, edition=edition, expected_revision=edition.revision
    )
    draft = reporting.edition_start(
        acting_user=manager, kind="annual", reporting_year=2024, reason="Corrected."
    )
    arguments = {
        "reporting:edition-new": {"year": 2025, "part": "q1"},
        "reporting:tp09": {"year": 2025},
        "published:edition": {"year": 2024, "part": "annual", "version": 1},
        "published:download": {"year": 2024, "part": "annual", "version": 1, "fmt": "csv"},
        "reporting:edition-download": {"pk": draft.pk, "fmt": "csv"},
    }
    if name in arguments:
        return reverse(name, kwargs=arguments[name])
    if name.startswith("reporting:edition-") or name == "reporting:edition":
        return reverse(name, kwargs={"pk": draft.pk})
    return reverse(name)


def selfassessment_path(name: str, world) -> str:
    """The 2025-26 self-assessment and a record of exceptional circumstances, made on demand."""
    from putright.selfassessment import services as selfassessment

    manager = world[0]["manager"]
    assessment = selfassessment.assessment_start(
        acting_user=manager, trigger="annual", reporting_year=2025
    )
    circumstance = selfassessment.circumstance_record(
        acting_user=manager,
        title="Cyber incident",
        what_happened="The housing system is offline.",
        provisions=["6.2"],
        started_on=dt.date(2026, 3, 1),
        expected_return_on=dt.date(2026, 3, 31),
        public_notice="Replies will be late.",
    )
    if name.startswith("published-selfassessment:"):
        # A published one: every answer given, reviewed, approved and published.
        from putright.selfassessment.models import Answer

        Answer.objects.filter(assessment=assessment).update(comply="yes")
        assessment.refresh_from_db()
        for step, extra, person in (
            (selfassessment.assessment_submit, {}, "manager"),
            (selfassessment.assessment_review, {"decision": "reviewed"}, "reviewer"),
            (
                selfassessment.assessment_approve,
                {
                    "meeting_on": dt.date(2026, 3, 2),
                    "minute": "1",
                    "member": "Priya Shah",
                    "response": "Approved.",
                },
                "board",
            ),
            (selfassessment.assessment_publish, {}, "manager"),
        ):
            assessment = step(
                acting_user=world[0][person],
                assessment=assessment,
                expected_version=assessment.version,
                **extra,
            )
    arguments = {
        "selfassessment:assessment": {"pk": assessment.pk},
        "selfassessment:download": {"pk": assessment.pk, "fmt": "html"},
        "published-selfassessment:assessment": {"pk": assessment.pk},
        "published-selfassessment:download": {"pk": assessment.pk, "fmt": "html"},
        "selfassessment:answer": {"pk": assessment.pk, "provision": "6.15"},
        "selfassessment:circumstance": {"pk": circumstance.pk},
        "selfassessment:circumstance-edit": {"pk": circumstance.pk},
        **{
            f"selfassessment:{step}": {"pk": assessment.pk}
            for step in ("submit", "review", "approve", "publish", "revise")
        },
    }
    return reverse(name, kwargs=arguments.get(name, {}))


def path_for(name: str, world) -> str:
    _, complaint, document, refused, refusal, action = world
    if name.startswith(("selfassessment:", "published-selfassessment:")):
        return selfassessment_path(name, world)
    if name.startswith(("reporting:edition", "reporting:tp09", "published:")):
        return reporting_path(name, world)
    if name.startswith("learning:"):
        return learning_path(name, world)
    if name.startswith("ombudsman:"):
        return ombudsman_path(name, world)
    if name.startswith("contacts:"):
        return contacts_path(name, world)
    if name in ("casework:log-from-service-request", "casework:log-from-follow-up"):
        # Logging a complaint raised from a record: the record made as contacts' pages are.
        record = "service-request" if "service" in name else "follow-up"
        pk = contacts_path(f"contacts:{record}", world).rstrip("/").rsplit("/", 1)[1]
        return reverse(name, kwargs={"pk": int(pk)})
    if name in ("inbound:message", "inbound:log", "inbound:attachment"):
        message = InboundMessage.objects.get(message_id="<matrix@example.org>")
        kwargs = {"pk": message.pk}
        if name == "inbound:attachment":
            kwargs["attachment"] = message.attachments.get().pk
        return reverse(name, kwargs=kwargs)
    reference = {"reference": complaint.reference}
    arguments = {
        "casework:queue": {"queue": "mine"},
        "casework:document": {**reference, "pk": document.pk},
        "casework:reverse-refusal": {"reference": refused.reference, "pk": refusal.pk},
        "accounts:password-reset-confirm": {"uidb64": "MQ", "token": "set-password"},
        "privacy:subject-access": {"pk": complaint.complainant_id},
        "casework:letter": {**reference, "pk": IssuedLetter.objects.get().pk},
        "outbox:resend": {"pk": 1},
        "reporting:annual": {"year": 2025},
        "reporting:drill": {"year": 2025, "key": "stage1.received"},
    }
    if name == "casework:remedy-offer":
        remedy = Remedy.objects.get(description="For the leak.")
        return reverse(name, kwargs={"reference": action.complaint.reference, "pk": remedy.pk})
    if name.startswith("casework:compensation-"):
        paid = Compensation.objects.get()
        return reverse(name, kwargs={"reference": action.complaint.reference, "pk": paid.pk})
    if name == "tracking:reassign":
        return reverse(name, kwargs={"pk": action.pk})
    if name == "tracking:update-interval":
        return reverse(name, kwargs={"reference": action.complaint.reference, "number": 1})
    if name == "tracking:team":
        from putright.accounts.models import Team

        return reverse(name, kwargs={"pk": Team.objects.get_or_create(name="Repairs")[0].pk})
    if name == "casework:complete-action":
        return reverse(name, kwargs={"reference": action.complaint.reference, "pk": action.pk})
    if name in arguments:
        return reverse(name, kwargs=arguments[name])
    try:
        return reverse(name, kwargs=reference)
    except Exception:
        return reverse(name)


def test_every_page_is_in_the_matrix():
    missing = sorted(set(url_names()) - set(MATRIX))
    assert not missing, f"Say who may open these pages in MATRIX: {missing}"
    assert sorted(set(MATRIX) - set(url_names())) == []


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_answer_the_matrix_gives(client, world, name):
    people = world[0]
    path = path_for(name, world)
    got = {}
    for role in ROLES:
        client.logout()
        if role != "signed out":
            client.force_login(people[role])
        got[role] = client.get(path).status_code
    assert got == MATRIX[name], path


def test_the_admin_is_for_administrators_only(client, world):
    people = world[0]
    for role in STAFF:
        client.force_login(people[role])
        status = client.get("/admin/").status_code
        assert (status == 200) == (role == "admin"), role
    client.logout()
    assert client.get("/admin/").status_code == 302


def test_nobody_but_an_administrator_reaches_any_admin_list(client, world):
    from django.contrib import admin

    people = world[0]
    lists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for role in ("handler", "reviewer", "manager", "board"):
        client.force_login(people[role])
        opened = [path for path in lists if client.get(path).status_code == 200]
        assert opened == [], role


def test_a_confidential_complaint_is_not_found_by_a_colleague(client, world):
    people, complaint = world[0], world[1]
    Complaint.objects.filter(pk=complaint.pk).update(is_confidential=True)
    client.force_login(people["colleague"])
    assert client.get(reverse("casework:case", args=[complaint.reference])).status_code == 404
    client.force_login(people["handler"])
    assert client.get(reverse("casework:case", args=[complaint.reference])).status_code == 200
