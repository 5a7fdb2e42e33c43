"""Record-keeping views: enterprises, inspectors, checklists, the inspection list and starting an inspection."""
