//! Reading a file in byte ranges (each range its own `Ingest`, merged with
//! `Ingest::absorb`) gives exactly what reading it in one piece gives: the
//! same report (rows, problems and their lines, notes, blank lines) and the
//! same analysis, wherever the cuts fall; a cut inside a quoted value that
//! spans lines is refused, never misread. Parts absorbed straight or after
//! a trip through bytes (as between workers) are the same.

// Only the chunking helpers of the shared test utilities are used here.
#[allow(dead_code)]
mod util;

use slatelens_core::ingest::{next_line_start, range_feed_start, RangePart};
use slatelens_core::{analyze, demo, ingest_bytes, Ingest, IngestedFile};
use util::fingerprint;

/// Reads `bytes` as the CLI does with several jobs: the first range's
/// `Ingest` reads `head` bytes to learn the conventions, gives a sibling per
/// later range, each range is fed up to the line start after its cut, and
/// the siblings are absorbed in order (`as_bytes`: each as bytes, as the
/// page's workers send them). `None` when the split is refused.
fn read_in_ranges(
    name: &str,
    bytes: &[u8],
    head: usize,
    cuts: &[usize],
    chunk: usize,
    as_bytes: bool,
) -> Option<IngestedFile> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(cuts.iter().map(|&c| c + next_line_start(&bytes[c - 1..]).map_or(bytes.len(), |i| i - 1)))
        .chain([bytes.len()])
        .collect();
    let mut first = Ingest::new(name);
    let head = head.min(starts[1]);
    for piece in bytes[..head].chunks(chunk) {
        first.push(piece);
    }
    let mut siblings: Vec<Ingest> = Vec::new();
    for &start in &starts[1..starts.len() - 1] {
        siblings.push(first.range_sibling(start as u64)?);
    }
    for piece in bytes[head..starts[1]].chunks(chunk) {
        first.push(piece);
    }
    for (k, sibling) in siblings.iter_mut().enumerate() {
        let from = range_feed_start(starts[k + 1] as u64) as usize;
        for piece in bytes[from..starts[k + 2]].chunks(chunk) {
            sibling.push(piece);
        }
    }
    for sibling in siblings {
        let absorbed = if as_bytes {
            let part = sibling.into_range_part().expect("a viewership range");
            first.absorb_part(RangePart::from_bytes(&part.to_bytes().expect("packs")).expect("bytes read back"))
        } else {
            first.absorb(sibling)
        };
        if !absorbed {
            return None;
        }
    }
    Some(first.finish())
}

/// Bytes the first range reads before it gives siblings: past the 64 KiB head.
const HEAD: usize = 70_000;

fn assert_same(name: &str, bytes: &[u8], whole: &IngestedFile, ranged: &IngestedFile, what: &str) {
    assert_eq!(whole.report.content_hash, ranged.report.content_hash, "{name} {what}: hash differs");
    let (a, b) = (fingerprint(whole), fingerprint(ranged));
    assert!(a.0 == b.0, "{name} {what}: report differs:\n{}\n{}", a.0, b.0);
    assert!(a.1 == b.1, "{name} {what}: data differs");
    let (x, y) = (
        serde_json::to_string(&analyze(std::slice::from_ref(whole))).expect("json"),
        serde_json::to_string(&analyze(std::slice::from_ref(ranged))).expect("json"),
    );
    assert!(x == y, "{name} {what}: analysis differs ({} bytes)", bytes.len());
}

