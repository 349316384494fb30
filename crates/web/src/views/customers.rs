//! The Persistent-ID Subscriptions view.

use leptos::prelude::*;
use slatelens_core::analysis::customers;

/// The Persistent-ID Subscriptions view.
#[component]
pub fn CustomersView(
    /// The section of the analysis (`None` while no such file is read).
    #[prop(into)]
    section: Signal<Option<customers::Section>>,
) -> impl IntoView {
    view! {
        <section class="view" data-testid="customers-view">
            <h2>"Persistent-ID Subscriptions"</h2>
            {move || section.with(|s| s.as_ref().map(|s| format!("{:?}", s)))}
        </section>
    }
}
