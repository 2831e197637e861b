"""The compensation payments register: filters, totals, pages, and CSV and XLSX exports.

Staff with ``redress.view_payments_register`` (complaints managers). The page runs a fixed
number of queries whatever the number of payments: the totals are one aggregate, the page one
select with its joins, and the paginator reuses the totals' count.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views import View

from putright.complaints.services import (
    confidential_complaints_listed,
    confidential_complaints_read,
)
from putright.core import clock
from putright.core.money import pounds
from putright.core.spreadsheets import row_of_values
from putright.redress.forms import RegisterFilterForm
from putright.redress.models import HEADS_OF_LOSS, Compensation
from putright.redress.selectors import (
    band_guidance,
    confirmed_band_keys,
    export_rows,
    financial_years,
    register_queryset,
    register_rows,
    register_totals,
)

PERMISSION = "redress.view_payments_register"
PAGE_SIZE = 50
EXPORT_HEADER = [
    "Complaint",
    "Stage",
    "Category",
    "Offered on",
    "Amount (£)",
    *(f"{label} (£)" for _, label in HEADS_OF_LOSS),
    "Ombudsman band",
    "Ombudsman",
    "Status",
    "Approved on",
    "Paid on",
    "Method",
    "Payment reference",
]
# Columns of EXPORT_HEADER that hold pence, written as pounds.
_MONEY_COLUMNS = range(4, 5 + len(HEADS_OF_LOSS))


def _case_url(reference: str) -> str:
    try:
        return reverse("casework:case", kwargs={"reference": reference})
    except NoReverseMatch:  # a deployment without the casework screens
        return ""


class _RegisterMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = PERMISSION

    def filter_form(self, request: HttpRequest) -> RegisterFilterForm:
        form = RegisterFilterForm(request.GET or None, years=financial_years())
        if form.is_bound:
            form.is_valid()
        return form

    def exported(self, request: HttpRequest, rows: Any, where: str) -> None:
        """An export hands over every row at once: the confidential complaints among them go
        in the security log, as the page's do (one query)."""
        confidential_complaints_read(
            acting_user=request.user,
            references=rows.filter(complaint__is_confidential=True)
            .order_by("complaint__reference")
            .values_list("complaint__reference", flat=True)
            .distinct(),
            where=where,
        )


class RegisterView(_RegisterMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.filter_form(request)
        rows = register_queryset(form.filters())
        totals = register_totals(rows)
        paginator = Paginator(register_rows(rows), PAGE_SIZE)
        # The totals counted the same rows: spare the paginator its own COUNT(*).
        paginator.__dict__["count"] = totals.count
        page = paginator.get_page(request.GET.get("page"))
        payments = list(page.object_list)
        confidential_complaints_listed(
            acting_user=request.user,
            complaints=[row.complaint for row in payments],
            where="compensation register",
        )
        confirmed = confirmed_band_keys()
        head_labels = dict(HEADS_OF_LOSS)
        query = {k: v for k, v in request.GET.items() if k != "page" and v}
        context = {
            "filter_form": form,
            "page_obj": page,
            "totals": totals,
            "total": pounds(totals.total_pence),
            "paid_total": pounds(totals.paid_total_pence),
            "small_share": ("–" if totals.small_share is None else f"{totals.small_share:.1%}"),
            "head_totals": [
                (head_labels[field], pounds(value)) for field, value in totals.heads_pence.items()
            ],
            "rows": [
                {
                    "reference": row.complaint.reference,
                    "case_url": _case_url(row.complaint.reference),
                    "stage": row.stage.number,
                    "category": row.complaint.category.name if row.complaint.category_id else "",
                    "offered_on": row.offered_on,
                    "amount": pounds(row.amount_pence),
                    "heads": [
                        f"{head_labels[field]} {pounds(value)}"
                        for field, value in row.heads().items()
                        if value
                    ],
                    "band": band_guidance(row.amount_pence, confirmed).text,
                    "ombudsman": row.get_ombudsman_display(),
                    "ordered": row.ombudsman != Compensation.Ombudsman.NONE,
                    "status": row.get_status_display(),
                    "paid_on": row.paid_on,
                }
                for row in payments
            ],
            "csv_url": f"{reverse('redress:register-csv')}?{urlencode(query)}",
            "xlsx_url": f"{reverse('redress:register-xlsx')}?{urlencode(query)}",
        }
        return render(request, "redress/register.html", context)


def _export_values(rows: Any) -> Any:
    for values in rows:
        for column in _MONEY_COLUMNS:
            values[column] = Decimal(values[column]) / 100
        yield values


class _Echo:
    def write(self, value: str) -> str:
        return value


class RegisterCsvView(_RegisterMixin, View):
    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        rows = register_queryset(self.filter_form(request).filters())
        self.exported(request, rows, "compensation register CSV export")
        writer = csv.writer(_Echo())

        def lines() -> Any:
            yield writer.writerow(EXPORT_HEADER)
            for values in _export_values(export_rows(rows)):
                yield writer.writerow(values)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        name = f"compensation-register-{clock.today().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class RegisterXlsxView(_RegisterMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        from openpyxl import Workbook  # only the export needs it

        rows = register_queryset(self.filter_form(request).filters())
        self.exported(request, rows, "compensation register XLSX export")
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Compensation")
        sheet.append(EXPORT_HEADER)
        for values in _export_values(export_rows(rows)):
            sheet.append(row_of_values(sheet, values))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"compensation-register-{clock.today().isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
