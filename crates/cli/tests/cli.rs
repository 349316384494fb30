//! End-to-end tests of the `slatelens` binary: exit codes, stderr lines and
//! the JSON contract of `analyze --json` (see docs/json.md).

#![allow(clippy::unwrap_used)] // Test helpers: a failure is the test failing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const APRIL: &str = "Report Year,Report Start,Report End,Offer ID,Subscription,Billing Amount,Subscription Category,Active Subscriptions,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions,AR Off Subscriptions
2022,4/1/22,4/30/22,GHI,SQUARERT-9,8.99,HO,1300000,\"1,245,678\",20000,70000,13000
";
const MAY: &str = "Report Year,Report Start,Report End,Offer ID,Subscription,Billing Amount,Subscription Category,Active Subscriptions,Month End Subscriptions,New Subscriptions,Cancelled Subscriptions,AR Off Subscriptions
2022,5/1/22,5/31/22,ABC,SQUARERT-1,0,FT,132455,43023,139450,17382,4523
2022,5/1/22,5/31/22,DEF,SQUARERT-4,8.99,HO,62304,30203,0,1386,422
2022,5/1/22,5/31/22,GHI,SQUARERT-9,8.99,HO,1327735,\"1,258,343\",24385,75849,13403
";

/// A scratch directory per test, removed at the end.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("slatelens-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn slatelens(args: &[&Path], json: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slatelens"));
    cmd.arg("analyze");
    if json {
        cmd.arg("--json");
    }
    cmd.args(args).output().unwrap()
}

#[test]
fn json_contract_for_subscriptions() {
    let dir = Dir::new("json");
    let april = dir.file("april.csv", APRIL.as_bytes());
    let may = dir.file("may.csv", MAY.as_bytes());
    let out = slatelens(&[&may, &april], true);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    for key in ["name", "kind", "rows", "used", "rejected", "problems"] {
        assert!(files[0].get(key).is_some(), "files[].{key}");
    }
    assert_eq!(files[0]["name"], "may.csv");
    assert_eq!(files[0]["kind"], "subscriptions");
    assert_eq!(files[0]["rows"], 3);

    let periods = v["subscriptions"].as_array().unwrap();
    assert_eq!(periods.len(), 2, "sorted by start, one per period");
    assert_eq!(periods[0]["start"], "2022-04-01");
    let may = &periods[1];
    assert_eq!(may["start"], "2022-05-01");
    assert_eq!(may["end"], "2022-05-31");
    assert_eq!(may["cadence"], "monthly");
    assert_eq!(may["eop_paid_subs"], 1_288_546);
    assert_eq!(may["paid_cancels"], 77_235);
    assert_eq!(may["ft_starts"], 139_450);
    assert_eq!(may["ho_starts"], 24_385);
    assert_eq!(may["total_starts"], 163_835);
    assert_eq!(may["eop_conversions"], 95_718);
    assert_eq!(may["net_adds"], 42_868);
    assert!(may["eop_paid_subs"].is_i64(), "counts are JSON integers");
    // Rates: fractions as JSON numbers with full precision.
    let churn = may["churn_rate"].to_string();
    assert!(churn.starts_with("0.05655006183275356"), "{churn}");
    let conv = may["conversion_rate"].to_string();
    assert!(conv.starts_with("0.84631299734748010"), "{conv}");
    assert!(may["churn_rate"].is_number());
    // Per offer: the same metrics.
    let offers = may["offers"].as_array().unwrap();
    assert_eq!(offers.len(), 3);
    let ghi = offers.iter().find(|o| o["offer_id"] == "GHI").unwrap();
    assert_eq!(ghi["eop_paid_subs"], 1_258_343);
    assert_eq!(ghi["eop_conversions"], 1_258_343 - 1_245_678 + 75_849 - 24_385);
    // April has no previous report: 7 to 9 are null.
    assert!(periods[0]["eop_conversions"].is_null());
    assert!(periods[0]["conversion_rate"].is_null());
    assert!(periods[0]["net_adds"].is_null());
}

#[test]
fn unreadable_files_exit_2_with_one_line_each() {
    let dir = Dir::new("bad");
    let good = dir.file("may.csv", MAY.as_bytes());
    let empty = dir.file("empty.csv", b"");
    let other = dir.file("sales.csv", b"Date,Region,Revenue\n2024-01-01,EU,100\n");
    let out = slatelens(&[&good, &empty, &other], false);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(lines[0], "empty.csv: the file is empty");
    assert!(lines[1].starts_with("sales.csv: not a known report: nearest is"), "{}", lines[1]);
    // The good file is still analysed.
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("1,288,546"), "{stdout}");
}

