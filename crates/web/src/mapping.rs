//! The mapping step: for a file whose header slatelens does not recognise (or
//! recognises with columns left over), the person says which column is which
//! field; the worker then re-reads the file with that [`Mapping`].
//!
//! Guesses come from core ([`suggest`]); a mapping is remembered for the
//! browser session (the worker reads later files with the same header with
//! it): kept in the tab's `sessionStorage`, which survives a reload and is
//! cleared when the tab closes ([`restore_session`], [`forget`]). It can be
//! exported as a small JSON file (a download made from a `Blob`, nothing sent
//! anywhere) and dropped again later ([`install_file`]).

use crate::bridge::{self, Shared};
use crate::protocol::ToWorker;
use leptos::prelude::*;
use slatelens_core::ingest::mapping::{nearest_kind, suggest};
use slatelens_core::ingest::Mapping;
use slatelens_core::{FileError, FileReport, Kind};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

/// What the mapping step needs to know about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingNeed {
    /// The header cells as written.
    pub header: Vec<String>,
    /// The first data rows (empty for a recognised file).
    pub sample: Vec<Vec<String>>,
    /// The kind offered first: the recognised one, or the nearest.
    pub kind: Kind,
    /// The column each field is read from now (recognised files), by field name.
    pub current: BTreeMap<String, String>,
    /// Whether the file was not recognised (the step is the way to read it at all).
    pub unknown: bool,
}

impl MappingNeed {
    /// Whether (and with what) to offer the mapping step for a file: when its
    /// header matches no kind, when it was read with a mapping, or when it was
    /// recognised but some of its columns feed no field while some fields are
    /// absent.
    pub fn of(report: &FileReport) -> Option<MappingNeed> {
        if let Some(FileError::UnknownKind { header, sample, .. }) = &report.error {
            if header.len() < 2 {
                return None;
            }
            return Some(MappingNeed {
                header: header.clone(),
                sample: sample.clone(),
                kind: nearest_kind(header),
                current: BTreeMap::new(),
                unknown: true,
            });
        }
        let kind = report.kind?;
        if report.error.is_some() {
            return None;
        }
        let current: BTreeMap<String, String> =
            report.columns.iter().filter_map(|c| Some((c.field.clone()?, c.name.clone()))).collect();
        let mapped = report.notes.iter().any(|n| n == "read with your mapping");
        let unused = report.columns.iter().any(|c| c.field.is_none() && !c.name.trim().is_empty());
        let absent = current.len() < kind.schema().fields.len();
        (mapped || (unused && absent)).then(|| MappingNeed {
            header: report.columns.iter().map(|c| c.name.clone()).collect(),
            sample: Vec::new(),
            kind,
            current,
            unknown: false,
        })
    }

    /// The column proposed for each field of `kind`: the current one when the
    /// kind is the file's, else core's guess.
    pub fn initial(&self, kind: Kind) -> Vec<Option<String>> {
        if kind == self.kind && !self.current.is_empty() {
            return kind.schema().fields.iter().map(|f| self.current.get(f.name).cloned()).collect();
        }
        suggest(kind, &self.header, &self.sample).into_iter().map(|g| g.column).collect()
    }

    /// A first value of column `c` from the sample, to show beside its name.
    pub fn example(&self, c: usize) -> Option<&str> {
        self.sample.iter().filter_map(|r| r.get(c)).map(|s| s.trim()).find(|s| !s.is_empty())
    }
}

/// The mapping made of chosen columns (fields left unchosen are absent).
pub fn mapping_of(kind: Kind, header: &[String], chosen: &[Option<String>]) -> Mapping {
    let fields =
        kind.schema().fields.iter().zip(chosen).filter_map(|(f, c)| Some((f.name.to_string(), c.clone()?))).collect();
    Mapping::new(kind, header, fields)
}

/// Required fields with no column chosen, by name.
pub fn missing_required(kind: Kind, chosen: &[Option<String>]) -> Vec<&'static str> {
    kind.schema().fields.iter().zip(chosen).filter(|(f, c)| f.key && c.is_none()).map(|(f, _)| f.name).collect()
}

/// Installs a mapping for the session: the worker re-reads the files it fits
/// and reads later ones with it; the tab remembers it across reloads.
pub fn install(shared: Shared, mapping: Mapping) {
    shared.mappings.update(|list| {
        list.retain(|m| m.header != mapping.header);
        list.push(mapping.clone());
    });
    shared.mappings.with_untracked(|list| save_session(list));
    bridge::send(&ToWorker::Mapping { mapping }, None);
}

/// Forgets every mapping of the session: the worker re-reads the files read
/// with one (unknown again), and the tab no longer remembers them.
pub fn forget(shared: Shared) {
    shared.mappings.set(Vec::new());
    save_session(&[]);
    bridge::send(&ToWorker::ForgetMappings, None);
}

/// The `sessionStorage` key of the session's mappings.
pub const SESSION_KEY: &str = "slatelens.mappings";

/// The session's mappings as stored: a JSON array of mapping files.
pub fn encode_session(mappings: &[Mapping]) -> String {
    serde_json::to_string(mappings).unwrap_or_default()
}

