//! slatelens-web: the static web page, a Leptos (client-side rendered) front end
//! over `slatelens-core`.
//!
//! The page never sends a file anywhere: each dropped file is read in the
//! browser as a stream of chunks ([`read`]) and fed to core's [`Ingest`]. What
//! the page shows for each file is computed by plain, natively tested code
//! ([`model`]); the components ([`app`]) only render it.
//!
//! [`Ingest`]: slatelens_core::Ingest

pub mod app;
pub mod charts;
pub mod format;
pub mod model;
pub mod read;
pub mod views;

pub use app::App;

/// Mounts the app on `<body>` for the lifetime of the page.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}
