"""Alembic migrations of the store, applied programmatically when a store is opened.

There is no ``alembic.ini``: ``migrate.py`` builds the configuration in code and hands
alembic the open connection. Revisions live in ``versions/``; each is frozen once released.
"""
