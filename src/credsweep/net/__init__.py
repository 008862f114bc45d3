"""Everything credsweep sends over the network, behind one opt-in door.

Nothing here runs unless the user asks for it (``--validate``, ``--validate-self-hosted``, or a forge
option of ``fleet scan``), and nothing here is imported by the content stage or the pre-commit hook:
content matching stays a pure function of bytes, and validation is enrichment after judgement.

- ``config``: ``NetConfig`` (deadline, body cap, concurrency, rate-limit budget, CA, base URL
  overrides from ``CREDSWEEP_API_BASE_URLS``);
- ``client``: ``NetClient``, the one place that builds and sends every request (httpx, HTTPS only,
  no redirects, total deadline per exchange, bounded concurrency, per-service rate limits);
- ``validators`` and ``providers``: which rule's secret is checked where, and what the answer means;
- ``cache``: validation results by salted secret id (never the secret) in the user's cache;
- ``forges``: repository discovery for the fleet (GitHub, GitLab, Bitbucket, Gitea).

httpx is imported only when a request is actually sent.
"""
