"""The scans: each a choice of source and executor over the pipeline, returning a ``Report``:
``worktree`` (scan), ``history``, ``staged``, ``prepush``; ``hooks`` installs git hooks and builds what
a block message needs; ``common`` holds what they share (root, config, exposure, baseline split)."""
