//! Browser tests of the shared widgets (wasm32 only), run in headless
//! Chromium: `cargo test -p slatelens-web --target wasm32-unknown-unknown --test widgets`.
//!
//! They mount a `DataTable` and sort it by clicking its headers, mount
//! `Cards`, and mount a `ChartCanvas` of each kind and check that the canvas
//! holds drawn pixels, that its description and "Show data" table say what is
//! drawn, and that hovering a bar shows its value.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use slatelens_web::widgets::{Card, Cards, Cell, Chart, ChartCanvas, ChartKind, Column, DataTable, Series, Table};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// A fresh element in the page to mount into, 640 CSS pixels wide.
fn host() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").expect("a div").unchecked_into();
    host.style().set_property("width", "640px").expect("a width");
    document().body().expect("a body").append_child(&host).expect("appended");
    host
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).expect("a valid selector").unwrap_or_else(|| panic!("no {selector}"))
}

fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default().trim().to_string()
}

/// Lets the page run its effects, resize observers and re-render (a 50 ms timeout).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .expect("a timeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.expect("the timeout fires");
}

fn click(el: &Element) {
    el.clone().unchecked_into::<HtmlElement>().click();
}

/// Titles in the first column, in the order shown.
fn titles(root: &Element) -> Vec<String> {
    find_all(root, "[data-testid=titles] tbody tr td:first-child").iter().map(text).collect()
}

fn titles_table(rows: usize) -> Table {
    let col = |label: &str, numeric| Column { label: label.to_string(), numeric, help: None };
    let minutes = [Some(10.0), None, Some(30.0), Some(20.0)];
    let names = ["Banana", "Apple", "Cherry", "Date"];
    Table {
        columns: vec![col("Title", false), col("Minutes", true)],
        rows: (0..rows)
            .map(|i| {
                let m = minutes[i % 4];
                let name = if i < 4 { names[i].to_string() } else { format!("Title {i}") };
                vec![
                    Cell::text(name),
                    Cell::number(m.map_or("—".to_string(), |m| format!("{m}")), m).with_help("from 1 row in a.csv"),
                ]
            })
            .collect(),
    }
}

#[wasm_bindgen_test]
async fn table_sorts_on_header_clicks_with_aria_sort_and_missing_last() {
    let host = host();
    let table = RwSignal::new(titles_table(4));
    let _app = leptos::mount::mount_to(
        host.clone(),
        move || view! { <DataTable caption="Top titles" table=table id="titles" /> },
    );
    let root: &Element = &host;
    assert_eq!(titles(root), ["Banana", "Apple", "Cherry", "Date"], "natural order first");
    let headers = find_all(root, "[data-testid=titles] thead th");
    assert_eq!(headers.len(), 2);
    assert!(headers.iter().all(|h| h.get_attribute("aria-sort").is_none()));
    assert!(find(root, "[data-testid=titles] thead th button").get_attribute("type").as_deref() == Some("button"));

    // Minutes: biggest first, the missing value last.
    click(&headers[1]);
    settle().await;
    assert_eq!(titles(root), ["Cherry", "Date", "Banana", "Apple"]);
    assert_eq!(headers[1].get_attribute("aria-sort").as_deref(), Some("descending"));
    assert_eq!(text(&find(&headers[1], ".sort-glyph")), "▼");
    // Again: ascending, the missing value still last.
    click(&find(&headers[1], "button"));
    settle().await;
    assert_eq!(titles(root), ["Banana", "Date", "Cherry", "Apple"]);
    assert_eq!(headers[1].get_attribute("aria-sort").as_deref(), Some("ascending"));
    // Title: A to Z; Minutes no longer sorted.
    click(&headers[0]);
    settle().await;
    assert_eq!(titles(root), ["Apple", "Banana", "Cherry", "Date"]);
    assert_eq!(headers[0].get_attribute("aria-sort").as_deref(), Some("ascending"));
    assert!(headers[1].get_attribute("aria-sort").is_none());

    // Numbers are right-aligned cells with tooltips; missing ones are marked.
    let cells = find_all(root, "[data-testid=titles] tbody td.num");
    assert_eq!(cells.len(), 4);
    assert_eq!(cells[0].get_attribute("title").as_deref(), Some("from 1 row in a.csv"));
    assert_eq!(find_all(root, "[data-testid=titles] tbody td.null").len(), 1);
    assert_eq!(text(&find(root, "[data-testid=titles] caption")), "Top titles");
    assert_eq!(text(&find(root, "[data-testid=titles-export]")), "Export CSV");
    assert!(root.query_selector("[data-testid=titles-show-all]").expect("a selector").is_none());

    // New data keeps the sort.
    table.set(titles_table(3));
    settle().await;
    assert_eq!(titles(root), ["Apple", "Banana", "Cherry"]);
}

