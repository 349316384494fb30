//! The page's components: a heading, the privacy line, the drop zone and the
//! list of files with what core made of each.
//!
//! Components only render [`Files`]; the texts come from [`crate::model`].

use crate::model::{FileEntry, FileState, FileSummary, Files};
use crate::read::ingest_file;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{File, FileList, HtmlInputElement};

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let files = RwSignal::new(Files::default());
    let dragging = RwSignal::new(false);
    let input_ref = NodeRef::<leptos::html::Input>::new();

    // A file dropped beside the drop zone must not make the browser navigate
    // to it (and leave the page); the zone itself handles its own drops.
    let _ = window_event_listener(ev::dragover, |e| e.prevent_default());
    let _ = window_event_listener(ev::drop, |e| e.prevent_default());

    let on_drop = move |e: ev::DragEvent| {
        e.prevent_default();
        dragging.set(false);
        if let Some(list) = e.data_transfer().and_then(|dt| dt.files()) {
            read_files(files, list);
        }
    };
    let on_change = move |e: ev::Event| {
        let input: HtmlInputElement = event_target(&e);
        if let Some(list) = input.files() {
            read_files(files, list);
        }
        // Let the same file be chosen again.
        input.set_value("");
    };
    let open_picker = move |_| {
        if let Some(input) = input_ref.get() {
            input.click();
        }
    };

    view! {
        <main class="page">
            <header>
                <h1>"slatelens"</h1>
                <p class="privacy" data-testid="privacy">
                    "Your files are processed on this device and never uploaded."
                </p>
            </header>
            <section
                class="drop-zone"
                class:dragging=move || dragging.get()
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
                <p id="drop-hint">"Drop Slate or Prime Video Direct report files (CSV, TSV) here, or"</p>
                <button type="button" class="choose" on:click=open_picker>
                    "Choose files"
                </button>
                <input
                    type="file"
                    multiple
                    hidden
                    tabindex="-1"
                    aria-hidden="true"
                    node_ref=input_ref
                    data-testid="file-input"
                    on:change=on_change
                />
            </section>
            <section class="results" aria-label="Files" aria-live="polite">
                <Show when=move || files.with(|f| !f.entries().is_empty())>
                    <div class="results-head">
                        <h2>"Files"</h2>
                        <button type="button" class="clear" on:click=move |_| files.update(Files::clear)>
                            "Clear list"
                        </button>
                    </div>
                </Show>
                <ul class="files">
                    <For
                        each=move || files.with(|f| f.entries().to_vec())
                        key=|entry| (entry.id, entry.revision)
                        children=|entry| view! { <FileRow entry=entry /> }
                    />
                </ul>
            </section>
        </main>
    }
}

/// One file in the list.
#[component]
pub fn FileRow(
    /// The file to show.
    entry: FileEntry,
) -> impl IntoView {
    let body = match entry.state {
        FileState::Reading { .. } => {
            let text = entry.progress_text().unwrap_or_default();
            view! { <p class="status" data-testid="file-status">{text}</p> }.into_any()
        }
        FileState::Failed(message) => view! { <p class="error" data-testid="file-error">{message}</p> }.into_any(),
        FileState::Done(summary) => view! { <Summary summary=summary /> }.into_any(),
    };
    view! {
        <li class="file" data-testid="file-row">
            <h3 class="file-name">{entry.name}</h3>
            {body}
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
    let problems = (!summary.problems.is_empty()).then(|| {
        let omitted = summary.omitted.map(|text| view! { <li class="omitted">{text}</li> });
        view! {
            <ul class="problems" data-testid="file-problems" aria-label="Problems">
                {summary.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                {omitted}
            </ul>
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
    view! {
        <p class="facts">
            <span class=kind_class data-testid="file-kind">{summary.kind}</span>
            <span class="rows" data-testid="file-rows">{summary.counts}</span>
            {format}
        </p>
        {error}
        {problems}
        {notes}
    }
}

/// Starts reading every file of `list`, one after another, updating `files`.
fn read_files(files: RwSignal<Files>, list: FileList) {
    let mut batch: Vec<(u64, File)> = Vec::new();
    files.update(|f| {
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                let id = f.add(&file.name(), file.size() as u64);
                batch.push((id, file));
            }
        }
    });
    spawn_local(async move {
        for (id, file) in batch {
            let state = match ingest_file(&file, |bytes| {
                // Re-render only when the shown percentage moves.
                if files.try_update_untracked(|f| f.progress(id, bytes)) == Some(true) {
                    files.notify();
                }
            })
            .await
            {
                Ok(done) => FileState::Done(FileSummary::from_report(&done.report)),
                Err(message) => FileState::Failed(message),
            };
            files.update(|f| f.finish(id, state));
        }
    });
}
