//! Trend charts drawn with plotters into `<canvas>`.
//!
//! Everything but the canvas is plain code, tested natively: [`timeline`] lays
//! periods of one cadence on consecutive slots, putting a slot with no report
//! where a period is missing; [`trend_charts`] builds the four charts' series
//! (a missing period or a `null` metric is a [`Cell`] without a value, never a
//! zero); [`draw`] draws a [`ChartSpec`] on any plotters backend, breaking
//! lines at every slot without a value; [`summary`] says in one sentence what a
//! chart shows, for its `aria-label`. Only `draw_on_canvas` (wasm32) touches
//! the page: it sizes the canvas from its CSS box and the device pixel ratio and
//! takes its colours from CSS custom properties, so light and dark themes live
//! in the style sheet.

use crate::format::{and_list, axis_period_label, compact, percent, period_label, AxisFormat, Unit};
use chrono::{Datelike, Months, NaiveDate};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use slatelens_core::analysis::subscriptions::{Metrics, Period};
use slatelens_core::kinds::subscriptions::Cadence;

/// At most this many slots with no report are put between two periods.
const MAX_GAP_SLOTS: u32 = 520;

/// One place on a chart's time axis: a period with a report, or one without.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// `May 2022`, `2017-11-29 – 2017-12-05`.
    pub label: String,
    /// On the axis: `May 22`, `29 Nov 17`.
    pub short: String,
    /// Whether a report covers this slot.
    pub present: bool,
}

impl Slot {
    fn new(start: NaiveDate, end: NaiveDate, cadence: Cadence, present: bool) -> Slot {
        Slot { start, end, label: period_label(start, end), short: axis_period_label(start, end, cadence), present }
    }
}

/// The periods of `cadence` in `periods` (sorted by start) on consecutive
/// slots, with a slot without a report wherever a period is missing between
/// two present ones. Each slot comes with the index of its period in `periods`.
pub fn timeline(periods: &[Period], cadence: Cadence) -> Vec<(Slot, Option<usize>)> {
    let mut out: Vec<(Slot, Option<usize>)> = Vec::new();
    let mut last: Option<&Period> = None;
    for (i, p) in periods.iter().enumerate().filter(|(_, p)| p.cadence == cadence) {
        if let Some(prev) = last {
            for (start, end) in missing_between(prev, p) {
                out.push((Slot::new(start, end, cadence, false), None));
            }
        }
        out.push((Slot::new(p.start, p.end, cadence, true), Some(i)));
        last = Some(p);
    }
    out
}

/// The periods of `prev`'s cadence that should lie between `prev` and `next`.
fn missing_between(prev: &Period, next: &Period) -> Vec<(NaiveDate, NaiveDate)> {
    let Some(after) = prev.end.succ_opt() else { return Vec::new() };
    if next.start <= after {
        return Vec::new();
    }
    let mut out = Vec::new();
    match prev.cadence {
        Cadence::Monthly => {
            let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
            let missing = (months(next.start) - months(prev.start) - 1).clamp(0, i64::from(MAX_GAP_SLOTS));
            for k in 1..=missing {
                let k = u32::try_from(k).unwrap_or(0);
                let start = prev.start.checked_add_months(Months::new(k));
                let end = prev.start.checked_add_months(Months::new(k + 1)).and_then(|d| d.pred_opt());
                if let (Some(start), Some(end)) = (start, end) {
                    if end < next.start {
                        out.push((start, end));
                    }
                }
            }
        }
        Cadence::Weekly => {
            let len = (prev.end - prev.start).num_days() + 1;
            let gap = (next.start - after).num_days();
            let missing = if len > 0 { (gap / len).min(i64::from(MAX_GAP_SLOTS)) } else { 0 };
            for k in 0..missing {
                let start = after + chrono::Duration::days(k * len);
                out.push((start, start + chrono::Duration::days(len - 1)));
            }
        }
    }
    out
}

/// One value of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// The metric's value.
    Value(Decimal),
    /// The period has a report but the metric could not be computed: why.
    Null(String),
    /// No report for this period.
    NoReport,
}

impl Cell {
    /// The value, if there is one.
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Cell::Value(v) => Some(*v),
            _ => None,
        }
    }
}

