//! Persistent-ID Viewership and the Daily Anonymized viewership file: one row
//! per stream by one (encrypted) customer.
//!
//! Title, season and episode are free text in this report; every dimension
//! other than the customer and the stream start may be empty.

use crate::ingest::{Conventions, Record};
use crate::report::Problem;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

// Field indices into [`crate::schema::PID_VIEWERSHIP`].
const START: usize = 0;
const END: usize = 1;
const MARKETPLACE_ID: usize = 2;
const MARKETPLACE: usize = 3;
const OFFER_ID: usize = 4;
const OFFER_NAME: usize = 5;
const CUSTOMER_ID: usize = 6;
const STREAM_START: usize = 7;
const CONNECTION_TYPE: usize = 8;
const STREAM_TYPE: usize = 9;
const DEVICE_CLASS: usize = 10;
const DEVICE_SUBCLASS: usize = 11;
const DMA: usize = 12;
const PLAYBACK_METHOD: usize = 13;
const SECONDS_VIEWED: usize = 14;
const AD_SECONDS_VIEWED: usize = 15;
const CONTENT_TYPE: usize = 16;
const TITLE: usize = 17;
const SEASON: usize = 18;
const EPISODE: usize = 19;
const STUDIO: usize = 20;
const RUNTIME_MINUTES: usize = 21;
const CHANNEL_NAME: usize = 22;
const VENDOR_SKU: usize = 23;
const CONTENT_GROUP: usize = 24;

/// One row (one stream) of a Persistent-ID or Daily Anonymized viewership report.
/// Text cells borrow from the record: a row costs no allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row<'a> {
    /// Line in the file, for tracing a number back to its rows.
    pub line: u64,
    /// First day of the period (inclusive), when the file has it.
    pub start: Option<NaiveDate>,
    /// Last day of the period (inclusive), when the file has it.
    pub end: Option<NaiveDate>,
    /// Marketplace ID (e.g. `1`).
    pub marketplace_id: Option<&'a str>,
    /// Marketplace Description (e.g. `US`).
    pub marketplace: Option<&'a str>,
    /// The offer (plan ID).
    pub offer_id: Option<&'a str>,
    /// The plan name (may change without notice).
    pub offer_name: Option<&'a str>,
    /// Encrypted customer ID.
    pub customer_id: &'a str,
    /// When the stream started.
    pub stream_start: NaiveDateTime,
    /// Connection Type.
    pub connection_type: Option<&'a str>,
    /// `VOD` or `Live`.
    pub stream_type: Option<&'a str>,
    /// Device Class (`Living Room Devices`, `Mobile Devices`, `Web`, `Others`).
    pub device_class: Option<&'a str>,
    /// Device Subclass (e.g. `Game Console`).
    pub device_subclass: Option<&'a str>,
    /// The 3-digit DMA (Designated Market Area) code, as written.
    pub dma: Option<&'a str>,
    /// Playback Method (e.g. `online`).
    pub playback_method: Option<&'a str>,
    /// Seconds of non-ad content viewed in the stream.
    pub seconds_viewed: Decimal,
    /// Seconds of ads viewed in the stream.
    pub ad_seconds_viewed: Option<Decimal>,
    /// `TV` or `Movie`.
    pub content_type: Option<&'a str>,
    /// Series name (TV) or movie name.
    pub title: Option<&'a str>,
    /// Season, as written.
    pub season: Option<&'a str>,
    /// Episode, as written.
    pub episode: Option<&'a str>,
    /// Studio Name.
    pub studio: Option<&'a str>,
    /// Runtime of the title in minutes.
    pub runtime_minutes: Option<Decimal>,
    /// Live/Linear Channel Name.
    pub channel_name: Option<&'a str>,
    /// Vendor SKU of the content asset.
    pub vendor_sku: Option<&'a str>,
    /// Content group streamed from (`3P_SUBS`, `FREE`, `PRIME`).
    pub content_group: Option<&'a str>,
}

/// Reads one record.
pub fn parse<'a>(rec: &'a Record) -> Result<Row<'a>, Problem> {
    parse_with(rec, &mut ReportDates::default())
}

/// The Report Start and End cells of the last row read and their dates:
/// every row of a file repeats the same two, so they are parsed once.
#[derive(Debug, Clone, Default)]
struct ReportDates {
    last: Option<(String, String, Conventions, ReportSpan)>,
}

/// Report Start and Report End, each `None` when its cell is empty.
type ReportSpan = (Option<NaiveDate>, Option<NaiveDate>);

impl ReportDates {
    fn of(&mut self, rec: &Record) -> Result<ReportSpan, Problem> {
        let (s, e, conv) = (rec.text(START).unwrap_or(""), rec.text(END).unwrap_or(""), rec.conventions());
        if let Some((ls, le, lc, dates)) = &self.last {
            if same_text(ls, s) && same_text(le, e) && *lc == conv {
                return Ok(*dates);
            }
        }
        let start = rec.date(START)?;
        let end = rec.date(END)?;
        if let (Some(start), Some(end)) = (start, end) {
            if end < start {
                return Err(Problem::row(rec.line(), format!("Report End {end} is before Report Start {start}")));
            }
        }
        self.last = Some((s.to_string(), e.to_string(), conv, (start, end)));
        Ok((start, end))
    }
}

/// [`parse`], with the report dates of the rows before.
fn parse_with<'a>(rec: &'a Record, dates: &mut ReportDates) -> Result<Row<'a>, Problem> {
    let (start, end) = dates.of(rec)?;
    let text = |field| rec.text(field);
    Ok(Row {
        line: rec.line(),
        start,
        end,
        marketplace_id: text(MARKETPLACE_ID),
        marketplace: text(MARKETPLACE),
        offer_id: text(OFFER_ID),
        offer_name: text(OFFER_NAME),
        customer_id: rec.required_text(CUSTOMER_ID)?,
        stream_start: rec.required_datetime(STREAM_START)?,
        connection_type: text(CONNECTION_TYPE),
        stream_type: text(STREAM_TYPE),
        device_class: text(DEVICE_CLASS),
        device_subclass: text(DEVICE_SUBCLASS),
        dma: text(DMA),
        playback_method: text(PLAYBACK_METHOD),
        seconds_viewed: rec.required_decimal(SECONDS_VIEWED)?,
        ad_seconds_viewed: rec.decimal(AD_SECONDS_VIEWED)?,
        content_type: text(CONTENT_TYPE),
        title: text(TITLE),
        season: text(SEASON),
        episode: text(EPISODE),
        studio: text(STUDIO),
        runtime_minutes: rec.decimal(RUNTIME_MINUTES)?,
        channel_name: text(CHANNEL_NAME),
        vendor_sku: text(VENDOR_SKU),
        content_group: text(CONTENT_GROUP),
    })
}

// ---------------------------------------------------------------------------
// The aggregate

/// A fast, non-cryptographic hasher (the Fx multiply-rotate) for the
/// aggregate's own hash maps: day numbers, customer-day keys and dimension
/// texts. The data never leaves the machine, so hash flooding is not
/// a concern; SipHash would cost more than the rest of the row.
#[derive(Debug, Clone, Copy, Default)]
pub struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Fx = std::hash::BuildHasherDefault<FxHasher>;

type FxMap<K, V> = std::collections::HashMap<K, V, Fx>;

/// The key of a customer: a 64-bit hash of the Encrypted Customer ID. Every
/// per-customer report hashes with this, so files join on it.
pub fn customer_key(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

/// An amount read from a cell, ready to add: whole thousandths when the cell
/// has at most three decimals (nearly always), else the exact decimal.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Amount {
    Milli(i64),
    Exact(Decimal),
}

impl Amount {
    fn of(d: Decimal) -> Amount {
        let d = if d.scale() > 3 { d.normalize() } else { d };
        if d.scale() <= 3 {
            // In 64 bits: a 128-bit multiply is a library call in wasm.
            let m = i64::try_from(d.mantissa()).ok().and_then(|m| m.checked_mul(10i64.pow(3 - d.scale())));
            if let Some(m) = m {
                return Amount::Milli(m);
            }
        }
        Amount::Exact(d)
    }
}

/// An exact sum: thousandths in a 64-bit integer (fast, and native in wasm,
/// where 128-bit adds are not), plus a decimal for the rare amounts with more
/// than three decimals and for anything past the integer's range (9.2 × 10¹⁵
/// seconds). Never rounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Sum {
    milli: i64,
    #[serde(with = "wire::decimal")]
    extra: Decimal,
}

impl Sum {
    fn add(&mut self, a: Amount) {
        match a {
            Amount::Milli(m) => self.add_milli(m),
            Amount::Exact(d) => self.extra += d,
        }
    }
    fn add_milli(&mut self, m: i64) {
        match self.milli.checked_add(m) {
            Some(v) => self.milli = v,
            None => self.extra += Decimal::new(m, 3),
        }
    }
    fn merge(&mut self, o: &Sum) {
        self.add_milli(o.milli);
        self.extra += o.extra;
    }
    /// The exact value, trailing zeros dropped.
    fn value(&self) -> Decimal {
        Decimal::new(self.milli, 3).saturating_add(self.extra).normalize()
    }
}

/// A key of an [`OpenMap`].
trait OpenKey: Copy + Eq {
    /// A value no real key takes: it marks an empty slot.
    const EMPTY: Self;
    /// A 64-bit hash of the key; its top bits pick the key's home slot.
    fn spread(self) -> u64;
}

/// Dense customer indices: no customer gets `u32::MAX` (it would take 2³² customers).
impl OpenKey for u32 {
    const EMPTY: u32 = u32::MAX;
    fn spread(self) -> u64 {
        u64::from(self).wrapping_mul(FX_SEED)
    }
}

