//! The page: header, drop zone, progress, one tab per report kind present,
//! and the list of files with what core made of each.
//!
//! Components only render [`Files`] and the [`Analysis`]; texts come from
//! [`crate::model`], numbers from core (through the worker, [`crate::bridge`]).

use crate::bridge::{self, now_ms, Shared};
use crate::mapping::MapColumns;
use crate::model::{percent, FileEntry, FileState, FileSummary, Files};
use crate::protocol::ToWorker;
use crate::views::content::ContentUsageView;
use crate::views::customers::CustomersView;
use crate::views::earnings::EarningsView;
use crate::views::engagement::EngagementView;
use crate::views::first_last::FirstLastView;
use crate::views::live::LiveUsageView;
use crate::views::retention::RetentionView;
use crate::views::subscriptions::SubscriptionsView;
use crate::views::viewership::ViewershipView;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slatelens_core::{Analysis, Kind};
use web_sys::HtmlInputElement;

/// A tab of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    /// The view of one report kind.
    Kind(Kind),
    /// The files and their accounts.
    Files,
}

/// The kinds present in an analysis (duplicates and unread files aside), in view order.
pub fn kinds_present(analysis: &Analysis) -> Vec<Kind> {
    Kind::ALL
        .into_iter()
        .filter(|k| analysis.files.iter().any(|f| f.kind == Some(*k) && f.duplicate_of.is_none() && f.error.is_none()))
        .collect()
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let shared = Shared {
        files: RwSignal::new(Files::default()),
        analysis: RwSignal::new(None),
        fatal: RwSignal::new(None),
        mappings: RwSignal::new(Vec::new()),
    };
    bridge::start(shared);
    let chosen = RwSignal::new(None::<Tab>);
    let kinds = Memo::new(move |_| shared.analysis.with(|a| a.as_ref().map(kinds_present).unwrap_or_default()));
    // The chosen tab, or the most useful one present.
    let tab = Memo::new(move |_| match chosen.get() {
        Some(Tab::Kind(k)) if kinds.with(|ks| ks.contains(&k)) => Tab::Kind(k),
        Some(Tab::Files) => Tab::Files,
        _ => kinds.with(|ks| ks.first().map_or(Tab::Files, |k| Tab::Kind(*k))),
    });
    let has_files = Memo::new(move |_| shared.files.with(|f| !f.entries().is_empty()));

    // A file dropped beside the drop zone must not make the browser navigate to it.
    let _ = window_event_listener(ev::dragover, |e| e.prevent_default());
    let _ = window_event_listener(ev::drop, |e| e.prevent_default());

    view! {
        <main class="page">
            <header class="masthead">
                <h1>"slatelens"</h1>
                <p class="privacy" data-testid="privacy">
                    "Your files are processed on this device and never uploaded."
                </p>
            </header>
            {move || shared.fatal.get().map(|m| view! { <p class="error banner" role="alert">{m}</p> })}
            <DropZone shared=shared compact=has_files />
            <Progress shared=shared />
            <Show when=move || has_files.get() fallback=|| view! { <Intro /> }>
                <nav class="tabs" role="tablist" aria-label="Views">
                    <For
                        each=move || {
                            let mut tabs: Vec<Tab> = kinds.get().into_iter().map(Tab::Kind).collect();
                            tabs.push(Tab::Files);
                            tabs
                        }
                        key=|t| *t
                        children=move |t| {
                            let label = move || match t {
                                Tab::Kind(k) => k.label().to_string(),
                                Tab::Files => shared.files.with(Files::tab_label),
                            };
                            view! {
                                <button
                                    type="button"
                                    role="tab"
                                    class="tab"
                                    aria-selected=move || (tab.get() == t).to_string()
                                    data-testid="tab"
                                    on:click=move |_| chosen.set(Some(t))
                                >
                                    {label}
                                </button>
                            }
                        }
                    />
                </nav>
                <section class="panel" role="tabpanel">
                    // Every view stays mounted while hidden, so its choices (period, sort, search) survive a
                    // tab switch.
                    <KindPanel kinds=kinds tab=tab kind=Kind::Subscriptions>
                        <SubscriptionsView periods=Signal::derive(move || {
                            shared.analysis.with(|a| a.as_ref().map(|a| a.subscriptions.clone()).unwrap_or_default())
                        }) />
                    </KindPanel>
                    <KindPanel kinds=kinds tab=tab kind=Kind::ContentUsage>
                        <ContentUsageView section=section(shared, |a| a.content_usage.clone()) />
                    </KindPanel>
                    <KindPanel kinds=kinds tab=tab kind=Kind::LiveUsage>
                        <LiveUsageView section=section(shared, |a| a.live_usage.clone()) />
                    </KindPanel>
                    <KindPanel kinds=kinds tab=tab kind=Kind::ConversionRetention>
                        <RetentionView section=section(shared, |a| a.retention.clone()) />
                    </KindPanel>
                    <KindPanel kinds=kinds tab=tab kind=Kind::EngagementScorecard>
                        <EngagementView section=section(shared, |a| a.engagement.clone()) />
                    </KindPanel>
                    <KindPanel kinds=kinds tab=tab kind=Kind::FirstLastTitle>
                        <FirstLastView section=section(shared, |a| a.first_last.clone()) />
                    </KindPanel>
                    <KindPanel kinds=kinds tab=tab kind=Kind::PidSubscriptions>
                        <CustomersView section=section(shared, |a| a.customers.clone()) />
                    </KindPanel>
                    <KindPanel kinds=kinds tab=tab kind=Kind::PidViewership>
                        <ViewershipView section=section(shared, |a| a.viewership.clone()) />
                    </KindPanel>
                    <KindPanel kinds=kinds tab=tab kind=Kind::Earnings>
                        <EarningsView section=section(shared, |a| a.earnings.clone()) />
                    </KindPanel>
                    <Show when=move || tab.get() == Tab::Files>
                        <FileList shared=shared />
                    </Show>
                </section>
            </Show>
        </main>
    }
}

