//! slatelens-web: the static web page, a Leptos (client-side rendered) front end
//! over `slatelens-core`.
//!
//! Two threads run the same wasm bundle (more while a big file is read in byte
//! ranges by helper workers, [`ranges`]). The **worker** ([`worker`]) owns every
//! file: it streams each dropped `File` in chunks ([`read`]) into core, keeps
//! the results ([`engine`]) and posts progress and the [`Analysis`] as JSON
//! ([`protocol`]). The **page** ([`app`], [`bridge`]) only lists files
//! ([`model`], tested natively) and renders the analysis ([`views`],
//! [`charts`], [`format`](mod@format)), so it never freezes, whatever the file size. No
//! byte is ever sent anywhere.
//!
//! [`Analysis`]: slatelens_core::Analysis

pub mod app;
pub mod bridge;
pub mod charts;
pub mod drop;
pub mod engine;
pub mod format;
pub mod mapping;
pub mod model;
pub mod protocol;
pub mod ranges;
pub mod read;
pub mod views;
pub mod widgets;
pub mod worker;

pub use app::App;

/// Mounts the app on `<body>` for the lifetime of the page.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}