/// Customer keys ([`customer_key`]), already good hashes; the one key equal
/// to `u64::MAX` is looked up as `u64::MAX - 1` (see [`CustomerIndex`]).
impl OpenKey for u64 {
    const EMPTY: u64 = u64::MAX;
    fn spread(self) -> u64 {
        self
    }
}

/// A hash map with open addressing, linear probing and no control bytes: a
/// lookup touches one slot (one cache line, nearly always) where a `HashMap`
/// touches a control group and a slot. Its slots are exactly `(K, V)`, so it
/// costs no more memory than a `HashMap` of them.
#[derive(Debug, Clone)]
struct OpenMap<K, V> {
    slots: Vec<(K, V)>,
    len: usize,
    /// `64 - log2(slots.len())`: a key's home slot is the top bits of its spread.
    shift: u32,
}

/// Sparse day columns and customer sets, keyed by dense customer index.
type IndexMap<V> = OpenMap<u32, V>;

/// Serialized as its entries only (empty slots would be most of the bytes),
/// and built again from them.
impl<K: OpenKey + Serialize, V: Copy + Default + Serialize> Serialize for OpenMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        // The length first (postcard needs it): `iter` filters, so it does not know it.
        let mut seq = s.serialize_seq(Some(self.len))?;
        for entry in self.iter() {
            seq.serialize_element(&entry)?;
        }
        seq.end()
    }
}

impl<'de, K: OpenKey + Deserialize<'de>, V: Copy + Default + Deserialize<'de>> Deserialize<'de> for OpenMap<K, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = Vec::<(K, V)>::deserialize(d)?;
        // Sized for all of them first: the entries come in slot order, which
        // in a smaller table would pile up in long probe runs.
        let mut map = OpenMap::with_room(entries.len());
        for (k, v) in entries {
            if k == K::EMPTY {
                return Err(serde::de::Error::custom("an empty key"));
            }
            *map.entry(k).0 = v;
        }
        Ok(map)
    }
}

impl<K, V> Default for OpenMap<K, V> {
    fn default() -> Self {
        OpenMap { slots: Vec::new(), len: 0, shift: 64 }
    }
}

impl<K: OpenKey, V: Copy + Default> OpenMap<K, V> {
    fn home(&self, k: K) -> usize {
        k.spread().checked_shr(self.shift).unwrap_or(0) as usize
    }
    /// The position of `k`'s slot, or of the empty slot where it would go
    /// (linear probing from its home; `slots` must not be empty).
    #[inline]
    fn slot(&self, k: K) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.home(k);
        while self.slots[i].0 != k && self.slots[i].0 != K::EMPTY {
            i = (i + 1) & mask;
        }
        i
    }
    /// The value of `k`, inserted as `V::default()` if absent; `true` when it was.
    fn entry(&mut self, k: K) -> (&mut V, bool) {
        debug_assert!(k != K::EMPTY);
        // At most seven eighths full, as hashbrown: the same memory as a `HashMap` of its slots.
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow();
        }
        let i = self.slot(k);
        let new = self.slots[i].0 == K::EMPTY;
        if new {
            self.slots[i] = (k, V::default());
            self.len += 1;
        }
        (&mut self.slots[i].1, new)
    }
    /// Reads `k`'s home slot (to start its cache miss early; see [`Aggregate::add`]).
    #[inline]
    fn touch(&self, k: K) -> bool {
        self.slots.get(self.home(k)).is_some_and(|&(key, _)| key == k)
    }
    /// The value of `k`, if present.
    fn get(&self, k: K) -> Option<V> {
        if self.slots.is_empty() {
            return None;
        }
        let (key, v) = self.slots[self.slot(k)];
        (key == k).then_some(v)
    }
    /// An empty map the size `n` entries grow it to.
    fn with_room(n: usize) -> Self {
        let mut map = OpenMap::default();
        if n > 0 {
            let mut size = 16;
            while n * 8 > size * 7 {
                size *= 2;
            }
            map.slots = vec![(K::EMPTY, V::default()); size];
            map.shift = 64 - size.trailing_zeros();
        }
        map
    }
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![(K::EMPTY, V::default()); n]);
        self.shift = 64 - n.trailing_zeros();
        for (k, v) in old.into_iter().filter(|&(k, _)| k != K::EMPTY) {
            let i = self.slot(k);
            self.slots[i] = (k, v);
        }
    }
    fn len(&self) -> usize {
        self.len
    }
    fn iter(&self) -> impl Iterator<Item = (K, V)> + '_ {
        self.slots.iter().copied().filter(|&(k, _)| k != K::EMPTY)
    }
    fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<(K, V)>()
    }
}

/// A vector stored in blocks of `N` items (default [`CHUNK`]), for the arrays
/// indexed by customer (per-customer records, dense day columns and bitmaps):
/// it holds at most one block it does not use and never copies to grow, where
/// a `Vec` of 200,000 customers reserves room for 262,144 and, while it
/// doubles, holds the old and the new buffer at once. Small blocks also fit in
/// the memory that sparse tables freed as they grew.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Chunks<T, const N: usize = CHUNK> {
    blocks: Vec<Vec<T>>,
    len: usize,
}

/// Items per block of [`Chunks`] by default (a power of two).
const CHUNK: usize = 4096;

impl<T, const N: usize> Default for Chunks<T, N> {
    fn default() -> Self {
        Chunks { blocks: Vec::new(), len: 0 }
    }
}

impl<T, const N: usize> Chunks<T, N> {
    /// Item `i`, if held.
    #[inline]
    fn get(&self, i: usize) -> Option<&T> {
        self.blocks.get(i / N).and_then(|b| b.get(i % N))
    }
    fn push(&mut self, v: T) {
        if self.len % N == 0 {
            self.blocks.push(Vec::with_capacity(N));
        }
        if let Some(block) = self.blocks.last_mut() {
            block.push(v);
        }
        self.len += 1;
    }
    fn len(&self) -> usize {
        self.len
    }
    /// Pushes `T::default()` until `len` items are held.
    fn fill_to(&mut self, len: usize)
    where
        T: Default,
    {
        while self.len < len {
            self.push(T::default());
        }
    }
    fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.blocks.iter().flatten()
    }
    fn heap_bytes(&self) -> usize {
        self.blocks.len() * N * std::mem::size_of::<T>() + self.blocks.capacity() * std::mem::size_of::<Vec<T>>()
    }
}

impl<T, const N: usize> std::ops::Index<usize> for Chunks<T, N> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.blocks[i / N][i % N]
    }
}

impl<T, const N: usize> std::ops::IndexMut<usize> for Chunks<T, N> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.blocks[i / N][i % N]
    }
}

/// Dense customer indices by [`customer_key`]: the key is already a good
/// hash, so its top bits pick the slot directly.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct CustomerIndex(OpenMap<u64, u32>);

impl CustomerIndex {
    /// The index of `key`, `next` if it is new (then stored).
    fn get_or_insert(&mut self, key: u64, next: u32) -> u32 {
        // `u64::MAX` marks empty slots: that one key shares a slot with
        // `u64::MAX - 1`, a collision as likely as any other (one in 2⁶⁴).
        let (index, new) = self.0.entry(key.min(u64::MAX - 1));
        if new {
            *index = next;
        }
        *index
    }
    fn heap_bytes(&self) -> usize {
        self.0.heap_bytes()
    }
}

/// A set of dense customer indices: a hash set while the slice has few
/// customers, a bitmap once it holds at least one in 64 of the file's
/// customers (then a bit costs less than a hash-set slot).
#[derive(Debug, Clone, Serialize, Deserialize)]
enum CustomerSet {
    Sparse(IndexMap<()>),
    /// In 1 KB blocks, which fit in the memory freed by sparse sets (see
    /// [`DayColumn::Dense`]) and leave at most 1 KB unused per set.
    Dense {
        bits: Bits,
        len: u64,
    },
}

/// A bitmap by customer index.
type Bits = Chunks<u64, 128>;

impl Default for CustomerSet {
    fn default() -> Self {
        CustomerSet::Sparse(IndexMap::default())
    }
}

impl CustomerSet {
    /// Adds `c`; `universe` is how many customers the file has so far.
    fn insert(&mut self, c: u32, universe: usize) {
        match self {
            CustomerSet::Sparse(set) => {
                if set.entry(c).1 && set.len() >= 32 && set.len() * 64 >= universe {
                    let mut bits = Bits::default();
                    let mut len = 0;
                    for (i, ()) in set.iter() {
                        set_bit(&mut bits, i, &mut len);
                    }
                    *self = CustomerSet::Dense { bits, len };
                }
            }
            CustomerSet::Dense { bits, len } => set_bit(bits, c, len),
        }
    }
    /// Reads the memory `c`'s insert will touch (see [`Aggregate::add`]).
    #[inline]
    fn touch(&self, c: u32) -> u64 {
        match self {
            CustomerSet::Sparse(s) => u64::from(s.touch(c)),
            CustomerSet::Dense { bits, .. } => bits.get(c as usize / 64).copied().unwrap_or(0),
        }
    }
    fn len(&self) -> u64 {
        match self {
            CustomerSet::Sparse(s) => s.len() as u64,
            CustomerSet::Dense { len, .. } => *len,
        }
    }
    fn for_each(&self, mut f: impl FnMut(u32)) {
        match self {
            CustomerSet::Sparse(s) => s.iter().for_each(|(c, ())| f(c)),
            CustomerSet::Dense { bits, .. } => {
                for (w, &word) in bits.iter().enumerate() {
                    let mut word = word;
                    while word != 0 {
                        let b = word.trailing_zeros();
                        f((w as u32) * 64 + b);
                        word &= word - 1;
                    }
                }
            }
        }
    }
    fn heap_bytes(&self) -> usize {
        match self {
            CustomerSet::Sparse(s) => s.heap_bytes(),
            CustomerSet::Dense { bits, .. } => bits.heap_bytes(),
        }
    }
}

