"""Import a CSV of contacts for the contact-demand table (see
``putright.contacts.imports.contacts_import`` for the columns)."""

from putright.contacts.imports import contacts_import
from putright.contacts.management.commands._csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = "Import contacts from a CSV: all rows or none."
    importer = staticmethod(contacts_import)
    what = "contacts"
