"""The demo data: a synthetic Oslo for `make demo` and `make bench` (`manage.py seed_demo`).

Installed by the local and test settings only (config/settings/local.py, test.py), never in
production. It sits on top of the layers: it imports every app, and no app imports it.
"""
