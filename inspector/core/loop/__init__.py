"""The closed loop of a hazard: life cycle and history, hazard detail, re-inspections, the dashboard counts."""
