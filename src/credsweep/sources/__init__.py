"""Sources yield content items: the working tree, the index (staged) and git history."""
