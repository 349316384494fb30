//! A sortable data table with a caption, tooltips and CSV export.
//!
//! The logic is plain code, tested natively: [`sorted_order`] orders rows by a
//! column (numbers descending first, missing values always last),
//! [`to_csv`] writes what is shown as CSV (quoted, and with text that a
//! spreadsheet would run as a formula neutralised). [`DataTable`] is the
//! component: headers are buttons (click, Enter or Space sorts), the sorted
//! header carries `aria-sort`, long tables show their first rows with a button
//! to show all, and "Export CSV" saves every row in the current order through a
//! `Blob` (nothing leaves the device).

use crate::format::grouped;
use leptos::prelude::*;
use std::cmp::Ordering;

/// Rows shown before "Show all" when the view does not say otherwise.
pub const DEFAULT_PAGE_SIZE: usize = 50;

/// One column of a [`Table`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Column {
    /// Header text.
    pub label: String,
    /// Right-aligned, sorted numerically, descending first.
    pub numeric: bool,
    /// What the column means (header tooltip).
    pub help: Option<String>,
}

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// What is shown ("1,234", "—").
    pub text: String,
    /// The value sorted by in numeric columns (`None` sorts last: missing is not zero).
    pub sort: Option<f64>,
    /// Tooltip (e.g. the rows behind the number, or why it is missing).
    pub help: Option<String>,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell { text: s.into(), sort: None, help: None }
    }

    /// A number cell: shown as `text`, sorted by `value`.
    pub fn number(text: impl Into<String>, value: Option<f64>) -> Cell {
        Cell { text: text.into(), sort: value, help: None }
    }

    /// The same cell with a tooltip.
    pub fn with_help(mut self, help: impl Into<String>) -> Cell {
        self.help = Some(help.into());
        self
    }
}

/// A table: columns and rows of cells (each row as long as `columns`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Columns, in order.
    pub columns: Vec<Column>,
    /// Rows, in their natural order (shown until the reader sorts).
    pub rows: Vec<Vec<Cell>>,
}

/// Which way a column is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDir {
    /// Smallest (or A) first.
    Ascending,
    /// Largest (or Z) first.
    Descending,
}

impl SortDir {
    /// The `aria-sort` value.
    pub fn aria(self) -> &'static str {
        match self {
            SortDir::Ascending => "ascending",
            SortDir::Descending => "descending",
        }
    }

    /// The arrow shown next to the header.
    pub fn glyph(self) -> &'static str {
        match self {
            SortDir::Ascending => "▲",
            SortDir::Descending => "▼",
        }
    }
}

/// The column a table is sorted by, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// Index into [`Table::columns`].
    pub column: usize,
    /// Direction.
    pub dir: SortDir,
}

/// The sort after a click on `column`: the same column flips; another column
/// starts descending when numeric (biggest first), ascending when text.
pub fn next_sort(current: Option<Sort>, column: usize, numeric: bool) -> Sort {
    match current {
        Some(s) if s.column == column => Sort {
            column,
            dir: match s.dir {
                SortDir::Ascending => SortDir::Descending,
                SortDir::Descending => SortDir::Ascending,
            },
        },
        _ => Sort { column, dir: if numeric { SortDir::Descending } else { SortDir::Ascending } },
    }
}

/// What a cell is sorted by.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Num(f64),
    Text(String),
}

/// A cell's sort key; `None` when the value is missing (sorted last).
fn key(cell: Option<&Cell>, numeric: bool) -> Option<Key> {
    let cell = cell?;
    if let Some(v) = cell.sort.filter(|v| !v.is_nan()) {
        return Some(Key::Num(v));
    }
    let text = cell.text.trim();
    if numeric || text.is_empty() || text == "—" {
        return None;
    }
    Some(Key::Text(text.to_lowercase()))
}

fn compare(a: &Key, b: &Key) -> Ordering {
    match (a, b) {
        (Key::Num(a), Key::Num(b)) => a.total_cmp(b),
        (Key::Text(a), Key::Text(b)) => a.cmp(b),
        (Key::Num(_), Key::Text(_)) => Ordering::Less,
        (Key::Text(_), Key::Num(_)) => Ordering::Greater,
    }
}

