"""The content stage: bytes in, matches out, never a path.

``matcher.ContentMatcher.match`` runs the engine (Hyperscan or keywords) to select candidate rules,
confirms them (``confirm``), finds generic key=value candidates (``generic``), decodes base64 and URL
runs (``decode``), applies offline validators (``validators``), value filters (``filters``), inline
allow comments (``inline``), content context predicates (``context``) and the confidence policy
(``confidence``), and your own known credentials (``known``). Its results are a pure function of the
bytes and ``ContentMatcher.digest``, so they are cached per blob id (``cache``).
"""
