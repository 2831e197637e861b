"""The year's Ombudsman figures counted from the records, and the mediation setting."""

from __future__ import annotations

import datetime as dt

from putright.ombudsman import selectors, services
from tests.ombudsman.conftest import determined_case, log_complaint

D = dt.date


def test_the_summary_counts_findings_orders_and_requests_of_the_year(
    manager, handler, today, settings
):
    one = determined_case(manager, log_complaint(handler, day=2), reference="A1")
    two = determined_case(manager, log_complaint(handler, day=3), reference="A2")
    for case, element, outcome in [
        (one, "Repairs", "maladministration"),
        (one, "Complaint handling", "service_failure"),
        (one, "Noise", "outside_jurisdiction"),
        (two, "Rent", "mediation"),
        (two, "Damp", "no_maladministration"),
    ]:
        services.finding_add(acting_user=manager, case=case, element=element, outcome=outcome)
    late = services.order_record(
        acting_user=manager, case=one, what="Pay", due_on=D(2026, 1, 20), compensation_pence=25_000
    )
    services.order_comply(acting_user=manager, order=late, evidence="Paid", on=D(2026, 1, 22))
    services.order_record(acting_user=manager, case=two, what="Apologise", due_on=D(2026, 2, 5))
    request = services.request_record(
        acting_user=manager,
        case=one,
        what="Records",
        requested_on=D(2025, 12, 1),
        due_on=D(2025, 12, 15),
    )
    services.request_provide(acting_user=manager, request=request, on=D(2025, 12, 10))

    figures = selectors.summary(2025)
    assert figures.determinations == 2
    # 2 failures of 4 considered (outside jurisdiction left out, mediation counted in).
    assert (figures.rate.failures, figures.rate.considered, figures.rate.percent) == (2, 4, 50)
    assert (figures.orders, figures.orders_done, figures.orders_done_in_time) == (2, 1, 0)
    assert figures.compensation_ordered_pence == 25_000
    assert (figures.requests, figures.requests_in_time) == (1, 1)
    assert figures.actions_in_time_percent == 33  # 1 of 3 orders and requests in time

    settings.PUTRIGHT_MALRATE_MEDIATION_IN_DENOMINATOR = False
    assert selectors.summary(2025).rate.percent == 67  # 2 of 3
    assert selectors.summary(2024).rate.percent is None