/// A generated file with what real files have between their rows: blank
/// lines, a bad row, a totals row, a repeated header, a stray non-UTF-8 byte.
fn messy_viewership() -> Vec<u8> {
    let text = String::from_utf8(demo::pid_viewership(11, 1500, 200).into_bytes()).expect("UTF-8");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header = lines[0].clone();
    let total = format!("Total{}", ",".repeat(header.matches(',').count()));
    lines.insert(300, String::new());
    lines.insert(301, String::new());
    lines.insert(600, lines[5].clone() + ",extra");
    lines.insert(900, header);
    lines.insert(1200, total);
    lines.push(String::new());
    let mut bytes = lines.join("\n").into_bytes();
    bytes.push(b'\n');
    // A Windows-1252 byte in a title, around the middle.
    let at = bytes.len() / 2;
    let comma = at + bytes[at..].iter().position(|&b| b == b',').expect("a comma");
    bytes.insert(comma, 0xe9);
    bytes
}

#[test]
fn ranges_read_like_one_piece_wherever_they_are_cut() {
    let files =
        [("viewership.csv", demo::pid_viewership(7, 1200, 150).into_bytes()), ("messy.csv", messy_viewership())];
    for (name, bytes) in &files {
        let whole = ingest_bytes(name, bytes);
        assert!(whole.report.error.is_none(), "{:?}", whole.report.error_line());
        if *name == "messy.csv" {
            let r = &whole.report;
            assert!(r.rejected >= 3, "{:?}", r.problems);
            assert!(r.notes.iter().any(|n| n.contains("blank lines")), "{:?}", r.notes);
            assert!(r.notes.iter().any(|n| n.contains("not UTF-8")), "{:?}", r.notes);
        }
        let n = bytes.len();
        let mut tried = 0;
        // The first range holds at least the 64 KiB head (the CLI splits only files past 64 MiB).
        for cut in (HEAD..n).step_by((n - HEAD) / 97) {
            let ranged =
                read_in_ranges(name, bytes, HEAD, &[cut], 4096, tried % 2 == 1).expect("a plain split is accepted");
            assert_same(name, bytes, &whole, &ranged, &format!("cut at {cut}"));
            tried += 1;
        }
        for cuts in [[n / 4, n / 2, 3 * n / 4], [n / 3, n / 3 + 1, n / 3 + 200], [HEAD + 10, n - 300, n - 1]] {
            for (chunk, as_bytes) in [(1 << 20, true), (997, false)] {
                let ranged =
                    read_in_ranges(name, bytes, HEAD, &cuts, chunk, as_bytes).expect("a plain split is accepted");
                assert_same(name, bytes, &whole, &ranged, &format!("cuts at {cuts:?}"));
            }
        }
        assert!(tried >= 90);
    }
}

#[test]
fn a_cut_inside_a_quoted_line_break_is_refused() {
    let text = String::from_utf8(demo::pid_viewership(3, 400, 50).into_bytes()).expect("UTF-8");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // A title with a line break inside its quotes, in the middle of the file.
    let row = lines[300].clone();
    let cells: Vec<&str> = row.split(',').collect();
    let title_col = lines[0].split(',').position(|h| h == "Title Name").expect("title column");
    let mut fixed: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
    assert!(!row.contains('"'), "a row without quoted cells: {row}");
    fixed[title_col] = "\"Two\nLines\"".to_string();
    lines[300] = fixed.join(",");
    let bytes = (lines.join("\n") + "\n").into_bytes();
    let whole = ingest_bytes("quoted.csv", &bytes);
    // Cut right after the quoted line break: the next range would start inside the quotes.
    let inside = String::from_utf8_lossy(&bytes).find("Two\nLines").expect("the title") + 4;
    assert_eq!(whole.report.used, 400);
    assert!(inside > HEAD, "the quoted title is past the head");
    assert!(read_in_ranges("quoted.csv", &bytes, HEAD, &[inside], 4096, false).is_none());
    assert!(read_in_ranges("quoted.csv", &bytes, HEAD, &[inside], 4096, true).is_none());
    // Cut elsewhere: accepted, and the same.
    let ranged = read_in_ranges("quoted.csv", &bytes, HEAD, &[HEAD + 100], 4096, true).expect("accepted");
    assert_same("quoted.csv", &bytes, &whole, &ranged, "a cut before the quoted line break");
}
