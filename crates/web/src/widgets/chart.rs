//! Charts drawn with plotters on a canvas: bars, lines, a heatmap and a
//! scatter, each with a text summary for screen readers.
//!
//! Everything but the canvas is plain code, tested natively: [`draw`] draws a
//! [`Chart`] on any plotters backend and returns where each value landed
//! ([`Hit`]s, for the hover tooltip, found by [`nearest`]); [`summary`] says in
//! one sentence what the chart shows (the canvas's `aria-label`), and the
//! component adds the chart's numbers as a table under "Show data". Colours
//! come from the page's CSS custom properties ([`Palette::from_css`], over
//! [`crate::charts::Theme`]), so the dark theme lives in the style sheet; the
//! canvas is redrawn when the data, its size or the colour scheme changes.

use crate::charts::{scale, text_anchor_center, text_anchor_left, Axis, Theme};
use crate::format::{group_digits, grouped, AxisFormat};
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;

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

/// A line chart's category labels longer than this are cut with an ellipsis.
pub const LINE_LABEL_CHARS: usize = 14;

/// Category labels longer than this many characters are cut with an ellipsis.
pub const MAX_LABEL_CHARS: usize = 28;

/// A place on the canvas that shows a value, in CSS pixels: a bar or a
/// heatmap cell (a rectangle) or a point (`w == h == 0`).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// What the tooltip says: `Title A · Minutes: 1,234`.
    pub text: String,
}

impl Hit {
    /// Distance from `(x, y)` to the hit (0 inside a rectangle).
    fn distance(&self, x: f64, y: f64) -> f64 {
        let dx = (self.x - x).max(0.0).max(x - (self.x + self.w));
        let dy = (self.y - y).max(0.0).max(y - (self.y + self.h));
        dx.hypot(dy)
    }
}

/// The hit nearest to `(x, y)` no farther than `max`; the first one on a tie.
pub fn nearest(hits: &[Hit], x: f64, y: f64, max: f64) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, h) in hits.iter().enumerate() {
        let d = h.distance(x, y);
        if d <= max && best.is_none_or(|(_, b)| d < b) {
            best = Some((i, d));
        }
    }
    best.map(|(i, _)| i)
}

/// `label` cut to at most `max` characters, the last one an ellipsis.
pub fn truncate_label(label: &str, max: usize) -> String {
    let label = label.trim();
    if label.chars().count() <= max {
        return label.to_string();
    }
    let kept: String = label.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// A value as people read it: `12.3%` for fractions shown as percent,
/// `1,234` for whole numbers, `1,234.57` otherwise.
pub fn format_value(v: f64, percent: bool) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    if percent {
        return format!("{:.1}%", v * 100.0);
    }
    if v.fract() == 0.0 && v.abs() < 9e15 {
        return grouped(v as i64);
    }
    // Two decimals, or three significant digits for small values (0.0150, not 0.01).
    let decimals = if v.abs() >= 1.0 { 2 } else { (2 - v.abs().log10().floor() as i64).clamp(2, 8) as usize };
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    format!("{}{}.{frac}", if v < 0.0 { "-" } else { "" }, group_digits(int))
}

/// A value short enough for a heatmap cell: `45.7%`, `1.23M`, `456`.
pub fn compact_value(v: f64, percent: bool) -> String {
    if percent {
        return format_value(v, true);
    }
    let step = (v.abs() / 100.0).max(1.0);
    AxisFormat::new(v.abs(), step, false).format(v)
}

/// How a heatmap writes the values in its cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HeatLabels {
    /// Each value in its own compact form: `956`, `3.2K`, `14K`.
    Compact,
    /// Every value in the grid's unit, whole: `1K`, `3K`, `14K`.
    Whole(AxisFormat),
}

impl HeatLabels {
    /// `v` written this way.
    pub fn label(self, v: f64, percent: bool) -> String {
        match self {
            HeatLabels::Compact => compact_value(v, percent),
            HeatLabels::Whole(f) => f.format(v),
        }
    }
}

/// How to write `values` in heatmap cells, all the same way, when every one
/// `fits` its cell: compact, or else whole numbers of the grid's unit (unless
/// that would write a value that is not zero as `0`); `None` when neither
/// fits, and the colours, tooltips and data table carry the values. Labels
/// on only the cells they fit would look like a selection.
pub fn heat_label_format(values: &[f64], percent: bool, fits: impl Fn(&str) -> bool) -> Option<HeatLabels> {
    if values.iter().all(|&v| fits(&compact_value(v, percent))) {
        return Some(HeatLabels::Compact);
    }
    let max = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    // A step as big as the largest value: no decimals in its unit.
    let whole = AxisFormat::new(max, max, percent);
    let ok = |&v: &f64| {
        let label = whole.format(v);
        fits(&label) && (v == 0.0 || (label != "0" && label != "0%"))
    };
    values.iter().all(ok).then_some(HeatLabels::Whole(whole))
}

/// The colour `t` (0 to 1) of the way from `low` to `high`.
pub fn mix(low: RGBColor, high: RGBColor, t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let c = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(c(low.0, high.0), c(low.1, high.1), c(low.2, high.2))
}

/// A heatmap cell's colour: `v`'s place between `lo` and `hi`, from a faint
/// tint of `high` over `bg` (so the smallest value still differs from a blank
/// cell) to `high`.
pub fn heat_color(v: f64, lo: f64, hi: f64, bg: RGBColor, high: RGBColor) -> RGBColor {
    let t = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
    mix(bg, high, 0.12 + 0.88 * t.clamp(0.0, 1.0))
}

/// Relative luminance (WCAG).
fn luminance(c: RGBColor) -> f64 {
    let ch = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.039_28 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
}

/// WCAG contrast ratio between two colours.
pub fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Whichever of `a` and `b` reads better on `bg`.
pub fn readable_on(bg: RGBColor, a: RGBColor, b: RGBColor) -> RGBColor {
    if contrast(bg, a) >= contrast(bg, b) {
        a
    } else {
        b
    }
}

/// The colours charts are drawn in: the theme and one colour per series.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    /// Text, grid, background.
    pub theme: Theme,
    /// Series colours, in order (reused when there are more series).
    pub series: Vec<RGBColor>,
}

impl Palette {
    /// The light palette, used where CSS says nothing.
    pub fn light() -> Palette {
        Palette::from_css(|_| None)
    }

    /// The palette from CSS custom properties: [`Theme::from_css`] and
    /// `--chart-1` to `--chart-6`.
    pub fn from_css(get: impl Fn(&str) -> Option<String>) -> Palette {
        let theme = Theme::from_css(&get);
        let extra = [
            ("--chart-3", RGBColor(0x1a, 0x7f, 0x37)),
            ("--chart-4", RGBColor(0x82, 0x50, 0xdf)),
            ("--chart-5", RGBColor(0xbf, 0x39, 0x89)),
            ("--chart-6", RGBColor(0x4f, 0x56, 0x60)),
        ];
        let mut series = vec![theme.series1, theme.series2];
        series
            .extend(extra.iter().map(|(name, d)| get(name).and_then(|v| crate::charts::parse_color(&v)).unwrap_or(*d)));
        Palette { theme, series }
    }

