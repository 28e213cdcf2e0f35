"""Starting a commune's own folder (``broadcast init``) and the bundled sample (``broadcast demo``)."""
