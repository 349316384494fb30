//! The Contractual Content Usage and Premium Device-Level Viewership view.

use leptos::prelude::*;
use slatelens_core::analysis::content;

/// The Contractual Content Usage and Premium Device-Level Viewership view.
#[component]
pub fn ContentUsageView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<content::Section>>,
) -> impl IntoView {
    view! {
        <section class="view" data-testid="content-view">
            <h2>"Contractual Content Usage and Premium Device-Level Viewership"</h2>
            {move || section.with(|s| s.as_ref().map(|s| format!("{:?}", s)))}
        </section>
    }
}