/// The row indices of `table` in display order: natural order without a
/// sort; otherwise by the column's values in `dir`, rows with a missing value
/// last whichever the direction, ties in natural order (a stable sort).
pub fn sorted_order(table: &Table, sort: Option<Sort>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..table.rows.len()).collect();
    let Some(sort) = sort else { return order };
    let Some(column) = table.columns.get(sort.column) else { return order };
    let keys: Vec<Option<Key>> = table.rows.iter().map(|r| key(r.get(sort.column), column.numeric)).collect();
    order.sort_by(|&a, &b| match (&keys[a], &keys[b]) {
        (Some(x), Some(y)) => match sort.dir {
            SortDir::Ascending => compare(x, y),
            SortDir::Descending => compare(y, x),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    order
}

/// Whether `text` reads as a plain number (`-42,868`, `5.66%`, `$1.2`), which a
/// spreadsheet takes as a value, never as a formula.
fn plain_number(text: &str) -> bool {
    let t = text.trim();
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | ',' | '%' | '$' | '€' | '£' | ' '))
        && !t.chars().skip(1).any(|c| matches!(c, '-' | '+'))
}

/// One CSV field: text starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'` so a spreadsheet shows it instead of running it
/// (numbers of numeric cells are kept as they are); then quoted when it holds a
/// comma, a quote or a line break, quotes doubled.
pub fn csv_field(text: &str, number: bool) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let mut out = if risky && !(number && plain_number(text)) { format!("'{text}") } else { text.to_string() };
    if out.contains([',', '"', '\n', '\r']) {
        out = format!("\"{}\"", out.replace('"', "\"\""));
    }
    out
}

/// The table as CSV, header first, rows in `order`, lines ending in CRLF.
pub fn to_csv(table: &Table, order: &[usize]) -> String {
    let mut out = String::new();
    let header: Vec<String> = table.columns.iter().map(|c| csv_field(&c.label, false)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for &r in order {
        let Some(row) = table.rows.get(r) else { continue };
        let fields: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let numeric = table.columns.get(i).is_some_and(|col| col.numeric) && c.sort.is_some();
                csv_field(&c.text, numeric)
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A file name for the export: the caption's letters and digits, lower case,
/// joined by `-`: `Top titles (May 2022)` → `top-titles-may-2022.csv`.
pub fn file_name(caption: &str) -> String {
    let words: Vec<String> =
        caption.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let stem = if words.is_empty() { "table".to_string() } else { words.join("-") };
    let stem: String = stem.chars().take(80).collect();
    format!("{}.csv", stem.trim_end_matches('-'))
}

/// A cell's tooltip: its help, or its text when that is long (it may be cut off).
fn cell_title(cell: &Cell) -> Option<String> {
    cell.help.clone().or_else(|| (cell.text.chars().count() > 40).then(|| cell.text.clone()))
}

/// Saves `text` as the file `name` through a `Blob` and an object URL (no
/// network involved). Does nothing outside the browser.
fn download(name: &str, text: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let save = || -> Result<(), wasm_bindgen::JsValue> {
            let window = web_sys::window().ok_or("no window")?;
            let document = window.document().ok_or("no document")?;
            // A byte order mark, so spreadsheets read the file as UTF-8.
            let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&format!("\u{feff}{text}")));
            let blob = web_sys::Blob::new_with_str_sequence(&parts)?;
            let url = web_sys::Url::create_object_url_with_blob(&blob)?;
            let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
            a.set_href(&url);
            a.set_download(name);
            a.set_attribute("hidden", "")?;
            let body = document.body().ok_or("no body")?;
            body.append_child(&a)?;
            a.click();
            a.remove();
            let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
                let _ = web_sys::Url::revoke_object_url(&url);
            });
            window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)?;
            Ok(())
        };
        if let Err(e) = save() {
            leptos::logging::warn!("export {name}: {e:?}");
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, text);
}

