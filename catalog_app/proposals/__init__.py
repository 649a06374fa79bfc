"""Suppliers' answers to demands (中小企业答题), intent agreements and confidential details."""
