"""Staff pages of the directory: thin — parse input, call one selector or service, render.

Missing and out-of-scope records both answer 404 (the selectors decide); a record
the user sees but may not change answers 403 on its edit page. The services check
permission again, so hiding a button is never what protects a record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from liaison.core import access
from liaison.core.errors import PermissionDenied
from liaison.core.filters import list_page
from liaison.core.forms import form_status, page_actor, posted, run_service
from liaison.directory import forms, scope, selectors, services
from liaison.ledger.reads import record_listed
from liaison.ledger.selectors import history_for


def _require_start(request: HttpRequest, action: str) -> None:
    """Refuse a create form before it is shown to a user whose role never takes ``action``."""
    if not access.may_ever(request.user, action):
        raise PermissionDenied()


def _recorded(request: HttpRequest, action: str, object_type: str) -> Callable[[list[Any]], None]:
    """For a list showing private fields: the records shown are recorded as one access entry."""

    def record(records: list[Any]) -> None:
        record_listed(actor=request.user, records=records, action=action, object_type=object_type)

    return record


def _form_page(
    request: HttpRequest,
    *,
    form: forms._Form,
    title: str,
    save: Callable[[forms._Form], Model],
    cancel_url: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        obj = run_service(form, lambda: save(form))
        if obj is not None:
            messages.success(request, f"Saved: {obj}.")
            return redirect(obj.get_absolute_url())  # type: ignore[attr-defined]
    context = {"form": form, "title": title, "cancel_url": cancel_url}
    return render(request, "directory/form.html", context, status=form_status(request, form))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = {
        "agencies": selectors.agency_list_for_user(user=user, active=True).count(),
        "task_forces": selectors.task_force_list_for_user(user=user, active=True).count(),
        "personnel": selectors.person_list_for_user(user=user, active=True).count(),
        "designations": selectors.liaison_designation_list_for_user(user=user, active=True).count(),
        "contacts": selectors.contact_list_for_user(user=user, active=True).count(),
        "jurisdictions": selectors.jurisdiction_list_for_user(user=user).count(),
    }
    return render(request, "directory/index.html", {"counts": counts})


# Jurisdictions


@login_required
def jurisdiction_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/jurisdiction_list.html",
        filters=forms.JurisdictionFilter(request.GET),
        select=selectors.jurisdiction_list_for_user,
        context={"can_create": access.may_ever(request.user, "directory.jurisdiction.create")},
    )


@login_required
def jurisdiction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.jurisdiction_get_for_user(user=request.user, pk=pk)
    agencies = selectors.agency_list_for_user(user=request.user, jurisdiction=obj.pk)[:100]
    children = selectors.jurisdiction_list_for_user(user=request.user).filter(parent=obj)
    context = {
        "obj": obj,
        "agencies": agencies,
        "children": children,
        "history": history_for(obj),
        "can_edit": access.permits(request.user, "directory.jurisdiction.edit", obj),
    }
    return render(request, "directory/jurisdiction_detail.html", context)


@login_required
def jurisdiction_create(request: HttpRequest) -> HttpResponse:
    _require_start(request, "directory.jurisdiction.create")
    form = forms.JurisdictionForm(posted(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New jurisdiction",
        cancel_url=reverse("directory:jurisdiction_list"),
        save=lambda f: services.jurisdiction_create(actor=page_actor(request), **f.cleaned_data),
    )


@login_required
def jurisdiction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.jurisdiction_get_for_user(user=request.user, pk=pk, purpose="edit")
    form = forms.JurisdictionForm(posted(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.jurisdiction_update(
            actor=page_actor(request), jurisdiction=obj, data=f.changes()
        ),
    )


# Agencies


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/agency_list.html",
        filters=forms.AgencyFilter(request.GET),
        select=selectors.agency_list_for_user,
        context={"can_create": access.may_ever(request.user, "directory.agency.create")},
    )


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj = selectors.agency_get_for_user(user=user, pk=pk)
    context = {
        "obj": obj,
        "components": selectors.agency_list_for_user(user=user, parent=obj.pk),
        "task_forces": selectors.task_force_list_for_user(user=user, agency=obj.pk)[:50],
        "can_see_records": scope.can_view_owned(user, obj.pk),
        "history": history_for(obj),
        "can_edit": access.permits(user, "directory.agency.edit", obj),
    }
    return render(request, "directory/agency_detail.html", context)


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    _require_start(request, "directory.agency.create")
    form = forms.AgencyForm(posted(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New agency",
        cancel_url=reverse("directory:agency_list"),
        save=lambda f: services.agency_create(actor=page_actor(request), **f.cleaned_data),
    )


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.agency_get_for_user(user=request.user, pk=pk, purpose="edit")
    form = forms.AgencyForm(posted(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.agency_update(
            actor=page_actor(request), agency=obj, data=f.changes()
        ),
    )


# Task forces, members and assignments


@login_required
def task_force_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/task_force_list.html",
        filters=forms.AgencyActiveFilter(request.GET),
        select=selectors.task_force_list_for_user,
        context={"can_create": access.may_ever(request.user, "directory.task_force.create")},
    )


@login_required
def task_force_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj = selectors.task_force_get_for_user(user=user, pk=pk)
    can_edit = access.permits(user, "directory.task_force.edit", obj)
    context = {
        "obj": obj,
        "memberships": selectors.task_force_membership_list_for_user(user=user, task_force=obj.pk),
        "assignments": selectors.task_force_assignment_list_for_user(user=user, task_force=obj.pk)[
            :200
        ],
        "history": history_for(obj),
        "can_edit": can_edit,
        "can_assign": access.may_ever(user, "directory.task_force_assignment.create"),
    }
    return render(request, "directory/task_force_detail.html", context)


@login_required
def task_force_create(request: HttpRequest) -> HttpResponse:
    _require_start(request, "directory.task_force.create")
    form = forms.TaskForceForm(posted(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New task force",
        cancel_url=reverse("directory:task_force_list"),
        save=lambda f: services.task_force_create(actor=page_actor(request), **f.cleaned_data),
    )


@login_required
def task_force_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.task_force_get_for_user(user=request.user, pk=pk, purpose="edit")
    form = forms.TaskForceForm(posted(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.task_force_update(
            actor=page_actor(request), task_force=obj, data=f.changes()
        ),
    )


@login_required
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    task_force = selectors.task_force_get_for_user(user=request.user, pk=pk)
    access.check(request.user, "directory.task_force_membership.create", task_force)
    form = forms.MembershipForm(posted(request), user=request.user)

    def save(f: forms._Form) -> Model:
        services.task_force_membership_add(
            actor=page_actor(request), task_force=task_force, **f.cleaned_data
        )
        return task_force

    return _form_page(
        request,
        form=form,
        title=f"Add a member agency to {task_force}",
        cancel_url=task_force.get_absolute_url(),
        save=save,
    )


@login_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.task_force_membership_get_for_user(user=request.user, pk=pk, purpose="edit")
    form = forms.MembershipForm(posted(request), instance=obj, user=request.user)

    def save(f: forms._Form) -> Model:
        services.task_force_membership_update(
            actor=page_actor(request), membership=obj, data=f.changes()
        )
        return obj.task_force

    return _form_page(
        request,
        form=form,
        title=f"Edit membership of {obj.agency} in {obj.task_force}",
        cancel_url=obj.task_force.get_absolute_url(),
        save=save,
    )


@login_required
def assignment_create(request: HttpRequest) -> HttpResponse:
    _require_start(request, "directory.task_force_assignment.create")
    initial = {k: request.GET[k] for k in ("person", "task_force") if k in request.GET}
    form = forms.AssignmentForm(posted(request), user=request.user, initial=initial)

    def save(f: forms._Form) -> Model:
        return services.task_force_assignment_create(
            actor=page_actor(request), **f.cleaned_data
        ).person

    return _form_page(
        request,
        form=form,
        title="Assign a person to a task force",
        cancel_url=reverse("directory:person_list"),
        save=save,
    )


@login_required
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.task_force_assignment_get_for_user(user=request.user, pk=pk, purpose="edit")
    form = forms.AssignmentForm(posted(request), instance=obj, user=request.user)

    def save(f: forms._Form) -> Model:
        services.task_force_assignment_update(
            actor=page_actor(request), assignment=obj, data=f.changes()
        )
        return obj.task_force

    return _form_page(
        request,
        form=form,
        title=f"Edit assignment: {obj.role}, {obj.task_force}",
        cancel_url=obj.task_force.get_absolute_url(),
        save=save,
    )


# Personnel


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/person_list.html",
        filters=forms.AgencyActiveFilter(request.GET),
        select=selectors.person_list_for_user,
        shown=_recorded(request, "person.list", "directory.person"),  # the list shows badge numbers
        context={"can_create": access.may_ever(request.user, "directory.person.create")},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj = selectors.person_get_for_user(user=user, pk=pk)
    can_edit = access.permits(user, "directory.person.edit", obj)
    context = {
        "obj": obj,
        "assignments": selectors.task_force_assignment_list_for_user(user=user, person=obj.pk),
        "designations": selectors.liaison_designation_list_for_user(user=user, person=obj.pk),
        "history": history_for(obj, viewer=request.user),
        "can_edit": can_edit,
    }
    return render(request, "directory/person_detail.html", context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    _require_start(request, "directory.person.create")
    form = forms.PersonForm(posted(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New person",
        cancel_url=reverse("directory:person_list"),
        save=lambda f: services.person_create(actor=page_actor(request), **f.cleaned_data),
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.person_get_for_user(user=request.user, pk=pk, purpose="edit")
    form = forms.PersonForm(posted(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.person_update(
            actor=page_actor(request), person=obj, data=f.changes()
        ),
    )


# Liaison designations


@login_required
def designation_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/designation_list.html",
        filters=forms.AgencyActiveFilter(request.GET),
        select=selectors.liaison_designation_list_for_user,
        context={
            "can_create": access.may_ever(request.user, "directory.liaison_designation.create")
        },
    )


@login_required
def designation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.liaison_designation_get_for_user(user=request.user, pk=pk)
    context = {
        "obj": obj,
        "history": history_for(obj),
        "can_edit": access.permits(request.user, "directory.liaison_designation.edit", obj),
        "can_see_person": scope.can_view_owned(request.user, obj.person.agency_id),
    }
    return render(request, "directory/designation_detail.html", context)


@login_required
def designation_create(request: HttpRequest) -> HttpResponse:
    _require_start(request, "directory.liaison_designation.create")
    form = forms.DesignationForm(posted(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New liaison designation",
        cancel_url=reverse("directory:designation_list"),
        save=lambda f: services.liaison_designation_create(
            actor=page_actor(request), **f.cleaned_data
        ),
    )


@login_required
def designation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.liaison_designation_get_for_user(user=request.user, pk=pk, purpose="edit")
    form = forms.DesignationForm(posted(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title="Edit liaison designation",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.liaison_designation_update(
            actor=page_actor(request), designation=obj, data=f.changes()
        ),
    )


# Contacts


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/contact_list.html",
        filters=forms.AgencyActiveFilter(request.GET),
        select=selectors.contact_list_for_user,
        context={"can_create": access.may_ever(request.user, "directory.contact.create")},
    )


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.contact_get_for_user(user=request.user, pk=pk)
    context = {
        "obj": obj,
        "history": history_for(obj, viewer=request.user),
        "can_edit": access.permits(request.user, "directory.contact.edit", obj),
    }
    return render(request, "directory/contact_detail.html", context)


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    _require_start(request, "directory.contact.create")
    initial = {"agency": request.GET["agency"]} if "agency" in request.GET else None
    form = forms.ContactForm(posted(request), user=request.user, initial=initial)
    return _form_page(
        request,
        form=form,
        title="New contact",
        cancel_url=reverse("directory:contact_list"),
        save=lambda f: services.contact_create(actor=page_actor(request), **f.cleaned_data),
    )


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.contact_get_for_user(user=request.user, pk=pk, purpose="edit")
    form = forms.ContactForm(posted(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj.name}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.contact_update(
            actor=page_actor(request), contact=obj, data=f.changes()
        ),
    )