/// The mappings stored by [`encode_session`]; anything unreadable is skipped
/// (a mapping checked as [`Mapping::from_json`] checks a dropped file).
pub fn decode_session(text: &str) -> Vec<Mapping> {
    let items: Vec<serde_json::Value> = serde_json::from_str(text).unwrap_or_default();
    items.iter().filter_map(|v| Mapping::from_json(&v.to_string()).ok()).collect()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Keeps the mappings in the tab's `sessionStorage` (none: the entry is removed).
fn save_session(mappings: &[Mapping]) {
    let Some(storage) = session_storage() else { return };
    let saved = if mappings.is_empty() {
        storage.remove_item(SESSION_KEY)
    } else {
        storage.set_item(SESSION_KEY, &encode_session(mappings))
    };
    if let Err(e) = saved {
        web_sys::console::warn_2(&"slatelens: cannot remember the mappings in this tab".into(), &e);
    }
}

/// Installs the mappings this tab remembers (after a reload), before any file is read.
pub fn restore_session(shared: Shared) {
    let Some(text) = session_storage().and_then(|s| s.get_item(SESSION_KEY).ok().flatten()) else { return };
    for mapping in decode_session(&text) {
        install(shared, mapping);
    }
}

/// Whether a dropped file is a mapping file rather than a report.
pub fn is_mapping_file(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json")
}

/// Reads a dropped mapping file and installs it; the error names the file.
pub async fn install_file(shared: Shared, file: &web_sys::File) -> Result<(), String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| format!("{}: cannot read: {}", file.name(), crate::read::describe(&e)))?;
    let mapping =
        Mapping::from_json(&text.as_string().unwrap_or_default()).map_err(|e| format!("{}: {e}", file.name()))?;
    install(shared, mapping);
    Ok(())
}

/// Offers a mapping as a download (a `Blob` URL: the bytes never leave the page).
fn download(mapping: &Mapping) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&mapping.to_json().into());
    let blob = web_sys::Blob::new_with_str_sequence(&parts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a = document.create_element("a")?;
    a.set_attribute("href", &url)?;
    a.set_attribute("download", &format!("slatelens-mapping-{}.json", kind_code(mapping.kind)))?;
    a.unchecked_ref::<web_sys::HtmlElement>().click();
    // Let the download start before the URL is released.
    let release = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    web_sys::window()
        .ok_or("no window")?
        .set_timeout_with_callback_and_timeout_and_arguments_0(release.unchecked_ref(), 60_000)?;
    Ok(())
}

