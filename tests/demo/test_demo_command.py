import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import override_settings

from putright.accounts.models import User
from putright.accounts.roles import ADMINISTRATOR, CASE_HANDLER, QUALITY_REVIEWER, ROLE_NAMES
from putright.demo.staff import DEMO_PASSWORD, SIGN_INS
from putright.organisation.models import Organisation, StockCount
from putright.people.models import (
    ContactRestriction,
    DisclosedDisability,
    EndReason,
    EqualityData,
    Property,
    ReasonableAdjustment,
    Representative,
    Resident,
    ResidentEvent,
    ResidentKind,
    Tenancy,
    Tenure,
    tsm_group,
)
from tests.demo.conftest import kept_while_used

pytestmark = pytest.mark.django_db

AS_AT = "2026-11-24"  # the demo's "today": history from 1 April 2024
SCALE = "0.02"  # 160 homes


def run_demo(*args: str) -> str:
    """The demo as `make run` runs it: with DEBUG on."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", f"--scale={SCALE}", f"--as-at={AS_AT}", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """One run of the command read by every test of the class."""
    with kept_while_used(django_db_blocker, run_demo) as output:
        yield output


def latest_tenancies(on: dt.date) -> dict[int, list[Tenancy]]:
    """Worked out here in Python, independently of the selectors: each home's latest tenancy
    (or joint tenancies) begun by ``on``."""
    latest: dict[int, list[Tenancy]] = {}
    for tenancy in Tenancy.objects.filter(start_date__lte=on).order_by("start_date"):
        held = latest.get(tenancy.property_id)
        if held and held[0].start_date == tenancy.start_date:
            held.append(tenancy)
        else:
            latest[tenancy.property_id] = [tenancy]
    return latest


class TestOneRun:
    """Read-only tests of one run of the command."""

    def test_demo_makes_a_landlord_of_the_right_size_and_mix(self, demo):
        homes = Property.objects.count()
        assert homes == 160

        first_tenure = Counter(
            tenancies[0].tenure for tenancies in latest_tenancies(dt.date(2026, 11, 24)).values()
        )
        by_group = Counter(tsm_group(tenure) for tenure in first_tenure.elements())
        let_homes = sum(by_group.values())
        assert let_homes >= 150  # nearly every home is let or was let (voids keep their tenure)
        assert by_group["LCRA"] / let_homes == pytest.approx(0.80, abs=0.03)
        assert by_group["LCHO"] / let_homes == pytest.approx(0.195, abs=0.03)
        for tenure in (Tenure.LCRA_GENERAL_NEEDS, Tenure.LCRA_SUPPORTED, Tenure.LCRA_OLDER_PEOPLE):
            assert first_tenure[tenure] > 0

        residents = Resident.objects.count()
        assert 1.3 * homes < residents < 1.9 * homes
        assert Organisation.objects.get().name == "Greenway Homes"
        assert "People: 160 homes" in demo
        assert "no history events" in demo
        assert not ResidentEvent.objects.exists()

    def test_demo_tenancies_cover_two_years_with_moves_ends_and_new_starts(self, demo):
        first_day = dt.date(2024, 4, 1)
        tenancies = list(Tenancy.objects.all())
        assert any(t.start_date < first_day and t.end_date is None for t in tenancies)
        assert sum(1 for t in tenancies if t.start_date >= first_day) >= 20
        assert sum(1 for t in tenancies if t.end_date and t.end_date >= first_day) >= 20
        reasons = Counter(t.end_reason for t in tenancies if t.end_date)
        assert reasons[EndReason.TRANSFER] >= 1
        assert reasons[EndReason.MOVED_OUT] >= 1
        assert all(t.end_date is None or t.end_date <= dt.date(2026, 11, 24) for t in tenancies)
        assert all(t.start_date <= dt.date(2026, 11, 24) for t in tenancies)

    def test_demo_tenancies_keep_the_rules_the_services_enforce(self, demo):
        """Nobody holds two tenancies at once; no home is let to two households at once."""
        by_resident: dict[int, list[Tenancy]] = {}
        by_home: dict[int, list[Tenancy]] = {}
        for tenancy in Tenancy.objects.order_by("start_date"):
            by_resident.setdefault(tenancy.resident_id, []).append(tenancy)
            by_home.setdefault(tenancy.property_id, []).append(tenancy)

        def overlaps(a: Tenancy, b: Tenancy) -> bool:
            return (a.end_date is None or a.end_date >= b.start_date) and (
                b.end_date is None or b.end_date >= a.start_date
            )

        for held in by_resident.values():
            for a, b in zip(held, held[1:], strict=False):
                assert not overlaps(a, b)
        for lets in by_home.values():
            for i, a in enumerate(lets):
                for b in lets[i + 1 :]:
                    if overlaps(a, b):
                        assert a.is_joint and b.is_joint and a.start_date == b.start_date

    def test_demo_residents_kind_follows_their_tenancies(self, demo):
        today = dt.date(2026, 11, 24)
        holding = {
            t.resident_id: t.tenure
            for t in Tenancy.objects.all()
            if t.start_date <= today and (t.end_date is None or t.end_date >= today)
        }
        expected = {
            Tenure.LCHO_SHARED_OWNERSHIP: ResidentKind.SHARED_OWNER,
            Tenure.LEASEHOLDER: ResidentKind.LEASEHOLDER,
        }
        had_tenancy = set(Tenancy.objects.values_list("resident_id", flat=True))
        kinds = Counter()
        for resident in Resident.objects.all():
            kinds[resident.kind] += 1
            if resident.pk in holding:
                assert resident.kind == expected.get(holding[resident.pk], ResidentKind.TENANT)
            elif resident.pk in had_tenancy:
                assert resident.kind == ResidentKind.FORMER_RESIDENT
            else:
                assert resident.kind in (ResidentKind.APPLICANT, ResidentKind.OTHER)
                assert resident.correspondence_address
        assert kinds[ResidentKind.FORMER_RESIDENT] > 0
        assert kinds[ResidentKind.APPLICANT] > 0

    def test_demo_adds_representatives_adjustments_restrictions_and_equality_answers(self, demo):
        assert Representative.objects.count() >= 1
        assert ReasonableAdjustment.objects.count() >= 5
        assert DisclosedDisability.objects.count() >= 3
        restrictions = list(ContactRestriction.objects.all())
        assert len(restrictions) >= 1
        for restriction in restrictions:
            assert "Equality Act 2010" in restriction.proportionality_note
            assert restriction.next_review_on > restriction.starts_on
        for adjustment in ReasonableAdjustment.objects.all():
            assert adjustment.next_review_on > adjustment.agreed_on
        with_tenancy = Resident.objects.filter(tenancies__isnull=False).distinct().count()
        assert EqualityData.objects.count() / with_tenancy == pytest.approx(0.6, abs=0.1)

    def test_demo_stock_counts_are_counted_from_the_tenancies(self, demo):
        stock = {(s.reporting_year, s.tenure): s.homes for s in StockCount.objects.all()}
        assert set(stock) == {(2024, "LCRA"), (2024, "LCHO"), (2025, "LCRA"), (2025, "LCHO")}
        for year, year_end in ((2024, dt.date(2025, 3, 31)), (2025, dt.date(2026, 3, 31))):
            counted = Counter()
            for tenancies in latest_tenancies(year_end).values():
                last = tenancies[0]
                sold = last.end_reason == EndReason.SOLD and last.end_date <= year_end
                if not sold and tsm_group(last.tenure):
                    counted[tsm_group(last.tenure)] += 1
            assert stock[(year, "LCRA")] == counted["LCRA"]
            assert stock[(year, "LCHO")] == counted["LCHO"]
            assert 0.75 < counted["LCRA"] / (counted["LCRA"] + counted["LCHO"]) < 0.85

    def test_demo_says_what_work_waits_on_the_as_at_date(self, demo):
        assert "as at 24 November 2026" in demo
        line = next(line for line in demo.splitlines() if line.startswith("Live work on"))
        assert line.startswith("Live work on 24 November 2026: ")
        assert "unallocated" in line and "overdue" in line and "at stage 2" in line

    def test_demo_complaints_belong_to_the_business_area_of_their_category(self, demo):
        from putright.complaints.models import Complaint

        pairs = set(
            Complaint.objects.filter(category__isnull=False).values_list(
                "category__name", "business_area__name"
            )
        )
        assert ("Repairs", "Repairs and maintenance") in pairs
        assert all(area is not None for name, area in pairs if name != "Other"), pairs

    def test_demo_recent_steps_sent_their_letters_and_each_passes_its_check(self, demo):
        from putright.letters.models import IssuedLetter
        from putright.letters.stored import as_letter
        from putright.organisation.selectors import current_calendar

        letters = list(IssuedLetter.objects.select_related("complaint", "wording_version"))
        assert letters
        # 24 November 2026 less 10 working days: Tuesday 10 November (no bank holiday between).
        assert current_calendar().add(dt.date(2026, 11, 24), -10) == dt.date(2026, 11, 10)
        assert min(letter.dated for letter in letters) >= dt.date(2026, 11, 10)
        assert all(as_letter(letter).check() == [] for letter in letters)
        assert {letter.wording_version_id for letter in letters} == {1}
        # Posted on the day they went, but today's (24 November 2026) still wait for the post.
        assert all(
            (letter.posted_on == letter.dated) == (letter.dated < dt.date(2026, 11, 24))
            for letter in letters
            if letter.delivery == "post"
        )
        line = next(line for line in demo.splitlines() if line.startswith("Complaints:"))
        assert f"letters issued in the last 10 working days {len(letters)}." in line

    def test_demo_sign_ins_exist_with_their_roles_and_are_printed(self, demo):
        assert {s.role for s in SIGN_INS} == set(ROLE_NAMES)
        users = {user.email: user for user in User.objects.prefetch_related("groups")}
        for sign_in in SIGN_INS:
            user = users[sign_in.email]
            assert user.is_active
            assert [group.name for group in user.groups.all()] == [sign_in.role]
            assert user.is_staff == (sign_in.role == ADMINISTRATOR)
            assert not user.is_superuser
            assert sign_in.email in demo
        # Two of each so that stage 2 can go to someone who had no part in stage 1.
        roles = Counter(s.role for s in SIGN_INS)
        assert roles[CASE_HANDLER] == 2 and roles[QUALITY_REVIEWER] == 2
        handler = users["handler@demo.putright.test"]
        assert handler.check_password(DEMO_PASSWORD)
        assert handler.has_perm("people.view_resident")
        assert users["manager@demo.putright.test"].has_perm("people.view_special_category")
        assert not handler.has_perm("people.view_special_category")
        assert len({user.password for user in users.values()}) == 1
        validate_password(DEMO_PASSWORD, user=handler)  # the demo password passes our own rules
        assert "Email" in demo and "Password" in demo and DEMO_PASSWORD in demo

    def test_demo_publishes_last_years_self_assessment_with_two_provisions_not_met(self, demo):
        from putright.selfassessment.models import SelfAssessment

        assessment = SelfAssessment.objects.get()
        assert (assessment.reporting_year, assessment.status) == (2025, "published")
        assert assessment.approved_on <= assessment.published_on <= dt.date(2026, 9, 30)
        assert assessment.responsible_member == "Helen Ashworth"
        not_met = assessment.answers.filter(comply="no").order_by("position")
        assert [(a.provision, a.action_due_on) for a in not_met] == [
            ("6.14", dt.date(2026, 12, 31)),
            ("9.8", dt.date(2027, 3, 31)),
        ]
        assert not assessment.answers.filter(comply="").exists()
        assert not assessment.answers.filter(evidence="").exists()


def fingerprint() -> tuple:
    def rows(model, *fields) -> list[str]:
        return sorted(str(row) for row in model.objects.values_list(*fields))

    return (
        rows(Resident, "reference", "title", "first_name", "last_name", "date_of_birth", "email"),
        rows(Property, "uprn", "address_line_1", "address_line_2", "postcode", "scheme"),
        rows(
            Tenancy,
            "resident__reference",
            "property__address_line_1",
            "tenure",
            "start_date",
            "end_date",
            "end_reason",
        ),
        rows(Representative, "resident__reference", "name", "relationship"),
        rows(ReasonableAdjustment, "resident__reference", "description", "agreed_on"),
        rows(ContactRestriction, "resident__reference", "starts_on"),
        rows(EqualityData, "resident__reference", "age_band", "sex", "ethnicity"),
        rows(StockCount, "reporting_year", "tenure", "homes"),
    )


def clear_people() -> None:
    # Complaints protect their complainants, so the complaint record goes first.
    from putright.complaints.models import (
        Action,
        Complaint,
        ComplaintEvent,
        Correspondence,
        Decision,
        Extension,
        Point,
        Refusal,
        Remedy,
        Stage,
    )
    from putright.contacts.models import (
        Compliment,
        Contact,
        ContactsEvent,
        Enquiry,
        SatisfactionSurvey,
        ServiceRequest,
        SurveyFollowUp,
    )
    from putright.letters.models import IssuedLetter
    from putright.ombudsman import models as ombudsman

    # History refuses DELETE in the database itself: emptying it takes the unlock a flush uses.
    from putright.privacy.append_only import Purpose, unlocked
    from putright.redress.models import Compensation
    from putright.tracking.models import Reminder

    with unlocked(Purpose.EMPTY):
        for model in (
            ContactsEvent,
            SurveyFollowUp,
            SatisfactionSurvey,
            ServiceRequest.complaints.through,
            ServiceRequest,
            Enquiry,
            Compliment,
            Contact,
            IssuedLetter,
            Correspondence,
            ComplaintEvent,
            Reminder,
            Action,
            # Ombudsman cases protect their complaints, and orders the payments they link.
            ombudsman.OmbudsmanEvent,
            ombudsman.CaseReview,
            ombudsman.Order,
            ombudsman.Recommendation,
            ombudsman.InformationRequest,
            ombudsman.Finding,
            ombudsman.FailureOrder,
            ombudsman.OmbudsmanCase,
            Compensation,
            Remedy,
            Refusal,
            Extension,
            Decision,
            Point,
            Stage,
            Complaint,
            EqualityData,
            DisclosedDisability,
            ContactRestriction,
            ReasonableAdjustment,
            Representative,
            Tenancy,
            Resident,
            Property,
        ):
            model.objects.all().delete()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    run_demo()
    first = fingerprint()
    clear_people()
    run_demo()
    assert fingerprint() == first
    clear_people()
    run_demo("--seed=7")
    assert fingerprint()[0] != first[0]


def test_if_empty_leaves_a_database_with_residents_alone():
    Resident.objects.create(last_name="Existing")
    out = run_demo("--if-empty")
    assert "already exist" in out
    assert Property.objects.count() == 0
    assert not User.objects.exists()


def test_if_empty_fills_an_empty_database():
    run_demo("--if-empty")
    assert Property.objects.count() == 160


def test_a_non_empty_database_is_refused_unless_forced():
    Resident.objects.create(last_name="Existing")
    with pytest.raises(CommandError, match="already holds residents"):
        run_demo()
    run_demo("--force")
    assert Property.objects.count() == 160
    assert Resident.objects.filter(last_name="Existing").exists()


def test_the_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off") as refused:
        call_command("demo", f"--scale={SCALE}", f"--as-at={AS_AT}", stdout=StringIO())

    assert "--allow-production" in str(refused.value)
    assert not User.objects.exists()
    assert not Property.objects.exists()


def test_allow_production_runs_the_demo_with_debug_off_and_the_deploy_check_then_fails(settings):
    from django.core.checks import run_checks

    settings.DEBUG = False

    call_command(
        "demo", f"--scale={SCALE}", f"--as-at={AS_AT}", "--allow-production", stdout=StringIO()
    )

    assert User.objects.filter(email__endswith="@demo.putright.test").count() == len(SIGN_INS)
    failed = [m.id for m in run_checks(include_deployment_checks=True) if m.is_serious()]
    assert "putright.E001" in failed


@override_settings(DEBUG=True)
def test_an_as_at_date_in_the_future_is_refused():
    from putright.core import clock

    with clock.fixed(dt.date(2026, 11, 24)), pytest.raises(CommandError, match="in the future"):
        call_command("demo", "--scale=0.02", "--as-at=2026-11-25", stdout=StringIO())
    assert not Property.objects.exists()


@override_settings(DEBUG=True)
def test_a_scale_of_nothing_is_refused():
    with pytest.raises(CommandError, match="more than 0"):
        call_command("demo", "--scale=0", stdout=StringIO())


def test_running_the_demo_again_with_force_keeps_one_sign_in_each():
    run_demo()
    run_demo("--force")
    assert User.objects.filter(email__endswith="@demo.putright.test").count() == len(SIGN_INS)
    assert StockCount.objects.count() == 4
