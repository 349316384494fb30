//! Browser tests of the Contractual Subscriptions view (wasm32 only), run in
//! headless Chromium: `cargo test -p slatelens-web --target wasm32-unknown-unknown --test subscriptions_view`.
//!
//! They mount `SubscriptionsView` over periods that core computed from the
//! report guide's worked example and read what a person sees: the cards, the
//! picker, the charts' descriptions and the offer table after sorting.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use slatelens_core::analysis::subscriptions::Period;
use slatelens_core::{analyze, ingest_bytes};
use slatelens_web::views::subscriptions::SubscriptionsView;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlCanvasElement, HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

const HEADER: &str = "Report Year,Report Start,Report End,Offer ID,Subscription,Billing Amount,Subscription Category,Active Subscriptions,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions,AR Off Subscriptions\n";

/// February 2022 (no March), April 2022 with 1,245,678 paid subscribers, and
/// the guide's three May 2022 rows.
fn guide_periods() -> Vec<Period> {
    let files = [
        ("feb.csv", "2022,2/1/22,2/28/22,GHI,SQUARERT-9,8.99,HO,0,1200000,0,0,0\n"),
        ("april.csv", "2022,4/1/22,4/30/22,GHI,SQUARERT-9,8.99,HO,0,1245678,0,0,0\n"),
        (
            "may.csv",
            "2022,5/1/22,5/31/22,ABC,SQUARERT-1,0,FT,132455,43023,139450,17382,4523\n\
             2022,5/1/22,5/31/22,DEF,SQUARERT-4,8.99,HO,62304,30203,0,1386,422\n\
             2022,5/1/22,5/31/22,GHI,SQUARERT-9,8.99,HO,1327735,1258343,24385,75849,13403\n",
        ),
    ]
    .map(|(name, rows)| ingest_bytes(name, format!("{HEADER}{rows}").as_bytes()));
    let periods = analyze(&files).subscriptions;
    assert_eq!(periods.len(), 3);
    periods
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// A fresh element in the page to mount into.
fn host() -> HtmlElement {
    let host = document().create_element("div").expect("a div");
    document().body().expect("a body").append_child(&host).expect("appended");
    host.unchecked_into()
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).expect("a valid selector").unwrap_or_else(|| panic!("no {selector}"))
}

fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default().trim().to_string()
}

/// Lets the page run its effects and re-render (a 30 ms timeout).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30)
            .expect("a timeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.expect("the timeout fires");
}

fn offer_order(root: &Element) -> Vec<String> {
    find_all(root, "[data-testid=offer-row] th").iter().map(|th| th.text_content().unwrap_or_default()).collect()
}

#[wasm_bindgen_test]
async fn cards_show_the_worked_example_and_the_table_sorts() {
    let host = host();
    let periods = RwSignal::new(guide_periods());
    let _app = leptos::mount::mount_to(host.clone(), move || view! { <SubscriptionsView periods=periods /> });
    let root: &Element = &host;

    // The latest period, May 2022, with where its numbers come from.
    assert_eq!(text(root, "[data-testid=subs-period]"), "May 2022");
    assert_eq!(text(root, "[data-testid=subs-provenance]"), "from 3 rows in may.csv");
    assert_eq!(text(root, "[data-testid=card-churn_rate] [data-testid=card-value]"), "5.66%");
    assert_eq!(text(root, "[data-testid=card-net_adds] [data-testid=card-value]"), "42,868");
    assert_eq!(text(root, "[data-testid=card-eop_paid_subs] [data-testid=card-value]"), "1,288,546");
    assert_eq!(find_all(root, "[data-testid=subs-cards] .card").len(), 9);
    // Its change against April: arrow and words, and churn going up is bad news.
    let eop_pop = find(root, "[data-testid=card-eop_paid_subs] [data-testid=card-pop] [role=img]");
    assert_eq!(eop_pop.text_content().as_deref().map(str::trim), Some("▲ 3.4%"));
    assert_eq!(eop_pop.get_attribute("aria-label").as_deref(), Some("up 3.4% from April 2022"));
    assert!(find(root, "[data-testid=card-churn_rate] [data-testid=card-pop]").class_list().contains("bad"));
    let revenue = find(root, "[data-testid=card-est_revenue_run_rate]");
    assert!(revenue.text_content().unwrap_or_default().contains("estimate"));

    // The picker lists the three periods, newest first, May chosen.
    let select: HtmlSelectElement = find(root, "[data-testid=period-picker]").unchecked_into();
    assert_eq!(select.length(), 3);
    assert_eq!(select.value(), "monthly:2022-05-01:2022-05-31");
    let labels: Vec<String> =
        find_all(root, "[data-testid=period-picker] option").iter().filter_map(|o| o.text_content()).collect();
    assert_eq!(labels, ["May 2022", "April 2022", "February 2022"]);

    // Four charts, each an image with a description that names the gap.
    let canvases = find_all(root, "canvas[role=img]");
    assert_eq!(canvases.len(), 4);
    let eop_label = canvases[0].get_attribute("aria-label").unwrap_or_default();
    assert_eq!(eop_label, "EOP paid subscribers, February 2022 to May 2022: 1.2M to 1.29M; no report for March 2022");
    assert!(text(root, "[data-testid=subs-missing]").contains("March 2022"));
    settle().await;
    let canvas: HtmlCanvasElement = canvases[0].clone().unchecked_into();
    assert!(canvas.client_width() > 0);
    let dpr = web_sys::window().expect("a window").device_pixel_ratio();
    assert_eq!(canvas.width(), (f64::from(canvas.client_width()) * dpr).round() as u32, "drawn at device pixels");

    // The offer table: one row per offer, sorted by Offer ID; EOP sorts high to low, then low to high.
    assert_eq!(offer_order(root), ["ABC", "DEF", "GHI"]);
    let eop_header = find(root, "[data-testid=th-eop_paid_subs]");
    assert_eq!(eop_header.get_attribute("aria-sort"), None);
    let button: HtmlElement = find(&eop_header, "button").unchecked_into();
    button.click();
    settle().await;
    assert_eq!(offer_order(root), ["GHI", "DEF", "ABC"]);
    assert_eq!(eop_header.get_attribute("aria-sort").as_deref(), Some("descending"));
    button.click();
    settle().await;
    assert_eq!(offer_order(root), ["ABC", "DEF", "GHI"]);
    assert_eq!(eop_header.get_attribute("aria-sort").as_deref(), Some("ascending"));
    assert!(find(root, "[data-testid=th-eop_paid_subs] button").is_same_node(Some(&button)), "headers stay put");
    let net_cells: Vec<String> =
        find_all(root, "td[data-col=net_adds]").iter().filter_map(|td| td.text_content()).collect();
    assert_eq!(net_cells, ["—", "30,203", "12,665"]);
    assert!(find(root, "td[data-col=net_adds]").get_attribute("title").is_some_and(|t| !t.is_empty()));

    // Picking April shows April, and its nulls say why.
    select.set_value("monthly:2022-04-01:2022-04-30");
    select.dispatch_event(&web_sys::Event::new("change").expect("an event")).expect("dispatched");
    settle().await;
    assert_eq!(text(root, "[data-testid=subs-period]"), "April 2022");
    assert_eq!(text(root, "[data-testid=card-eop_paid_subs] [data-testid=card-value]"), "1,245,678");
    assert_eq!(text(root, "[data-testid=card-net_adds] [data-testid=card-value]"), "—");
    assert_eq!(text(root, "[data-testid=card-net_adds] [data-testid=card-why]"), "no report for 2022-03");
    assert_eq!(offer_order(root), ["GHI"]);
    assert!(find_all(root, "[data-testid=card-pop]").is_empty(), "no change figures without March");
}

