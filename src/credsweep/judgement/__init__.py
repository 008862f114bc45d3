"""Judgement: named context predicates that lower a finding's confidence, with the reasons recorded.

Two families, matching the two pipeline stages that can see them:

- ``context``: content-only predicates over a ``Context`` (the value, its line, the key before it, the
  rule, how it was decoded). They depend on the bytes alone, so their reasons can be cached with the
  content stage's results per blob id.
- ``location``: predicates over a path (tests, fixtures, examples, documentation, vendored code).
  They run once per location in the judgement stage.

``judge`` is the location-judgement stage that applies them (with the path filters, the threshold,
overlap resolution and identifier pairing); ``confidence`` turns a base confidence and the reasons
into the reported confidence. Context never deletes a finding: it lowers it to ``low`` (hidden at the
default threshold, shown with ``--min-confidence low``) and the reasons travel with the finding into
every report.
"""