    /// Series `i`'s colour.
    pub fn color(&self, i: usize) -> RGBColor {
        self.series.get(i % self.series.len().max(1)).copied().unwrap_or(self.theme.series1)
    }

    /// Whether series `i`'s line is dashed: every other series, switched on
    /// each round of the colours, so a colour reused is drawn the other way.
    pub fn dashed(&self, i: usize) -> bool {
        (i % 2 == 1) != ((i / self.series.len().max(1)) % 2 == 1)
    }
}

/// The canvas's CSS height in pixels for charts that grow with their data
/// (bars: a band per category; heatmaps: a row per label); `None` for the
/// style sheet's `--chart-height`.
pub fn css_height(chart: &Chart) -> Option<f64> {
    match &chart.kind {
        ChartKind::Bars { categories, series } => {
            let band = 8.0 + 14.0 * series.len().max(1) as f64;
            Some((90.0 + band * categories.len() as f64).clamp(200.0, 4000.0))
        }
        ChartKind::Heatmap { rows, .. } => Some((96.0 + 26.0 * rows.len() as f64).clamp(200.0, 4000.0)),
        _ => None,
    }
}

/// Min and max of the finite values, if any.
fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.filter(|v| v.is_finite()).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// One sentence on what the chart shows, for its `aria-label`.
pub fn summary(chart: &Chart) -> String {
    let show = |v: f64| format_value(v, chart.percent);
    let title = &chart.title;
    match &chart.kind {
        ChartKind::Bars { categories, series } => {
            let parts: Vec<String> = series
                .iter()
                .map(|s| {
                    let best = s
                        .values
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v)))
                        .max_by(|a, b| a.1.total_cmp(&b.1));
                    let name = if series.len() > 1 { format!("{}: ", s.name) } else { String::new() };
                    match best {
                        Some((i, v)) => {
                            format!("{name}highest {} ({})", categories.get(i).map_or("?", String::as_str), show(v))
                        }
                        None => format!("{name}no values"),
                    }
                })
                .collect();
            format!("{title}, bar chart of {} categories; {}", categories.len(), parts.join("; "))
        }
        ChartKind::Lines { categories, series } => {
            let span = match (categories.first(), categories.last()) {
                (Some(a), Some(b)) if categories.len() > 1 => format!("{a} to {b}"),
                (Some(a), _) => a.clone(),
                _ => "no categories".to_string(),
            };
            let parts: Vec<String> = series
                .iter()
                .map(|s| {
                    let vals: Vec<f64> = s.values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
                    let missing = s.values.iter().take(categories.len()).filter(|v| v.is_none()).count();
                    let gaps = if missing > 0 { format!(" ({missing} missing)") } else { String::new() };
                    match vals.as_slice() {
                        [] => format!("{} no values", s.name),
                        [v] => format!("{} {}{gaps}", s.name, show(*v)),
                        [a, .., b] => format!("{} {} to {}{gaps}", s.name, show(*a), show(*b)),
                    }
                })
                .collect();
            let values = if parts.is_empty() { "no values".to_string() } else { parts.join("; ") };
            format!("{title}, line chart, {span}: {values}")
        }
        ChartKind::Heatmap { rows, columns, values } => {
            let range = match extent(values.iter().flatten().flatten().copied()) {
                Some((lo, hi)) => format!("values from {} to {}", show(lo), show(hi)),
                None => "no values".to_string(),
            };
            format!("{title}, heatmap of {} rows by {} columns, {range}", rows.len(), columns.len())
        }
        ChartKind::Scatter { points } => {
            let x = extent(points.iter().map(|p| p.1));
            let y = extent(points.iter().map(|p| p.2));
            match (x, y) {
                (Some((x0, x1)), Some((y0, y1))) => format!(
                    "{title}, scatter of {} points, {} from {} to {}, {} from {} to {}",
                    points.len(),
                    chart.x_label,
                    format_value(x0, false),
                    format_value(x1, false),
                    chart.y_label,
                    show(y0),
                    show(y1)
                ),
                _ => format!("{title}, scatter with no points"),
            }
        }
    }
}

/// The chart's numbers as a table: a header row and one row per category,
/// heatmap row or point (the "Show data" fallback).
pub fn data_rows(chart: &Chart) -> (Vec<String>, Vec<Vec<String>>) {
    let show = |v: Option<f64>| v.map_or("—".to_string(), |v| format_value(v, chart.percent));
    match &chart.kind {
        ChartKind::Bars { categories, series } | ChartKind::Lines { categories, series } => {
            let mut head = vec![String::new()];
            head.extend(series.iter().map(|s| s.name.clone()));
            let rows = categories
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let mut row = vec![c.clone()];
                    row.extend(series.iter().map(|s| show(s.values.get(i).copied().flatten())));
                    row
                })
                .collect();
            (head, rows)
        }
        ChartKind::Heatmap { rows, columns, values } => {
            let mut head = vec![String::new()];
            head.extend(columns.iter().cloned());
            let body = rows
                .iter()
                .enumerate()
                .map(|(r, label)| {
                    let mut row = vec![label.clone()];
                    row.extend(
                        (0..columns.len()).map(|c| show(values.get(r).and_then(|v| v.get(c)).copied().flatten())),
                    );
                    row
                })
                .collect();
            (head, body)
        }
        ChartKind::Scatter { points } => {
            let head = vec![String::new(), chart.x_label.clone(), chart.y_label.clone()];
            let rows =
                points.iter().map(|(l, x, y)| vec![l.clone(), format_value(*x, false), show(Some(*y))]).collect();
            (head, rows)
        }
    }
}

/// Sizes in device pixels for a drawing at `px` device pixels per CSS pixel.
#[derive(Debug, Clone, Copy)]
struct Px(f64);

impl Px {
    fn i(self, v: f64) -> i32 {
        (v * self.0).round().max(1.0) as i32
    }
    fn u(self, v: f64) -> u32 {
        (v * self.0).round().max(1.0) as u32
    }
    fn font(self, size: f64) -> FontDesc<'static> {
        ("system-ui, sans-serif", f64::from(self.u(size))).into_font()
    }
    fn stroke(self, color: RGBColor, width: f64) -> ShapeStyle {
        ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: self.u(width) }
    }
    /// A rectangle of device pixels as a [`Hit`] in CSS pixels.
    fn hit(self, a: (i32, i32), b: (i32, i32), text: String) -> Hit {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        let c = |v: i32| f64::from(v) / self.0;
        Hit { x: c(x0), y: c(y0), w: c(x1) - c(x0), h: c(y1) - c(y0), text }
    }
}

