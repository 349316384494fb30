//! The Contractual Live Streaming Usage view.

use leptos::prelude::*;
use slatelens_core::analysis::live;

/// The Contractual Live Streaming Usage view.
#[component]
pub fn LiveUsageView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<live::Section>>,
) -> impl IntoView {
    view! {
        <section class="view" data-testid="live-view">
            <h2>"Contractual Live Streaming Usage"</h2>
            {move || section.with(|s| s.as_ref().map(|s| format!("{:?}", s)))}
        </section>
    }
}
