"""Generated Markdown pages (spec section 6): one module per page family."""
