//! The Premium First-and-Last VOD Title view.

use leptos::prelude::*;
use slatelens_core::analysis::first_last;

/// The Premium First-and-Last VOD Title view.
#[component]
pub fn FirstLastView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<first_last::Section>>,
) -> impl IntoView {
    view! {
        <section class="view" data-testid="first_last-view">
            <h2>"Premium First-and-Last VOD Title"</h2>
            {move || section.with(|s| s.as_ref().map(|s| format!("{:?}", s)))}
        </section>
    }
}
