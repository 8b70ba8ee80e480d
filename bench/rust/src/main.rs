//! `highlevel-bench CLIENT JOB CONFIG`: the highlevel crate on one of the jobs of `cargo
//! xtask bench`, as a Rust program would use it (the typed resource API where it has one).
//! CONFIG is the JSON file the orchestrator (`bench/run.py`) writes. It prints one JSON
//! line: the items seen, the job's wall and CPU seconds (taken around the job alone), the
//! 429s that reached this code and how requests overlapped.
//!
//! The runtime is the one each job calls for. The page walk (A) runs on tokio's default
//! multi-threaded runtime, where the next page is fetched on one thread while this one is
//! parsed on another. The gets (B) run on a current-thread runtime, as wrk's one thread
//! does the same requests: for many small requests in flight, one thread spends far less
//! CPU than several handing wake-ups to each other.

#![allow(
    clippy::print_stdout,
    reason = "the result line on standard output is what the orchestrator reads"
)]

use std::time::Instant;

use futures::StreamExt;
use highlevel::{Client, ErrorKind};
use serde_json::{Map, Value, json};

type Outcome = Result<(usize, usize), Box<dyn std::error::Error>>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [_client, job, path] = args.as_slice() else {
        return Err("usage: highlevel-bench CLIENT JOB CONFIG".into());
    };
    let runtime = match job.as_str() {
        "B" => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    }
    .enable_all()
    .build()?;
    runtime.block_on(run(job, path))
}

async fn run(job: &str, path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let config: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let text = |key: &str| {
        config[key]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("the config has no `{key}`"))
    };
    let client = Client::builder()
        .api_key(text("api_key")?)
        .base_url(text("base_url")?)
        .connection(text("connection")?)
        .build()?;

    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let (count, rate_limited, mode) = match job {
        "A" => (walk(&client, &text("location")?).await?, "sequential"),
        "B" => (gets(&client, &config).await?, "32 in flight (one thread)"),
        "C" => (creates(&client, &config).await?, "sequential"),
        _ => (first(&client, &text("first_id")?).await?, "one request"),
    }
    .into_parts();
    let result = json!({
        "count": count,
        "seconds": wall.elapsed().as_secs_f64(),
        "cpu": cpu_seconds() - cpu,
        "rate_limited": rate_limited,
        "mode": mode,
        "peak_rss_kb": peak_rss_kb()?,
    });
    println!("{result}");
    Ok(())
}

trait IntoParts {
    fn into_parts(self) -> (usize, usize, &'static str);
}

impl IntoParts for ((usize, usize), &'static str) {
    fn into_parts(self) -> (usize, usize, &'static str) {
        (self.0.0, self.0.1, self.1)
    }
}

/// Job A: every contact of the location, item by item.
async fn walk(client: &Client, location: &str) -> Outcome {
    let mut params = Map::new();
    params.insert("locationId".into(), Value::from(location));
    params.insert("limit".into(), Value::from(100));
    let mut items = client.items("listContacts", params)?;
    let mut seen = 0;
    while let Some(item) = items.next().await {
        item?;
        seen += 1;
    }
    Ok((seen, 0))
}

/// Job B: a get per id, 32 in flight; counts answers that name the id asked for.
async fn gets(client: &Client, config: &Value) -> Outcome {
    let path = config["ids"].as_str().ok_or("the config has no `ids`")?;
    let ids = std::fs::read_to_string(path)?;
    let in_flight = config["concurrency"].as_u64().unwrap_or(32) as usize;

    let answers = futures::stream::iter(ids.split_whitespace())
        .map(|id| async move {
            let answer = client.contacts().get().contact_id(id).call().await?;
            let named = answer.contact.as_ref().and_then(|c| c.id.as_deref());
            Ok::<_, highlevel::Error>(named == Some(id))
        })
        .buffer_unordered(in_flight);
    let mut answers = std::pin::pin!(answers);
    let mut seen = 0;
    while let Some(answer) = answers.next().await {
        seen += usize::from(answer?);
    }
    Ok((seen, 0))
}

/// Job C: contact after contact; a 429 that outlasted the client's retries is counted.
async fn creates(client: &Client, config: &Value) -> Outcome {
    let count = config["count"]
        .as_u64()
        .ok_or("the config has no `count`")?;
    let location = config["location"].as_str().ok_or("no `location`")?;
    let prefix = config["prefix"].as_str().ok_or("no `prefix`")?;
    let (mut made, mut limited) = (0, 0);
    for index in 0..count {
        let body = json!({
            "locationId": location,
            "firstName": format!("Bench{index}"),
            "email": format!("{prefix}-{index}@bench.example"),
        });
        match client.call("createContact", &Map::new(), Some(&body)).await {
            Ok(_) => made += 1,
            Err(err) if err.kind() == ErrorKind::RateLimited => limited += 1,
            Err(err) => return Err(err.into()),
        }
    }
    Ok((made, limited))
}

/// Job D: one get; the orchestrator times the whole process.
async fn first(client: &Client, id: &str) -> Outcome {
    let answer = client.contacts().get().contact_id(id).call().await?;
    let named = answer.contact.as_ref().and_then(|c| c.id.as_deref());
    Ok((usize::from(named == Some(id)), 0))
}

/// This process's peak resident set since it started, in KiB. Not `ru_maxrss`, which
/// counts the memory of the process that started this one, as it was when it did.
fn peak_rss_kb() -> Result<u64, Box<dyn std::error::Error>> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .ok_or("/proc/self/status has no VmHWM")?;
    let kib = line.split_whitespace().nth(1).ok_or("VmHWM has no value")?;
    Ok(kib.parse()?)
}

/// The CPU time of the whole process, every thread, user and system.
fn cpu_seconds() -> f64 {
    cpu_time::ProcessTime::now().as_duration().as_secs_f64()
}
