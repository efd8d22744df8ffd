"""Models of this app arrive with their own issue (see urls.py)."""
