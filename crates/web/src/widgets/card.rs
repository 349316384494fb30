//! Metric cards: a number, what it is, and the rows behind it.

use leptos::prelude::*;

/// One metric card.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Card {
    /// What the number is ("Minutes streamed").
    pub label: String,
    /// The number, formatted ("1,234,567"), or "—" when it cannot be computed.
    pub value: String,
    /// A second line: a change, a share, or why the value is missing.
    pub note: Option<String>,
    /// Where the number comes from: rows and files behind it, and the formula
    /// (shown as a tooltip and to screen readers).
    pub provenance: String,
    /// A stable id for tests (`data-testid`).
    pub id: String,
}

/// A row of metric cards.
#[component]
pub fn Cards(
    /// The cards, in order.
    #[prop(into)]
    cards: Signal<Vec<Card>>,
) -> impl IntoView {
    view! {
        <div class="cards">
            {move || {
                cards
                    .get()
                    .into_iter()
                    .map(|c| {
                        let tip = c.provenance.clone();
                        view! {
                            <div class="card" data-testid=c.id title=tip>
                                <div class="card-label">{c.label}</div>
                                <div class="card-value">{c.value}</div>
                                {c.note.map(|n| view! { <div class="card-note">{n}</div> })}
                                <div class="card-provenance">{c.provenance}</div>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