/// How a series is drawn, so two series differ by more than colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// Solid line, round markers, first colour.
    Solid,
    /// Dashed line, triangle markers, second colour.
    Dashed,
}

/// One line (or set of bars) of a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// `FT starts`.
    pub name: String,
    /// One cell per slot.
    pub cells: Vec<Cell>,
    /// How it is drawn.
    pub look: Look,
}

/// Lines or bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A line through the values, broken where there is none.
    Line,
    /// One bar per value from zero.
    Bars,
}

/// Everything needed to draw one chart and describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartSpec {
    /// Stable id: `eop`, `churn`, `net_adds`, `starts`.
    pub id: &'static str,
    /// `EOP paid subscribers`.
    pub title: &'static str,
    /// The y axis' title.
    pub y_desc: &'static str,
    /// Counts or rates.
    pub unit: Unit,
    /// Lines or bars.
    pub mark: Mark,
    /// Monthly or weekly.
    pub cadence: Cadence,
    /// The time axis.
    pub slots: Vec<Slot>,
    /// The series, each with one cell per slot.
    pub series: Vec<Series>,
}

/// The four trend charts over every period of `cadence`: EOP paid subs, churn
/// rate, net adds, FT vs HO starts.
pub fn trend_charts(periods: &[Period], cadence: Cadence) -> Vec<ChartSpec> {
    let line = timeline(periods, cadence);
    let slots: Vec<Slot> = line.iter().map(|(s, _)| s.clone()).collect();
    let cells = |key: &str, get: fn(&Metrics) -> Option<Decimal>| -> Vec<Cell> {
        line.iter()
            .map(|(_, i)| match i.map(|i| &periods[i].metrics) {
                None => Cell::NoReport,
                Some(m) => match get(m) {
                    Some(v) => Cell::Value(v),
                    None => Cell::Null(m.why_null.get(key).cloned().unwrap_or_else(|| "not available".to_string())),
                },
            })
            .collect()
    };
    let series = |name: &str, cells: Vec<Cell>, look: Look| Series { name: name.to_string(), cells, look };
    let spec = |id, title, y_desc, unit, mark, series: Vec<Series>| ChartSpec {
        id,
        title,
        y_desc,
        unit,
        mark,
        cadence,
        slots: slots.clone(),
        series,
    };
    vec![
        spec(
            "eop",
            "EOP paid subscribers",
            "Paid (HO) subscribers",
            Unit::Count,
            Mark::Line,
            vec![series("EOP paid subs", cells("eop_paid_subs", |m| count(m.eop_paid_subs)), Look::Solid)],
        ),
        spec(
            "churn",
            "Churn rate",
            "Churn rate",
            Unit::Rate,
            Mark::Line,
            vec![series("Churn rate", cells("churn_rate", |m| m.churn_rate), Look::Solid)],
        ),
        spec(
            "net_adds",
            "Net adds",
            "Net adds",
            Unit::Count,
            Mark::Bars,
            vec![series("Net adds", cells("net_adds", |m| count(m.net_adds)), Look::Solid)],
        ),
        spec(
            "starts",
            "FT vs HO starts",
            "New subscriptions",
            Unit::Count,
            Mark::Line,
            vec![
                series("FT starts", cells("ft_starts", |m| count(m.ft_starts)), Look::Solid),
                series("HO starts", cells("ho_starts", |m| count(m.ho_starts)), Look::Dashed),
            ],
        ),
    ]
}

/// A count as a decimal.
fn count(v: Option<i64>) -> Option<Decimal> {
    v.map(Decimal::from)
}

