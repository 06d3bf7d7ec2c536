"""The case page: one page, a tab at a time (``?tab=``), each tab shown only to those it concerns.

Forms post to their own small views (``actions.py``); when a service refuses, that view draws this page again with
the tab open and the bound form carrying the message, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ctip.cases import access, forms, selectors
from ctip.cases.models import ServiceOffer, VictimCase
from ctip.cases.vocab import NrmStatus
from ctip.core.http import MemberRequest
from ctip.orgs.models import Region

# Key, label, the action that opens it (None: everyone who sees the case).
TABS: tuple[tuple[str, Any, str | None], ...] = (
    ("summary", _("Summary"), None),
    ("person", _("Person"), None),
    ("exploitation", _("Exploitation"), None),
    ("consent", _("Consent and sharing"), "consent"),
    ("referrals", _("Referrals"), "refer"),
    ("services", _("Services given"), None),
    ("notes", _("Notes"), "notes"),
    ("documents", _("Documents"), "document"),
    ("decision", _("Identification"), None),
    ("closure", _("Closure"), "close"),
)


def permissions(request: MemberRequest, case: VictimCase) -> dict[str, bool]:
    """The page's flags, read from the one grants value the API also reads; templates only read flags."""
    actor = request.membership
    allowed = access.cases.grants(actor, case).flags()
    # Where "back to the list" leads: the organisation's cases, or the cases shared with it (law enforcement).
    allowed["list"] = access.cases.can(actor, "list")
    allowed["list_shared"] = access.cases.can(actor, "list_shared")
    return allowed


def _forms_for(tab: str, case: VictimCase, can: dict[str, bool]) -> dict[str, django_forms.Form]:
    """The empty forms a tab offers to someone allowed to use them."""
    owner = case.owner_id
    offered: dict[str, list[tuple[str, bool, Callable[[], django_forms.Form]]]] = {
        "summary": [
            ("presume_form", can["edit"], forms.PresumeForm),
            ("shelter_form", can["shelter"], forms.ShelterForm),
            ("extend_form", can["shelter"], forms.ShelterExtendForm),
        ],
        "exploitation": [("profile_form", can["edit"], lambda: forms.ProfileForm(initial=_profile_initial(case)))],
        "consent": [
            (
                "consent_form",
                can["consent"],
                lambda: forms.ConsentForm(owner_id=owner, initial={"language": translation.get_language()}),
            ),
            ("share_form", can["share"], lambda: forms.ShareForm(owner_id=owner)),
        ],
        "referrals": [("referral_form", can["refer"], lambda: forms.ReferralForm(owner_id=owner))],
        "services": [("service_form", can["record_service"], forms.ServiceRecordForm)],
        "notes": [("note_form", can["note"], forms.NoteForm)],
        "documents": [("document_form", can["document"], forms.DocumentForm)],
        "decision": [
            ("decision_form", can["identification_body"], forms.DecisionForm),
            ("appeal_form", can["identification_body"] or can["edit"], forms.AppealForm),
        ],
        "closure": [("close_form", can["close"], forms.CloseForm)],
    }
    found = {name: make() for name, allowed, make in offered.get(tab, []) if allowed}
    if case.awaits_child_notice and can["edit"]:
        found["child_form"] = forms.ChildNoticeForm()  # above every tab: nothing else can be done first
    return found


def _profile_initial(case: VictimCase) -> dict[str, Any]:
    return {
        "exploitation": list(case.exploitations.values_list("type", flat=True)),
        "sectors": case.sectors,
        "recruitment_methods": case.recruitment_methods,
        "means_of_control": case.means_of_control,
        "country_of_origin": case.country_of_origin,
        "countries_of_transit": case.countries_of_transit,
        "countries_of_exploitation": case.countries_of_exploitation,
        "relationship_to_recruiter": case.relationship_to_recruiter,
        "region": case.region,
        "age_at_recruitment": case.age_at_recruitment,
        "unaccompanied": case.unaccompanied,
    }


def _data_for(request: MemberRequest, tab: str, case: VictimCase, can: dict[str, bool]) -> dict[str, Any]:
    """What a tab shows, read only when that tab is open."""
    actor = request.membership
    if tab == "summary":
        return {
            "history": selectors.status_history(case) if can["owner"] else [],
            "stays": case.shelter_stays.order_by("-started_on"),
        }
    if tab == "exploitation":
        return {"exploitations": case.exploitations.all()}
    if tab == "consent":
        return {
            "consents": case.consents.select_related("organisation").order_by("-given_at", "-id"),
            "shares": case.shares.select_related("organisation").order_by("-created_at", "-id"),
            "now": timezone.now(),
        }
    if tab == "referrals":
        regions = [case.region, Region.NATIONAL]
        offers = ServiceOffer.objects.filter(region__in=regions, organisation__is_active=True)
        return {
            "referrals": case.referrals.select_related("to_organisation").prefetch_related("services"),
            "directory": offers.select_related("organisation").order_by("organisation__code", "service"),
        }
    if tab == "services":
        return {"records": case.services_given.select_related("provider")}
    if tab == "notes":
        return {"notes": selectors.notes_for(actor, case).select_related("author", "organisation")}
    if tab == "documents":
        return {"documents": case.documents.select_related("organisation")}
    if tab == "decision":
        return {
            "decisions": selectors.decisions(case),
            "screenings": case.screenings.order_by("-interviewed_on") if can["owner"] or can["decide"] else [],
        }
    return {}


def error_summary(form: django_forms.Form) -> list[tuple[str, str]]:
    """Every error of a refused form with its field's label, shown at the top of the page whatever the tab shows."""
    found: list[tuple[str, str]] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        found += [(str(field.label) if field is not None else "", str(error)) for error in errors]
    return found


def tabs_for(can: dict[str, bool]) -> list[tuple[str, Any]]:
    return [(key, label) for key, label, needs in TABS if needs is None or can.get(needs)]


def render_case(
    request: MemberRequest,
    case: VictimCase,
    tab: str,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Draw the case page with ``tab`` open; ``bound`` replaces the tab's empty forms (a refused post)."""
    can = permissions(request, case)
    tabs = tabs_for(can)
    if tab not in dict(tabs):
        tab = "summary"
    context: dict[str, Any] = {
        "case": case,
        "can": can,
        "tabs": tabs,
        "tab": tab,
        "today": timezone.localdate(),
        "awaits_child_notice": case.awaits_child_notice,
        "statuses": NrmStatus,
        **_forms_for(tab, case, can),
        **(bound or {}),
        **_data_for(request, tab, case, can),
        "refusal": [item for form in (bound or {}).values() for item in error_summary(form)],
    }
    return render(request, "cases/detail.html", context, status=status)
