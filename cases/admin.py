"""Youth data is deliberately not in the admin: it is reached only through core.access,
where consent and team membership decide, and every read is audited."""