/// `a == b` for the short texts of a row's cells, eight bytes at a time: in
/// wasm, `==` on `str` calls a `memcmp` that compares byte by byte.
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// `a == b`, eight bytes at a time (see [`same_text`]).
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |c: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        u64::from_le_bytes(w)
    };
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    if !(&mut x).zip(&mut y).all(|(p, q)| word(p) == word(q)) {
        return false;
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

#[inline]
fn set_bit(bits: &mut Bits, i: u32, len: &mut u64) {
    let (w, b) = ((i / 64) as usize, i % 64);
    bits.fill_to(w + 1);
    if bits[w] & (1 << b) == 0 {
        bits[w] |= 1 << b;
        *len += 1;
    }
}

/// What one slice of the streams (a day, a title, a device class...) adds up to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Slice {
    streams: u64,
    seconds: Sum,
    ad_seconds: Sum,
    customers: CustomerSet,
    /// Streams with a Runtime Minutes cell, their seconds viewed and Σ runtime minutes.
    runtime_streams: u64,
    runtime_seconds: Sum,
    runtime_minutes: Sum,
}

/// One stream, its amounts read once and added to every slice it belongs to.
struct Stream {
    customer: u32,
    universe: usize,
    seconds: Amount,
    ad_seconds: Option<Amount>,
    runtime_minutes: Option<Amount>,
}

impl Slice {
    fn add(&mut self, s: &Stream) {
        self.add_amounts(s);
        self.customers.insert(s.customer, s.universe);
    }
    /// Adds the stream's counts and amounts, not its customer: for slices
    /// whose distinct customers are known elsewhere (the total, a day), a
    /// set insert would be a cache miss for nothing.
    fn add_amounts(&mut self, s: &Stream) {
        self.streams += 1;
        self.seconds.add(s.seconds);
        if let Some(a) = s.ad_seconds {
            self.ad_seconds.add(a);
        }
        if let Some(r) = s.runtime_minutes {
            self.runtime_streams += 1;
            self.runtime_seconds.add(s.seconds);
            self.runtime_minutes.add(r);
        }
    }
    /// Adds another file's slice; `remap` turns its customer indices into ours.
    fn merge(&mut self, o: &Slice, remap: &[u32], universe: usize) {
        self.streams += o.streams;
        self.seconds.merge(&o.seconds);
        self.ad_seconds.merge(&o.ad_seconds);
        o.customers.for_each(|c| self.customers.insert(remap[c as usize], universe));
        self.runtime_streams += o.runtime_streams;
        self.runtime_seconds.merge(&o.runtime_seconds);
        self.runtime_minutes.merge(&o.runtime_minutes);
    }
    fn heap_bytes(&self) -> usize {
        self.customers.heap_bytes()
    }
}

/// Read-only totals of one slice, as [`Aggregate`] hands them out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SliceTotals {
    /// Rows (streams).
    pub streams: u64,
    /// Σ Seconds Viewed (exact).
    pub seconds_viewed: Decimal,
    /// Σ Ad Seconds Viewed (empty cells count nothing).
    pub ad_seconds_viewed: Decimal,
    /// Distinct customers.
    pub customers: u64,
    /// Streams with a Runtime Minutes cell.
    pub runtime_streams: u64,
    /// Σ Seconds Viewed of the streams with a runtime.
    pub runtime_seconds_viewed: Decimal,
    /// Σ Runtime Minutes of the streams with a runtime.
    pub runtime_minutes: Decimal,
}

impl Slice {
    fn totals(&self) -> SliceTotals {
        SliceTotals {
            streams: self.streams,
            seconds_viewed: self.seconds.value(),
            ad_seconds_viewed: self.ad_seconds.value(),
            customers: self.customers.len(),
            runtime_streams: self.runtime_streams,
            runtime_seconds_viewed: self.runtime_seconds.value(),
            runtime_minutes: self.runtime_minutes.value(),
        }
    }
}

/// Texts interned once: each distinct text is allocated once, rows look it up
/// by `&str` without allocating.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Interner {
    ids: FxMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// The id of `text`, trying `last` (the id this call site got last time)
    /// before hashing: sorted files repeat a cell row after row, and
    /// low-cardinality cells (marketplace, stream type) repeat in any file.
    /// `last` is updated.
    fn id_after(&mut self, text: &str, last: &mut u32) -> u32 {
        if self.names.get(*last as usize).is_some_and(|n| same_text(n, text)) {
            return *last;
        }
        *last = self.id(text);
        *last
    }
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }
    fn find(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }
    fn heap_bytes(&self) -> usize {
        let text: usize = self.names.iter().map(|n| n.len()).sum();
        2 * text + self.ids.capacity() * (16 + 4 + 1) * 8 / 7 + self.names.capacity() * 16
    }
}

/// One dimension (device class, DMA...): a slice per distinct text, and for
/// offers the name shown beside the ID.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Dim {
    names: Interner,
    slices: Vec<Slice>,
    labels: Vec<Option<Box<str>>>,
    /// The id [`Dim::slot`] returned last (a cache, checked against the text).
    last: u32,
}

impl Dim {
    /// The id of `text`, with a slice made for it if new.
    fn slot(&mut self, text: &str, label: Option<&str>) -> u32 {
        let id = self.names.id_after(text, &mut self.last) as usize;
        if id == self.slices.len() {
            self.slices.push(Slice::default());
            self.labels.push(label.map(Into::into));
        } else if self.labels[id].is_none() && label.is_some() {
            self.labels[id] = label.map(Into::into);
        }
        id as u32
    }
    fn heap_bytes(&self) -> usize {
        self.names.heap_bytes()
            + self.slices.iter().map(Slice::heap_bytes).sum::<usize>()
            + self.slices.capacity() * std::mem::size_of::<Slice>()
    }
}

const DAY: usize = 0;
const WEEK: usize = 1;
const MONTH: usize = 2;

/// Slices per day, ISO week (keyed by its Monday) and calendar month (keyed
/// by its first day) of stream start, in one vector.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Periods {
    /// Per kind ([`DAY`], [`WEEK`], [`MONTH`]): each date's slice position.
    index: [std::collections::BTreeMap<NaiveDate, u32>; 3],
    slices: Vec<Slice>,
}

impl Periods {
    /// The day, week and month slice positions of `day`, made if new.
    fn of(&mut self, day: NaiveDate) -> [u32; 3] {
        [self.slot(DAY, day), self.slot(WEEK, week_of(day)), self.slot(MONTH, month_of(day))]
    }
    /// The slice position of `date` in `kind`, made if new.
    fn slot(&mut self, kind: usize, date: NaiveDate) -> u32 {
        let next = self.slices.len() as u32;
        let i = *self.index[kind].entry(date).or_insert(next);
        if i == next {
            self.slices.push(Slice::default());
        }
        i
    }
    /// The dates of `kind` and their slices, in date order.
    fn iter(&self, kind: usize) -> impl Iterator<Item = (NaiveDate, &Slice)> + '_ {
        self.index[kind].iter().map(|(d, &i)| (*d, &self.slices[i as usize]))
    }
    fn heap_bytes(&self) -> usize {
        // A B-tree entry: a 4-byte date, a 4-byte position, about as much again in node slack.
        self.index.iter().map(|m| m.len() * 16).sum::<usize>()
            + self.slices.iter().map(Slice::heap_bytes).sum::<usize>()
            + self.slices.capacity() * std::mem::size_of::<Slice>()
    }
}

/// A row's (title id, season index, episode index).
type PathSlots = (u32, u32, u32);

/// Title, season and episode slots by the three cells of a row, keyed by
/// their bytes, each after its length (a missing title differs from an empty one).
#[derive(Debug, Clone, Default)]
struct Paths {
    /// Positions in `keys` by the key's hash: a table whose keys are compared
    /// with [`same_bytes`], as a `HashMap`'s would be with `memcmp`.
    index: hashbrown::HashTable<u32>,
    keys: Vec<(Box<[u8]>, PathSlots)>,
    hasher: Fx,
    /// The key of the row [`Paths::find`] last looked up, and its hash.
    key: Vec<u8>,
    hash: u64,
    key_bytes: usize,
}

impl Paths {
    /// The slots of the row's title, season and episode, if seen before.
    fn find(&mut self, row: &Row<'_>) -> Option<(u32, u32, u32)> {
        self.key.clear();
        match row.title {
            None => self.key.push(0),
            Some(title) => {
                for cell in [title, row.season.unwrap_or(""), row.episode.unwrap_or("")] {
                    self.key.extend_from_slice(&(cell.len() as u32).to_le_bytes());
                    self.key.extend_from_slice(cell.as_bytes());
                }
            }
        }
        self.hash = std::hash::BuildHasher::hash_one(&self.hasher, &self.key[..]);
        let (keys, key) = (&self.keys, &self.key[..]);
        self.index.find(self.hash, |&i| same_bytes(&keys[i as usize].0, key)).map(|&i| keys[i as usize].1)
    }
    /// The slots of the row last passed to [`Paths::find`].
    fn remember(&mut self, slots: (u32, u32, u32)) {
        self.key_bytes += self.key.len();
        let (keys, hasher) = (&self.keys, &self.hasher);
        self.index.insert_unique(self.hash, keys.len() as u32, |&i| {
            std::hash::BuildHasher::hash_one(hasher, &keys[i as usize].0[..])
        });
        self.keys.push((self.key[..].into(), slots));
    }
    fn heap_bytes(&self) -> usize {
        self.key_bytes
            + self.key.capacity()
            + self.index.capacity() * (4 + 1) * 8 / 7
            + self.keys.capacity() * std::mem::size_of::<(Box<[u8]>, PathSlots)>()
    }
}

