//! The Contractual Subscriptions view (placeholder until the view lands).

use leptos::prelude::*;
use slatelens_core::analysis::subscriptions::Period;

/// The subscriptions view: cards for the chosen period, trends, per-offer table.
#[component]
pub fn SubscriptionsView(
    /// Every period, sorted by start.
    periods: Signal<Vec<Period>>,
) -> impl IntoView {
    view! { <p>{move || format!("{} periods", periods.with(Vec::len))}</p> }
}