/// Consecutive slots with a value, each as (slot, value): a line is drawn
/// through each run and broken between runs.
pub fn runs(cells: &[Cell]) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut current: Vec<(usize, f64)> = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        match c.value().and_then(|v| v.to_f64()) {
            Some(v) => current.push((i, v)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A value axis: its range and the ticks on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Bottom of the axis.
    pub lo: f64,
    /// Top of the axis.
    pub hi: f64,
    /// Tick values, `step` apart, from `lo` to `hi`.
    pub ticks: Vec<f64>,
    /// Distance between ticks.
    pub step: f64,
}

/// A value axis over `values` with about `target` ticks at round steps (1, 2
/// or 5 × 10ⁿ). `include_zero` for bars. Never below zero when no value is,
/// and for a `rate`, never past 100% when no value is.
pub fn scale(values: &[f64], include_zero: bool, rate: bool, target: usize) -> Scale {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let (mut lo, mut hi) = match (finite.iter().copied().reduce(f64::min), finite.iter().copied().reduce(f64::max)) {
        (Some(lo), Some(hi)) => (lo, hi),
        _ => (0.0, if rate { 0.1 } else { 10.0 }),
    };
    let (non_negative, max_value) = (lo >= 0.0, hi);
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        let pad = (hi.abs() * 0.05).max(if rate { 0.005 } else { 1.0 });
        lo -= pad;
        hi += pad;
    } else {
        let pad = (hi - lo) * 0.04;
        lo -= pad;
        hi += pad;
    }
    if non_negative {
        lo = lo.max(0.0);
    }
    // A share never shown past 100% when none is (a survival curve starts there).
    if rate && max_value <= 1.0 && hi > 1.0 {
        hi = 1.0;
    }
    if include_zero && hi <= 0.0 {
        hi = 0.0;
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw * (1.0 - 1e-9)).unwrap_or(10.0 * mag);
    // A bound a rounding error off a tick is that tick, not one more step.
    let first = (lo / step + 1e-9).floor();
    let last = (hi / step - 1e-9).ceil();
    let count = (last - first).round().max(1.0) as usize;
    let ticks: Vec<f64> = (0..=count).map(|k| (first + k as f64) * step).collect();
    Scale { lo: first * step, hi: last * step, ticks, step }
}

/// One sentence on what a chart shows, for its `aria-label`:
/// `EOP paid subscribers, February 2022 to May 2022: 1.2M to 1.29M; no report for March 2022`.
pub fn summary(spec: &ChartSpec) -> String {
    let (Some(first), Some(last)) = (spec.slots.first(), spec.slots.last()) else {
        return format!("{}: no periods", spec.title);
    };
    let span = if spec.slots.len() == 1 { first.label.clone() } else { format!("{} to {}", first.label, last.label) };
    let show = |v: Decimal| match spec.unit {
        Unit::Rate => percent(v),
        _ => v.to_i64().map_or_else(|| v.to_string(), compact),
    };
    let parts: Vec<String> = spec
        .series
        .iter()
        .map(|s| {
            let values: Vec<(usize, Decimal)> =
                s.cells.iter().enumerate().filter_map(|(i, c)| c.value().map(|v| (i, v))).collect();
            let name = if spec.series.len() > 1 { format!("{} ", s.name) } else { String::new() };
            match values.as_slice() {
                [] => format!("{name}no values"),
                [(i, v)] => format!("{name}{} in {}", show(*v), spec.slots[*i].label),
                [(_, a), .., (_, b)] => format!("{name}{} to {}", show(*a), show(*b)),
            }
        })
        .collect();
    let missing: Vec<String> = spec.slots.iter().filter(|s| !s.present).map(|s| s.label.clone()).collect();
    let mut out = format!("{}, {span}: {}", spec.title, parts.join("; "));
    if !missing.is_empty() {
        out.push_str(&format!("; no report for {}", and_list(&missing)));
    }
    out
}

/// The colours a chart is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Text and axes.
    pub fg: RGBColor,
    /// Axis titles.
    pub muted: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// The page background (behind the legend).
    pub bg: RGBColor,
    /// Slots without a value.
    pub gap: RGBColor,
    /// First series.
    pub series1: RGBColor,
    /// Second series.
    pub series2: RGBColor,
}

impl Theme {
    /// The light theme, used where CSS says nothing.
    pub const LIGHT: Theme = Theme {
        fg: RGBColor(0x1b, 0x1f, 0x24),
        muted: RGBColor(0x4f, 0x56, 0x60),
        grid: RGBColor(0xd5, 0xd9, 0xde),
        bg: RGBColor(0xff, 0xff, 0xff),
        gap: RGBColor(0xee, 0xf0, 0xf3),
        series1: RGBColor(0x0a, 0x58, 0xca),
        series2: RGBColor(0xa3, 0x4a, 0x00),
    };

