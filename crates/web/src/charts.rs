//! Charts drawn with plotters into `<canvas>` (placeholder).
