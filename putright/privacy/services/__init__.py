"""Personal data services: subject access and the retention job."""

from putright.privacy.services.anonymise import (
    complaints_anonymise,
    residents_anonymise,
    retention_sweep,
)
from putright.privacy.services.export import subject_access_export

__all__ = [
    "complaints_anonymise",
    "residents_anonymise",
    "retention_sweep",
    "subject_access_export",
]
