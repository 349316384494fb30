//! A fast path for the common record: split without `csv_core`'s byte-at-a-time
//! state machine, with the same result.
//!
//! Most rows of a large report are "plain": every field either unquoted with
//! no quote inside, or quoted with no line break inside and a delimiter or
//! line break right after its closing quote; the whole record, with its
//! terminator, already in the input at hand. [`split`] splits such a record
//! into the same cells and cell ends `csv_core` would produce, and says `None`
//! for anything else (a blank line, a quote inside an unquoted field, text
//! after a closing quote, a line break inside quotes, a record cut off by the
//! end of the chunk), which the caller then gives to `csv_core`. So the two
//! never disagree: the fast path only takes records whose reading is not in
//! doubt, and `tests` below compare both on random inputs.

/// Records longer than this go to `csv_core`, which alone decides when a
/// record is too long (an unclosed quote), whatever the chunking.
const MAX_PLAIN_BYTES: usize = 64 * 1024;

/// Bytes that end or change an unquoted field's scan.
const fn specials(delimiter: u8) -> [bool; 256] {
    let mut t = [false; 256];
    t[delimiter as usize] = true;
    t[b'"' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
}

/// A record split by [`split`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Split {
    /// Input bytes the record and its terminator took.
    pub consumed: usize,
    /// Bytes of cells written at the start of `out` (past them, `out` holds
    /// scratch).
    pub len: usize,
    /// Every byte of the record is ASCII (so its text is valid UTF-8 and
    /// every cell end is a character boundary).
    pub ascii: bool,
}

/// The splitter for one delimiter.
#[derive(Clone)]
pub(super) struct Splitter {
    delimiter: u8,
    special: [bool; 256],
}

impl Splitter {
    pub fn new(delimiter: u8) -> Splitter {
        Splitter { delimiter, special: specials(delimiter) }
    }