#[wasm_bindgen_test]
async fn long_tables_show_fifty_rows_then_all() {
    let host = host();
    let table = RwSignal::new(titles_table(120));
    let _app =
        leptos::mount::mount_to(host.clone(), move || view! { <DataTable caption="Many" table=table id="titles" /> });
    let root: &Element = &host;
    assert_eq!(titles(root).len(), 50);
    let more = find(root, "[data-testid=titles-show-all]");
    assert_eq!(text(&more), "Show all 120 rows");
    assert!(text(&find(root, ".data-table-count")).contains("Showing 50 of 120 rows"));
    click(&more);
    settle().await;
    assert_eq!(titles(root).len(), 120);
    assert_eq!(text(&find(root, "[data-testid=titles-show-all]")), "Show first 50 rows");
}

#[wasm_bindgen_test]
async fn cards_show_value_note_and_provenance() {
    let host = host();
    let cards = vec![
        Card {
            label: "Minutes streamed".to_string(),
            value: "1,234,567".to_string(),
            note: Some("▲ 3.4%".to_string()),
            provenance: "from 3 rows in may.csv".to_string(),
            id: "card-minutes".to_string(),
        },
        Card {
            label: "Churn".to_string(),
            value: "—".to_string(),
            note: Some("no report for April".to_string()),
            provenance: String::new(),
            id: "card-churn".to_string(),
        },
    ];
    let _app = leptos::mount::mount_to(host.clone(), move || view! { <Cards cards=cards.clone() /> });
    let root: &Element = &host;
    let minutes = find(root, "[data-testid=card-minutes]");
    assert_eq!(text(&find(&minutes, "[data-testid=card-value]")), "1,234,567");
    assert_eq!(text(&find(&minutes, "[data-testid=card-note]")), "▲ 3.4%");
    assert_eq!(text(&find(&minutes, "[data-testid=card-provenance]")), "Source: from 3 rows in may.csv");
    assert_eq!(minutes.get_attribute("title").as_deref(), Some("from 3 rows in may.csv"));
    assert_eq!(minutes.get_attribute("aria-label").as_deref(), Some("Minutes streamed"));
    let churn = find(root, "[data-testid=card-churn]");
    assert!(find(&churn, "[data-testid=card-value]").class_list().contains("null"));
    assert!(churn.query_selector("[data-testid=card-provenance]").expect("a selector").is_none());
}