/// A level below titles: seasons (parent = title id) or episodes (parent = season index).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Level {
    index: FxMap<(u32, u32), u32>,
    keys: Vec<(u32, u32)>,
    slices: Vec<Slice>,
    /// The index [`Level::slot`] returned last (a cache, checked against the key).
    last: u32,
}

impl Level {
    fn slot(&mut self, parent: u32, name: u32) -> u32 {
        if self.keys.get(self.last as usize) == Some(&(parent, name)) {
            return self.last;
        }
        if let Some(&i) = self.index.get(&(parent, name)) {
            self.last = i;
            return i;
        }
        let i = self.keys.len() as u32;
        self.keys.push((parent, name));
        self.slices.push(Slice::default());
        self.index.insert((parent, name), i);
        self.last = i;
        i
    }
    fn heap_bytes(&self) -> usize {
        self.index.capacity() * 13 * 8 / 7
            + self.keys.capacity() * 8
            + self.slices.iter().map(Slice::heap_bytes).sum::<usize>()
            + self.slices.capacity() * std::mem::size_of::<Slice>()
    }
}

/// Milliseconds viewed per customer on one day, stored `ms + 1` (0 = no
/// stream): a hash map while few of the file's customers streamed that day, a
/// dense array by customer index once at least one in four did. The memory is
/// then bounded by customers × days, however many rows the file has.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum DayColumn {
    Sparse(IndexMap<u32>),
    /// 3 bytes per customer (a hash-map slot takes more), in [`Chunks`] of
    /// 12 KB: a column made dense late in a big file then fits in the memory
    /// the sparse tables freed as they grew (one 600 KB block per column
    /// would not, and that memory stayed resident unused). A cell holding
    /// [`BIG`] (4 h 39 min and more) has its value in `big`.
    Dense {
        cells: Chunks<[u8; 3]>,
        big: IndexMap<u32>,
    },
}

/// The dense [`DayColumn`] cell whose value is kept in the column's `big` map.
const BIG: u32 = (1 << 24) - 1;

fn cell_value(cell: [u8; 3]) -> u32 {
    u32::from_le_bytes([cell[0], cell[1], cell[2], 0])
}

fn cell_bytes(n: u32) -> [u8; 3] {
    let [a, b, c, _] = n.to_le_bytes();
    [a, b, c]
}

/// A cell holding `old` after adding `ms`, and whether `ms` fit (when not,
/// the cell is only marked as viewed).
fn cell_add(old: u32, ms: i64) -> (u32, bool) {
    let old = old.max(1);
    match u32::try_from(i64::from(old) + ms) {
        Ok(n) if ms >= 0 => (n, true),
        _ => (old, false),
    }
}

/// Stores `n` in customer `c`'s dense cell (or in `big`).
fn dense_set(cells: &mut Chunks<[u8; 3]>, big: &mut IndexMap<u32>, c: u32, n: u32) {
    cells[c as usize] = cell_bytes(n.min(BIG));
    if n >= BIG {
        *big.entry(c).0 = n;
    }
}

impl DayColumn {
    /// Adds `ms` for customer `c`; `false` when it does not fit in the cell (the
    /// caller keeps it exactly elsewhere; the cell is still marked as viewed).
    fn add(&mut self, c: u32, ms: i64, universe: usize) -> bool {
        match self {
            DayColumn::Sparse(m) => {
                let cell = m.entry(c).0;
                let (n, fits) = cell_add(*cell, ms);
                *cell = n;
                if m.len() >= 64 && m.len() * 4 >= universe {
                    let (mut cells, mut big) = (Chunks::default(), IndexMap::default());
                    cells.fill_to(universe);
                    for (c, n) in m.iter() {
                        if (c as usize) < universe {
                            dense_set(&mut cells, &mut big, c, n);
                        }
                    }
                    *self = DayColumn::Dense { cells, big };
                }
                fits
            }
            DayColumn::Dense { cells, big } => {
                cells.fill_to(c as usize + 1);
                let old = match cell_value(cells[c as usize]) {
                    BIG => *big.entry(c).0,
                    n => n,
                };
                let (n, fits) = cell_add(old, ms);
                dense_set(cells, big, c, n);
                fits
            }
        }
    }

    /// Reads the memory `c`'s add will touch (see [`Aggregate::add`]).
    #[inline]
    fn touch(&self, c: u32) -> u64 {
        match self {
            DayColumn::Sparse(m) => u64::from(m.touch(c)),
            DayColumn::Dense { cells, .. } => cells.get(c as usize).map_or(0, |&n| u64::from(cell_value(n))),
        }
    }

    /// Customers who streamed that day.
    fn len(&self) -> u64 {
        match self {
            DayColumn::Sparse(m) => m.len() as u64,
            DayColumn::Dense { cells, .. } => cells.iter().filter(|&&n| n != [0; 3]).count() as u64,
        }
    }

    /// (customer index, milliseconds) of the customers who streamed that day.
    fn cells(&self) -> Box<dyn Iterator<Item = (u32, i64)> + '_> {
        match self {
            DayColumn::Sparse(m) => Box::new(m.iter().map(|(c, n)| (c, i64::from(n) - 1))),
            DayColumn::Dense { cells, big } => {
                Box::new(cells.iter().enumerate().filter(|(_, &n)| n != [0; 3]).map(|(c, &n)| {
                    let c = c as u32;
                    let n = match cell_value(n) {
                        BIG => big.get(c).unwrap_or(BIG),
                        n => n,
                    };
                    (c, i64::from(n) - 1)
                }))
            }
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            DayColumn::Sparse(m) => m.heap_bytes(),
            DayColumn::Dense { cells, big } => cells.heap_bytes() + big.heap_bytes(),
        }
    }
}

/// Seconds per customer and day: a [`DayColumn`] per day, and the exact
/// remainder of amounts that do not fit one (more than three decimals,
/// negative, or past 49 days in a cell) by `index << 32 | day number`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct CustomerDays {
    /// Each day's position in `columns`.
    days: std::collections::BTreeMap<u32, u32>,
    /// (day number, column).
    columns: Vec<(u32, DayColumn)>,
    #[serde(with = "wire::decimal_map")]
    extra: FxMap<u64, Decimal>,
}

impl CustomerDays {
    /// The position of `day`'s column, made if new.
    fn column(&mut self, day: u32) -> u32 {
        let next = self.columns.len() as u32;
        let i = *self.days.entry(day).or_insert(next);
        if i == next {
            self.columns.push((day, DayColumn::Sparse(IndexMap::default())));
        }
        i
    }
    /// The column of `day`, if any customer streamed that day.
    fn get(&self, day: u32) -> Option<&DayColumn> {
        self.days.get(&day).map(|&i| &self.columns[i as usize].1)
    }
    fn add(&mut self, c: u32, day: u32, a: Amount, universe: usize) {
        let col = self.column(day);
        self.add_at(col, c, a, universe);
    }
    /// Adds to customer `c`'s cell in the column at position `col` (from [`CustomerDays::column`]).
    fn add_at(&mut self, col: u32, c: u32, a: Amount, universe: usize) {
        let (day, col) = &mut self.columns[col as usize];
        let day = *day;
        let (ms, rest) = match a {
            Amount::Milli(m) => (m, None),
            Amount::Exact(d) => (0, Some(d)),
        };
        let rest = if col.add(c, ms, universe) { rest } else { Some(rest.unwrap_or_default() + Decimal::new(ms, 3)) };
        if let Some(d) = rest {
            *self.extra.entry(u64::from(c) << 32 | u64::from(day)).or_default() += d;
        }
    }

    /// (customer index, day number, exact seconds) of every customer-day, lazily.
    fn iter(&self) -> impl Iterator<Item = (u32, u32, Decimal)> + '_ {
        self.days.iter().flat_map(move |(&day, &i)| {
            self.columns[i as usize].1.cells().map(move |(c, ms)| {
                let extra = self.extra.get(&(u64::from(c) << 32 | u64::from(day))).copied().unwrap_or_default();
                (c, day, (Decimal::new(ms, 3) + extra).normalize())
            })
        })
    }

    /// (customer index, day number, exact seconds) of every customer-day.
    fn for_each(&self, mut f: impl FnMut(u32, u32, Decimal)) {
        self.iter().for_each(|(c, d, s)| f(c, d, s));
    }

    fn heap_bytes(&self) -> usize {
        // A B-tree entry: two u32, about as much again in node slack.
        self.days.len() * 16
            + self.columns.iter().map(|(_, c)| c.heap_bytes()).sum::<usize>()
            + self.columns.capacity() * std::mem::size_of::<(u32, DayColumn)>()
            + self.extra.capacity() * 25 * 8 / 7
    }
}

/// The dimensions every stream is counted in, besides time and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Device Class.
    DeviceClass,
    /// Device Subclass.
    DeviceSubclass,
    /// DMA Geography.
    Dma,
    /// Marketplace Description (or ID when the description is empty).
    Marketplace,
    /// Offer ID, with its Offer Name beside it.
    Offer,
    /// Stream Type (VOD or Live).
    StreamType,
    /// Connection Type.
    ConnectionType,
    /// Playback Method.
    PlaybackMethod,
    /// Content Group.
    ContentGroup,
}

impl Dimension {
    /// Every dimension, in the order the page shows them.
    pub const ALL: [Dimension; 9] = [
        Dimension::DeviceClass,
        Dimension::DeviceSubclass,
        Dimension::Dma,
        Dimension::Marketplace,
        Dimension::Offer,
        Dimension::StreamType,
        Dimension::ConnectionType,
        Dimension::PlaybackMethod,
        Dimension::ContentGroup,
    ];

