//! The choosers and notes every view shares: the cadence radio buttons, the
//! period `<select>`, the warnings box, the notes list and the empty state,
//! plus [`part`] and [`no_chart`] for views whose model may be absent.
//!
//! Views keep their own `data-testid`s; these components only render.

use super::{Chart, ChartKind};
use leptos::prelude::*;
use slatelens_core::kinds::subscriptions::Cadence;

/// A number unique within the page, for radio group names and element ids.
pub fn next_uid() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One field of a view model that may be absent (then the field's default).
pub fn part<M, T>(model: Memo<Option<M>>, get: fn(&M) -> T) -> Signal<T>
where
    M: Send + Sync + 'static,
    T: Clone + Default + Send + Sync + 'static,
{
    Signal::derive(move || model.with(|m| m.as_ref().map(get).unwrap_or_default()))
}

/// An empty bar chart, drawn while a view has no model.
pub fn no_chart() -> Chart {
    Chart {
        title: String::new(),
        x_label: String::new(),
        y_label: String::new(),
        percent: false,
        kind: ChartKind::Bars { categories: vec![], series: vec![] },
        id: String::new(),
    }
}

/// A chart of a view model that may be absent (then [`no_chart`]).
pub fn chart_part<M: Send + Sync + 'static>(model: Memo<Option<M>>, get: fn(&M) -> Chart) -> Signal<Chart> {
    Signal::derive(move || model.with(|m| m.as_ref().map(get).unwrap_or_else(no_chart)))
}

/// What the cadence radio buttons and the period picker show and set.
pub struct Controls {
    /// The radio group's name (unique in the page).
    pub name: String,
    /// Cadences present (the toggle shows only when there are two).
    pub cadences: Signal<Vec<Cadence>>,
    /// The cadence shown.
    pub cadence: Signal<Option<Cadence>>,
    /// The picker's (key, label) choices.
    pub options: Signal<Vec<(String, String)>>,
    /// The chosen key.
    pub selected: Signal<String>,
    /// Set when the reader picks a cadence.
    pub cadence_choice: RwSignal<Option<Cadence>>,
    /// Set when the reader picks a period (and cleared with a new cadence).
    pub picked: RwSignal<Option<String>>,
    /// The toggle's `data-testid`, if any.
    pub toggle_testid: Option<&'static str>,
    /// The picker's `data-testid`.
    pub testid: &'static str,
}

/// Monthly / Weekly radio buttons, shown only when both cadences have periods.
/// Choosing one sets `cadence_choice` and forgets the picked period.
pub fn cadence_toggle(
    name: String,
    cadences: Signal<Vec<Cadence>>,
    cadence: Signal<Option<Cadence>>,
    cadence_choice: RwSignal<Option<Cadence>>,
    picked: RwSignal<Option<String>>,
    testid: Option<&'static str>,
) -> impl IntoView {
    move || {
        let name = name.clone();
        (cadences.get().len() > 1).then(|| {
            let radio = move |c: Cadence, label: &'static str| {
                view! {
                    <label class="cadence-option">
                        <input
                            type="radio"
                            name=name.clone()
                            value=c.label()
                            prop:checked=move || cadence.get() == Some(c)
                            on:change=move |_| {
                                cadence_choice.set(Some(c));
                                picked.set(None);
                            }
                        />
                        <span>{label}</span>
                    </label>
                }
            };
            view! {
                <fieldset class="cadence" data-testid=testid>
                    <legend>"Reports"</legend>
                    {radio(Cadence::Monthly, "Monthly")}
                    {radio(Cadence::Weekly, "Weekly")}
                </fieldset>
            }
        })
    }
}

/// The "Period" `<select>` over (key, label) `options`; picking one sets `picked`.
pub fn period_select(
    testid: &'static str,
    options: Signal<Vec<(String, String)>>,
    selected: Signal<String>,
    picked: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <label class="period-picker">
            <span>"Period"</span>
            <select
                data-testid=testid
                prop:value=move || selected.get()
                on:change=move |ev| picked.set(Some(event_target_value(&ev)))
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(key, label)| {
                            let k = key.clone();
                            view! {
                                <option value=key selected=move || selected.with(|s| *s == k)>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// The cadence toggle and the period picker side by side.
pub fn period_controls(c: Controls) -> impl IntoView {
    let Controls { name, cadences, cadence, options, selected, cadence_choice, picked, toggle_testid, testid } = c;
    view! {
        <div class="subs-controls">
            {cadence_toggle(name, cadences, cadence, cadence_choice, picked, toggle_testid)}
            {period_select(testid, options, selected, picked)}
        </div>
    }
}

/// The warning lines of a section's conflicts (each followed by
/// `consequence`, what stays blank) and duplicates.
pub fn conflict_notes(conflicts: &[String], duplicates: &[String], consequence: &str) -> Vec<String> {
    conflicts
        .iter()
        .map(|c| format!("Conflict: {c}. {consequence}"))
        .chain(duplicates.iter().map(|d| format!("Duplicate: {d}.")))
        .collect()
}

/// A boxed list of warnings, absent when there are none.
pub fn warnings_box(testid: &'static str, list: Signal<Vec<String>>) -> impl IntoView {
    move || {
        let list = list.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="subs-warnings" role="note" data-testid=testid>
                    <ul>{list.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                </div>
            }
        })
    }
}

/// A plain list of notes (derivations, rules, what was left out).
pub fn notes_list(testid: Option<&'static str>, list: Vec<String>) -> impl IntoView {
    view! {
        <ul class="notes" data-testid=testid>
            {list.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
        </ul>
    }
}

/// What a view says while it has nothing to show.
pub fn empty_state(testid: &'static str, text: impl IntoView + 'static) -> impl IntoView {
    view! { <p class="subs-empty" data-testid=testid>{text}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_then_duplicates() {
        let notes = conflict_notes(&["a.csv ≠ b.csv".into()], &["c.csv = a.csv".into()], "It stays blank.");
        assert_eq!(notes, ["Conflict: a.csv ≠ b.csv. It stays blank.", "Duplicate: c.csv = a.csv."]);
        assert!(next_uid() != next_uid());
    }
}
