"""Migration revisions of the store, oldest first by their ``down_revision`` links."""
