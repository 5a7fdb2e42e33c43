"""Demo data: realistic enterprises, inspections, photos and closed-loop histories for trying the app."""
