"""Team pages (issue 12): the teams a user allocates for, a team's queue (unassigned cases and
anonymous reports routed to it) with its investigators' workload, and the bulk handover."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect, render

from psd.domain import DomainError

from .. import services
from ..forms_teams import HandoverForm
from ..selectors_teams import team_queue, team_workload, teams_allocated_by
from ..team_sections import sections_for

allocate = permission_required("cases.approve_decision", raise_exception=True)


def _team(request, pk: int):
    team = teams_allocated_by(request.user).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


@allocate
def team_list(request):
    teams = list(teams_allocated_by(request.user))
    if len(teams) == 1:
        return redirect("cases:team", pk=teams[0].pk)
    return render(request, "cases/team_list.html", {"teams": teams})


@allocate
def team_detail(request, pk: int):
    team = _team(request, pk)
    context = {
        "team": team,
        "queue": team_queue(user=request.user, team=team).select_related("supervisor"),
        "sections": sections_for(request, team),
        "workload": team_workload(team=team),
    }
    return render(request, "cases/team_detail.html", context)


@allocate
def team_handover(request, pk: int):
    team = _team(request, pk)
    form = HandoverForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            moved = services.cases_hand_over(
                actor=request.user,
                from_user=d["from_user"],
                to_user=d["to_user"],
                reason=d["reason"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{len(moved)} case(s) handed over to {d['to_user']}.")
            return redirect("cases:team", pk=team.pk)
    status = 400 if form.errors else 200
    return render(request, "cases/team_handover.html", {"team": team, "form": form}, status=status)
