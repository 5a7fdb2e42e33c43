"""Records of the field work: checklists and their model, enterprises (and their import), inspectors, inspections and their state."""
