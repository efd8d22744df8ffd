"""The youth's own plan, "Min plan" (issue 13): goals per life area in the youth's words, the
steps toward them and who helps, versions and acknowledgement, review reminders.

Models (in teams/models.py beside ActionItem and TeamMember, where Django loads the app's
models; also named in teams.plans.models; migrations teams 0007-0009):
- PlanArea: the life areas as data (code, Norwegian name, consent category, order, active);
  seeded with skole, fritid, arbeid, familie, venner og nettverk, helse, rus, bolig og økonomi,
  kriminalitet og trygghet. Leisure, work and friends are identity-and-contact information.
- Plan: one per youth (youth.plan), next_review_on, version (the current version's number).
  The lead and the team are the youth's TeamMember rows, read, never copied.
- PlanGoal (area, in_own_words, why_it_matters, order, status active/reached/dropped) and
  PlanStep (what, helper: a TeamMember of this youth's team, due_on, action_item). A step
  with a helper AND a date is backed by one teams.models.ActionItem (from_plan=True; meeting
  set when made in a meeting, else null): the step's status is the item's
  (`step.current_status`; PlanStep.status is used only without an item; both rules are CHECKs).
- PlanVersion (number, snapshot JSON of goals and steps, summary, meeting, created_by/at) and
  PlanAcknowledgement (version, party youth/guardian, guardian, how meeting/paper, meeting or
  document): both append-only in PostgreSQL (teams 0008).

Services (teams.plans.services; keyword-only, actor first, one transaction, audited as plan.*;
PermissionDenied/Http404 through core.access and teams.policy.may_change_plan; bad input
raises ValidationError with field keys; each content change writes a PlanVersion):
- plan_get_or_create(*, actor, youth) -> Plan
- plan_goal_add(*, actor, plan, area, in_own_words, why_it_matters="", meeting=None, summary="") -> PlanGoal
- plan_goal_change(*, actor, goal, in_own_words, why_it_matters="", status="active", area=None,
  meeting=None, summary="") -> PlanGoal (no version when nothing changed)
- plan_step_add(*, actor, goal, what, helper=None, due_on=None, meeting=None, summary="") -> PlanStep
- plan_step_change(*, actor, step, what, helper=None, due_on=None, meeting=None, summary="") -> PlanStep
  (a step that is an action item keeps a helper and a date: cancel it instead)
- plan_step_set_status(*, actor, step, status, done_note="", meeting=None) -> PlanStep
  (statuses are ActionItem.Status; done needs done_note when the step is an action item)
- plan_review_set(*, actor, plan, next_review_on=None, meeting=None) -> Plan (default: today +
  LAGET_PLAN_REVIEW_MONTHS; no version)
- plan_acknowledge(*, actor, version, party, how, guardian=None, meeting=None, document=None,
  note="") -> PlanAcknowledgement (current version only; paper checked like consent forms)
- plan_goal_check / plan_step_check: the rules alone, for forms and the demo data.
- teams.meetings.services.action_item_set_status on a plan's item moves the step and writes a
  version (plan_step_status_followed, registered with meetings in teams.apps: plans sits above
  meetings, so teams has no import cycle).

Selectors (teams.plans.selectors):
- plan_shown(*, user, youth, channel="view", purpose="viewed") -> PlanShown: the one call for
  the plan page, the API (channel="api") and the staff PDF (channel="pdf", purpose="printed"):
  404 to outsiders, audited, goals masked by their area's category, guardians only with family
  information, disclosures logged. PlanShown: youth, plan (None when none yet), goals
  [GoalShown(goal, area, steps [StepShown(step, status, helper_name, helper_withheld)])],
  withheld [(category label, count)], lead, team, version, acknowledgement
  (AcknowledgementStatus), review_overdue, next_review_on, unacknowledged.
- plan_shown_to_audience(*, user, youth, audience, meeting=None) -> PlanShown: plan mode; only
  what every person present may see (audience: Users, None for people not in Laget).
- plan_acknowledgement_status(*, version, on=None) -> AcknowledgementStatus (rule, youth_required,
  guardians_required, missing_youth, missing_guardians, missing_names, complete, asks_guardians),
  by consent.services.consent_age_rule; plan_unacknowledged(*, plan) -> bool.
- plan_versions(*, user, youth) -> [PlanVersion] (audited); plan_versions_compared(*, user, youth,
  old, new, channel="view") -> PlanDiff (masked, audited, disclosure logged);
  plan_version_diff(old, new, *, visible_areas=None) -> PlanDiff(old, new, changes [Change(kind,
  change, id, area, area_name, label, before, after)], withheld) — the pure diff.
- plan_for_youth, plan_areas, plan_helper_choices(*, user, youth) (a guardian by name only to
  whoever may see family information), plan_version_current(*, plan),
  plan_youth_get(*, user, pk), plan_items_shown(*, viewer, items), plan_step_withheld.

Reminders (teams.plans.reminders.plan_review_reminders_send, Celery beat
teams.tasks.plan_review_reminders, hourly 7-16): the lead is reminded
LAGET_PLAN_REVIEW_REMINDER_DAYS (14) days before next_review_on and once when overdue, once per
(lead, plan, date); plans_due_for_review(*, today=None) for a page.

Policy (teams.plans.policy): goal_categories(area) — the categories a goal and its steps carry
(identity and contact plus the area's), decided with the record unit as source.

Plan mode (teams.plans.mode, /ungdommer/<pk>/plan/mote/<meeting pk>/, linked «Planmodus» from
the meeting page): the plan on a shared screen at 1920×1080, one life area at a time, from the
keyboard (static/js/plan-mode.js), the youth's words corrected through plan_goal_change /
plan_step_change with meeting=the meeting. The room is plan_mode_audience(*, meeting, user)
(staff present with an account; `unknown` counts others the policy knows nothing of, who hide
every goal; the youth and guardians restrict nothing), shown by plan_shown_to_audience(...,
unknown=); plan_mode_meeting (404 for a meeting about someone else or cancelled, 403 without
may_change_plan) and plan_mode_goal / plan_mode_step (404 for what is not on the screen).

"Min plan" as PDF (teams.plans.pdf): the youth's own copy, /ungdommer/<pk>/plan/min-plan.pdf,
through plan_youth_copy(*, user, youth) -> YouthCopy (shown, contacts, next_meeting,
who_knows: consent.selectors.who_knows_what, the consents and legal bases in force and the
last 90 days of the disclosure log by service); printed by policy.may_print_youth_copy (those
who work the follow-up and the lead), audited as plan.printed_for_youth, no confidentiality
marking. The staff copy, /ungdommer/<pk>/plan/pdf/: plan_shown(channel="pdf",
purpose="printed"), marked confidential (reports/pdf_base.html).

URLs under namespace "plans" with "detail" taking the youth's pk (teams.plans.urls, mounted at
/ungdommer/; teams.calendar.feed.plan_url falls back to /ungdommer/<pk>/plan/).
"""