    /// The theme from CSS custom properties (`--chart-fg`, `--chart-muted`,
    /// `--chart-grid`, `--chart-bg`, `--chart-gap`, `--chart-1`, `--chart-2`),
    /// read through `get`; what is missing or unreadable comes from [`Theme::LIGHT`].
    pub fn from_css(get: impl Fn(&str) -> Option<String>) -> Theme {
        let d = Theme::LIGHT;
        let c = |name: &str, default: RGBColor| get(name).and_then(|v| parse_color(&v)).unwrap_or(default);
        Theme {
            fg: c("--chart-fg", d.fg),
            muted: c("--chart-muted", d.muted),
            grid: c("--chart-grid", d.grid),
            bg: c("--chart-bg", d.bg),
            gap: c("--chart-gap", d.gap),
            series1: c("--chart-1", d.series1),
            series2: c("--chart-2", d.series2),
        }
    }
}

/// A CSS colour as `#rgb`, `#rrggbb` or `rgb(r, g, b)` (what computed styles give).
pub fn parse_color(s: &str) -> Option<RGBColor> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        return match hex.len() {
            3 => Some(RGBColor(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            6 => Some(RGBColor(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            _ => None,
        };
    }
    let inner = s.strip_prefix("rgb(").or_else(|| s.strip_prefix("rgba("))?.strip_suffix(')')?;
    let mut parts = inner.split([',', ' ', '/']).filter(|p| !p.is_empty()).map(|p| p.parse::<u8>().ok());
    Some(RGBColor(parts.next()??, parts.next()??, parts.next()??))
}

/// Draws `spec` on `root`. `px` is device pixels per CSS pixel, so lines and
/// text keep their size on dense screens.
pub fn draw<DB: DrawingBackend + 'static>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    theme: &Theme,
    px: f64,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = |v: f64| (v * px).round().max(1.0) as i32;
    let u = |v: f64| (v * px).round().max(1.0) as u32;
    let font = |size: f64| ("system-ui, sans-serif", f64::from(u(size))).into_font();
    let (width, _) = root.dim_in_pixel();
    let n = spec.slots.len();
    let values: Vec<f64> =
        spec.series.iter().flat_map(|s| s.cells.iter().filter_map(|c| c.value().and_then(|v| v.to_f64()))).collect();
    if n == 0 || values.is_empty() {
        let style = font(14.0).color(&theme.muted).pos(text_anchor_center());
        let (w, h) = root.dim_in_pixel();
        root.draw(&Text::new("No values to plot", (w as i32 / 2, h as i32 / 2), style)).map_err(err)?;
        return root.present().map_err(err);
    }

    let rate = spec.unit == Unit::Rate;
    let y = scale(&values, spec.mark == Mark::Bars, rate, 5);
    let axis = AxisFormat::new(y.lo.abs().max(y.hi.abs()), y.step, rate);
    let y_label_width = y.ticks.iter().map(|t| axis.format(*t).chars().count()).max().unwrap_or(1) as f64;
    let y_area = 22.0 + 7.5 * y_label_width + 8.0;
    // Label every k-th slot so labels (about 64 CSS pixels each) never overlap.
    let plot_width = (f64::from(width) / px - y_area - 24.0).max(64.0);
    let max_labels = ((plot_width / 64.0).floor() as usize).max(1);
    let every = n.div_ceil(max_labels).max(1);
    let x_keys: Vec<f64> = (0..n).step_by(every).map(|i| i as f64).collect();

    let mut chart = ChartBuilder::on(root)
        .margin_top(s(if spec.series.len() > 1 { 30.0 } else { 12.0 }))
        .margin_right(s(16.0))
        .margin_left(s(4.0))
        .margin_bottom(s(4.0))
        .x_label_area_size(s(44.0))
        .y_label_area_size(s(y_area))
        .build_cartesian_2d(Axis::new(-0.5, n as f64 - 0.5, x_keys), Axis::new(y.lo, y.hi, y.ticks.clone()))
        .map_err(err)?;

    let x_label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        spec.slots.get(i as usize).map(|s| s.short.clone()).unwrap_or_default()
    };
    let y_label = |v: &f64| axis.format(*v);
    let x_desc = match spec.cadence {
        Cadence::Monthly => "Month",
        Cadence::Weekly => "Week starting",
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(ShapeStyle { color: theme.grid.to_rgba(), filled: false, stroke_width: u(1.0) })
        .light_line_style(TRANSPARENT)
        .axis_style(ShapeStyle { color: theme.muted.to_rgba(), filled: false, stroke_width: u(1.0) })
        .set_all_tick_mark_size(s(4.0))
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(x_desc)
        .y_desc(spec.y_desc)
        .label_style(font(12.0).color(&theme.fg))
        .axis_desc_style(font(12.0).color(&theme.muted))
        .draw()
        .map_err(err)?;

    // Slots without any value: a light band, so a gap never reads as a zero.
    let bands = (0..n).filter(|&i| spec.series.iter().all(|s| s.cells.get(i).and_then(Cell::value).is_none()));
    chart
        .draw_series(
            bands.map(|i| Rectangle::new([(i as f64 - 0.5, y.lo), (i as f64 + 0.5, y.hi)], theme.gap.filled())),
        )
        .map_err(err)?;
    if y.lo < 0.0 && y.hi > 0.0 {
        let zero = ShapeStyle { color: theme.muted.to_rgba(), filled: false, stroke_width: u(1.0) };
        chart
            .draw_series(std::iter::once(PathElement::new(vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)], zero)))
            .map_err(err)?;
    }

    for series in &spec.series {
        let (color, line) = look_style(series.look, theme, u(2.0));
        let runs = runs(&series.cells);
        match spec.mark {
            Mark::Bars => {
                let bars = runs
                    .iter()
                    .flatten()
                    .map(|&(i, v)| Rectangle::new([(i as f64 - 0.35, 0.0), (i as f64 + 0.35, v)], color.filled()));
                chart.draw_series(bars).map_err(err)?;
            }
            Mark::Line => {
                for run in runs.iter().filter(|r| r.len() > 1) {
                    let points: Vec<(f64, f64)> = run.iter().map(|&(i, v)| (i as f64, v)).collect();
                    match series.look {
                        Look::Solid => {
                            chart.draw_series(LineSeries::new(points, line)).map_err(err)?;
                        }
                        Look::Dashed => {
                            chart.draw_series(DashedLineSeries::new(points, s(7.0), s(4.0), line)).map_err(err)?;
                        }
                    }
                }
                let points = runs.iter().flatten().map(|&(i, v)| (i as f64, v));
                match series.look {
                    Look::Solid => chart.draw_series(points.map(|p| Circle::new(p, u(3.5), color.filled()))),
                    Look::Dashed => chart.draw_series(points.map(|p| TriangleMarker::new(p, s(5.0), color.filled()))),
                }
                .map_err(err)?;
            }
        }
    }
    // The legend sits above the plot, where it can never hide a value.
    if spec.series.len() > 1 {
        let sizes = LegendSizes { len: s(22.0), dash: s(6.0), gap: s(3.0), marker: s(4.0) };
        let label = font(12.0).color(&theme.fg).pos(text_anchor_left());
        let (mut x, y) = (s(y_area + 4.0), s(10.0));
        for series in &spec.series {
            let (color, line) = look_style(series.look, theme, u(2.0));
            root.draw(&legend_sample(series.look, (x, y), sizes, line, color)).map_err(err)?;
            root.draw(&Text::new(series.name.clone(), (x + sizes.len + s(6.0), y), label.clone())).map_err(err)?;
            let (w, _) = root.estimate_text_size(&series.name, &label).map_err(err)?;
            x += sizes.len + s(6.0) + w as i32 + s(20.0);
        }
    }
    root.present().map_err(err)
}

