"""Location judgement: the same content judged by where it lives.

- ``location``: every path predicate (tests, fixtures, examples, documentation, vendored code,
  lockfiles, minified bundles, test vectors, build output, translations, scanners' bookkeeping). The one
  path classifier: hygiene, ``fix`` and advice use it too, so a folder is test material everywhere or
  nowhere.
- ``judge``: the stage that applies them once per location (path allowlist, the path filters of generic
  matches, location reasons, the confidence policy of ``content.confidence``, the threshold, overlap
  resolution and identifier pairing).

The content-only predicates (``content.context``) run in the content stage, whose reasons are cached
with its matches per blob id. Context never deletes a finding: it lowers it to ``low`` (hidden at the
default threshold, shown with ``--min-confidence low``) and the reasons travel with the finding into
every report.
"""
