//! A sortable data table with a caption, tooltips and CSV export.

use leptos::prelude::*;

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
) -> impl IntoView {
    view! {
        <table class="data" data-testid=id>
            <caption>{caption}</caption>
            <thead>
                <tr>
                    {move || {
                        table
                            .with(|t| t.columns.clone())
                            .into_iter()
                            .map(|c| view! { <th scope="col" title=c.help.clone()>{c.label}</th> })
                            .collect_view()
                    }}
                </tr>
            </thead>
            <tbody>
                {move || {
                    table
                        .with(|t| t.rows.clone())
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    {r
                                        .into_iter()
                                        .map(|c| view! { <td title=c.help.clone()>{c.text}</td> })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