    /// What a person calls it.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::DeviceClass => "Device class",
            Dimension::DeviceSubclass => "Device subclass",
            Dimension::Dma => "DMA",
            Dimension::Marketplace => "Marketplace",
            Dimension::Offer => "Offer",
            Dimension::StreamType => "Stream type",
            Dimension::ConnectionType => "Connection type",
            Dimension::PlaybackMethod => "Playback method",
            Dimension::ContentGroup => "Content group",
        }
    }

    /// The cell a row is counted under (`""` when empty) and, for offers, the name.
    fn of<'a>(self, row: &Row<'a>) -> (&'a str, Option<&'a str>) {
        let v = match self {
            Dimension::DeviceClass => row.device_class,
            Dimension::DeviceSubclass => row.device_subclass,
            Dimension::Dma => row.dma,
            Dimension::Marketplace => row.marketplace.or(row.marketplace_id),
            Dimension::Offer => return (row.offer_id.unwrap_or(""), row.offer_name),
            Dimension::StreamType => row.stream_type,
            Dimension::ConnectionType => row.connection_type,
            Dimension::PlaybackMethod => row.playback_method,
            Dimension::ContentGroup => row.content_group,
        };
        (v.unwrap_or(""), None)
    }
}

/// What a viewership file keeps, updated row by row: totals per day, ISO week
/// (Monday to Sunday) and calendar month of stream start, per title, season
/// and episode, per value of every [`Dimension`], a weekday × hour count of
/// stream starts, and each customer's seconds per day and last stream. Its
/// size grows with distinct customers, texts and days, never with the number
/// of rows, so a multi-gigabyte file fits in the browser.
///
/// **Memory.** Each distinct text (title, season, DMA...) is allocated once;
/// a row only looks its `&str` cells up. Each customer hash gets a dense
/// `u32` index once; every slice keeps its distinct customers as a hash set
/// of indices, switching to a bitmap once it holds one customer in 64 (the
/// total and each day need none: their distinct customers are the customer
/// index and the day's customer-day column). Each customer also has a
/// 32-byte record: its last stream, and per dimension the slice it was last
/// counted in, so a row repeating the customer's offer, DMA or device costs no
/// text lookup and no set insert. Per
/// customer and day, seconds are kept as integer milliseconds (exact for
/// cells with up to three decimals, as Slate writes them) with an exact
/// decimal remainder for any other cell: no sum is ever rounded.
/// Per-customer day seconds live in one column per day, a hash map until a
/// quarter of the customers streamed that day, then a dense `u32` array.
/// [`Aggregate::heap_bytes`] counts it (`tests/viewership.rs`, ignored test):
/// 35.3 MB for the demo's 1,000,000 rows by 193,000 customers (271 MB of
/// CSV), 61.4 MB for 10,000,000 rows by 200,000 (2.7 GB): what grows is
/// customer × day and customer × episode pairs filling up, not rows. The
/// per-customer records cost 32 bytes a customer (8.4 MB of the above).
///
/// **Speed.** A row's cost is cache misses in these structures, so each is
/// one slot where possible: the customer index, the sparse sets and day
/// columns are open-addressing tables without control bytes; one hash
/// lookup finds a stream day's period slices and day column, another the
/// row's title, season and episode; the customer record skips unchanged
/// dimensions.
///
/// **Distinct customers** are counted by a 64-bit hash of the Encrypted
/// Customer ID ([`customer_key`]): exact unless two IDs collide, which for
/// 200,000 customers happens with a probability near one in a billion.
///
/// **Between workers** it travels whole, serialized (`serde`, in
/// [`crate::ingest::RangePart`]), less its caches, which start empty and refill.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Aggregate {
    /// Rows (streams) used.
    pub streams: u64,
    /// The report dates of the last row parsed (a parsing cache, not a result).
    #[serde(skip)]
    report_dates: ReportDates,
    /// Distinct customers.
    pub customers: u64,
    /// Earliest stream start.
    pub first_stream: Option<NaiveDateTime>,
    /// Latest stream start.
    pub last_stream: Option<NaiveDateTime>,
    total: Slice,
    /// Streams with an Ad Seconds Viewed cell.
    ad_streams: u64,
    /// Not serialized: rebuilt from `customer_keys` when first needed.
    #[serde(skip)]
    customer_index: CustomerIndex,
    customer_keys: Chunks<u64>,
    /// Slices per day, week and month.
    periods: Periods,
    /// A stream day's day, week and month slice positions and its
    /// customer-day column, by its day number: one hash lookup per row
    /// instead of four tree searches and two date computations.
    #[serde(skip)]
    day_slots: FxMap<u32, [u32; 4]>,
    titles: Dim,
    episode_names: Interner,
    /// The season and episode name ids the last row got (caches, checked against the text).
    #[serde(skip)]
    last_names: (u32, u32),
    /// (title id, season index, episode index) by the row's title, season and
    /// episode cells: one lookup instead of five.
    #[serde(skip)]
    paths: Paths,
    seasons: Level,
    episodes: Level,
    dims: [Dim; 9],
    /// Stream starts: `[weekday from Monday][hour]`.
    heatmap: [[u64; 24]; 7],
    /// Seconds viewed per customer and day.
    customer_days: CustomerDays,
    /// Per customer (by index): its last stream and the dimension slices it
    /// is known to be in.
    people: Chunks<Customer>,
}

/// What the aggregate keeps per customer, in 32 bytes (one access per row).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[repr(C, align(32))]
struct Customer {
    /// Start of the customer's last stream.
    #[serde(with = "wire::datetime")]
    last: NaiveDateTime,
    /// Title id of that stream ([`NO_TITLE`] when its cell was empty).
    last_title: u32,
    /// Per [`Dimension`], the slice id this customer was last counted in, or
    /// [`NO_SLOT`]. Sets only grow, so the customer is in that slice's set: a
    /// row with the same text needs neither a text lookup nor a set insert
    /// (offer, DMA, device... rarely change from one row of a customer to the next).
    /// Memos, not data: not serialized (none is always true).
    #[serde(skip, default = "no_memos")]
    dims: [u8; 9],
}

fn no_memos() -> [u8; 9] {
    [NO_SLOT; 9]
}

impl Customer {
    const NEW: Customer = Customer { last: NaiveDateTime::MIN, last_title: NO_TITLE, dims: [NO_SLOT; 9] };
}

/// No memo (or a slice id too large for one).
const NO_SLOT: u8 = u8::MAX;

/// The title id of a stream whose Title Name is empty.
const NO_TITLE: u32 = u32::MAX;

fn day_number(d: NaiveDate) -> u32 {
    d.num_days_from_ce() as u32
}

fn week_of(d: NaiveDate) -> NaiveDate {
    d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()))
}

fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

use chrono::{Datelike, Timelike};

impl Aggregate {
    /// The dense index of a customer, given a new one if unseen.
    fn customer_index(&mut self, key: u64) -> u32 {
        if self.customer_index.0.len() != self.customer_keys.len() {
            self.rebuild_customer_index();
        }
        let next = self.customer_keys.len() as u32;
        let i = self.customer_index.get_or_insert(key, next);
        if i == next {
            self.customer_keys.push(key);
            self.people.push(Customer::NEW);
            self.customers += 1;
        }
        i
    }

    /// The index of `customer_keys` (which a deserialized aggregate lacks).
    #[cold]
    fn rebuild_customer_index(&mut self) {
        self.customer_index = CustomerIndex::default();
        for (i, &key) in self.customer_keys.iter().enumerate() {
            self.customer_index.get_or_insert(key, i as u32);
        }
    }

    /// Parses one record and adds its stream (Report Start and End cells
    /// repeated from the row before are not parsed again).
    pub fn push(&mut self, rec: &Record) -> Result<(), Problem> {
        let row = parse_with(rec, &mut self.report_dates)?;
        self.add(&row);
        Ok(())
    }

