"""Getting started: the first-run setup (office, inspectors, number blocks), the start page shown
instead of an empty dashboard, the bundled 使用说明 viewer, loading the demo from the GUI, and the
main window's toolbar. It sits above every feature package: it only calls their public actions."""
