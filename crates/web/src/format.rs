//! Numbers as people read them on the page (placeholder).