fn chart(id: &str, kind: ChartKind) -> Chart {
    Chart {
        title: format!("Chart {id}"),
        x_label: "X".to_string(),
        y_label: "Y".to_string(),
        percent: false,
        kind,
        id: id.to_string(),
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn every_kind() -> Vec<Chart> {
    let series = |name: &str, values: &[Option<f64>]| Series { name: name.to_string(), values: values.to_vec() };
    let mut heat = chart(
        "heat",
        ChartKind::Heatmap {
            rows: s(&["Month 0", "Month 1"]),
            columns: s(&["Jan", "Feb", "Mar"]),
            values: vec![vec![Some(1.0), Some(0.8), None], vec![Some(1.0), Some(0.5), Some(0.25)]],
        },
    );
    heat.percent = true;
    vec![
        chart(
            "bars",
            ChartKind::Bars {
                categories: s(&["A very long title that will not fit on the axis at all", "Short"]),
                series: vec![series("Minutes", &[Some(1200.0), Some(300.0)]), series("Viewers", &[Some(800.0), None])],
            },
        ),
        chart(
            "lines",
            ChartKind::Lines {
                categories: s(&["Jan", "Feb", "Mar", "Apr"]),
                series: vec![
                    series("One", &[Some(1.0), Some(2.0), None, Some(4.0)]),
                    series("Two", &[Some(2.0), None, Some(1.0), Some(3.0)]),
                ],
            },
        ),
        heat,
        chart(
            "scatter",
            ChartKind::Scatter { points: vec![("p".to_string(), 1.0, 10.0), ("q".to_string(), 5.0, 30.0)] },
        ),
    ]
}

/// A `mousemove` at a point of the viewport (the page's own `MouseEvent`
/// constructor, through JavaScript).
fn mouse_move(x: f64, y: f64) -> web_sys::Event {
    let window = web_sys::window().expect("a window");
    let ctor: js_sys::Function =
        js_sys::Reflect::get(&window, &"MouseEvent".into()).expect("MouseEvent").unchecked_into();
    let init = js_sys::Object::new();
    for (key, value) in [("clientX", x.into()), ("clientY", y.into()), ("bubbles", true.into())] {
        js_sys::Reflect::set(&init, &key.into(), &value).expect("set");
    }
    let args = js_sys::Array::of2(&"mousemove".into(), &init);
    js_sys::Reflect::construct(&ctor, &args).expect("an event").unchecked_into()
}

/// Whether the canvas has any pixel that is not fully transparent.
fn drawn(canvas: &HtmlCanvasElement) -> bool {
    let blank: HtmlCanvasElement = document().create_element("canvas").expect("a canvas").unchecked_into();
    blank.set_width(canvas.width());
    blank.set_height(canvas.height());
    canvas.to_data_url().expect("a data url") != blank.to_data_url().expect("a data url")
}

#[wasm_bindgen_test]
async fn every_chart_kind_draws_and_describes_itself() {
    for spec in every_kind() {
        let host = host();
        let id = spec.id.clone();
        let chart = RwSignal::new(spec);
        let _app = leptos::mount::mount_to(host.clone(), move || view! { <ChartCanvas chart=chart /> });
        settle().await;
        let root: &Element = &host;
        let figure = find(root, &format!("[data-testid={id}]"));
        let canvas: HtmlCanvasElement = find(&figure, "canvas").unchecked_into();
        assert!(canvas.client_width() > 0 && canvas.width() > 0, "{id}: laid out and sized");
        assert!(drawn(&canvas), "{id}: the canvas has drawn pixels");
        let label = canvas.get_attribute("aria-label").unwrap_or_default();
        assert!(label.starts_with(&format!("Chart {id}, ")), "{id}: {label}");
        let rows = find_all(&figure, ".chart-data tbody tr");
        assert!(!rows.is_empty(), "{id}: a data table");
        match id.as_str() {
            "bars" => {
                assert_eq!(label, "Chart bars, bar chart of 2 categories; Minutes: highest A very long title that will not fit on the axis at all (1,200); Viewers: highest A very long title that will not fit on the axis at all (800)");
                assert_eq!(text(&find(&rows[1], "td:last-child")), "—", "a missing value is a dash, not 0");
                // Hovering the top bar (Minutes for the first title) shows its value.
                let rect = canvas.get_bounding_client_rect();
                let tip = find(&figure, "[data-testid=chart-tip]");
                assert!(tip.has_attribute("hidden"));
                let ev = mouse_move(rect.left() + rect.width() * 0.5, rect.top() + 40.0);
                canvas.dispatch_event(&ev).expect("dispatched");
                settle().await;
                assert!(!tip.has_attribute("hidden"), "the tooltip shows");
                assert!(text(&tip).contains("Minutes: 1,200"), "{}", text(&tip));
            }
            "heat" => assert_eq!(text(&find(&rows[0], "td:last-child")), "—"),
            "lines" => assert_eq!(rows.len(), 4),
            _ => {}
        }
        // New data redraws.
        let before = canvas.to_data_url().expect("a data url");
        chart.update(|c| c.kind = ChartKind::Scatter { points: vec![("z".to_string(), 2.0, 7.0)] });
        settle().await;
        assert_ne!(canvas.to_data_url().expect("a data url"), before, "{id}: redrawn with new data");
        host.remove();
    }
}

#[wasm_bindgen_test]
async fn a_chart_without_values_says_so() {
    let host = host();
    let empty = chart("empty", ChartKind::Lines { categories: s(&["Jan"]), series: vec![] });
    let _app = leptos::mount::mount_to(host.clone(), move || view! { <ChartCanvas chart=empty.clone() /> });
    settle().await;
    let canvas: HtmlCanvasElement = find(&host, "canvas").unchecked_into();
    assert!(drawn(&canvas), "the message is drawn");
    assert_eq!(canvas.get_attribute("aria-label").as_deref(), Some("Chart empty, line chart, Jan: no values"));
}
