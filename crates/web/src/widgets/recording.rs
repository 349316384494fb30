//! A drawing backend for tests: it records what plotters draws (strokes,
//! filled rectangles, circles, texts) so chart tests check the drawing
//! natively, without a canvas.

use plotters::prelude::RGBColor;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind as E,
};
use std::cell::RefCell;
use std::rc::Rc;

/// A stroke: its colour and points.
pub type Stroke = ((u8, u8, u8), Vec<BackendCoord>);

/// What a [`Recorder`] saw.
#[derive(Debug, Default)]
pub struct Log {
    /// Lines and paths, in drawing order.
    pub paths: Vec<Stroke>,
    /// Filled rectangles: colour and corners.
    pub fills: Vec<((u8, u8, u8), BackendCoord, BackendCoord)>,
    /// Circles drawn.
    pub circles: usize,
    /// Texts drawn.
    pub texts: Vec<String>,
}

/// A backend of a given size that records into a shared [`Log`].
pub struct Recorder {
    log: Rc<RefCell<Log>>,
    size: (u32, u32),
}

impl Recorder {
    /// A recorder of `size` pixels, and the log it fills.
    pub fn new(size: (u32, u32)) -> (Recorder, Rc<RefCell<Log>>) {
        let log = Rc::new(RefCell::new(Log::default()));
        (Recorder { log: Rc::clone(&log), size }, log)
    }
}

/// A colour as the log keeps it.
pub fn rgb(c: RGBColor) -> (u8, u8, u8) {
    (c.0, c.1, c.2)
}

/// The recorder never fails.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl DrawingBackend for Recorder {
    type ErrorType = Never;
    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> Result<(), E<Never>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), E<Never>> {
        Ok(())
    }
    fn draw_pixel(&mut self, _: BackendCoord, _: BackendColor) -> Result<(), E<Never>> {
        Ok(())
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), E<Never>> {
        self.log.borrow_mut().paths.push((style.color().rgb, vec![from, to]));
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), E<Never>> {
        self.log.borrow_mut().paths.push((style.color().rgb, path.into_iter().collect()));
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), E<Never>> {
        if fill {
            self.log.borrow_mut().fills.push((style.color().rgb, a, b));
        }
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(&mut self, _: BackendCoord, _: u32, _: &S, _: bool) -> Result<(), E<Never>> {
        self.log.borrow_mut().circles += 1;
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        _: I,
        _: &S,
    ) -> Result<(), E<Never>> {
        Ok(())
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, _: &T, _: BackendCoord) -> Result<(), E<Never>> {
        self.log.borrow_mut().texts.push(text.to_string());
        Ok(())
    }
}
