//! The Persistent-ID and Daily Anonymized viewership view.

use leptos::prelude::*;
use slatelens_core::analysis::viewership;

/// The Persistent-ID and Daily Anonymized viewership view.
#[component]
pub fn ViewershipView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<viewership::Section>>,
) -> impl IntoView {
    view! {
        <section class="view" data-testid="viewership-view">
            <h2>"Persistent-ID and Daily Anonymized viewership"</h2>
            {move || section.with(|s| s.as_ref().map(|s| format!("{:?}", s)))}
        </section>
    }
}
