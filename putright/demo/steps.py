"""The ordered steps of ``putright demo``: the one place to plug in a new part of the demo.

Each step is a callable taking the ``DemoGenerator``; later steps may read what earlier ones left
in ``generator.results``. To add a part (the complaints, for example), write it in its own module
and append it here, after the steps whose results it needs::

    from putright.demo.complaints import make_complaints
from putright.demo.contacts import make_contacts
    DEFAULT_STEPS.append(make_complaints)
"""

from __future__ import annotations

from putright.demo.complaints import make_complaints
from putright.demo.contacts import make_contacts
from putright.demo.generator import Step
from putright.demo.learning import make_learning
from putright.demo.ombudsman import make_ombudsman
from putright.demo.organisation import make_organisation, make_stock_counts
from putright.demo.people import make_people
from putright.demo.redress import make_redress
from putright.demo.selfassessment import make_selfassessment
from putright.demo.staff import make_staff
from putright.demo.tracking import make_tracking

DEFAULT_STEPS: list[Step] = [
    make_organisation,  # the landlord's name and address
    make_staff,  # one sign-in per role, results["staff"]
    make_people,  # homes, residents, tenancies and the rest, results["people"]
    make_stock_counts,  # homes per TSM group at each reporting year end, from the tenancies
    make_complaints,  # history and live caseload through the services, results["complaints"]
    make_learning,  # lessons from those complaints and this year's improvement plan
    make_redress,  # compensation for the financial remedies issued, results["redress"]
    make_ombudsman,  # Ombudsman cases for a few stage 2 complaints, results["ombudsman"]
    make_contacts,  # a year of enquiries, service requests, compliments, surveys and contacts
    make_tracking,  # some open promised actions handed to a team, results["tracking"]
    make_selfassessment,  # last year's self-assessment, approved and published
]
