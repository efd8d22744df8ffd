"""HTML views of the cases app, one module per area: youths (list, search, register, the youth
page, follow-up management), contacts (logging from a phone, drafts, versions), records
(offences, criminal-justice steps, outcome measures)."""
