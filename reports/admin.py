"""Reports have no models of their own yet, so nothing is registered."""
