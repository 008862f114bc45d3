"""Small helpers with no project knowledge: lazy regexes, TOML reading, safe file writes, file names in
every format, spans, entropy, the signed cache folder, console output, interrupts."""