/// What the tool is, what it reads, and a way to try it without one's own files.
#[component]
fn Intro() -> impl IntoView {
    view! {
        <section class="intro" data-testid="intro">
            <h2>"Your Prime Video reports, read on your device"</h2>
            <p>
                "Drop the CSV reports you download from Prime Video Slate (or Prime Video Direct earnings) and \
                 slatelens shows their metrics: subscriber counts, churn, conversions, net adds, and more. \
                 Everything is computed in this browser tab; no file leaves your computer."
            </p>
            <h3>"Reports it reads"</h3>
            <ul class="kinds">
                {Kind::ALL.iter().map(|k| view! { <li>{k.label()}</li> }).collect_view()}
            </ul>
            <p class="hint">
                "Any Excel dialect: UTF-8 or UTF-16, commas, tabs or semicolons, decimal commas, US or European dates. \
                 Zip and gzip archives and whole folders are read too."
            </p>
        </section>
    }
}

/// The drop zone and the buttons that open file and folder pickers.
#[component]
fn DropZone(shared: Shared, compact: Memo<bool>) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let files_ref = NodeRef::<leptos::html::Input>::new();
    let folder_ref = NodeRef::<leptos::html::Input>::new();
    let on_drop = move |e: ev::DragEvent| {
        e.prevent_default();
        dragging.set(false);
        if let Some(dt) = e.data_transfer() {
            spawn_local(async move {
                let files = crate::drop::files_from_drop(&dt).await;
                bridge::add_files(shared, files);
            });
        }
    };
    let on_change = move |e: ev::Event| {
        let input: HtmlInputElement = event_target(&e);
        if let Some(list) = input.files() {
            let files = (0..list.length()).filter_map(|i| list.get(i)).filter(|f| !f.name().starts_with('.')).collect();
            bridge::add_files(shared, files);
        }
        // Let the same file be chosen again.
        input.set_value("");
    };
    let open = move |r: NodeRef<leptos::html::Input>| {
        move |_| {
            if let Some(input) = r.get() {
                input.click();
            }
        }
    };
    Effect::new(move |_| {
        if let Some(input) = folder_ref.get() {
            let _ = input.set_attribute("webkitdirectory", "");
        }
    });
    view! {
        <section
            class="drop-zone"
            class:dragging=move || dragging.get()
            class:compact=move || compact.get()
            role="region"
            aria-label="Drop zone for report files"
            aria-describedby="drop-hint"
            data-testid="drop-zone"
            on:dragenter=move |e: ev::DragEvent| {
                e.prevent_default();
                dragging.set(true);
            }
            on:dragover=move |e: ev::DragEvent| {
                e.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p id="drop-hint">"Drop report files, folders, .zip or .gz archives here, or"</p>
            <div class="actions">
                <button type="button" class="choose" on:click=open(files_ref)>
                    "Choose files"
                </button>
                <button type="button" class="secondary" on:click=open(folder_ref)>
                    "Choose a folder"
                </button>
                <button
                    type="button"
                    class="secondary"
                    data-testid="demo"
                    on:click=move |_| bridge::send(&ToWorker::Demo, None)
                >
                    "Try it with demo data"
                </button>
            </div>
            <input
                type="file"
                multiple
                hidden
                tabindex="-1"
                aria-hidden="true"
                node_ref=files_ref
                data-testid="file-input"
                on:change=on_change
            />
            <input
                type="file"
                multiple
                hidden
                tabindex="-1"
                aria-hidden="true"
                node_ref=folder_ref
                data-testid="folder-input"
                on:change=on_change
            />
        </section>
    }
}

