"""Where changes come from: a patch, the index, a range of commits, a push, whole files."""