    /// Adds one stream.
    pub fn add(&mut self, row: &Row<'_>) {
        let customer = self.customer_index(customer_key(row.customer_id));
        let (title, season, episode) = match self.paths.find(row) {
            Some(path) => path,
            None => {
                let title = self.titles.slot(row.title.unwrap_or(""), None);
                let (mut season, mut episode) = (NO_TITLE, NO_TITLE);
                if row.title.is_some() {
                    let season_name = self.episode_names.id_after(row.season.unwrap_or(""), &mut self.last_names.0);
                    season = self.seasons.slot(title, season_name);
                    let episode_name = self.episode_names.id_after(row.episode.unwrap_or(""), &mut self.last_names.1);
                    episode = self.episodes.slot(season, episode_name);
                }
                self.paths.remember((title, season, episode));
                (title, season, episode)
            }
        };
        let t = row.stream_start;
        let day = t.date();
        let [d, w, m, column] = match self.day_slots.get(&day_number(day)) {
            Some(&slots) => slots,
            None => {
                let [d, w, m] = self.periods.of(day);
                let slots = [d, w, m, self.customer_days.column(day_number(day))];
                self.day_slots.insert(day_number(day), slots);
                slots
            }
        };
        // Start the cache misses this row will take, all at once: the
        // customer's record, day cell and title-level set words are far apart
        // and, touched one after another below, would be waited for in turn.
        let mut touched = self.people.get(customer as usize).map_or(0, |p| u64::from(p.dims[0]));
        touched ^= self.customer_days.columns.get(column as usize).map_or(0, |(_, col)| col.touch(customer));
        touched ^= self.titles.slices.get(title as usize).map_or(0, |s| s.customers.touch(customer));
        if row.title.is_some() {
            touched ^= self.seasons.slices.get(season as usize).map_or(0, |s| s.customers.touch(customer));
            touched ^= self.episodes.slices.get(episode as usize).map_or(0, |s| s.customers.touch(customer));
        }
        std::hint::black_box(touched);
        let s = Stream {
            customer,
            universe: self.customer_keys.len(),
            seconds: Amount::of(row.seconds_viewed),
            ad_seconds: row.ad_seconds_viewed.map(Amount::of),
            runtime_minutes: row.runtime_minutes.map(Amount::of),
        };
        self.streams += 1;
        if row.ad_seconds_viewed.is_some() {
            self.ad_streams += 1;
        }
        self.first_stream = Some(self.first_stream.map_or(t, |f| f.min(t)));
        self.last_stream = Some(self.last_stream.map_or(t, |l| l.max(t)));
        // The total's and each day's distinct customers are counted from the
        // customer index and the customer-day columns (see `total`, `periods`).
        self.total.add_amounts(&s);
        self.periods.slices[d as usize].add_amounts(&s);
        self.periods.slices[w as usize].add(&s);
        self.periods.slices[m as usize].add(&s);

        self.titles.slices[title as usize].add(&s);
        if row.title.is_some() {
            self.seasons.slices[season as usize].add(&s);
            self.episodes.slices[episode as usize].add(&s);
        }
        let person = &mut self.people[customer as usize];
        for ((dim, d), memo) in self.dims.iter_mut().zip(Dimension::ALL).zip(&mut person.dims) {
            let (text, label) = d.of(row);
            let known = usize::from(*memo);
            if *memo != NO_SLOT && dim.names.names.get(known).is_some_and(|n| same_text(n, text)) {
                // Same slice as this customer's last row there: already in its set.
                if label.is_some() && dim.labels[known].is_none() {
                    dim.labels[known] = label.map(Into::into);
                }
                dim.slices[known].add_amounts(&s);
            } else {
                let id = dim.slot(text, label);
                dim.slices[id as usize].add(&s);
                *memo = u8::try_from(id).unwrap_or(NO_SLOT);
            }
        }
        self.heatmap[t.weekday().num_days_from_monday() as usize][t.hour() as usize] += 1;

        self.customer_days.add_at(column, customer, s.seconds, s.universe);
        if person.last <= t {
            person.last = t;
            person.last_title = if row.title.is_some() { title } else { NO_TITLE };
        }
    }

    /// Adds another file's aggregate (a different file: the same rows in two
    /// files are counted twice; identical files are removed before this).
    /// Distinct customers are the union of both files' customers.
    pub fn merge(&mut self, o: &Aggregate) {
        let remap: Vec<u32> = o.customer_keys.iter().map(|&k| self.customer_index(k)).collect();
        let universe = self.customer_keys.len();
        self.streams += o.streams;
        self.ad_streams += o.ad_streams;
        self.first_stream = self.first_stream.into_iter().chain(o.first_stream).min();
        self.last_stream = self.last_stream.into_iter().chain(o.last_stream).max();
        self.total.merge(&o.total, &remap, universe);
        for kind in [DAY, WEEK, MONTH] {
            for (d, s) in o.periods.iter(kind) {
                let slot = self.periods.slot(kind, d);
                self.periods.slices[slot as usize].merge(s, &remap, universe);
            }
        }
        let merge_dim = |mine: &mut Dim, theirs: &Dim| -> Vec<u32> {
            let mut ids = Vec::with_capacity(theirs.slices.len());
            for (i, s) in theirs.slices.iter().enumerate() {
                let id = mine.slot(&theirs.names.names[i], theirs.labels[i].as_deref());
                ids.push(id);
                mine.slices[id as usize].merge(s, &remap, universe);
            }
            ids
        };
        let title_ids = merge_dim(&mut self.titles, &o.titles);
        for (mine, theirs) in self.dims.iter_mut().zip(&o.dims) {
            merge_dim(mine, theirs);
        }
        let names: Vec<u32> = o.episode_names.names.iter().map(|n| self.episode_names.id(n)).collect();
        let mut season_ids = Vec::with_capacity(o.seasons.keys.len());
        for (i, &(title, name)) in o.seasons.keys.iter().enumerate() {
            let slot = self.seasons.slot(title_ids[title as usize], names[name as usize]);
            self.seasons.slices[slot as usize].merge(&o.seasons.slices[i], &remap, universe);
            season_ids.push(slot);
        }
        for (i, &(season, name)) in o.episodes.keys.iter().enumerate() {
            let slot = self.episodes.slot(season_ids[season as usize], names[name as usize]);
            self.episodes.slices[slot as usize].merge(&o.episodes.slices[i], &remap, universe);
        }
        for (w, row) in o.heatmap.iter().enumerate() {
            for (h, n) in row.iter().enumerate() {
                self.heatmap[w][h] += n;
            }
        }
        let days = &mut self.customer_days;
        o.customer_days.for_each(|c, day, secs| days.add(remap[c as usize], day, Amount::of(secs), universe));
        // Our customers' memos stay true (sets only grow); theirs are not copied.
        for (i, p) in o.people.iter().enumerate() {
            let mine = &mut self.people[remap[i] as usize];
            if mine.last <= p.last && p.last != NaiveDateTime::MIN {
                mine.last = p.last;
                mine.last_title = if p.last_title == NO_TITLE { NO_TITLE } else { title_ids[p.last_title as usize] };
            }
        }
    }

    /// Seconds viewed per customer (by [`customer_key`]) and day of stream start.
    /// The order is unspecified.
    pub fn customer_days(&self) -> impl Iterator<Item = (u64, NaiveDate, Decimal)> + '_ {
        self.customer_days.iter().map(|(c, day, secs)| {
            let day = NaiveDate::from_num_days_from_ce_opt(day as i32).unwrap_or_default();
            (self.customer_keys[c as usize], day, secs)
        })
    }

    /// Each customer's last stream: its start and its title (`None` when the cell was empty).
    /// The order is unspecified.
    pub fn last_streams(&self) -> impl Iterator<Item = (u64, NaiveDateTime, Option<&str>)> + '_ {
        self.people.iter().enumerate().map(|(i, p)| {
            let (t, title) = (p.last, p.last_title);
            let name = (title != NO_TITLE).then(|| &*self.titles.names.names[title as usize]);
            (self.customer_keys[i], t, name)
        })
    }

    /// Whether a stream had this Title Name.
    pub fn has_title(&self, title: &str) -> bool {
        self.titles.names.find(title).is_some()
    }

    /// Streams with an Ad Seconds Viewed cell.
    pub fn ad_streams(&self) -> u64 {
        self.ad_streams
    }

    /// Totals over every stream.
    pub fn total(&self) -> SliceTotals {
        // Every indexed customer streamed at least once.
        SliceTotals { customers: self.customer_keys.len() as u64, ..self.total.totals() }
    }

    /// Totals per day, per week (keyed by its Monday) and per calendar month
    /// (keyed by its first day) of stream start; customers are distinct over
    /// the whole week or month.
    pub fn periods(&self) -> [Vec<(NaiveDate, SliceTotals)>; 3] {
        let f = |kind| self.periods.iter(kind).map(|(d, s)| (d, s.totals())).collect();
        [self.day_totals(), f(WEEK), f(MONTH)]
    }

    /// Totals per day; distinct customers are the day's customer-day cells.
    fn day_totals(&self) -> Vec<(NaiveDate, SliceTotals)> {
        self.periods
            .iter(DAY)
            .map(|(d, s)| {
                let customers = self.customer_days.get(day_number(d)).map_or(0, DayColumn::len);
                (d, SliceTotals { customers, ..s.totals() })
            })
            .collect()
    }

    /// Totals per Title Name (`""` for an empty cell), in first-seen order.
    pub fn titles(&self) -> impl Iterator<Item = (&str, SliceTotals)> + '_ {
        self.titles.names.names.iter().zip(&self.titles.slices).map(|(n, s)| (&**n, s.totals()))
    }

    /// Seasons of title `title` (its position in [`Aggregate::titles`]):
    /// (season index, Season Number or `""`, totals).
    pub fn seasons_of(&self, title: usize) -> Vec<(usize, &str, SliceTotals)> {
        level_children(&self.seasons, &self.episode_names, title as u32)
    }

    /// Episodes of season `season` (an index from [`Aggregate::seasons_of`]):
    /// (episode index, Episode Number or `""`, totals).
    pub fn episodes_of(&self, season: usize) -> Vec<(usize, &str, SliceTotals)> {
        level_children(&self.episodes, &self.episode_names, season as u32)
    }

    /// Distinct customers over several titles (positions in [`Aggregate::titles`]).
    pub fn customers_of_titles(&self, titles: &[usize]) -> u64 {
        let mut set = CustomerSet::default();
        let universe = self.customer_keys.len();
        for &t in titles {
            if let Some(s) = self.titles.slices.get(t) {
                s.customers.for_each(|c| set.insert(c, universe));
            }
        }
        set.len()
    }

    /// Totals per value of a dimension (`""` for an empty cell), with the
    /// offer name for offers, in first-seen order.
    pub fn dimension(&self, d: Dimension) -> Vec<(&str, Option<&str>, SliceTotals)> {
        let dim = &self.dims[d as usize];
        dim.names
            .names
            .iter()
            .zip(&dim.slices)
            .zip(&dim.labels)
            .map(|((n, s), l)| (&**n, l.as_deref(), s.totals()))
            .collect()
    }

    /// Stream starts per weekday (Monday first) and hour of day.
    pub fn heatmap(&self) -> &[[u64; 24]; 7] {
        &self.heatmap
    }

    /// Each customer's total seconds viewed (exact), in no particular order.
    pub fn customer_seconds(&self) -> Vec<Decimal> {
        let mut out = vec![Decimal::ZERO; self.customer_keys.len()];
        self.customer_days.for_each(|c, _, secs| out[c as usize] += secs);
        out
    }

    /// Milliseconds viewed per customer (by index), when every customer-day
    /// cell holds whole milliseconds (Slate writes three decimals at most):
    /// half the memory of [`Aggregate::customer_seconds`] and integer sums
    /// and comparisons. `None` when some amount needs its exact decimal.
    pub fn customer_millis(&self) -> Option<Vec<i64>> {
        if !self.customer_days.extra.is_empty() {
            return None;
        }
        let mut out = vec![0i64; self.customer_keys.len()];
        for (_, column) in &self.customer_days.columns {
            for (c, ms) in column.cells() {
                let total = out.get_mut(c as usize)?;
                *total = total.checked_add(ms)?;
            }
        }
        Some(out)
    }

    /// Bytes the aggregate holds on the heap, counted from its structures'
    /// capacities (hash tables at hashbrown's slot + control byte per bucket).
    pub fn heap_bytes(&self) -> usize {
        self.total.heap_bytes()
            + self.customer_index.heap_bytes()
            + self.customer_keys.heap_bytes()
            + self.periods.heap_bytes()
            + self.day_slots.capacity() * (4 + 16 + 1) * 8 / 7
            + self.titles.heap_bytes()
            + self.episode_names.heap_bytes()
            + self.paths.heap_bytes()
            + self.seasons.heap_bytes()
            + self.episodes.heap_bytes()
            + self.dims.iter().map(Dim::heap_bytes).sum::<usize>()
            + self.customer_days.heap_bytes()
            + self.people.heap_bytes()
    }
}