/// Overall progress while files are read, with a way to stop.
#[component]
fn Progress(shared: Shared) -> impl IntoView {
    let busy = Memo::new(move |_| shared.files.with(Files::busy));
    view! {
        <Show when=move || busy.get()>
            <section class="progress-panel" aria-label="Reading progress" data-testid="progress">
                {move || {
                    let (done, total, rows) = shared.files.with(Files::overall);
                    let waiting = shared.files.with(|f| {
                        f.entries().iter().filter(|e| matches!(e.state, FileState::Queued | FileState::Reading { .. })).count()
                    });
                    let mut text = format!(
                        "Reading {} · {}% · {}",
                        crate::model::count(waiting as u64, "file", "files"),
                        percent(done, total),
                        crate::model::count(rows, "row", "rows"),
                    );
                    // One file left to read (a big one, usually): how long it has left.
                    if waiting == 1 {
                        let now = now_ms();
                        let left = shared.files.with(|f| f.entries().iter().find_map(|e| e.time_left(now)));
                        if let Some(left) = left {
                            text.push_str(&format!(" · {left}"));
                        }
                    }
                    view! {
                        <progress
                            max=total.max(1).to_string()
                            value=done.to_string()
                            aria-label="All files"
                            data-testid="overall-progress"
                        ></progress>
                        <span class="progress-text" aria-live="polite">{text}</span>
                    }
                }}
                <button
                    type="button"
                    class="secondary"
                    data-testid="cancel"
                    on:click=move |_| bridge::send(&ToWorker::Cancel, None)
                >
                    "Cancel"
                </button>
            </section>
        </Show>
    }
}

/// One section of the analysis as a signal.
fn section<T: Clone + Send + Sync + 'static>(
    shared: Shared,
    pick: impl Fn(&Analysis) -> Option<T> + Send + Sync + 'static,
) -> Signal<Option<T>> {
    Signal::derive(move || shared.analysis.with(|a| a.as_ref().and_then(&pick)))
}

/// The panel of one kind's view: mounted while files of the kind are present,
/// hidden while another tab is chosen.
#[component]
fn KindPanel(kinds: Memo<Vec<Kind>>, tab: Memo<Tab>, kind: Kind, children: ChildrenFn) -> impl IntoView {
    view! {
        <Show when=move || kinds.with(|k| k.contains(&kind))>
            <div hidden=move || tab.get() != Tab::Kind(kind)>{children()}</div>
        </Show>
    }
}

