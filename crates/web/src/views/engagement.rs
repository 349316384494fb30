//! The Premium Engagement Scorecard view.

use leptos::prelude::*;
use slatelens_core::analysis::engagement;

/// The Premium Engagement Scorecard view.
#[component]
pub fn EngagementView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<engagement::Section>>,
) -> impl IntoView {
    view! {
        <section class="view" data-testid="engagement-view">
            <h2>"Premium Engagement Scorecard"</h2>
            {move || section.with(|s| s.as_ref().map(|s| format!("{:?}", s)))}
        </section>
    }
}
