"""Cells of the spreadsheets PutRight writes, with text kept as text.

openpyxl stores a string that starts with "=" as a formula, so a payment reference, a category
or a lesson's title typed as "=HYPERLINK(...)" would run in the reader's spreadsheet. Every
cell written from the record goes through ``kept_as_text``: such a cell is stored as a string
and marked as quoted, as Excel marks text typed after an apostrophe.
"""

from __future__ import annotations

from typing import Any


def kept_as_text(cell: Any) -> Any:
    """``cell`` (an openpyxl cell with its value set), never a formula."""
    if cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def row_of_values(sheet: Any, values: list) -> list:
    """``values`` as the cells of one row of a write-only ``sheet`` (for ``sheet.append``)."""
    from openpyxl.cell import WriteOnlyCell

    return [kept_as_text(WriteOnlyCell(sheet, value=value)) for value in values]
