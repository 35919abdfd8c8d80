"""Page layouts, shared components, pure figure builders and UI text."""