/// Approximate width of `text` in CSS pixels at 12px.
fn text_width(text: &str) -> f64 {
    7.0 * text.chars().count() as f64
}

/// Draws `chart` on `root` and returns where each value landed, in CSS
/// pixels. `px` is device pixels per CSS pixel, so lines and text keep their
/// size on dense screens.
pub fn draw<DB: DrawingBackend + 'static>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    palette: &Palette,
    px: f64,
) -> Result<Vec<Hit>, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let p = Px(px.max(0.1));
    let hits = match &chart.kind {
        ChartKind::Bars { categories, series } => draw_bars(root, chart, categories, series, palette, p),
        ChartKind::Lines { categories, series } => draw_lines(root, chart, categories, series, palette, p),
        ChartKind::Heatmap { rows, columns, values } => draw_heatmap(root, chart, rows, columns, values, palette, p),
        ChartKind::Scatter { points } => draw_scatter(root, chart, points, palette, p),
    }
    .map_err(err)?;
    let hits = match hits {
        Some(h) => h,
        None => {
            let style = p.font(14.0).color(&palette.theme.muted).pos(text_anchor_center());
            let (w, h) = root.dim_in_pixel();
            root.draw(&Text::new("No values to plot", (w as i32 / 2, h as i32 / 2), style)).map_err(err)?;
            Vec::new()
        }
    };
    root.present().map_err(err)?;
    Ok(hits)
}

/// What the drawing functions return: the hits, or `None` when there was nothing to draw.
type Drawn<E> = Result<Option<Vec<Hit>>, DrawingAreaErrorKind<E>>;

/// Height of one legend row, in CSS pixels.
const LEGEND_ROW: f64 = 18.0;

/// Where each legend entry goes: `(x, row)` in CSS pixels from `x0`, given
/// the entries' text widths. An entry that would pass `right` starts a new
/// row, so a long legend wraps instead of running off the canvas.
fn legend_layout(text_widths: &[f64], x0: f64, right: f64) -> Vec<(f64, usize)> {
    let (mut x, mut row) = (x0, 0);
    text_widths
        .iter()
        .map(|&w| {
            if x > x0 && x + 28.0 + w > right {
                (x, row) = (x0, row + 1);
            }
            let at = (x, row);
            x += 28.0 + w + 18.0;
            at
        })
        .collect()
}

/// A chart's legend above its plot: the names and where each goes.
struct Legend {
    names: Vec<String>,
    places: Vec<(f64, usize)>,
}

impl Legend {
    /// Lays out `series`' names from `x0` within `root`'s width; a single
    /// series has one only when `single` (lines name theirs, bars do not).
    fn new<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        series: &[Series],
        p: Px,
        x0: f64,
        single: bool,
    ) -> Legend {
        if series.len() < if single { 1 } else { 2 } {
            return Legend { names: Vec::new(), places: Vec::new() };
        }
        let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
        let label = TextStyle::from(p.font(12.0));
        let widths: Vec<f64> = names
            .iter()
            .map(|n| root.estimate_text_size(n, &label).map_or(text_width(n), |(w, _)| f64::from(w) / p.0))
            .collect();
        let right = f64::from(root.dim_in_pixel().0) / p.0 - 8.0;
        Legend { places: legend_layout(&widths, x0, right), names }
    }

    /// The plot's top margin: room for every legend row.
    fn margin_top(&self) -> f64 {
        match self.places.last() {
            Some(&(_, row)) => 10.0 + LEGEND_ROW * (row + 1) as f64,
            None => 10.0,
        }
    }

    /// Draws a swatch (a filled square, or a line sample) and the name of each series.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        palette: &Palette,
        p: Px,
        lines: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let label = p.font(12.0).color(&palette.theme.fg).pos(text_anchor_left());
        for (i, (name, &(x, row))) in self.names.iter().zip(&self.places).enumerate() {
            let (x, y) = (p.i(x), p.i(10.0 + LEGEND_ROW * row as f64));
            let color = palette.color(i);
            if lines {
                let style = p.stroke(color, 2.0);
                if palette.dashed(i) {
                    root.draw(&plotters::element::DashedPathElement::new(
                        vec![(x, y), (x + p.i(22.0), y)],
                        p.i(6.0),
                        p.i(3.0),
                        style,
                    ))?;
                } else {
                    root.draw(&PathElement::new(vec![(x, y), (x + p.i(22.0), y)], style))?;
                }
                root.draw(&Circle::new((x + p.i(11.0), y), p.u(3.5), color.filled()))?;
            } else {
                root.draw(&Rectangle::new(
                    [(x + p.i(6.0), y - p.i(5.0)), (x + p.i(16.0), y + p.i(5.0))],
                    color.filled(),
                ))?;
            }
            root.draw(&Text::new(name.clone(), (x + p.i(28.0), y), label.clone()))?;
        }
        Ok(())
    }
}

/// Grouped horizontal bars: categories top to bottom, values along x.
fn draw_bars<DB: DrawingBackend + 'static>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    categories: &[String],
    series: &[Series],
    palette: &Palette,
    p: Px,
) -> Drawn<DB::ErrorType> {
    let n = categories.len();
    let values: Vec<f64> = series.iter().flat_map(|s| s.values.iter().take(n).flatten().copied()).collect();
    if n == 0 || series.is_empty() || values.iter().all(|v| !v.is_finite()) {
        return Ok(None);
    }
    let theme = &palette.theme;
    let (width, _) = root.dim_in_pixel();
    let css_width = f64::from(width) / p.0;
    let x = scale(&values, true, chart.percent, 5);
    let axis = AxisFormat::new(x.lo.abs().max(x.hi.abs()), x.step, chart.percent);
    let labels: Vec<String> = categories.iter().map(|c| truncate_label(c, MAX_LABEL_CHARS)).collect();
    let longest = labels.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let label_area = (longest + 14.0).clamp(40.0, css_width * 0.45);
    let legend = Legend::new(root, series, p, label_area, false);
    let mut cc = ChartBuilder::on(root)
        .margin_top(p.i(legend.margin_top()))
        .margin_right(p.i(28.0))
        .margin_left(p.i(4.0))
        .margin_bottom(p.i(4.0))
        .x_label_area_size(p.i(40.0))
        .y_label_area_size(p.i(label_area))
        .build_cartesian_2d(
            Axis::new(x.lo, x.hi, x.ticks.clone()),
            Axis::new(-0.5, n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
        )?;
    // Category i sits at y = n - 1 - i, so the first is at the top.
    let y_label = |y: &f64| {
        let i = y.round();
        if (y - i).abs() > 1e-6 || i < 0.0 || i as usize >= n {
            return String::new();
        }
        labels.get(n - 1 - i as usize).cloned().unwrap_or_default()
    };
    let x_label = |v: &f64| axis.format(*v);
    cc.configure_mesh()
        .disable_y_mesh()
        .bold_line_style(p.stroke(theme.grid, 1.0))
        .light_line_style(TRANSPARENT)
        .axis_style(p.stroke(theme.muted, 1.0))
        .set_all_tick_mark_size(p.i(4.0))
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(chart.x_label.as_str())
        .label_style(p.font(12.0).color(&theme.fg))
        .axis_desc_style(p.font(12.0).color(&theme.muted))
        .draw()?;
    let k = series.len() as f64;
    let band = 0.8 / k;
    let mut hits = Vec::new();
    for (j, s) in series.iter().enumerate() {
        let color = palette.color(j);
        let mut bars = Vec::new();
        for (i, cat) in categories.iter().enumerate() {
            let y_mid = (n - 1 - i) as f64;
            let top = y_mid + 0.4 - band * j as f64;
            let bottom = top - band * 0.92;
            let value = s.values.get(i).copied().flatten().filter(|v| v.is_finite());
            let name = if series.len() > 1 { format!(" · {}", s.name) } else { String::new() };
            let text = format!("{cat}{name}: {}", value.map_or("no value".to_string(), |v| chart.percent_or(v)));
            let end = value.unwrap_or(0.0);
            let (a, b) = (cc.backend_coord(&(0.0, top)), cc.backend_coord(&(end, bottom)));
            // A bar of missing value is a thin hit area only, never a drawn zero.
            let b = if value.is_none() { (a.0 + p.i(4.0), b.1) } else { b };
            hits.push(p.hit(a, b, text));
            if let Some(v) = value {
                bars.push(Rectangle::new([(0.0, top), (v, bottom)], color.filled()));
            }
        }
        cc.draw_series(bars)?;
    }
    if x.lo < 0.0 {
        cc.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
            p.stroke(theme.muted, 1.0),
        )))?;
    }
    legend.draw(root, palette, p, false)?;
    Ok(Some(hits))
}

