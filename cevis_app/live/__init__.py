"""The live component: logits dragged in the browser, each chart redrawn per frame from server tables."""
