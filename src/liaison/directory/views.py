"""Staff pages of the directory: thin — parse input, call one selector or service, render.

Missing and out-of-scope records both answer 404 (the selectors decide); a record
the user sees but may not change answers 403 on its edit page. The services check
permission again, so hiding a button is never what protects a record.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from liaison.core.errors import NotFound, PermissionDenied
from liaison.core.filters import list_page
from liaison.core.forms import form_status, run_service
from liaison.core.roles import Actor, signed_in_actor
from liaison.directory import forms, scope, selectors, services
from liaison.ledger.reads import record_listed
from liaison.ledger.selectors import history_for

View = TypeVar("View", bound=Callable[..., HttpResponse])


def staff_view(view: View) -> View:
    """Signed-in only; a service's NotFound becomes 404 and PermissionDenied 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper  # type: ignore[return-value]


def _actor(request: HttpRequest) -> Actor:
    actor = signed_in_actor(request.user)
    if actor is None:
        raise PermissionDenied()
    return actor


def _require(allowed: bool) -> None:
    if not allowed:
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


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@staff_view
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


@staff_view
def jurisdiction_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/jurisdiction_list.html",
        filters=forms.JurisdictionFilter(request.GET),
        select=selectors.jurisdiction_list_for_user,
        context={"can_create": scope.can_manage_reference_data(request.user)},
    )


@staff_view
def jurisdiction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.jurisdiction_get_for_user(user=request.user, pk=pk)
    agencies = selectors.agency_list_for_user(user=request.user, jurisdiction=obj.pk)[:100]
    children = selectors.jurisdiction_list_for_user(user=request.user).filter(parent=obj)
    context = {
        "obj": obj,
        "agencies": agencies,
        "children": children,
        "history": history_for(obj),
        "can_edit": scope.can_manage_reference_data(request.user),
    }
    return render(request, "directory/jurisdiction_detail.html", context)