/// A linear axis whose ticks are exactly the given values (plotters would
/// otherwise choose its own, which the labels could not know in advance).
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Axis {
    pub(crate) fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Axis {
        Axis { lo, hi, ticks }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span == 0.0 || !span.is_finite() {
            return (limit.0 + limit.1) / 2;
        }
        let t = ((v - self.lo) / span).clamp(-10.0, 10.0);
        limit.0 + (f64::from(limit.1 - limit.0) * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.max_num_points() == 0 {
            return Vec::new();
        }
        self.ticks.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Sizes of a legend sample, in device pixels.
#[derive(Debug, Clone, Copy)]
struct LegendSizes {
    len: i32,
    dash: i32,
    gap: i32,
    marker: i32,
}

/// A legend sample: the series' stroke (solid or dashed) with its marker on it.
fn legend_sample<DB: DrawingBackend + 'static>(
    look: Look,
    at: (i32, i32),
    z: LegendSizes,
    line: ShapeStyle,
    color: RGBColor,
) -> DynElement<'static, DB, (i32, i32)> {
    let middle = (z.len / 2, 0);
    match look {
        Look::Solid => (EmptyElement::at(at)
            + PathElement::new(vec![(0, 0), (z.len, 0)], line)
            + Circle::new(middle, z.marker.unsigned_abs(), color.filled()))
        .into_dyn(),
        Look::Dashed => (EmptyElement::at(at)
            + DashedPathElement::new(vec![(0, 0), (z.len, 0)], z.dash, z.gap, line)
            + TriangleMarker::new(middle, z.marker + 1, color.filled()))
        .into_dyn(),
    }
}

/// A series' colour and stroke.
fn look_style(look: Look, theme: &Theme, width: u32) -> (RGBColor, ShapeStyle) {
    let color = match look {
        Look::Solid => theme.series1,
        Look::Dashed => theme.series2,
    };
    (color, ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: width })
}