fn level_children<'a>(level: &'a Level, names: &'a Interner, parent: u32) -> Vec<(usize, &'a str, SliceTotals)> {
    level
        .keys
        .iter()
        .enumerate()
        .filter(|(_, (p, _))| *p == parent)
        .map(|(i, &(_, n))| (i, &*names.names[n as usize], level.slices[i].totals()))
        .collect()
}

/// Lossless binary forms of the aggregate's non-integer values, for its
/// serialization between workers (`rust_decimal`'s own serde form is a float
/// here, and `chrono`'s is text).
mod wire {
    /// A [`Decimal`](rust_decimal::Decimal) as its 16 bytes.
    pub mod decimal {
        use rust_decimal::Decimal;
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
            d.serialize().serialize(s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
            <[u8; 16]>::deserialize(d).map(Decimal::deserialize)
        }
    }

    /// A map of decimals, each as its 16 bytes.
    pub mod decimal_map {
        use super::super::FxMap;
        use rust_decimal::Decimal;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(m: &FxMap<u64, Decimal>, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(m.iter().map(|(&k, d)| (k, d.serialize())))
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FxMap<u64, Decimal>, D::Error> {
            let pairs = Vec::<(u64, [u8; 16])>::deserialize(d)?;
            Ok(pairs.into_iter().map(|(k, b)| (k, Decimal::deserialize(b))).collect())
        }
    }

    /// A [`NaiveDateTime`](chrono::NaiveDateTime) as (day from the common
    /// era, second of the day, nanosecond): covers `NaiveDateTime::MIN`.
    pub mod datetime {
        use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
        use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

        pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
            (t.date().num_days_from_ce(), t.num_seconds_from_midnight(), t.nanosecond()).serialize(s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
            let (day, secs, nanos) = <(i32, u32, u32)>::deserialize(d)?;
            let date = NaiveDate::from_num_days_from_ce_opt(day).ok_or_else(|| D::Error::custom("bad day"))?;
            let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
                .ok_or_else(|| D::Error::custom("bad time"))?;
            Ok(date.and_time(time))
        }
    }
}

/// What a file's data shows in snapshots and fixture comparisons (its
/// serialization in [`crate::kinds::KindData`]): the totals, and streams,
/// seconds and customers per title and per day.
pub(crate) fn summary<S: serde::Serializer>(a: &Aggregate, serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Brief {
        streams: u64,
        seconds_viewed: Decimal,
        customers: u64,
    }
    #[derive(Serialize)]
    struct Summary<'a> {
        streams: u64,
        seconds_viewed: Decimal,
        ad_seconds_viewed: Decimal,
        customers: u64,
        first_stream: Option<NaiveDateTime>,
        last_stream: Option<NaiveDateTime>,
        by_title: std::collections::BTreeMap<&'a str, Brief>,
        by_day: std::collections::BTreeMap<NaiveDate, Brief>,
    }
    let brief = |t: SliceTotals| Brief { streams: t.streams, seconds_viewed: t.seconds_viewed, customers: t.customers };
    Summary {
        streams: a.streams,
        seconds_viewed: a.total.seconds.value(),
        ad_seconds_viewed: a.total.ad_seconds.value(),
        customers: a.customers,
        first_stream: a.first_stream,
        last_stream: a.last_stream,
        by_title: a.titles().map(|(n, t)| (if n.is_empty() { "(untitled)" } else { n }, brief(t))).collect(),
        by_day: a.day_totals().into_iter().map(|(d, t)| (d, brief(t))).collect(),
    }
    .serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ColumnMap, DateOrder, DecimalMark};
    use crate::schema::PID_VIEWERSHIP as SCHEMA;

    #[test]
    fn field_indices_match_the_schema() {
        for (i, name) in [
            (START, "Report Start"),
            (END, "Report End"),
            (MARKETPLACE_ID, "Marketplace ID"),
            (MARKETPLACE, "Marketplace Description"),
            (OFFER_ID, "Offer ID"),
            (OFFER_NAME, "Offer Name"),
            (CUSTOMER_ID, "Encrypted Customer ID"),
            (STREAM_START, "Stream Start Timestamp"),
            (CONNECTION_TYPE, "Connection Type"),
            (STREAM_TYPE, "Stream Type"),
            (DEVICE_CLASS, "Device Class"),
            (DEVICE_SUBCLASS, "Device Subclass"),
            (DMA, "DMA Geography"),
            (PLAYBACK_METHOD, "Playback Method"),
            (SECONDS_VIEWED, "Seconds Viewed"),
            (AD_SECONDS_VIEWED, "Ad Seconds Viewed"),
            (CONTENT_TYPE, "Content Type"),
            (TITLE, "Title Name"),
            (SEASON, "Season Number"),
            (EPISODE, "Episode Number"),
            (STUDIO, "Studio Name"),
            (RUNTIME_MINUTES, "Runtime Minutes"),
            (CHANNEL_NAME, "Live/Linear Channel Name"),
            (VENDOR_SKU, "Vendor SKU"),
            (CONTENT_GROUP, "Content Group"),
        ] {
            assert_eq!(SCHEMA.index_of(name), Some(i), "{name}");
        }
    }

    /// Parses one row given as (header, cell) pairs, at line 7.
    fn parse_cells(cells: &[(&str, &str)]) -> Result<Row<'static>, Problem> {
        let header: Vec<String> = cells.iter().map(|(h, _)| h.to_string()).collect();
        let map = ColumnMap::build(&SCHEMA, &header);
        let mut text = String::new();
        let mut ends = Vec::new();
        for (_, v) in cells {
            text.push_str(v);
            ends.push(text.len());
        }
        let conv = Conventions { decimal: DecimalMark::Point, date_order: DateOrder::MonthFirst };
        let rec = Box::leak(Box::new(Record::new(
            7,
            Box::leak(text.into_boxed_str()),
            Box::leak(ends.into_boxed_slice()),
            Box::leak(Box::new(map)),
            conv,
        )));
        parse(rec)
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("Report Start", "12/11/2021"),
            ("Report End", "12/12/2021"),
            ("Marketplace ID", "1"),
            ("Marketplace Description", "US"),
            ("Offer ID", "B08ZYRH8JR-0M00000000"),
            ("Offer Name", "Discovery+ Ad-Supported"),
            ("Encrypted Customer ID", "amzn1.account.AEIAVT2KITOQR5GCCLBCG2O"),
            ("Stream Start Timestamp", "12/11/2021 12:20"),
            ("Connection Type", "unknown"),
            ("Stream Type", "VOD"),
            ("Device Class", "Living Room Devices"),
            ("Device Subclass", "Game Console"),
            ("DMA Geography", "539"),
            ("Playback Method", "online"),
            ("Seconds Viewed", "2860.819"),
            ("Ad Seconds Viewed", "342"),
            ("Content Type", "TV"),
            ("Title Name", "My 600-lb Life"),
            ("Season Number", "2"),
            ("Episode Number", ""),
            ("Runtime Minutes", "43.5"),
        ]
    }

    #[test]
    fn reads_a_guide_row() {
        let row = parse_cells(&base()).expect("row parses");
        let day = NaiveDate::from_ymd_opt(2021, 12, 11).expect("date");
        assert_eq!((row.start, row.end), (Some(day), day.succ_opt()));
        assert_eq!(row.marketplace_id, Some("1"));
        assert_eq!(row.customer_id, "amzn1.account.AEIAVT2KITOQR5GCCLBCG2O");
        assert_eq!(Some(row.stream_start), day.and_hms_opt(12, 20, 0));
        assert_eq!(row.dma, Some("539"));
        assert_eq!(row.seconds_viewed, Decimal::new(2860819, 3));
        assert_eq!(row.ad_seconds_viewed, Some(Decimal::from(342)));
        assert_eq!(row.title, Some("My 600-lb Life"));
        assert_eq!((row.season, row.episode), (Some("2"), None));
        assert_eq!(row.runtime_minutes, Some(Decimal::new(435, 1)));
        assert_eq!((row.studio, row.channel_name, row.content_group), (None, None, None));
    }

    #[test]
    fn report_dates_are_optional() {
        let cells: Vec<_> = base().into_iter().skip(2).collect();
        let row = parse_cells(&cells).expect("row parses without report dates");
        assert_eq!((row.start, row.end), (None, None));
    }

    #[test]
    fn rejects_bad_rows() {
        let mut cells = base();
        cells[14].1 = "";
        let p = parse_cells(&cells).expect_err("no seconds");
        assert_eq!((p.column.as_deref(), p.reason.as_str()), (Some("Seconds Viewed"), "missing value"));

        let mut cells = base();
        cells[7].1 = "";
        let p = parse_cells(&cells).expect_err("no stream start");
        assert_eq!(p.column.as_deref(), Some("Stream Start Timestamp"));

        let mut cells = base();
        cells[1].1 = "12/10/2021";
        assert!(parse_cells(&cells).expect_err("end before start").reason.contains("is before Report Start"));
    }

    #[test]
    fn same_text_is_string_equality() {
        let texts = [
            "",
            "a",
            "ab",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "abcdefghj",
            "Living Room Devices",
            "Living Room Devicez",
            "é",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn sums_past_the_integer_range_stay_exact() {
        let mut s = Sum::default();
        s.add(Amount::Milli(i64::MAX));
        s.add(Amount::Milli(i64::MAX));
        s.add(Amount::Milli(1));
        let want = Decimal::new(i64::MAX, 3) * Decimal::TWO + Decimal::new(1, 3);
        assert_eq!(s.value(), want.normalize());
        let mut m = Sum::default();
        m.merge(&s);
        m.merge(&s);
        assert_eq!(m.value(), (want * Decimal::TWO).normalize());
    }

    #[test]
    fn amounts_stay_exact() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert_eq!(Amount::of(d("2860.819")), Amount::Milli(2_860_819));
        assert_eq!(Amount::of(d("1.50000")), Amount::Milli(1_500));
        assert_eq!(Amount::of(d("0.0001")), Amount::Exact(d("0.0001")));
        let mut sum = Sum::default();
        for a in ["2860.819", "0.0001", "1.5"] {
            sum.add(Amount::of(d(a)));
        }
        assert_eq!(sum.value(), d("2862.3191"));
    }

    #[test]
    fn customer_days_turn_dense_and_keep_overflow_exact() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        let mut days = CustomerDays::default();
        for c in 0..100 {
            days.add(c, 7, Amount::Milli(1000), 100);
        }
        assert!(matches!(days.get(7), Some(DayColumn::Dense { .. })));
        days.add(5, 7, Amount::of(d("0.0001")), 100);
        days.add(6, 7, Amount::Milli(i64::from(u32::MAX)), 100);
        days.add(7, 8, Amount::Milli(0), 100);
        // Past a dense cell's 24 bits (4 h 39 min), in a dense column, in a
        // sparse one, and in a sparse one that then turns dense.
        days.add(8, 7, Amount::Milli(17_000_000), 100);
        days.add(8, 7, Amount::Milli(500), 100);
        days.add(8, 9, Amount::Milli(17_000_000), 100);
        days.add(9, 10, Amount::Milli(20_000_000), 100);
        for c in 10..100 {
            days.add(c, 10, Amount::Milli(1), 100);
        }
        assert!(matches!(days.get(10), Some(DayColumn::Dense { .. })));
        days.add(9, 10, Amount::Milli(1), 100);
        let mut all: Vec<_> = days.iter().collect();
        all.sort();
        assert_eq!(all.len(), 193);
        assert_eq!(all[5], (5, 7, d("1.0001")));
        assert_eq!(all[6], (6, 7, d("4294968.295")));
        assert_eq!(all[9], (8, 7, d("17001.5")));
        assert_eq!(all[10], (8, 9, d("17000")));
        assert_eq!(all[12], (9, 10, d("20000.001")));
        // A stream of 0 seconds still counts as a day viewed.
        assert!(all.contains(&(7, 8, Decimal::ZERO)));
    }

    /// The per-customer memo of dimension slices skips lookups and inserts,
    /// never a count: over 255 DMAs (past the memo's range), offer names that
    /// arrive on a later row, and rows added after a merge.
    #[test]
    fn customer_memos_never_change_a_count() {
        let row = parse_cells(&base()).expect("row parses");
        let dmas: Vec<String> = (0..300).map(|i| format!("D{i}")).collect();
        let ids: Vec<String> = (0..80).map(|i| format!("C{i}")).collect();
        let mut rows: Vec<Row> = (0..2500usize)
            .map(|i| Row {
                customer_id: &ids[i * 7 % 40],
                dma: Some(&dmas[(i * 13 + i / 40) % 300]),
                offer_name: (i > 1500).then_some("Named"),
                ..row.clone()
            })
            .collect();
        // New customers whose first DMA is slice 255, the memo's "none".
        let mut seen = std::collections::BTreeSet::new();
        let dma_255 = rows.iter().filter_map(|r| r.dma).filter(|d| seen.insert(*d)).nth(255).expect("256 DMAs");
        for i in 2500..3000 {
            rows.push(Row { customer_id: &ids[40 + i % 40], dma: Some(dma_255), ..rows[i - 1].clone() });
        }
        let mut all = Aggregate::default();
        let (mut a, mut b) = (Aggregate::default(), Aggregate::default());
        for (i, r) in rows.iter().enumerate() {
            all.add(r);
            if (1000..2000).contains(&i) { &mut b } else { &mut a }.add(r);
            if i == 1999 {
                a.merge(&b);
            }
        }
        let mut expected: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> = Default::default();
        for r in &rows {
            expected.entry(r.dma.unwrap_or("")).or_default().insert(r.customer_id);
        }
        for agg in [&all, &a] {
            let dma: std::collections::BTreeMap<&str, u64> =
                agg.dimension(Dimension::Dma).into_iter().map(|(n, _, t)| (n, t.customers)).collect();
            let want: std::collections::BTreeMap<&str, u64> =
                expected.iter().map(|(k, v)| (*k, v.len() as u64)).collect();
            assert_eq!(dma, want);
            let offer = agg.dimension(Dimension::Offer);
            assert_eq!((offer.len(), offer[0].1, offer[0].2.customers), (1, Some("Named"), 80));
        }
    }

    #[test]
    fn an_aggregate_read_back_from_bytes_goes_on_like_the_original() {
        let row = parse_cells(&base()).expect("row parses");
        let ids: Vec<String> = (0..300).map(|i| format!("C{i}")).collect();
        let titles: Vec<String> = (0..7).map(|i| format!("T{i}")).collect();
        let rows: Vec<Row> = (0..3000usize)
            .map(|i| Row {
                customer_id: &ids[i * 7 % 300],
                title: Some(&titles[i % 7]),
                stream_start: row.stream_start + chrono::Duration::hours(i as i64 % 200),
                seconds_viewed: Decimal::new(i as i64 * 1001, 3),
                ..row.clone()
            })
            .collect();
        let mut a = Aggregate::default();
        for r in &rows[..1800] {
            a.add(r);
        }
        let bytes = postcard::to_allocvec(&a).expect("serializes");
        let mut b: Aggregate = postcard::from_bytes(&bytes).expect("deserializes");
        for r in &rows[1800..] {
            a.add(r);
            b.add(r);
        }
        fn look(x: &Aggregate) -> impl PartialEq + std::fmt::Debug + '_ {
            let mut days: Vec<_> = x.customer_days().collect();
            days.sort();
            let mut last: Vec<_> = x.last_streams().map(|(k, t, n)| (k, t, n.map(str::to_string))).collect();
            last.sort();
            let json =
                serde_json::to_string(&crate::kinds::KindData::PidViewership(Box::new(x.clone()))).expect("json");
            (json, days, last, x.dimension(Dimension::Dma), x.total())
        }
        assert_eq!(look(&a), look(&b));
        assert_eq!(b.customers, 300);
    }

    #[test]
    fn chunks_index_across_blocks() {
        let mut c: Chunks<u64> = Chunks::default();
        let n = 3 * CHUNK + 5;
        for i in 0..n {
            c.push(i as u64 * 7);
        }
        c[CHUNK] += 1;
        assert_eq!(
            (c.len(), c[0], c[CHUNK - 1], c[CHUNK], c[n - 1]),
            (n, 0, (CHUNK as u64 - 1) * 7, CHUNK as u64 * 7 + 1, (n as u64 - 1) * 7)
        );
        assert_eq!(c.iter().count(), n);
        // Four blocks, and never a fifth until the fourth is full.
        assert!((4 * CHUNK * 8..5 * CHUNK * 8).contains(&c.heap_bytes()), "{}", c.heap_bytes());
    }

    #[test]
    fn index_maps_keep_every_key() {
        let mut map = IndexMap::<u32>::default();
        let mut want = std::collections::BTreeMap::new();
        for i in 0..20_000u32 {
            let k = i.wrapping_mul(2_654_435_761) % 50_000;
            let (v, new) = map.entry(k);
            assert_eq!(new, !want.contains_key(&k));
            *v += i;
            *want.entry(k).or_insert(0) += i;
        }
        let mut got: Vec<_> = map.iter().collect();
        got.sort();
        assert_eq!(got, want.into_iter().collect::<Vec<_>>());
        assert_eq!(map.len(), got.len());
        assert!(map.heap_bytes() <= got.len() * 8 * 8 / 3);
    }

    #[test]
    fn customer_sets_turn_into_bitmaps_and_keep_members() {
        let mut set = CustomerSet::default();
        for c in (0..3000).step_by(3) {
            set.insert(c, 3000);
        }
        set.insert(3, 3000);
        assert!(matches!(set, CustomerSet::Dense { .. }));
        assert_eq!(set.len(), 1000);
        let mut seen = Vec::new();
        set.for_each(|c| seen.push(c));
        assert_eq!(seen, (0..3000).step_by(3).collect::<Vec<u32>>());
        let mut sparse = CustomerSet::default();
        sparse.insert(7, 1_000_000);
        sparse.insert(7, 1_000_000);
        assert!(matches!(sparse, CustomerSet::Sparse(_)) && sparse.len() == 1);
    }
}