@staff_view
def jurisdiction_create(request: HttpRequest) -> HttpResponse:
    _require(scope.can_manage_reference_data(request.user))
    form = forms.JurisdictionForm(_data(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New jurisdiction",
        cancel_url=reverse("directory:jurisdiction_list"),
        save=lambda f: services.jurisdiction_create(actor=_actor(request), **f.cleaned_data),
    )


@staff_view
def jurisdiction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.jurisdiction_get_for_user(user=request.user, pk=pk)
    _require(scope.can_manage_reference_data(request.user))
    form = forms.JurisdictionForm(_data(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.jurisdiction_update(
            actor=_actor(request), jurisdiction=obj, data=f.changes()
        ),
    )


# Agencies


@staff_view
def agency_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/agency_list.html",
        filters=forms.AgencyFilter(request.GET),
        select=selectors.agency_list_for_user,
        context={"can_create": scope.can_manage_reference_data(request.user)},
    )


@staff_view
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj = selectors.agency_get_for_user(user=user, pk=pk)
    context = {
        "obj": obj,
        "components": selectors.agency_list_for_user(user=user, parent=obj.pk),
        "task_forces": selectors.task_force_list_for_user(user=user, agency=obj.pk)[:50],
        "can_see_records": scope.can_view_owned(user, obj.pk),
        "history": history_for(obj),
        "can_edit": scope.can_manage_reference_data(user),
    }
    return render(request, "directory/agency_detail.html", context)


@staff_view
def agency_create(request: HttpRequest) -> HttpResponse:
    _require(scope.can_manage_reference_data(request.user))
    form = forms.AgencyForm(_data(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New agency",
        cancel_url=reverse("directory:agency_list"),
        save=lambda f: services.agency_create(actor=_actor(request), **f.cleaned_data),
    )


@staff_view
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.agency_get_for_user(user=request.user, pk=pk)
    _require(scope.can_manage_reference_data(request.user))
    form = forms.AgencyForm(_data(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.agency_update(actor=_actor(request), agency=obj, data=f.changes()),
    )


# Task forces, members and assignments


@staff_view
def task_force_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/task_force_list.html",
        filters=forms.AgencyActiveFilter(request.GET),
        select=selectors.task_force_list_for_user,
        context={"can_create": scope.can_create_owned(request.user)},
    )


@staff_view
def task_force_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj = selectors.task_force_get_for_user(user=user, pk=pk)
    can_edit = scope.can_edit_owned(user, obj.lead_agency_id)
    context = {
        "obj": obj,
        "memberships": selectors.task_force_membership_list_for_user(user=user, task_force=obj.pk),
        "assignments": selectors.task_force_assignment_list_for_user(user=user, task_force=obj.pk)[
            :200
        ],
        "history": history_for(obj),
        "can_edit": can_edit,
        "can_assign": scope.can_create_owned(user, personnel=True),
    }
    return render(request, "directory/task_force_detail.html", context)


@staff_view
def task_force_create(request: HttpRequest) -> HttpResponse:
    _require(scope.can_create_owned(request.user))
    form = forms.TaskForceForm(_data(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New task force",
        cancel_url=reverse("directory:task_force_list"),
        save=lambda f: services.task_force_create(actor=_actor(request), **f.cleaned_data),
    )


@staff_view
def task_force_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.task_force_get_for_user(user=request.user, pk=pk)
    _require(scope.can_edit_owned(request.user, obj.lead_agency_id))
    form = forms.TaskForceForm(_data(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.task_force_update(
            actor=_actor(request), task_force=obj, data=f.changes()
        ),
    )


@staff_view
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    task_force = selectors.task_force_get_for_user(user=request.user, pk=pk)
    _require(scope.can_edit_owned(request.user, task_force.lead_agency_id))
    form = forms.MembershipForm(_data(request), user=request.user)

    def save(f: forms._Form) -> Model:
        services.task_force_membership_add(
            actor=_actor(request), task_force=task_force, **f.cleaned_data
        )
        return task_force

    return _form_page(
        request,
        form=form,
        title=f"Add a member agency to {task_force}",
        cancel_url=task_force.get_absolute_url(),
        save=save,
    )


@staff_view
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.task_force_membership_get_for_user(user=request.user, pk=pk)
    _require(scope.can_edit_owned(request.user, obj.task_force.lead_agency_id))
    form = forms.MembershipForm(_data(request), instance=obj, user=request.user)

    def save(f: forms._Form) -> Model:
        services.task_force_membership_update(
            actor=_actor(request), membership=obj, data=f.changes()
        )
        return obj.task_force

    return _form_page(
        request,
        form=form,
        title=f"Edit membership of {obj.agency} in {obj.task_force}",
        cancel_url=obj.task_force.get_absolute_url(),
        save=save,
    )


@staff_view
def assignment_create(request: HttpRequest) -> HttpResponse:
    _require(scope.can_create_owned(request.user, personnel=True))
    initial = {k: request.GET[k] for k in ("person", "task_force") if k in request.GET}
    form = forms.AssignmentForm(_data(request), user=request.user, initial=initial)

    def save(f: forms._Form) -> Model:
        return services.task_force_assignment_create(actor=_actor(request), **f.cleaned_data).person

    return _form_page(
        request,
        form=form,
        title="Assign a person to a task force",
        cancel_url=reverse("directory:person_list"),
        save=save,
    )


@staff_view
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.task_force_assignment_get_for_user(user=request.user, pk=pk)
    _require(scope.can_edit_owned(request.user, obj.person.agency_id, personnel=True))
    form = forms.AssignmentForm(_data(request), instance=obj, user=request.user)

    def save(f: forms._Form) -> Model:
        services.task_force_assignment_update(
            actor=_actor(request), assignment=obj, data=f.changes()
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


@staff_view
def person_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/person_list.html",
        filters=forms.AgencyActiveFilter(request.GET),
        select=selectors.person_list_for_user,
        shown=_recorded(request, "person.list", "directory.person"),  # the list shows badge numbers
        context={"can_create": scope.can_create_owned(request.user, personnel=True)},
    )


@staff_view
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj = selectors.person_get_for_user(user=user, pk=pk)
    can_edit = scope.can_edit_owned(user, obj.agency_id, personnel=True)
    context = {
        "obj": obj,
        "assignments": selectors.task_force_assignment_list_for_user(user=user, person=obj.pk),
        "designations": selectors.liaison_designation_list_for_user(user=user, person=obj.pk),
        "history": history_for(obj, viewer=request.user),
        "can_edit": can_edit,
    }
    return render(request, "directory/person_detail.html", context)


@staff_view
def person_create(request: HttpRequest) -> HttpResponse:
    _require(scope.can_create_owned(request.user, personnel=True))
    form = forms.PersonForm(_data(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New person",
        cancel_url=reverse("directory:person_list"),
        save=lambda f: services.person_create(actor=_actor(request), **f.cleaned_data),
    )


@staff_view
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Refuse before the read is recorded: a refused edit page shows nothing of the record.
    owner = selectors.person_list_for_user(user=request.user).filter(pk=pk)
    for agency_id in owner.values_list("agency_id", flat=True):
        _require(scope.can_edit_owned(request.user, agency_id, personnel=True))
    obj = selectors.person_get_for_user(user=request.user, pk=pk)
    _require(scope.can_edit_owned(request.user, obj.agency_id, personnel=True))
    form = forms.PersonForm(_data(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.person_update(actor=_actor(request), person=obj, data=f.changes()),
    )


# Liaison designations


@staff_view
def designation_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/designation_list.html",
        filters=forms.AgencyActiveFilter(request.GET),
        select=selectors.liaison_designation_list_for_user,
        context={"can_create": scope.can_create_owned(request.user)},
    )


@staff_view
def designation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.liaison_designation_get_for_user(user=request.user, pk=pk)
    context = {
        "obj": obj,
        "history": history_for(obj),
        "can_edit": scope.can_edit_owned(request.user, obj.from_agency_id),
        "can_see_person": scope.can_view_owned(request.user, obj.person.agency_id),
    }
    return render(request, "directory/designation_detail.html", context)


@staff_view
def designation_create(request: HttpRequest) -> HttpResponse:
    _require(scope.can_create_owned(request.user))
    form = forms.DesignationForm(_data(request), user=request.user)
    return _form_page(
        request,
        form=form,
        title="New liaison designation",
        cancel_url=reverse("directory:designation_list"),
        save=lambda f: services.liaison_designation_create(actor=_actor(request), **f.cleaned_data),
    )


@staff_view
def designation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.liaison_designation_get_for_user(user=request.user, pk=pk)
    _require(scope.can_edit_owned(request.user, obj.from_agency_id))
    form = forms.DesignationForm(_data(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title="Edit liaison designation",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.liaison_designation_update(
            actor=_actor(request), designation=obj, data=f.changes()
        ),
    )


# Contacts


@staff_view
def contact_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="directory/contact_list.html",
        filters=forms.AgencyActiveFilter(request.GET),
        select=selectors.contact_list_for_user,
        context={"can_create": scope.can_create_owned(request.user)},
    )


@staff_view
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.contact_get_for_user(user=request.user, pk=pk)
    context = {
        "obj": obj,
        "history": history_for(obj, viewer=request.user),
        "can_edit": scope.can_edit_owned(request.user, obj.owner_agency_id),
    }
    return render(request, "directory/contact_detail.html", context)


@staff_view
def contact_create(request: HttpRequest) -> HttpResponse:
    _require(scope.can_create_owned(request.user))
    initial = {"agency": request.GET["agency"]} if "agency" in request.GET else None
    form = forms.ContactForm(_data(request), user=request.user, initial=initial)
    return _form_page(
        request,
        form=form,
        title="New contact",
        cancel_url=reverse("directory:contact_list"),
        save=lambda f: services.contact_create(actor=_actor(request), **f.cleaned_data),
    )


@staff_view
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    owner = selectors.contact_list_for_user(user=request.user).filter(pk=pk)
    for agency_id in owner.values_list("owner_agency_id", flat=True):
        _require(scope.can_edit_owned(request.user, agency_id))
    obj = selectors.contact_get_for_user(user=request.user, pk=pk)
    _require(scope.can_edit_owned(request.user, obj.owner_agency_id))
    form = forms.ContactForm(_data(request), instance=obj, user=request.user)
    return _form_page(
        request,
        form=form,
        title=f"Edit {obj.name}",
        cancel_url=obj.get_absolute_url(),
        save=lambda f: services.contact_update(
            actor=_actor(request), contact=obj, data=f.changes()
        ),
    )