#[test]
fn missing_path_exits_2_naming_it() {
    let out = slatelens(&[Path::new("/nonexistent/may.csv")], false);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("/nonexistent/may.csv: cannot open"));
}

#[test]
fn the_same_file_twice_is_counted_once() {
    let dir = Dir::new("dup");
    let a = dir.file("may.csv", MAY.as_bytes());
    let b = dir.file("may (1).csv", MAY.as_bytes());
    let out = slatelens(&[&a, &b], true);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"][1]["duplicate_of"], "may.csv");
    assert_eq!(v["subscriptions"][0]["eop_paid_subs"], 1_288_546);
}

#[test]
fn generated_viewership_analyzes_with_nothing_rejected() {
    let dir = Dir::new("generate");
    let path = dir.0.join("viewership.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_slatelens"))
        .args(["generate", "pid-viewership", "--rows", "100", "--customers", "20", "--seed", "7", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // Without -o the same bytes go to stdout.
    let to_stdout = Command::new(env!("CARGO_BIN_EXE_slatelens"))
        .args(["generate", "pid-viewership", "--rows", "100", "--customers", "20", "--seed", "7"])
        .output()
        .unwrap();
    assert_eq!(to_stdout.stdout, std::fs::read(&path).unwrap());

    let out = slatelens(&[&path], true);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["kind"], "pid_viewership");
    assert_eq!(file["rows"], 100);
    assert_eq!(file["used"], 100);
    assert_eq!(file["rejected"], 0);
}

#[test]
fn files_read_on_several_threads_give_the_same_output_in_the_same_order() {
    let dir = Dir::new("jobs");
    let mut paths = Vec::new();
    for i in 0..6 {
        let path = dir.0.join(format!("subs{i}.csv"));
        let out = Command::new(env!("CARGO_BIN_EXE_slatelens"))
            .args(["generate", "pid-subscriptions", "--rows", "300", "--customers", "100", "--seed"])
            .arg(i.to_string())
            .arg("-o")
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        paths.push(path);
    }
    paths.insert(2, dir.file("may.csv", MAY.as_bytes()));
    paths.insert(4, dir.0.join("missing.csv"));
    paths.push(dir.file("empty.csv", b""));
    let run = |jobs: &str| {
        Command::new(env!("CARGO_BIN_EXE_slatelens"))
            .args(["analyze", "--json", "--jobs", jobs])
            .args(&paths)
            .output()
            .unwrap()
    };
    let one = run("1");
    assert_eq!(one.status.code(), Some(2), "a missing and an empty file");
    let stderr = String::from_utf8_lossy(&one.stderr).to_string();
    let (missing, empty) = (stderr.find("missing.csv").unwrap(), stderr.find("empty.csv").unwrap());
    assert!(missing < empty, "errors in the order the files were given: {stderr}");
    for jobs in ["2", "4"] {
        let many = run(jobs);
        assert_eq!(many.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&many.stderr), stderr, "--jobs {jobs}");
        assert!(many.stdout == one.stdout, "--jobs {jobs}: the JSON differs");
    }
    let v: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(v["files"].as_array().map(Vec::len), Some(8));
}

