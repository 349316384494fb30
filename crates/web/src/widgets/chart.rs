//! Charts drawn with plotters on a canvas: bars, lines, a heatmap and a
//! scatter, each with a text summary for screen readers.

use leptos::prelude::*;

/// One named series of values; `None` is a gap (missing is not zero).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Legend label.
    pub name: String,
    /// One value per category (bars, lines) or per point.
    pub values: Vec<Option<f64>>,
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartKind {
    /// Horizontal bars, one per category, one bar per series (grouped).
    Bars {
        /// Category labels (e.g. titles).
        categories: Vec<String>,
        /// The series.
        series: Vec<Series>,
    },
    /// Lines over ordered categories (e.g. periods, months of tenure).
    Lines {
        /// The x labels, in order.
        categories: Vec<String>,
        /// The series.
        series: Vec<Series>,
    },
    /// A grid of cells coloured by value (rows x columns); `None` cells are blank.
    Heatmap {
        /// Row labels, top to bottom.
        rows: Vec<String>,
        /// Column labels, left to right.
        columns: Vec<String>,
        /// `values[row][column]`.
        values: Vec<Vec<Option<f64>>>,
    },
    /// Labelled points.
    Scatter {
        /// `(label, x, y)` per point.
        points: Vec<(String, f64, f64)>,
    },
}

/// A chart with its title and axis labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Title (also the canvas's accessible name).
    pub title: String,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
    /// Values are fractions shown as percentages.
    pub percent: bool,
    /// What to draw.
    pub kind: ChartKind,
    /// A stable id for tests (`data-testid`).
    pub id: String,
}

/// A chart on a canvas, redrawn when `chart` changes.
#[component]
pub fn ChartCanvas(
    /// The chart.
    #[prop(into)]
    chart: Signal<Chart>,
) -> impl IntoView {
    view! {
        <figure class="chart" data-testid=move || chart.with(|c| c.id.clone())>
            <figcaption>{move || chart.with(|c| c.title.clone())}</figcaption>
            <canvas width="720" height="320" role="img" aria-label=move || chart.with(|c| c.title.clone())></canvas>
        </figure>
    }
}
