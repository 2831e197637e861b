"""Import a survey provider's CSV of satisfaction surveys and responses (see
``putright.contacts.imports.surveys_import`` for the columns)."""

from putright.contacts.imports import surveys_import
from putright.contacts.management.commands._csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = "Import satisfaction surveys and responses from a CSV: all rows or none."
    importer = staticmethod(surveys_import)
    what = "surveys"