impl Chart {
    /// A value in this chart's unit.
    fn percent_or(&self, v: f64) -> String {
        format_value(v, self.percent)
    }
}

/// Lines over categories, broken where a value is missing, with a legend.
fn draw_lines<DB: DrawingBackend + 'static>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    categories: &[String],
    series: &[Series],
    palette: &Palette,
    p: Px,
) -> Drawn<DB::ErrorType> {
    let n = categories.len();
    let values: Vec<f64> =
        series.iter().flat_map(|s| s.values.iter().take(n).flatten().copied()).filter(|v| v.is_finite()).collect();
    if n == 0 || values.is_empty() {
        return Ok(None);
    }
    let theme = &palette.theme;
    let (width, _) = root.dim_in_pixel();
    let y = scale(&values, false, chart.percent, 5);
    let axis = AxisFormat::new(y.lo.abs().max(y.hi.abs()), y.step, chart.percent);
    let y_label_width = y.ticks.iter().map(|t| axis.format(*t).chars().count()).max().unwrap_or(1) as f64;
    let y_area = 22.0 + 7.5 * y_label_width + 8.0;
    let labels: Vec<String> = categories.iter().map(|c| truncate_label(c, LINE_LABEL_CHARS)).collect();
    let widest = labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 12.0;
    let plot_width = (f64::from(width) / p.0 - y_area - 24.0).max(64.0);
    let max_labels = ((plot_width / widest.max(40.0)).floor() as usize).max(1);
    let every = n.div_ceil(max_labels).max(1);
    let x_keys: Vec<f64> = (0..n).step_by(every).map(|i| i as f64).collect();
    // The last label is centred on the last point, near the right edge: room for its half.
    let last_half = x_keys.last().map_or(0.0, |&i| text_width(&labels[i as usize]) / 2.0);
    let legend = Legend::new(root, series, p, y_area, true);
    let mut cc = ChartBuilder::on(root)
        .margin_top(p.i(legend.margin_top()))
        .margin_right(p.i(last_half.max(16.0)))
        .margin_left(p.i(4.0))
        .margin_bottom(p.i(4.0))
        .x_label_area_size(p.i(40.0))
        .y_label_area_size(p.i(y_area))
        .build_cartesian_2d(Axis::new(-0.5, n as f64 - 0.5, x_keys), Axis::new(y.lo, y.hi, y.ticks.clone()))?;
    let x_label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        labels.get(i as usize).cloned().unwrap_or_default()
    };
    let y_label = |v: &f64| axis.format(*v);
    cc.configure_mesh()
        .disable_x_mesh()
        .bold_line_style(p.stroke(theme.grid, 1.0))
        .light_line_style(TRANSPARENT)
        .axis_style(p.stroke(theme.muted, 1.0))
        .set_all_tick_mark_size(p.i(4.0))
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .label_style(p.font(12.0).color(&theme.fg))
        .axis_desc_style(p.font(12.0).color(&theme.muted))
        .draw()?;
    // Categories where no series has a value: a light band, so a gap never reads as a zero.
    let bands = (0..n).filter(|&i| series.iter().all(|s| s.values.get(i).copied().flatten().is_none()));
    cc.draw_series(
        bands.map(|i| Rectangle::new([(i as f64 - 0.5, y.lo), (i as f64 + 0.5, y.hi)], theme.gap.filled())),
    )?;
    let mut hits = Vec::new();
    for (j, s) in series.iter().enumerate() {
        let color = palette.color(j);
        let style = p.stroke(color, 2.0);
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, v) in s.values.iter().take(n).enumerate() {
            match v.filter(|v| v.is_finite()) {
                Some(v) => {
                    if let Some(run) = runs.last_mut() {
                        run.push((i as f64, v));
                    }
                    let at = cc.backend_coord(&(i as f64, v));
                    let name = if series.len() > 1 { format!(" · {}", s.name) } else { String::new() };
                    hits.push(p.hit(at, at, format!("{}{name}: {}", categories[i], chart.percent_or(v))));
                }
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.iter().filter(|r| r.len() > 1) {
            if palette.dashed(j) {
                cc.draw_series(DashedLineSeries::new(run.clone(), p.i(7.0), p.i(4.0), style))?;
            } else {
                cc.draw_series(LineSeries::new(run.clone(), style))?;
            }
        }
        cc.draw_series(runs.iter().flatten().map(|&pt| Circle::new(pt, p.u(3.0), color.filled())))?;
    }
    legend.draw(root, palette, p, true)?;
    Ok(Some(hits))
}

