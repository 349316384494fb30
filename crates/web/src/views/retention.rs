//! The Contractual Conversion and Retention view.

use leptos::prelude::*;
use slatelens_core::analysis::retention;

/// The Contractual Conversion and Retention view.
#[component]
pub fn RetentionView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<retention::Section>>,
) -> impl IntoView {
    view! {
        <section class="view" data-testid="retention-view">
            <h2>"Contractual Conversion and Retention"</h2>
            {move || section.with(|s| s.as_ref().map(|s| format!("{:?}", s)))}
        </section>
    }
}
