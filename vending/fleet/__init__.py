"""Read-side use cases over the trunk and the controller: list, show, status and report."""
