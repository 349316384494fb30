//! The Prime Video Direct earnings and CER view.

use leptos::prelude::*;
use slatelens_core::analysis::earnings;

/// The Prime Video Direct earnings and CER view.
#[component]
pub fn EarningsView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<earnings::Section>>,
) -> impl IntoView {
    view! {
        <section class="view" data-testid="earnings-view">
            <h2>"Prime Video Direct earnings and CER"</h2>
            {move || section.with(|s| s.as_ref().map(|s| format!("{:?}", s)))}
        </section>
    }
}