/// A grid of cells coloured by value, with the values in the cells where they
/// fit and a colour scale on the right.
fn draw_heatmap<DB: DrawingBackend + 'static>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    rows: &[String],
    columns: &[String],
    values: &[Vec<Option<f64>>],
    palette: &Palette,
    p: Px,
) -> Drawn<DB::ErrorType> {
    let (nr, nc) = (rows.len(), columns.len());
    let cell =
        |r: usize, c: usize| values.get(r).and_then(|row| row.get(c)).copied().flatten().filter(|v| v.is_finite());
    let Some((lo, hi)) = extent((0..nr).flat_map(|r| (0..nc).filter_map(move |c| cell(r, c)))) else {
        return Ok(None);
    };
    let theme = &palette.theme;
    let high = palette.color(0);
    let (width, height) = root.dim_in_pixel();
    let css_width = f64::from(width) / p.0;
    let row_labels: Vec<String> = rows.iter().map(|l| truncate_label(l, 20)).collect();
    let col_labels: Vec<String> = columns.iter().map(|l| truncate_label(l, 10)).collect();
    let label_area =
        (row_labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 14.0).clamp(30.0, css_width * 0.35);
    let legend_w = 70.0;
    let plot_w = (css_width - label_area - legend_w - 8.0).max(40.0);
    let widest = col_labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 10.0;
    let every = nc.div_ceil(((plot_w / widest.max(30.0)).floor() as usize).max(1)).max(1);
    let mut cc = ChartBuilder::on(root)
        .margin_top(p.i(10.0))
        .margin_right(p.i(legend_w))
        .margin_left(p.i(4.0))
        .margin_bottom(p.i(4.0))
        .x_label_area_size(p.i(40.0))
        .y_label_area_size(p.i(label_area))
        .build_cartesian_2d(
            Axis::new(-0.5, nc as f64 - 0.5, (0..nc).step_by(every).map(|i| i as f64).collect()),
            Axis::new(-0.5, nr as f64 - 0.5, (0..nr).map(|i| i as f64).collect()),
        )?;
    let x_label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        col_labels.get(i as usize).cloned().unwrap_or_default()
    };
    let y_label = |y: &f64| {
        let i = y.round();
        if (y - i).abs() > 1e-6 || i < 0.0 || i as usize >= nr {
            return String::new();
        }
        row_labels.get(nr - 1 - i as usize).cloned().unwrap_or_default()
    };
    cc.configure_mesh()
        .disable_mesh()
        .axis_style(p.stroke(theme.muted, 1.0))
        .set_all_tick_mark_size(p.i(3.0))
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(chart.x_label.as_str())
        .label_style(p.font(12.0).color(&theme.fg))
        .axis_desc_style(p.font(12.0).color(&theme.muted))
        .draw()?;
    let mut hits = Vec::new();
    let mut cells = Vec::new();
    let mut texts = Vec::new();
    // Cells are all the same size: their values are written in all of them or in none.
    let (a, b) = (cc.backend_coord(&(-0.5, 0.5)), cc.backend_coord(&(0.5, -0.5)));
    let (cell_w, cell_h) = (f64::from((b.0 - a.0).abs()) / p.0, f64::from((b.1 - a.1).abs()) / p.0);
    let shown: Vec<f64> = (0..nr).flat_map(|r| (0..nc).filter_map(move |c| cell(r, c))).collect();
    let fits = |label: &str| cell_w >= text_width(label) * 0.9 + 6.0 && cell_h >= 14.0;
    let format = heat_label_format(&shown, chart.percent, fits);
    for (r, row_label) in rows.iter().enumerate() {
        let y = (nr - 1 - r) as f64;
        for (c, column_label) in columns.iter().enumerate() {
            let (x0, y0, x1, y1) = (c as f64 - 0.5, y + 0.5, c as f64 + 0.5, y - 0.5);
            let (a, b) = (cc.backend_coord(&(x0, y0)), cc.backend_coord(&(x1, y1)));
            let v = cell(r, c);
            let text =
                format!("{row_label} · {column_label}: {}", v.map_or("no value".to_string(), |v| chart.percent_or(v)));
            hits.push(p.hit(a, b, text));
            let Some(v) = v else { continue };
            let fill = heat_color(v, lo, hi, theme.bg, high);
            cells.push(Rectangle::new([(x0, y0), (x1, y1)], fill.filled()));
            cells.push(Rectangle::new([(x0, y0), (x1, y1)], p.stroke(theme.bg, 1.0)));
            if let Some(format) = format {
                let ink = readable_on(fill, theme.fg, theme.bg);
                let label = format.label(v, chart.percent);
                texts.push(Text::new(label, (c as f64, y), p.font(11.0).color(&ink).pos(text_anchor_center())));
            }
        }
    }
    cc.draw_series(cells)?;
    cc.draw_series(texts)?;
    // The colour scale: a vertical gradient from the highest value (top) to the lowest.
    let top = p.i(14.0);
    let bottom = height as i32 - p.i(48.0);
    let left = width as i32 - p.i(legend_w - 10.0);
    let steps = 40;
    let span = f64::from((bottom - top).max(1));
    for k in 0..steps {
        let t0 = f64::from(k) / f64::from(steps);
        let t1 = f64::from(k + 1) / f64::from(steps);
        let color = heat_color(hi - (hi - lo) * t0, lo, hi, theme.bg, high);
        let (ya, yb) = (top + (span * t0).round() as i32, top + (span * t1).round() as i32);
        root.draw(&Rectangle::new([(left, ya), (left + p.i(12.0), yb)], color.filled()))?;
    }
    root.draw(&Rectangle::new([(left, top), (left + p.i(12.0), bottom)], p.stroke(theme.muted, 1.0)))?;
    let legend_style = p.font(11.0).color(&theme.fg).pos(text_anchor_left());
    let step = ((hi - lo) / 4.0).max(f64::MIN_POSITIVE);
    let fmt = AxisFormat::new(lo.abs().max(hi.abs()), step, chart.percent);
    root.draw(&Text::new(fmt.format(hi), (left + p.i(16.0), top), legend_style.clone()))?;
    root.draw(&Text::new(fmt.format(lo), (left + p.i(16.0), bottom), legend_style))?;
    Ok(Some(hits))
}

