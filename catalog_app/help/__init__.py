"""Help pages: short explanations of the terms the catalog uses (TRL levels, ...)."""
