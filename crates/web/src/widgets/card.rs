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

/// A row of metric cards. Each card is a labelled group: the label, the
/// value (tabular figures), the note, and the provenance in small print under
/// the value and as the card's tooltip. A value that cannot be computed ("—")
/// is greyed and announced as "not available".
#[component]
pub fn Cards(
    /// The cards, in order.
    #[prop(into)]
    cards: Signal<Vec<Card>>,
) -> impl IntoView {
    view! {
        <div class="cards widget-cards">
            {move || {
                cards
                    .get()
                    .into_iter()
                    .map(|c| {
                        let missing = is_missing(&c.value);
                        let name = c.label.clone();
                        let tip = (!c.provenance.is_empty()).then(|| c.provenance.clone());
                        let provenance = (!c.provenance.is_empty())
                            .then(|| {
                                view! {
                                    <div class="card-provenance" data-testid="card-provenance">
                                        <span class="visually-hidden">"Source: "</span>
                                        {c.provenance.clone()}
                                    </div>
                                }
                            });
                        view! {
                            <div class="card widget-card" data-testid=c.id role="group" aria-label=name title=tip>
                                <div class="card-label">{c.label}</div>
                                <div class="card-value" class:null=missing data-testid="card-value">
                                    {if missing {
                                        view! {
                                            <span aria-hidden="true">{c.value}</span>
                                            <span class="visually-hidden">"not available"</span>
                                        }
                                            .into_any()
                                    } else {
                                        c.value.into_any()
                                    }}
                                </div>
                                {c.note.map(|n| view! { <div class="card-note" data-testid="card-note">{n}</div> })}
                                {provenance}
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// Whether a card's value says the number cannot be computed.
fn is_missing(value: &str) -> bool {
    matches!(value.trim(), "" | "—" | "-" | "–")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_and_blanks_are_missing_values() {
        assert!(is_missing("—"));
        assert!(is_missing(" "));
        assert!(!is_missing("0"));
        assert!(!is_missing("-42"));
    }
}
