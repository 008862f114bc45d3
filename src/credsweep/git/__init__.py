"""The one hardened boundary to git (``repo``: every git process, with the scanned repository's config,
hooks and filters disarmed), ``.gitignore`` semantics (``ignore``) and fleet mirrors (``mirror``)."""