/// A sortable table (click or Enter on a header), with CSV export of what is shown.
#[component]
pub fn DataTable(
    /// The caption (also the export's file name).
    #[prop(into)]
    caption: String,
    /// The data.
    #[prop(into)]
    table: Signal<Table>,
    /// A stable id for tests (`data-testid`).
    #[prop(into)]
    id: String,
    /// Rows shown before "Show all" (default [`DEFAULT_PAGE_SIZE`]).
    #[prop(optional)]
    page_size: Option<usize>,
) -> impl IntoView {
    let page = page_size.unwrap_or(DEFAULT_PAGE_SIZE).max(1);
    let sort = RwSignal::new(None::<Sort>);
    let show_all = RwSignal::new(false);
    let order = Memo::new(move |_| table.with(|t| sorted_order(t, sort.get())));
    let total = move || table.with(|t| t.rows.len());
    let file = file_name(&caption);
    let export = move |_| {
        let csv = table.with(|t| order.with(|o| to_csv(t, o)));
        download(&file, &csv);
    };
    let headers = move || {
        table
            .with(|t| t.columns.clone())
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let numeric = c.numeric;
                let sorted = move || sort.get().filter(|s| s.column == i);
                let glyph = move || sorted().map_or("↕", |s| s.dir.glyph());
                view! {
                    <th
                        scope="col"
                        class:num=numeric
                        title=c.help.clone()
                        aria-sort=move || sorted().map(|s| s.dir.aria())
                        on:click=move |_| sort.update(|s| *s = Some(next_sort(*s, i, numeric)))
                    >
                        <button type="button" class="sort-button">
                            <span>{c.label}</span>
                            <span class="sort-glyph" class:active=move || sorted().is_some() aria-hidden="true">
                                {glyph}
                            </span>
                        </button>
                    </th>
                }
            })
            .collect_view()
    };
    let body = move || {
        let limit = if show_all.get() { usize::MAX } else { page };
        table.with(|t| {
            let width = t.columns.len().max(1);
            if t.rows.is_empty() {
                return view! {
                    <tr>
                        <td class="empty" colspan=width.to_string()>
                            "No rows"
                        </td>
                    </tr>
                }
                .into_any();
            }
            order
                .with(|o| {
                    o.iter()
                        .take(limit)
                        .filter_map(|&r| t.rows.get(r))
                        .map(|row| {
                            let cells = row
                                .iter()
                                .enumerate()
                                .map(|(i, c)| {
                                    let numeric = t.columns.get(i).is_some_and(|col| col.numeric);
                                    let missing = numeric && c.sort.is_none();
                                    view! {
                                        <td class:num=numeric class:null=missing title=cell_title(c)>
                                            {c.text.clone()}
                                        </td>
                                    }
                                })
                                .collect_view();
                            view! { <tr>{cells}</tr> }
                        })
                        .collect_view()
                })
                .into_any()
        })
    };
    let shown = move || if show_all.get() { total() } else { total().min(page) };
    let (wrap_id, export_id, more_id) = (format!("{id}-wrap"), format!("{id}-export"), format!("{id}-show-all"));
    view! {
        <div class="data-table" data-testid=wrap_id>
            <div class="data-table-tools">
                <span class="data-table-count" aria-live="polite">
                    {move || {
                        if shown() < total() {
                            format!("Showing {} of {} rows", grouped(shown() as i64), grouped(total() as i64))
                        } else {
                            format!("{} rows", grouped(total() as i64))
                        }
                    }}
                </span>
                <button
                    type="button"
                    class="secondary export-csv"
                    data-testid=export_id
                    title="Save every row, in the order shown, as a CSV file (on this device)"
                    on:click=export
                >
                    "Export CSV"
                </button>
            </div>
            <div class="data-table-scroll" tabindex="0" role="region" aria-label=caption.clone()>
                <table class="data" data-testid=id>
                    <caption>{caption.clone()}</caption>
                    <thead>
                        <tr>{headers}</tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <Show when=move || { total() > page }>
                <button
                    type="button"
                    class="secondary show-all"
                    data-testid=more_id.clone()
                    on:click=move |_| show_all.update(|s| *s = !*s)
                >
                    {move || {
                        if show_all.get() {
                            format!("Show first {page} rows")
                        } else {
                            format!("Show all {} rows", grouped(total() as i64))
                        }
                    }}
                </button>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let col = |label: &str, numeric| Column { label: label.to_string(), numeric, help: None };
        let row = |title: &str, minutes: Option<f64>| {
            vec![Cell::text(title), Cell::number(minutes.map_or("—".to_string(), |m| m.to_string()), minutes)]
        };
        Table {
            columns: vec![col("Title", false), col("Minutes", true)],
            rows: vec![
                row("banana", Some(10.0)),
                row("Apple", None),
                row("cherry", Some(30.0)),
                row("—", Some(20.0)),
                row("apple pie", Some(10.0)),
            ],
        }
    }

    #[test]
    fn numbers_sort_descending_first_with_missing_last() {
        let t = table();
        let first = next_sort(None, 1, true);
        assert_eq!(first, Sort { column: 1, dir: SortDir::Descending });
        // 30 (cherry), 20 (—), 10 (banana, then apple pie: ties keep their order), missing (Apple).
        assert_eq!(sorted_order(&t, Some(first)), [2, 3, 0, 4, 1]);
        let again = next_sort(Some(first), 1, true);
        assert_eq!(again.dir, SortDir::Ascending);
        // Ascending: 10, 10, 20, 30, and the missing value still last.
        assert_eq!(sorted_order(&t, Some(again)), [0, 4, 3, 2, 1]);
        assert_eq!(sorted_order(&t, None), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn text_sorts_ascending_first_ignoring_case_with_blanks_last() {
        let t = table();
        let first = next_sort(Some(Sort { column: 1, dir: SortDir::Descending }), 0, false);
        assert_eq!(first, Sort { column: 0, dir: SortDir::Ascending });
        // Apple, apple pie, banana, cherry, then "—" (missing).
        assert_eq!(sorted_order(&t, Some(first)), [1, 4, 0, 2, 3]);
        let desc = next_sort(Some(first), 0, false);
        assert_eq!(sorted_order(&t, Some(desc)), [2, 0, 4, 1, 3]);
        // A column index past the end leaves the order alone.
        assert_eq!(sorted_order(&t, Some(Sort { column: 9, dir: SortDir::Ascending })), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain", false), "plain");
        assert_eq!(csv_field("a,b", false), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"", false), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines", false), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")", false), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1", false), "'+1");
        assert_eq!(csv_field("-cmd", false), "'-cmd");
        assert_eq!(csv_field("@SUM(A1)", false), "'@SUM(A1)");
        assert_eq!(csv_field("\tx", false), "'\tx");
        // A negative number in a numeric cell stays a number; a formula does not.
        assert_eq!(csv_field("-42,868", true), "\"-42,868\"");
        assert_eq!(csv_field("-1.5%", true), "-1.5%");
        assert_eq!(csv_field("-1+2", true), "'-1+2");
        assert_eq!(csv_field("=1+2", true), "'=1+2");
        // In a text column even a negative number is neutralised (it is text there).
        assert_eq!(csv_field("-5", false), "'-5");
    }

    #[test]
    fn csv_has_the_header_and_rows_in_the_order_shown() {
        let t = table();
        let order = sorted_order(&t, Some(Sort { column: 1, dir: SortDir::Descending }));
        assert_eq!(
            to_csv(&t, &order),
            "Title,Minutes\r\ncherry,30\r\n—,20\r\nbanana,10\r\napple pie,10\r\nApple,—\r\n"
        );
        assert_eq!(to_csv(&Table::default(), &[]), "\r\n");
    }

    #[test]
    fn export_file_names_come_from_the_caption() {
        assert_eq!(file_name("Top titles (May 2022)"), "top-titles-may-2022.csv");
        assert_eq!(file_name("  "), "table.csv");
        assert_eq!(file_name("Écoute: 1/2"), "écoute-1-2.csv");
    }

    #[test]
    fn long_cells_get_their_text_as_tooltip() {
        assert_eq!(cell_title(&Cell::text("short")), None);
        let long = "x".repeat(41);
        assert_eq!(cell_title(&Cell::text(long.clone())), Some(long));
        assert_eq!(cell_title(&Cell::text("a").with_help("why")), Some("why".to_string()));
    }
}
