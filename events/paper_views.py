"""Admin views for paper signatures: upload, preview with every row's problems, confirm, progress."""

import logging

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from . import paper
from .models import Event, PaperImport

logger = logging.getLogger(__name__)

PERMISSION = "events.add_paperimport"
PREVIEW_ROWS = 500
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class PaperUploadForm(forms.Form):
    campaign = forms.ModelChoiceField(
        queryset=Page.objects.filter(content_type__app_label="cms", content_type__model="campaignpage"),
        label=_("Campaign"),
    )
    event = forms.ModelChoiceField(queryset=Event.objects.all(), required=False, label=_("Event (optional)"))
    collected_on = forms.DateField(label=_("Collected on"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(
        label=_("CSV or XLSX file"), help_text=_("First row: first name, last name, email, city, ZIP.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; split it in two."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload

    def clean(self):
        data = super().clean()
        event, campaign = data.get("event"), data.get("campaign")
        if event is not None and campaign is not None and event.campaign_id != campaign.pk:
            self.add_error("event", _("This event belongs to another campaign."))
        return data


def _require(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def paper_index(request):
    """The upload form and the imports so far."""
    _require(request)
    form = PaperUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created, earlier = paper.paper_import_prepare(
                    campaign_id=data["campaign"].pk,
                    filename=data["file"].name,
                    data=data["file"].read(),
                    collected_on=data["collected_on"],
                    event=data["event"],
                    user=request.user,
                )
                return redirect("paper_detail", (created or earlier).pk)
            except paper.PaperFileError as error:
                form.add_error("file", str(error))
        status = 400
    imports = PaperImport.objects.defer("rows").select_related("campaign", "event")[:50]
    return TemplateResponse(request, "events/paper_index.html", {"form": form, "imports": imports}, status=status)


def paper_detail(request, pk: int):
    """The preview (with a confirm button), then the import's progress and outcome."""
    _require(request)
    items = PaperImport.objects.select_related("campaign", "event")
    item = get_object_or_404(items.defer("rows"), pk=pk)
    if request.method == "POST" and request.POST.get("confirm") and paper.paper_import_confirm(import_id=item.pk):
        from .tasks import paper_import_run

        transaction.on_commit(lambda: _publish(paper_import_run, item.pk))
        return redirect("paper_detail", item.pk)
    context = {
        "item": item,
        "good": item.total_rows - item.problem_rows,
        "percent": int(100 * item.done_rows / item.total_rows) if item.total_rows else 100,
        "working": item.status in (PaperImport.Status.QUEUED, PaperImport.Status.RUNNING),
    }
    if item.status == PaperImport.Status.PREVIEW:  # only the preview reads the rows themselves
        rows = PaperImport.objects.values_list("rows", flat=True).get(pk=item.pk)
        with_problems = [row for row in rows if row["problems"]]
        context.update(
            problem_list=with_problems[:PREVIEW_ROWS],
            more_problems=max(0, len(with_problems) - PREVIEW_ROWS),
            first_rows=[row for row in rows if not row["problems"]][:20],
        )
    return TemplateResponse(request, "events/paper_detail.html", context)


def _publish(task, pk):
    try:
        task.delay(pk)
    except Exception:
        logger.warning("broker unavailable; paper import %s stays queued", pk)