/// The kind as the JSON writes it (`earnings`).
fn kind_code(kind: Kind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The "Map columns" button of a file row and the form it opens.
#[component]
pub fn MapColumns(
    /// The file's header and what is known of it.
    need: MappingNeed,
    /// The page state (the session's mappings).
    shared: Shared,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let need = StoredValue::new(need);
    let kind = RwSignal::new(need.with_value(|n| n.kind));
    let chosen = RwSignal::new(need.with_value(|n| n.initial(n.kind)));
    let missing = Memo::new(move |_| chosen.with(|c| missing_required(kind.get(), c)));
    let mapping = move || need.with_value(|n| mapping_of(kind.get_untracked(), &n.header, &chosen.get_untracked()));
    let button_label = need.with_value(|n| if n.unknown { "Map columns" } else { "Change column mapping" });
    let fields = move || {
        let k = kind.get();
        let header = need.with_value(|n| n.header.clone());
        k.schema()
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let options = header
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| !h.trim().is_empty())
                    .map(|(c, h)| {
                        let label = match need.with_value(|n| n.example(c).map(str::to_string)) {
                            Some(e) => format!("{h} (e.g. {e})"),
                            None => h.clone(),
                        };
                        let value = h.trim().to_string();
                        let selected = {
                            let value = value.clone();
                            move || chosen.with(|ch| ch.get(i).and_then(|c| c.as_deref()) == Some(value.as_str()))
                        };
                        view! { <option value=value selected=selected>{label}</option> }
                    })
                    .collect_view();
                let current = move || chosen.with(|ch| ch.get(i).cloned().flatten().unwrap_or_default());
                let name = f.name;
                view! {
                    <label class="mapping-field" class:required=f.key>
                        <span>{name} {f.key.then_some(" (required)")}</span>
                        <select
                            data-testid="mapping-field"
                            data-field=name
                            prop:value=current
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                chosen.update(|ch| {
                                    if let Some(slot) = ch.get_mut(i) {
                                        *slot = (!v.is_empty()).then_some(v);
                                    }
                                });
                            }
                        >
                            <option value="">"— not in this file —"</option>
                            {options}
                        </select>
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <div class="mapping">
            <button
                type="button"
                class="secondary"
                data-testid="map-columns"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {button_label}
            </button>
            <Show when=move || open.get()>
                <form class="mapping-form" data-testid="mapping-form" on:submit=move |e| e.prevent_default()>
                    <label class="mapping-kind">
                        <span>"Read as"</span>
                        <select
                            data-testid="mapping-kind"
                            prop:value=move || kind_code(kind.get())
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                if let Some(k) = Kind::ALL.into_iter().find(|k| kind_code(*k) == v) {
                                    kind.set(k);
                                    chosen.set(need.with_value(|n| n.initial(k)));
                                }
                            }
                        >
                            {Kind::ALL
                                .into_iter()
                                .map(|k| {
                                    view! {
                                        <option value=kind_code(k) selected=move || kind.get() == k>
                                            {k.label()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <div class="mapping-fields">{fields}</div>
                    {move || {
                        let m = missing.get();
                        (!m.is_empty())
                            .then(|| {
                                let list = m.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ");
                                view! { <p class="hint" data-testid="mapping-missing">{format!("Choose a column for {list}")}</p> }
                            })
                    }}
                    <div class="actions">
                        <button
                            type="button"
                            data-testid="mapping-apply"
                            disabled=move || !missing.with(Vec::is_empty)
                            on:click=move |_| {
                                install(shared, mapping());
                                open.set(false);
                            }
                        >
                            "Apply"
                        </button>
                        <button
                            type="button"
                            class="secondary"
                            data-testid="mapping-export"
                            on:click=move |_| {
                                if let Err(e) = download(&mapping()) {
                                    web_sys::console::error_1(&e);
                                }
                            }
                        >
                            "Export mapping"
                        </button>
                    </div>
                    <p class="hint" data-testid="mapping-remembered">
                        "Remembered in this tab until it is closed"
                        <Show when=move || shared.mappings.with(|m| !m.is_empty())>
                            " "
                            <button
                                type="button"
                                class="secondary"
                                data-testid="mapping-forget"
                                on:click=move |_| {
                                    forget(shared);
                                    open.set(false);
                                }
                            >
                                "Forget mappings"
                            </button>
                        </Show>
                    </p>
                    <p class="hint">
                        "Applied mappings read files with the same columns. Export one to use it again later (drop \
                         the .json with your files) or with slatelens analyze --mapping."
                    </p>
                </form>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PVD: &str = "Programme,Rank pct,Country,Month,Hrs\nThe Long Road,92.5,US,2024-01-01,1200.5\n";

    #[test]
    fn an_unknown_file_offers_the_step_with_guesses() {
        let f = slatelens_core::ingest_bytes("pvd.csv", PVD.as_bytes());
        let need = MappingNeed::of(&f.report).expect("offered");
        assert!(need.unknown);
        assert_eq!(need.kind, Kind::Earnings);
        assert_eq!(need.example(4), Some("1200.5"));
        let chosen = need.initial(Kind::Earnings);
        // CER, Title, Season, Territory, Month, Hours Streamed.
        assert_eq!(chosen[0].as_deref(), Some("Rank pct"));
        assert_eq!(chosen[1].as_deref(), Some("Programme"));
        assert_eq!(chosen[2], None);
        assert_eq!(chosen[3].as_deref(), Some("Country"));
        assert!(missing_required(Kind::Earnings, &chosen).is_empty());
        let m = mapping_of(Kind::Earnings, &need.header, &chosen);
        assert_eq!(m.fields.len(), 5, "{m:?}");
        // Read with it, the file offers the step again, with the columns it now has.
        let mut ing = slatelens_core::Ingest::with_mappings("pvd.csv", &[m]);
        ing.push(PVD.as_bytes());
        let again = MappingNeed::of(&ing.finish().report).expect("offered");
        assert!(!again.unknown);
        assert_eq!(again.initial(Kind::Earnings), chosen);
        let mut none = chosen.clone();
        none[1] = None;
        assert_eq!(missing_required(Kind::Earnings, &none), vec!["Title"]);
    }

    #[test]
    fn the_session_keeps_mappings_and_skips_what_it_cannot_read() {
        let f = slatelens_core::ingest_bytes("pvd.csv", PVD.as_bytes());
        let need = MappingNeed::of(&f.report).expect("offered");
        let m = mapping_of(Kind::Earnings, &need.header, &need.initial(Kind::Earnings));
        let text = encode_session(std::slice::from_ref(&m));
        assert_eq!(decode_session(&text), vec![m.clone()]);
        // A damaged entry (here a field no kind has) is dropped, the others kept.
        let bad = text.replace("\"CER\"", "\"Nope\"");
        let both = format!("[{},{}]", &bad[1..bad.len() - 1], &text[1..text.len() - 1]);
        assert_eq!(decode_session(&both), vec![m]);
        assert_eq!(decode_session("not json"), Vec::<Mapping>::new());
        assert_eq!(encode_session(&[]), "[]");
    }

    #[test]
    fn a_fully_recognised_file_does_not_offer_it() {
        let csv = "Report Start,Report End,Offer ID,Subscription Category,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions\n5/1/22,5/31/22,GHI,HO,1,2,3\n";
        let f = slatelens_core::ingest_bytes("may.csv", csv.as_bytes());
        assert_eq!(MappingNeed::of(&f.report), None);
        assert!(is_mapping_file("My Mapping.JSON"));
    }
}