#[test]
fn a_big_file_read_in_byte_ranges_gives_the_same_output() {
    let dir = Dir::new("ranges");
    let path = dir.0.join("viewership.csv");
    // Past the 64 MiB from which one file is cut into ranges.
    let out = Command::new(env!("CARGO_BIN_EXE_slatelens"))
        .args(["generate", "pid-viewership", "--rows", "260000", "--customers", "50000", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::metadata(&path).unwrap().len() > 64 << 20);
    let run = |jobs: &str| {
        Command::new(env!("CARGO_BIN_EXE_slatelens"))
            .args(["analyze", "--json", "--jobs", jobs])
            .arg(&path)
            .output()
            .unwrap()
    };
    let one = run("1");
    assert_eq!(one.status.code(), Some(0), "{}", String::from_utf8_lossy(&one.stderr));
    for jobs in ["2", "3"] {
        let many = run(jobs);
        assert_eq!(many.status.code(), Some(0));
        assert!(many.stdout == one.stdout, "--jobs {jobs}: the JSON differs");
    }
}

#[test]
fn generated_subscriptions_analyze_with_nothing_rejected() {
    let dir = Dir::new("generate-subs");
    let path = dir.0.join("subscriptions.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_slatelens"))
        .args(["generate", "pid-subscriptions", "--rows", "200", "--customers", "80", "--seed", "7", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = slatelens(&[&path], true);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["kind"], "pid_subscriptions");
    assert_eq!(
        (file["rows"].as_u64(), file["used"].as_u64(), file["rejected"].as_u64()),
        (Some(200), Some(200), Some(0))
    );
    assert_eq!(v["customers"]["rows"], 200);
    assert!(v["customers"]["customers"].as_u64().is_some_and(|n| (1..=80).contains(&n)), "{}", v["customers"]);
}

const PVD: &str = "Programme,Rank pct,Country,Month,Hrs
The Long Road,92.5,US,2024-01-01,\"1,200.5\"
Quiet Hills,40,GB,2024-01-01,310
";
const PVD_MAPPING: &str = r#"{"slatelens_mapping": 1, "kind": "earnings",
 "header": ["programme", "rankpct", "country", "month", "hrs"],
 "fields": {"CER": "Rank pct", "Title": "Programme", "Territory": "Country", "Month": "Month", "Hours Streamed": "Hrs"}}"#;

fn analyze_args(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slatelens")).arg("analyze").args(args).output().unwrap()
}

#[test]
fn a_mapping_file_reads_an_unfamiliar_layout() {
    let dir = Dir::new("mapping");
    let csv = dir.file("pvd.csv", PVD.as_bytes());
    let mapping = dir.file("pvd.mapping.json", PVD_MAPPING.as_bytes());
    // Without the mapping: not recognised, exit 2.
    assert_eq!(slatelens(&[&csv], true).status.code(), Some(2));
    let out = analyze_args(&["--json".as_ref(), "--mapping".as_ref(), mapping.as_os_str(), csv.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["files"][0];
    assert_eq!(f["kind"], "earnings");
    assert_eq!((f["rows"].as_u64(), f["used"].as_u64()), (Some(2), Some(2)));
    assert!(f["notes"].as_array().unwrap().iter().any(|n| n == "read with your mapping"), "{f}");
    assert_eq!(f["columns"][0]["field"], "Title");
    assert_eq!(v["earnings"]["rows"], 2);
}

#[test]
fn a_bad_mapping_file_exits_2_naming_it() {
    let dir = Dir::new("badmapping");
    let csv = dir.file("pvd.csv", PVD.as_bytes());
    let mapping = dir.file("broken.json", b"{\"slatelens_mapping\": 1, \"kind\": ");
    let out = analyze_args(&["--mapping".as_ref(), mapping.as_os_str(), csv.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with(&format!("{}: not a slatelens mapping", mapping.display())), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_mapping_reads_gz_files_and_zip_entries() {
    use std::io::Write;
    let dir = Dir::new("mappingarchives");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(PVD.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let gz_path = dir.file("pvd.csv.gz", &gz);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("2024/pvd_feb.csv", zip::write::SimpleFileOptions::default()).unwrap();
    w.write_all(PVD.replace("2024-01-01", "2024-02-01").as_bytes()).unwrap();
    let zip_path = dir.file("pvd.zip", &w.finish().unwrap().into_inner());
    let mapping = dir.file("pvd.mapping.json", PVD_MAPPING.as_bytes());
    // Without the mapping neither is recognised.
    let out = slatelens(&[&gz_path, &zip_path], true);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    let out = analyze_args(&[
        "--json".as_ref(),
        "--mapping".as_ref(),
        mapping.as_os_str(),
        gz_path.as_os_str(),
        zip_path.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["pvd.csv", "pvd.zip/2024/pvd_feb.csv"]);
    for f in files {
        assert_eq!(f["kind"], "earnings", "{f}");
        assert_eq!((f["rows"].as_u64(), f["used"].as_u64()), (Some(2), Some(2)), "{f}");
        assert!(f["notes"].as_array().unwrap().iter().any(|n| n == "read with your mapping"), "{f}");
    }
    // 2 rows from the .gz (January) + 2 from the zip entry (February).
    assert_eq!(v["earnings"]["rows"], 4);
}