/// Points at (x, y), each labelled in its tooltip.
fn draw_scatter<DB: DrawingBackend + 'static>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    points: &[(String, f64, f64)],
    palette: &Palette,
    p: Px,
) -> Drawn<DB::ErrorType> {
    let pts: Vec<&(String, f64, f64)> = points.iter().filter(|(_, x, y)| x.is_finite() && y.is_finite()).collect();
    if pts.is_empty() {
        return Ok(None);
    }
    let theme = &palette.theme;
    let xs: Vec<f64> = pts.iter().map(|p| p.1).collect();
    let ys: Vec<f64> = pts.iter().map(|p| p.2).collect();
    let x = scale(&xs, false, false, 5);
    let y = scale(&ys, false, chart.percent, 5);
    let x_fmt = AxisFormat::new(x.lo.abs().max(x.hi.abs()), x.step, false);
    let y_fmt = AxisFormat::new(y.lo.abs().max(y.hi.abs()), y.step, chart.percent);
    let y_label_width = y.ticks.iter().map(|t| y_fmt.format(*t).chars().count()).max().unwrap_or(1) as f64;
    let y_area = 22.0 + 7.5 * y_label_width + 8.0;
    let mut cc = ChartBuilder::on(root)
        .margin_top(p.i(12.0))
        .margin_right(p.i(20.0))
        .margin_left(p.i(4.0))
        .margin_bottom(p.i(4.0))
        .x_label_area_size(p.i(40.0))
        .y_label_area_size(p.i(y_area))
        .build_cartesian_2d(Axis::new(x.lo, x.hi, x.ticks.clone()), Axis::new(y.lo, y.hi, y.ticks.clone()))?;
    let xl = |v: &f64| x_fmt.format(*v);
    let yl = |v: &f64| y_fmt.format(*v);
    cc.configure_mesh()
        .bold_line_style(p.stroke(theme.grid, 1.0))
        .light_line_style(TRANSPARENT)
        .axis_style(p.stroke(theme.muted, 1.0))
        .set_all_tick_mark_size(p.i(4.0))
        .x_label_formatter(&xl)
        .y_label_formatter(&yl)
        .x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .label_style(p.font(12.0).color(&theme.fg))
        .axis_desc_style(p.font(12.0).color(&theme.muted))
        .draw()?;
    let color = palette.color(0);
    cc.draw_series(pts.iter().map(|&(_, px_, py)| Circle::new((*px_, *py), p.u(4.0), color.mix(0.75).filled())))?;
    let hits = pts
        .iter()
        .map(|(label, px_, py)| {
            let at = cc.backend_coord(&(*px_, *py));
            let text = format!(
                "{label}: {} {}, {} {}",
                chart.x_label,
                format_value(*px_, false),
                chart.y_label,
                chart.percent_or(*py)
            );
            p.hit(at, at, text)
        })
        .collect();
    Ok(Some(hits))
}

/// Draws `chart` into `canvas`: sizes its bitmap from its CSS box times the
/// device pixel ratio, reads the palette from its computed style. Draws
/// nothing while the canvas has no size (not laid out yet).
#[cfg(target_arch = "wasm32")]
pub fn draw_on_canvas(canvas: &web_sys::HtmlCanvasElement, chart: &Chart) -> Result<Vec<Hit>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let (w, h) = (canvas.client_width(), canvas.client_height());
    if w <= 0 || h <= 0 {
        return Ok(Vec::new());
    }
    let px = window.device_pixel_ratio().clamp(1.0, 4.0);
    // Setting the size also clears the canvas.
    canvas.set_width((f64::from(w) * px).round() as u32);
    canvas.set_height((f64::from(h) * px).round() as u32);
    let style = window.get_computed_style(canvas).ok().flatten();
    let palette = Palette::from_css(|name| style.as_ref().and_then(|s| s.get_property_value(name).ok()));
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    draw(&backend.into_drawing_area(), chart, &palette, px)
}

