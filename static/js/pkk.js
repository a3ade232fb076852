// Shared behaviour. Drafts and offline handling live in static/js/draft.js (data-entry forms).
