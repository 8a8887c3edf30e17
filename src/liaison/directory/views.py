from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.directory.models import Agency


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.select_related("jurisdiction", "parent")
    return render(request, "directory/agency_list.html", {"agencies": agencies})