/// Text anchored at its left middle.
pub(crate) fn text_anchor_left() -> plotters::style::text_anchor::Pos {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    Pos::new(HPos::Left, VPos::Center)
}

/// Centred text.
pub(crate) fn text_anchor_center() -> plotters::style::text_anchor::Pos {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    Pos::new(HPos::Center, VPos::Center)
}

/// Draws `spec` into `canvas`: sizes its bitmap from its CSS box times the
/// device pixel ratio, reads the theme from its computed style. Does nothing
/// while the canvas has no size (not laid out yet).
#[cfg(target_arch = "wasm32")]
pub fn draw_on_canvas(canvas: &web_sys::HtmlCanvasElement, spec: &ChartSpec) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let (w, h) = (canvas.client_width(), canvas.client_height());
    if w <= 0 || h <= 0 {
        return Ok(());
    }
    let px = window.device_pixel_ratio().clamp(1.0, 4.0);
    // Setting the size also clears the canvas.
    canvas.set_width((f64::from(w) * px).round() as u32);
    canvas.set_height((f64::from(h) * px).round() as u32);
    let style = window.get_computed_style(canvas).ok().flatten();
    let theme = Theme::from_css(|name| style.as_ref().and_then(|s| s.get_property_value(name).ok()));
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    draw(&backend.into_drawing_area(), spec, &theme, px)
}

#[cfg(test)]
mod tests {
    use super::*;
    use slatelens_core::{analyze, ingest_bytes};
    use std::str::FromStr;

    const HEADER: &str = "Report Year,Report Start,Report End,Offer ID,Subscription,Billing Amount,Subscription Category,Active Subscriptions,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions,AR Off Subscriptions\n";

    /// Jan, Feb, (no March), Apr and May 2024 of one HO offer.
    fn periods_with_a_gap() -> Vec<Period> {
        let files: Vec<_> = [(1, 31, 100), (2, 29, 110), (4, 30, 130), (5, 31, 150)]
            .iter()
            .map(|&(m, last, eop)| {
                let csv = format!("{HEADER}2024,{m}/1/24,{m}/{last}/24,X,PLAN,8.99,HO,0,{eop},20,5,0\n");
                ingest_bytes(&format!("m{m}.csv"), csv.as_bytes())
            })
            .collect();
        analyze(&files).subscriptions
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::from_str(s).expect("a date")
    }

    #[test]
    fn timeline_puts_a_slot_where_a_month_is_missing() {
        let periods = periods_with_a_gap();
        let line = timeline(&periods, Cadence::Monthly);
        let labels: Vec<(&str, bool, Option<usize>)> =
            line.iter().map(|(s, i)| (s.short.as_str(), s.present, *i)).collect();
        assert_eq!(
            labels,
            [
                ("Jan 24", true, Some(0)),
                ("Feb 24", true, Some(1)),
                ("Mar 24", false, None),
                ("Apr 24", true, Some(2)),
                ("May 24", true, Some(3))
            ]
        );
        assert_eq!((line[2].0.start, line[2].0.end), (date("2024-03-01"), date("2024-03-31")));
        assert_eq!(line[2].0.label, "March 2024");
        assert!(timeline(&periods, Cadence::Weekly).is_empty());
    }

