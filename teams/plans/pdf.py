""" "Min plan" as PDF (issue 13, point 6), rendered by WeasyPrint through core.pdf:

- the youth's own copy, /ungdommer/<pk>/plan/min-plan.pdf: written for a 14-year-old, in large
  type, the goals and steps first, who is on the team and how to reach them, when the team
  meets next and when the plan is looked at again, and "Hvem vet hva om meg" (the consents
  and legal bases in force, and who has looked lately, by service). No confidentiality
  marking: it is the youth's own paper. Printed by those the youth asks
  (teams.plans.selectors.plan_youth_copy: 404 to outsiders, 403 to others, audited as
  plan.printed_for_youth and logged as a disclosure);
- the staff copy, /ungdommer/<pk>/plan/pdf/: the plan as the printer's service may see it
  (teams.plans.selectors.plan_shown, channel "pdf", purpose "printed": masked by the sharing
  policy, audited, logged), marked confidential like every staff PDF (reports/pdf_base.html).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from core.dates import today_in_oslo
from core.pdf import pdf_response, render_pdf
from teams.plans import selectors
from teams.transition.views import checklist_section, youth_checklist


@login_required
@require_GET
def plan_youth_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    copy = selectors.plan_youth_copy(user=request.user, youth=pk)
    context = {"copy": copy, "shown": copy.shown, "etter18": youth_checklist(copy.shown.checklist)}
    pdf = render_pdf(request, "teams/plans/pdf_youth.html", context)
    return pdf_response(pdf, f"min-plan-{today_in_oslo().isoformat()}.pdf")


@login_required
@require_GET
def plan_staff_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.plan_shown(user=request.user, youth=pk, channel="pdf", purpose="printed")
    pdf = render_pdf(
        request,
        "teams/plans/pdf_staff.html",
        {
            "shown": shown,
            "youth": shown.youth,
            "waiting_for": selectors.plan_waiting_for(shown.acknowledgement),
            "etter18": checklist_section(user=request.user, checklist=shown.checklist, may_change=False),
        },
    )
    return pdf_response(pdf, f"plan-{shown.youth.pk}-{today_in_oslo().isoformat()}.pdf")