/// Every file with its state, account and problems.
#[component]
fn FileList(shared: Shared) -> impl IntoView {
    view! {
        <div class="results-head">
            <h2>"Files"</h2>
            <button
                type="button"
                class="secondary"
                on:click=move |_| {
                    bridge::send(&ToWorker::Clear, None);
                    shared.files.update(Files::clear);
                    shared.analysis.set(None);
                }
            >
                "Remove all"
            </button>
        </div>
        <ul class="files" aria-live="polite">
            <For
                each=move || shared.files.with(|f| f.entries().to_vec())
                key=|entry| (entry.id, entry.revision)
                children=move |entry| view! { <FileRow entry=entry shared=shared /> }
            />
        </ul>
    }
}

/// One file in the list.
#[component]
pub fn FileRow(
    /// The file to show.
    entry: FileEntry,
    /// The page state (to remove the file).
    shared: Shared,
) -> impl IntoView {
    let id = entry.id;
    let name = entry.name.clone();
    let status = entry.progress_text(now_ms());
    let body = match entry.state {
        FileState::Queued | FileState::Reading { .. } => {
            let bytes = match entry.state {
                FileState::Reading { bytes, .. } => bytes,
                _ => 0,
            };
            view! {
                <progress
                    max=entry.size.max(1).to_string()
                    value=bytes.to_string()
                    aria-label=format!("Reading {}", entry.name)
                ></progress>
                <p class="status" data-testid="file-status">{status}</p>
            }
            .into_any()
        }
        FileState::Archive { entries } => view! {
            <p class="status">{format!("Archive with {}", crate::model::count(entries as u64, "report file", "report files"))}</p>
        }
        .into_any(),
        FileState::Cancelled => view! { <p class="status">"Cancelled: not read"</p> }.into_any(),
        FileState::Failed(message) => view! { <p class="error" data-testid="file-error">{message}</p> }.into_any(),
        FileState::Done(summary) => {
            let mapping = summary.mapping.clone().map(|need| view! { <MapColumns need=need shared=shared /> });
            view! {
                <Summary summary=*summary />
                {mapping}
            }
            .into_any()
        }
    };
    let duplicate = entry.duplicate_of.map(|d| {
        view! { <p class="note duplicate" data-testid="file-duplicate">{format!("Same content as {d}: not counted again")}</p> }
    });
    view! {
        <li class="file" class:entry=entry.parent.is_some() data-testid="file-row">
            <div class="file-head">
                <h3 class="file-name">{entry.name}</h3>
                {entry.demo.then(|| view! { <span class="badge">"demo data"</span> })}
                <button
                    type="button"
                    class="remove"
                    aria-label=format!("Remove {name}")
                    title="Remove this file"
                    on:click=move |_| {
                        bridge::send(&ToWorker::Remove { id }, None);
                        shared.files.update(|f| {
                            f.remove(id);
                        });
                    }
                >
                    "×"
                </button>
            </div>
            {body}
            {duplicate}
        </li>
    }
}

/// What core made of a file that was read to the end.
#[component]
fn Summary(
    /// The texts to show.
    summary: FileSummary,
) -> impl IntoView {
    let kind_class = if summary.recognised { "kind" } else { "kind unknown" };
    let n = summary.problems.len();
    let problems = (n > 0).then(|| {
        let omitted = summary.omitted.map(|text| view! { <li class="omitted">{text}</li> });
        let label = crate::model::count(n as u64, "problem", "problems");
        view! {
            <details class="problems-box" open=n <= 5>
                <summary>{label}</summary>
                <ul class="problems" data-testid="file-problems" aria-label="Problems">
                    {summary.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    {omitted}
                </ul>
            </details>
        }
    });
    let notes = (!summary.notes.is_empty()).then(|| {
        view! {
            <ul class="notes" aria-label="Notes">
                {summary.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
        }
    });
    let error = summary.error.map(|e| view! { <p class="error" data-testid="file-error">{e}</p> });
    let format = (!summary.format.is_empty()).then(|| view! { <span class="format">{summary.format}</span> });
    let periods = summary.periods.map(|p| view! { <span class="periods" data-testid="file-periods">{p}</span> });
    view! {
        <p class="facts">
            <span class=kind_class data-testid="file-kind">{summary.kind}</span>
            {periods}
            <span class="rows" data-testid="file-rows">{summary.counts}</span>
            {format}
        </p>
        {error}
        {problems}
        {notes}
    }
}