    /// The delimiter it splits on.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The position of the first special byte (the delimiter, a quote or a
    /// line break) in `input` from `i`, or `input.len()`: eight bytes at a
    /// time, each compared in the lanes of a `u64`.
    #[inline]
    fn find_special(&self, input: &[u8], mut i: usize) -> usize {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        // The lowest byte of `x` that is zero has its high bit set here (bits
        // above it may be wrong, which the lowest set bit never is).
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
        let (d, q, lf, cr) = (ONES * u64::from(self.delimiter), ONES * u64::from(b'"'), ONES * 0x0a, ONES * 0x0d);
        while let Some(word) = input.get(i..i + 8) {
            let w = u64::from_le_bytes([word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7]]);
            let m = zero(w ^ d) | zero(w ^ q) | zero(w ^ lf) | zero(w ^ cr);
            if m != 0 {
                return i + (m.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        while i < input.len() && !self.special[input[i] as usize] {
            i += 1;
        }
        i
    }

    /// Splits the record at the start of `input` (which must be at a record
    /// boundary) into `out` (cell bytes, written from index 0, `len` of them) and `ends`
    /// (cell end offsets into `out`), as `csv_core` would; `None`, with `out`
    /// and `ends` in an unspecified state, when the record is not plain.
    pub fn split(&self, input: &[u8], out: &mut Vec<u8>, ends: &mut Vec<usize>) -> Option<Split> {
        let delimiter = self.delimiter;
        ends.clear();
        let input = &input[..input.len().min(MAX_PLAIN_BYTES)];
        let first = *input.first()?;
        if first == b'\r' || first == b'\n' {
            return None;
        }
        // Cells never outgrow the input: with 16 bytes to spare, a short cell
        // is copied as one fixed 16-byte block (two loads and stores; a
        // variable-length copy is a library call in wasm).
        if out.len() < input.len() + 16 {
            out.resize(input.len() + 16, 0);
        }
        let mut len = 0;
        let put = |out: &mut [u8], len: &mut usize, from: usize, to: usize| {
            let n = to - from;
            match input.get(from..from + 16) {
                Some(block) if n <= 16 => out[*len..*len + 16].copy_from_slice(block),
                _ => out[*len..*len + n].copy_from_slice(&input[from..to]),
            }
            *len += n;
        };
        let n = input.len();
        let mut i = 0;
        loop {
            // One field, starting at i.
            if input.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    let rel = input[i..].iter().position(|&b| b == b'"' || b == b'\n' || b == b'\r')?;
                    put(out, &mut len, i, i + rel);
                    i += rel;
                    if input[i] != b'"' {
                        return None; // A line break inside quotes.
                    }
                    match input.get(i + 1) {
                        Some(b'"') => {
                            // The first quote of the pair is the cell's quote.
                            put(out, &mut len, i, i + 1);
                            i += 2;
                        }
                        Some(&b) if b == delimiter || b == b'\n' || b == b'\r' => {
                            i += 1;
                            break;
                        }
                        _ => return None, // Text after the closing quote, or the input ends.
                    }
                }
            } else {
                let start = i;
                i = self.find_special(input, i);
                if i == n || input[i] == b'"' {
                    return None;
                }
                put(out, &mut len, start, i);
            }
            ends.push(len);
            // input[i] is the delimiter or a line break.
            let consumed = match input[i] {
                b'\n' => i + 1,
                // csv_core treats "\r\n" as one terminator: take both, or
                // leave a final "\r" (its "\n" may be in the next chunk).
                b'\r' => match input.get(i + 1) {
                    Some(b'\n') => i + 2,
                    Some(_) => i + 1,
                    None => return None,
                },
                _ => {
                    i += 1;
                    continue;
                }
            };
            return Some(Split { consumed, len, ascii: input[..consumed].is_ascii() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first record of `input` as `csv_core` reads it: (cells, ends, consumed),
    /// or `None` when the input ends before the record does.
    fn by_csv_core(input: &[u8], delimiter: u8) -> Option<(Vec<u8>, Vec<usize>, usize)> {
        let mut r = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut out = vec![0; 4096];
        let mut ends = vec![0; 512];
        let (res, nin, nout, nend) = r.read_record(input, &mut out, &mut ends);
        match res {
            csv_core::ReadRecordResult::Record => {
                // csv_core leaves the "\n" of a "\r\n" for the next call: take it, as the fast path does.
                let nin =
                    if input.get(nin - 1) == Some(&b'\r') && input.get(nin) == Some(&b'\n') { nin + 1 } else { nin };
                Some((out[..nout].to_vec(), ends[..nend].to_vec(), nin))
            }
            _ => None,
        }
    }

    fn check(input: &[u8], delimiter: u8) {
        let s = Splitter::new(delimiter);
        let (mut out, mut ends) = (Vec::new(), Vec::new());
        if let Some(split) = s.split(input, &mut out, &mut ends) {
            let (o, e, consumed) = by_csv_core(input, delimiter)
                .unwrap_or_else(|| panic!("csv_core finds no record in {:?}", String::from_utf8_lossy(input)));
            let cells = out[..split.len].to_vec();
            // The caller counts no line inside a plain record.
            assert!(!cells.iter().any(|&b| b == b'\n' || b == b'\r'), "{:?}", String::from_utf8_lossy(input));
            assert_eq!(
                (cells, ends.clone(), split.consumed),
                (o, e, consumed),
                "input {:?}",
                String::from_utf8_lossy(input)
            );
            assert_eq!(split.ascii, input[..split.consumed].is_ascii());
        }
    }

    #[test]
    fn plain_records_split_as_csv_core_splits_them() {
        for input in [
            &b"a,b,c\n"[..],
            b"a,b,c\r\nd",
            b"a,b,c\rd",
            b"\"x, y\",\"say \"\"hi\"\"\",,\"\"\n",
            b",,\n",
            b"caf\xc3\xa9,1\n",
            b"a;b\n",
        ] {
            check(input, b',');
            check(input, b';');
        }
    }

    #[test]
    fn records_in_doubt_are_left_to_csv_core() {
        let s = Splitter::new(b',');
        let (mut out, mut ends) = (Vec::new(), Vec::new());
        for input in [
            &b"a,b"[..],     // no terminator yet
            b"a,b\r",        // "\r" last: its "\n" may follow
            b"\na,b\n",      // a blank line first
            b"a\"b,c\n",     // a quote inside an unquoted field
            b"\"a\"b,c\n",   // text after a closing quote
            b"\"a\nb\",c\n", // a line break inside quotes
            b"\"a,b\n",      // an unclosed quote
            b"",
        ] {
            assert_eq!(s.split(input, &mut out, &mut ends), None, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn random_inputs_agree_with_csv_core() {
        // Seeded (the same inputs every run), over an alphabet rich in the bytes that matter.
        let alphabet = b"ab ,;\"\"\r\n\xc3\xa9\t";
        let mut rng = fastrand::Rng::with_seed(0x9E37_79B9_7F4A_7C15);
        for _ in 0..60_000 {
            let input: Vec<u8> = (0..rng.usize(1..=32)).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            check(&input, b',');
            check(&input, b';');
            check(&input, b'\t');
        }
        // Long records, their fields many words long.
        let plain = b"abcdefghij0123456789.-: ";
        for _ in 0..5_000 {
            let input: Vec<u8> = (0..rng.usize(1..=400))
                .map(|_| {
                    if rng.usize(..12) == 0 {
                        alphabet[rng.usize(..alphabet.len())]
                    } else {
                        plain[rng.usize(..plain.len())]
                    }
                })
                .collect();
            check(&input, b',');
            check(&input, b';');
        }
    }
}
