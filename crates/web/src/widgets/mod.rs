//! Building blocks every view shares: metric cards, sortable tables, charts,
//! and the period pickers, warning lists and empty states of [`picker`].
//!
//! Views build plain data ([`Card`], [`Table`], [`Chart`]) from their section
//! of the analysis and hand it to these components; the components own
//! rendering, sorting, keyboard use, tooltips, export and theming.

pub mod card;
pub mod chart;
pub mod picker;
#[cfg(test)]
pub(crate) mod recording;
pub mod table;

pub use card::{Card, Cards};
pub use chart::{Chart, ChartCanvas, ChartKind, Series};
pub use table::{Cell, Column, DataTable, Table};