#[wasm_bindgen_test]
fn no_periods_shows_an_empty_state() {
    let host = host();
    let _app =
        leptos::mount::mount_to(host.clone(), || view! { <SubscriptionsView periods=Signal::stored(Vec::new()) /> });
    assert!(text(&host, "[data-testid=subs-empty]").contains("No Contractual Subscriptions"));
    assert!(find_all(&host, "canvas").is_empty());
}

#[wasm_bindgen_test]
async fn conflicting_files_are_a_visible_warning() {
    let may = format!("{HEADER}2022,5/1/22,5/31/22,GHI,SQUARERT-9,8.99,HO,1327735,1258343,24385,75849,13403\n");
    let edited = may.replace("1258343", "1258344");
    let files = [ingest_bytes("may.csv", may.as_bytes()), ingest_bytes("may edited.csv", edited.as_bytes())];
    let periods = analyze(&files).subscriptions;
    let host = host();
    let _app = leptos::mount::mount_to(
        host.clone(),
        move || view! { <SubscriptionsView periods=Signal::stored(periods.clone()) /> },
    );
    let warnings = text(&host, "[data-testid=subs-warnings]");
    assert!(warnings.contains("may.csv and may edited.csv disagree"), "{warnings}");
    assert_eq!(text(&host, "[data-testid=card-churn_rate] [data-testid=card-value]"), "—");
}

#[wasm_bindgen_test]
async fn weekly_and_monthly_reports_have_a_cadence_toggle() {
    let weekly = "Report Start,Report End,Offer ID,Subscription Category,Week End Subscriptions,New Subscriptions,Cancelled Subscriptions\n\
        11/29/2017,12/5/2017,X,HO,100,10,5\n";
    let mut files = vec![ingest_bytes("week.csv", weekly.as_bytes())];
    files.push(ingest_bytes(
        "april.csv",
        format!("{HEADER}2022,4/1/22,4/30/22,GHI,SQUARERT-9,8.99,HO,0,1245678,0,0,0\n").as_bytes(),
    ));
    let periods = analyze(&files).subscriptions;
    let host = host();
    let _app = leptos::mount::mount_to(
        host.clone(),
        move || view! { <SubscriptionsView periods=Signal::stored(periods.clone()) /> },
    );
    // Monthly first.
    assert_eq!(text(&host, "[data-testid=subs-period]"), "April 2022");
    let radios = find_all(&host, "[data-testid=cadence-toggle] input[type=radio]");
    assert_eq!(radios.len(), 2);
    let weekly: HtmlElement = radios[1].clone().unchecked_into();
    weekly.click();
    settle().await;
    assert_eq!(text(&host, "[data-testid=subs-period]"), "2017-11-29 – 2017-12-05");
    assert_eq!(text(&host, "[data-testid=card-eop_paid_subs] [data-testid=card-value]"), "100");
    let label = find(&host, "canvas[role=img]").get_attribute("aria-label").unwrap_or_default();
    assert!(label.starts_with("EOP paid subscribers, 2017-11-29 – 2017-12-05: 100 in"), "{label}");
}