    #[test]
    fn weekly_timeline_fills_missing_weeks() {
        let week = |start: &str, eop: i64| {
            let s = date(start);
            let e = s + chrono::Duration::days(6);
            let csv = format!(
                "Report Start,Report End,Offer ID,Subscription Category,Week End Subscriptions,New Subscriptions,Cancelled Subscriptions\n{},{},X,HO,{eop},1,1\n",
                s.format("%m/%d/%Y"),
                e.format("%m/%d/%Y")
            );
            ingest_bytes(&format!("{start}.csv"), csv.as_bytes())
        };
        let periods = analyze(&[week("2017-11-29", 10), week("2017-12-20", 12)]).subscriptions;
        let line = timeline(&periods, Cadence::Weekly);
        let starts: Vec<String> = line.iter().map(|(s, _)| s.start.to_string()).collect();
        assert_eq!(starts, ["2017-11-29", "2017-12-06", "2017-12-13", "2017-12-20"]);
        assert_eq!(line[1].0.label, "2017-12-06 – 2017-12-12");
        assert_eq!(line[1].0.short, "6 Dec 17");
    }

    #[test]
    fn series_have_gaps_not_zeros() {
        let periods = periods_with_a_gap();
        let charts = trend_charts(&periods, Cadence::Monthly);
        let ids: Vec<&str> = charts.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["eop", "churn", "net_adds", "starts"]);
        let eop = &charts[0].series[0].cells;
        assert_eq!(eop[2], Cell::NoReport);
        assert_eq!(eop[3], Cell::Value(Decimal::from(130)));
        // Net adds need the previous month: null in January (no report before) and April (no March).
        let net = &charts[2].series[0].cells;
        assert_eq!(net[0], Cell::Null("no report for 2023-12".to_string()));
        assert_eq!(net[1], Cell::Value(Decimal::from(10)));
        assert_eq!(net[3], Cell::Null("no report for 2024-03".to_string()));
        // Lines break at the gap: two runs, and no point at March.
        let runs = runs(eop);
        assert_eq!(runs, vec![vec![(0, 100.0), (1, 110.0)], vec![(3, 130.0), (4, 150.0)]]);
        assert_eq!(charts[3].series.iter().map(|s| s.look).collect::<Vec<_>>(), [Look::Solid, Look::Dashed]);
    }

    #[test]
    fn scales_have_round_ticks() {
        let s = scale(&[1_200_000.0, 1_288_546.0], false, false, 5);
        assert_eq!(s.step, 20_000.0);
        assert_eq!((s.lo, s.hi), (1_180_000.0, 1_300_000.0));
        assert_eq!(s.ticks.first(), Some(&s.lo));
        assert_eq!(s.ticks.last(), Some(&s.hi));
        // Bars reach zero; negative values go below it.
        let s = scale(&[42_868.0, -12_000.0], true, false, 5);
        assert!(s.lo < -12_000.0 && s.hi > 42_868.0 && s.ticks.contains(&0.0), "{s:?}");
        // Counts never go below zero unless a value does; a flat series still has height.
        let s = scale(&[5.0, 5.0], false, false, 5);
        assert!(s.lo >= 0.0 && s.hi > 5.0, "{s:?}");
        let s = scale(&[0.0566, 0.0566], false, true, 5);
        assert!(s.lo < 0.0566 && s.hi > 0.0566 && s.lo >= 0.0, "{s:?}");
        let s = scale(&[], false, false, 5);
        assert!(s.hi > s.lo);
        // A share axis stops at 100% when no value passes it (survival starts at 100%)...
        let s = scale(&[0.62, 0.8, 1.0], false, true, 5);
        assert!((s.lo - 0.6).abs() < 1e-9 && s.hi == 1.0 && s.ticks.len() == 5, "{s:?}");
        let s = scale(&[1.0, 1.0], false, true, 5);
        assert!(s.lo < 1.0 && s.hi == 1.0, "{s:?}");
        // ...and goes past it when one does, as counts do.
        let s = scale(&[0.9, 1.2], false, true, 5);
        assert!(s.hi > 1.2, "{s:?}");
        let s = scale(&[0.62, 1.0], false, false, 5);
        assert!(s.hi > 1.0, "{s:?}");
    }

    #[test]
    fn summaries_name_the_span_the_values_and_the_gaps() {
        let periods = periods_with_a_gap();
        let charts = trend_charts(&periods, Cadence::Monthly);
        assert_eq!(
            summary(&charts[0]),
            "EOP paid subscribers, January 2024 to May 2024: 100 to 150; no report for March 2024"
        );
        assert_eq!(
            summary(&charts[1]),
            "Churn rate, January 2024 to May 2024: 4.76% to 3.23%; no report for March 2024"
        );
        assert!(summary(&charts[3]).contains(": FT starts 0 to 0; HO starts 20 to 20;"), "{}", summary(&charts[3]));
        let mut one = charts[0].clone();
        one.slots.truncate(1);
        one.series[0].cells.truncate(1);
        assert_eq!(summary(&one), "EOP paid subscribers, January 2024: 100 in January 2024");
    }

    #[test]
    fn colours_from_css() {
        assert_eq!(parse_color(" #0a58ca"), Some(RGBColor(0x0a, 0x58, 0xca)));
        assert_eq!(parse_color("#fff"), Some(RGBColor(255, 255, 255)));
        assert_eq!(parse_color("rgb(138, 180, 248)"), Some(RGBColor(138, 180, 248)));
        assert_eq!(parse_color("rgb(1 2 3 / 50%)"), Some(RGBColor(1, 2, 3)));
        assert_eq!(parse_color("tomato"), None);
        assert_eq!(parse_color("#12"), None);
        let t = Theme::from_css(|n| (n == "--chart-1").then(|| "#112233".to_string()));
        assert_eq!(t.series1, RGBColor(0x11, 0x22, 0x33));
        assert_eq!(t.fg, Theme::LIGHT.fg);
    }

    use crate::widgets::recording::{rgb, Log, Recorder};

    #[test]
    fn drawing_breaks_lines_at_gaps_and_labels_the_axes() {
        let periods = periods_with_a_gap();
        let charts = trend_charts(&periods, Cadence::Monthly);
        let recorded = record(&charts[0]);
        let lines: Vec<&Vec<(i32, i32)>> = recorded
            .paths
            .iter()
            .filter(|(c, p)| *c == rgb(Theme::LIGHT.series1) && p.len() > 1)
            .map(|(_, p)| p)
            .collect();
        assert_eq!(lines.len(), 2, "one line per run, broken at March: {lines:?}");
        assert!(lines.iter().all(|l| l.len() == 2));
        assert!(lines[0][1].0 < lines[1][0].0, "the runs are left and right of the gap");
        assert_eq!(recorded.circles, 4, "a marker per value, none for March");
        for label in ["Jan 24", "Mar 24", "May 24", "Month", "Paid (HO) subscribers"] {
            assert!(recorded.texts.iter().any(|t| t == label), "{label} in {:?}", recorded.texts);
        }

        let starts = record(&charts[3]);
        assert!(starts.texts.iter().any(|t| t == "FT starts") && starts.texts.iter().any(|t| t == "HO starts"));
        let dashed = starts.paths.iter().filter(|(c, _)| *c == rgb(Theme::LIGHT.series2)).count();
        assert!(dashed > 4, "the HO line is drawn in dashes ({dashed} strokes)");

        // Net adds: bars only where there is a value (February and May), on a zero-based axis.
        let net = record(&charts[2]);
        assert!(net.texts.iter().any(|t| t == "0"), "{:?}", net.texts);

        let mut empty = charts[0].clone();
        empty.series[0].cells = vec![Cell::NoReport; empty.slots.len()];
        assert!(record(&empty).texts.contains(&"No values to plot".to_string()));
    }

    fn record(spec: &ChartSpec) -> Log {
        let (rec, log) = Recorder::new((640, 240));
        draw(&rec.into_drawing_area(), spec, &Theme::LIGHT, 1.0).expect("drawn");
        log.take()
    }
}