/// Draws into the canvas (wasm32 only; natively there is no canvas).
fn paint(canvas: &web_sys::HtmlCanvasElement, chart: &Chart) -> Vec<Hit> {
    #[cfg(target_arch = "wasm32")]
    {
        match draw_on_canvas(canvas, chart) {
            Ok(hits) => hits,
            Err(e) => {
                leptos::logging::warn!("chart {}: {e}", chart.id);
                Vec::new()
            }
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (canvas, chart);
        Vec::new()
    }
}

/// Calls `f` whenever `el` changes size (and once when observed, as when a
/// hidden tab is shown), until the current owner is cleaned up.
pub fn on_resize(el: &web_sys::HtmlCanvasElement, f: impl Fn() + 'static) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let callback = Closure::<dyn Fn()>::new(f);
        let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) else { return };
        observer.observe(el);
        let held = StoredValue::new_local(Some((observer, callback)));
        on_cleanup(move || {
            if let Some(Some((observer, _callback))) = held.try_update_value(Option::take) {
                observer.disconnect();
            }
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (el, f);
}

/// Calls `f` when `prefers-color-scheme` changes, until the current owner is cleaned up.
pub fn on_color_scheme_change(f: impl Fn() + 'static) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Some(query) = window().match_media("(prefers-color-scheme: dark)").ok().flatten() else { return };
        let callback = Closure::<dyn Fn()>::new(f);
        if query.add_event_listener_with_callback("change", callback.as_ref().unchecked_ref()).is_err() {
            return;
        }
        let held = StoredValue::new_local(Some((query, callback)));
        on_cleanup(move || {
            if let Some(Some((query, callback))) = held.try_update_value(Option::take) {
                let _ = query.remove_event_listener_with_callback("change", callback.as_ref().unchecked_ref());
            }
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = f;
}

/// The tooltip: where (CSS pixels in the canvas), whether it opens to the left, and what it says.
type Tip = Option<(f64, f64, bool, String)>;

/// A chart on a canvas, redrawn when `chart` changes, when the canvas is
/// resized and when the colour scheme changes. Hovering shows the nearest
/// value; "Show data" lists every value as a table.
#[component]
pub fn ChartCanvas(
    /// The chart.
    #[prop(into)]
    chart: Signal<Chart>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let size_tick = RwSignal::new(0u32);
    let theme_tick = RwSignal::new(0u32);
    let hits = StoredValue::new(Vec::<Hit>::new());
    let tip = RwSignal::new(None as Tip);
    on_color_scheme_change(move || theme_tick.update(|n| *n += 1));
    Effect::new(move |_| {
        theme_tick.track();
        size_tick.track();
        chart.with(|c| {
            if let Some(el) = canvas.get() {
                hits.set_value(paint(&el, c));
            }
        });
        tip.set(None);
    });
    Effect::new(move |_| {
        if let Some(el) = canvas.get() {
            on_resize(&el, move || size_tick.update(|n| *n += 1));
        }
    });
    let on_move = move |ev: web_sys::MouseEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let width = canvas.get_untracked().map_or(0.0, |c| f64::from(c.client_width()));
        let found = hits.with_value(|h| nearest(h, x, y, 24.0).and_then(|i| h.get(i)).map(|h| h.text.clone()));
        tip.set(found.map(|text| (x, y, x > width * 0.6, text)));
    };
    let summary_text = move || chart.with(summary);
    let height = move || chart.with(css_height).map_or("var(--chart-height, 15rem)".to_string(), |h| format!("{h}px"));
    let data = move || {
        chart.with(|c| {
            let (head, rows) = data_rows(c);
            let head = head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view();
            let rows = rows
                .into_iter()
                .map(|r| {
                    let mut cells = r.into_iter();
                    let first = cells.next().unwrap_or_default();
                    let rest = cells.map(|v| view! { <td class="num">{v}</td> }).collect_view();
                    view! {
                        <tr>
                            <th scope="row">{first}</th>
                            {rest}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table>
                    <caption class="visually-hidden">{c.title.clone()}</caption>
                    <thead>
                        <tr>{head}</tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    };
    view! {
        <figure class="chart widget-chart" data-testid=move || chart.with(|c| c.id.clone())>
            <figcaption>{move || chart.with(|c| c.title.clone())}</figcaption>
            <div class="chart-stage">
                // The CSS size is set here too, so the bitmap (CSS size × device
                // pixel ratio) can never feed back into the layout.
                <canvas
                    node_ref=canvas
                    class="chart-canvas"
                    role="img"
                    aria-label=summary_text
                    style:width="100%"
                    style:height=height
                    on:mousemove=on_move
                    on:mouseleave=move |_| tip.set(None)
                >
                    {summary_text}
                </canvas>
                <div
                    class="chart-tip"
                    class:flip=move || tip.with(|t| t.as_ref().is_some_and(|t| t.2))
                    aria-hidden="true"
                    data-testid="chart-tip"
                    hidden=move || tip.with(Option::is_none)
                    style:left=move || tip.with(|t| t.as_ref().map_or("0".to_string(), |t| format!("{}px", t.0)))
                    style:top=move || tip.with(|t| t.as_ref().map_or("0".to_string(), |t| format!("{}px", t.1)))
                >
                    {move || tip.with(|t| t.as_ref().map(|t| t.3.clone()).unwrap_or_default())}
                </div>
            </div>
            <details class="chart-data">
                <summary>"Show data"</summary>
                <div class="table-scroll">{data}</div>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_colour_is_drawn_the_other_way() {
        let palette = Palette::light();
        let n = palette.series.len();
        assert_eq!(n, 6);
        let looks: Vec<(RGBColor, bool)> = (0..2 * n).map(|i| (palette.color(i), palette.dashed(i))).collect();
        for i in 0..n {
            assert_eq!(looks[i].0, looks[i + n].0);
            assert_ne!(looks[i].1, looks[i + n].1, "series {i} and {}", i + n);
        }
        assert!(!looks[0].1 && looks[1].1, "the first solid, the second dashed");
    }

    #[test]
    fn a_legend_wraps_at_the_right_edge() {
        // An entry takes 28 + its text + 18: the third (at 346 + 128) would pass 400.
        let places = legend_layout(&[54.0, 100.0, 100.0, 40.0], 100.0, 400.0);
        assert_eq!(places, [(100.0, 0), (100.0 + 100.0, 0), (100.0, 1), (100.0 + 146.0, 1)]);
        // An entry wider than the room still starts a row of its own, never an empty one.
        assert_eq!(legend_layout(&[500.0, 10.0], 100.0, 300.0), [(100.0, 0), (100.0, 1)]);
        assert!(legend_layout(&[], 0.0, 10.0).is_empty());
    }

    fn chart(kind: ChartKind) -> Chart {
        Chart {
            title: "T".to_string(),
            x_label: "X".to_string(),
            y_label: "Y".to_string(),
            percent: false,
            kind,
            id: "t".to_string(),
        }
    }

    fn series(name: &str, values: &[Option<f64>]) -> Series {
        Series { name: name.to_string(), values: values.to_vec() }
    }

    #[test]
    fn heatmap_cells_are_labelled_alike_or_not_at_all() {
        // Up to three characters fit (a 27 px cell).
        let fits = |l: &str| l.chars().count() <= 3;
        assert_eq!(heat_label_format(&[956.0, 999.0, 14_000.0], false, fits), Some(HeatLabels::Compact));
        // 3.2K does not fit: every cell in whole thousands instead, 956 as 1K.
        let format = heat_label_format(&[956.0, 3_210.0, 14_356.0], false, fits).expect("whole thousands");
        let labels: Vec<String> = [956.0, 3_210.0, 14_356.0].iter().map(|&v| format.label(v, false)).collect();
        assert_eq!(labels, ["1K", "3K", "14K"]);
        // 300 would read 0K: no labels at all.
        assert_eq!(heat_label_format(&[300.0, 3_210.0, 14_356.0], false, fits), None);
        // A real zero may read 0.
        assert!(heat_label_format(&[0.0, 3_210.0, 14_356.0], false, fits).is_some());
        // Nothing fits a tiny cell.
        assert_eq!(heat_label_format(&[1.0, 2.0], false, |_| false), None);
    }

    #[test]
    fn long_labels_end_in_an_ellipsis() {
        assert_eq!(truncate_label("Short", 10), "Short");
        assert_eq!(truncate_label("exactly10!", 10), "exactly10!");
        // 9 characters kept (the space dropped), then the ellipsis.
        assert_eq!(truncate_label("The Grand Tour: Season 2", 10), "The Grand…");
        assert_eq!(truncate_label("Amélie Poulain", 4), "Amé…");
    }

    #[test]
    fn values_read_as_numbers_or_percents() {
        assert_eq!(format_value(1_288_546.0, false), "1,288,546");
        assert_eq!(format_value(-42_868.0, false), "-42,868");
        assert_eq!(format_value(1234.567, false), "1,234.57");
        // Small values keep three significant digits: 6.00 / 400 h = 0.015 per hour.
        assert_eq!(format_value(0.015, false), "0.0150");
        assert_eq!(format_value(-0.5, false), "-0.500");
        assert_eq!(format_value(0.0566, true), "5.7%");
        assert_eq!(format_value(f64::NAN, false), "—");
        assert_eq!(compact_value(1_234_567.0, false), "1.23M");
        assert_eq!(compact_value(456.0, false), "456");
        assert_eq!(compact_value(0.457, true), "45.7%");
    }

    #[test]
    fn nearest_finds_the_closest_bar_or_point_within_reach() {
        let hits = vec![
            Hit { x: 0.0, y: 0.0, w: 100.0, h: 10.0, text: "bar".to_string() },
            Hit { x: 50.0, y: 40.0, w: 0.0, h: 0.0, text: "point".to_string() },
        ];
        assert_eq!(nearest(&hits, 20.0, 5.0, 24.0), Some(0), "inside the bar");
        // 30 below the bar's bottom edge (10) is 30 away from the bar, 10 from the point.
        assert_eq!(nearest(&hits, 50.0, 30.0, 24.0), Some(1));
        assert_eq!(nearest(&hits, 300.0, 300.0, 24.0), None, "too far from everything");
        assert_eq!(nearest(&[], 0.0, 0.0, 24.0), None);
    }

    #[test]
    fn heat_colours_run_from_a_tint_to_the_series_colour() {
        let (bg, high) = (RGBColor(255, 255, 255), RGBColor(0, 0, 0));
        assert_eq!(heat_color(10.0, 0.0, 10.0, bg, high), high);
        // The lowest value is 12% of the way: 255 × 0.88 = 224.4 → 224.
        assert_eq!(heat_color(0.0, 0.0, 10.0, bg, high), RGBColor(224, 224, 224));
        // Halfway: 0.12 + 0.88 × 0.5 = 0.56 of the way: 255 × 0.44 = 112.2 → 112.
        assert_eq!(heat_color(5.0, 0.0, 10.0, bg, high), RGBColor(112, 112, 112));
        // One value only: full colour, never a division by zero.
        assert_eq!(heat_color(3.0, 3.0, 3.0, bg, high), high);
        assert_eq!(
            readable_on(RGBColor(10, 10, 10), RGBColor(0, 0, 0), RGBColor(255, 255, 255)),
            RGBColor(255, 255, 255)
        );
        assert_eq!(readable_on(RGBColor(240, 240, 240), RGBColor(0, 0, 0), RGBColor(255, 255, 255)), RGBColor(0, 0, 0));
        assert!((contrast(RGBColor(0, 0, 0), RGBColor(255, 255, 255)) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn palette_reads_css_and_cycles() {
        let p = Palette::from_css(|n| (n == "--chart-3").then(|| "#010203".to_string()));
        assert_eq!(p.color(2), RGBColor(1, 2, 3));
        assert_eq!(p.color(0), Theme::LIGHT.series1);
        assert_eq!(p.color(6), p.color(0));
        assert_eq!(Palette::light().series.len(), 6);
    }

    #[test]
    fn summaries_and_data_tables_say_what_is_drawn() {
        let bars = chart(ChartKind::Bars {
            categories: vec!["A".to_string(), "B".to_string()],
            series: vec![series("Minutes", &[Some(5.0), Some(1200.0)])],
        });
        assert_eq!(summary(&bars), "T, bar chart of 2 categories; highest B (1,200)");
        let lines = chart(ChartKind::Lines {
            categories: vec!["Jan".to_string(), "Feb".to_string(), "Mar".to_string()],
            series: vec![series("S", &[Some(1.0), None, Some(3.0)])],
        });
        assert_eq!(summary(&lines), "T, line chart, Jan to Mar: S 1 to 3 (1 missing)");
        let (head, rows) = data_rows(&lines);
        assert_eq!(head, ["", "S"]);
        assert_eq!(rows[1], ["Feb", "—"]);
        let mut heat = chart(ChartKind::Heatmap {
            rows: vec!["r".to_string()],
            columns: vec!["a".to_string(), "b".to_string()],
            values: vec![vec![Some(0.25), None]],
        });
        heat.percent = true;
        assert_eq!(summary(&heat), "T, heatmap of 1 rows by 2 columns, values from 25.0% to 25.0%");
        assert_eq!(data_rows(&heat).1, [["r", "25.0%", "—"]]);
        let scatter =
            chart(ChartKind::Scatter { points: vec![("p".to_string(), 1.0, 2.0), ("q".to_string(), 3.0, 4.0)] });
        assert_eq!(summary(&scatter), "T, scatter of 2 points, X from 1 to 3, Y from 2 to 4");
        assert_eq!(css_height(&bars), Some(200.0), "90 + 22 × 2 = 134, at least 200");
        assert_eq!(css_height(&lines), None);
    }

    use crate::widgets::recording::{rgb, Log, Recorder};

    fn record(c: &Chart) -> (Log, Vec<Hit>) {
        let (rec, log) = Recorder::new((640, 300));
        let hits = draw(&rec.into_drawing_area(), c, &Palette::light(), 1.0).expect("drawn");
        (log.take(), hits)
    }

    #[test]
    fn bars_draw_one_rect_per_value_and_none_for_missing() {
        let long = "A title far too long to fit next to the axis";
        let c = chart(ChartKind::Bars {
            categories: vec![long.to_string(), "B".to_string()],
            series: vec![series("Minutes", &[Some(100.0), Some(50.0)]), series("Viewers", &[Some(10.0), None])],
        });
        let (log, hits) = record(&c);
        let palette = Palette::light();
        let blue = log.fills.iter().filter(|f| f.0 == rgb(palette.color(0))).count();
        let orange: Vec<_> = log.fills.iter().filter(|f| f.0 == rgb(palette.color(1))).collect();
        // Two Minutes bars plus the legend swatch; one Viewers bar (B has none) plus its swatch.
        assert_eq!((blue, orange.len()), (3, 2));
        assert!(log.texts.iter().any(|t| t == &truncate_label(long, MAX_LABEL_CHARS)), "{:?}", log.texts);
        assert!(log.texts.iter().any(|t| t == "Minutes") && log.texts.iter().any(|t| t == "Viewers"));
        // A hit per category and series, the missing one saying so; the first title's bar is on top.
        assert_eq!(hits.len(), 4);
        assert_eq!(hits[0].text, format!("{long} · Minutes: 100"));
        assert_eq!(hits[3].text, "B · Viewers: no value");
        assert!(hits[0].y < hits[1].y, "first category at the top");
        // 100 reaches twice as far from zero as 50.
        let (w100, w50) = (hits[0].w, hits[1].w);
        assert!((w100 / w50 - 2.0).abs() < 0.05, "{w100} vs {w50}");
    }

    #[test]
    fn lines_break_at_missing_values() {
        let c = chart(ChartKind::Lines {
            categories: ["a", "b", "c", "d", "e"].map(String::from).to_vec(),
            series: vec![series("S", &[Some(1.0), Some(2.0), None, Some(4.0), Some(5.0)])],
        });
        let (log, hits) = record(&c);
        let line = rgb(Palette::light().color(0));
        let segments: Vec<usize> =
            log.paths.iter().filter(|p| p.0 == line && p.1.len() > 1).map(|p| p.1.len()).collect();
        // Two runs of two points (a-b, d-e) and the legend sample: never a line through c.
        assert_eq!(segments.iter().filter(|&&n| n == 2).count(), 3, "{segments:?}");
        assert_eq!(hits.len(), 4, "a hit per value");
        // "c" has no value in any series: a light band behind it.
        assert!(log.fills.iter().any(|f| f.0 == rgb(Theme::LIGHT.gap)));
    }

    #[test]
    fn heatmaps_write_values_and_a_scale() {
        let mut c = chart(ChartKind::Heatmap {
            rows: vec!["r0".to_string(), "r1".to_string()],
            columns: vec!["a".to_string(), "b".to_string()],
            values: vec![vec![Some(1.0), Some(0.5)], vec![Some(0.25), None]],
        });
        c.percent = true;
        let (log, hits) = record(&c);
        for t in ["100.0%", "50.0%", "25.0%", "100%", "25%"] {
            assert!(log.texts.iter().any(|x| x == t), "{t} in {:?}", log.texts);
        }
        assert_eq!(hits.len(), 4);
        assert_eq!(hits[3].text, "r1 · b: no value");
        assert!(hits[0].w > 0.0 && hits[0].h > 0.0);
    }

    #[test]
    fn nothing_to_draw_says_so() {
        let c = chart(ChartKind::Scatter { points: vec![] });
        let (log, hits) = record(&c);
        assert_eq!(log.texts, ["No values to plot"]);
        assert!(hits.is_empty());
    }
}
