//! Printing answers: JSON (pretty on a terminal, compact in a pipe), JSON lines, an aligned
//! table or CSV. Lists print as rows: a paginated operation's items, or the one array of
//! objects an answer holds. With `--all`, items print as their pages arrive.

use std::io::{IsTerminal, Write};

use clap::ArgMatches;
use highlevel::{Operation, Pages};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use crate::config::Settings;
use crate::exit::Failure;

/// The widest a table cell gets, in characters, before it is cut short with `…`.
const CELL_WIDTH: usize = 40;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json { pretty: bool },
    Jsonl,
    Table,
    Csv,
}

impl Format {
    /// `--output`, or the config file's `output`, or JSON.
    pub(crate) fn choose(matches: &ArgMatches, settings: &Settings) -> Result<Self, Failure> {
        let name = matches
            .get_one::<String>("output")
            .map(String::as_str)
            .or(settings.output())
            .unwrap_or("json");
        match name {
            "json" => Ok(Self::Json {
                pretty: std::io::stdout().is_terminal(),
            }),
            "jsonl" => Ok(Self::Jsonl),
            "table" => Ok(Self::Table),
            "csv" => Ok(Self::Csv),
            other => Err(Failure::Config(format!(
                "the output format `{other}` is not one of json, jsonl, table, csv"
            ))),
        }
    }
}

/// `--columns`, when given.
pub(crate) fn columns_flag(matches: &ArgMatches) -> Option<Vec<String>> {
    matches
        .get_many::<String>("columns")
        .map(|names| names.cloned().collect())
}

/// Prints one answer.
pub(crate) fn print(
    body: &Value,
    op: &Operation,
    format: Format,
    columns: Option<Vec<String>>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    match format {
        Format::Json { pretty } => {
            write_json(body, pretty, out)?;
            out.write_all(b"\n")?;
        }
        Format::Jsonl => {
            for row in rows(body, op) {
                serde_json::to_writer(&mut *out, row).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Table => {
            let rows = rows(body, op);
            let chosen = columns.is_some();
            let columns = columns.unwrap_or_else(|| default_columns(&rows, true));
            write_table(&rows, &columns, chosen, out)?;
        }
        Format::Csv => {
            let rows = rows(body, op);
            let columns = columns.unwrap_or_else(|| default_columns(&rows, false));
            let mut csv = csv::Writer::from_writer(&mut *out);
            write_csv_row(&mut csv, columns.iter().map(String::as_str))?;
            for row in rows {
                write_csv_row(&mut csv, columns.iter().map(|c| cell(at(row, c), false)))?;
            }
            csv.flush()?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Prints every item of every page as the pages arrive (a table waits for the last one,
/// to size its columns), stopping after `max` items when given.
pub(crate) async fn print_all(
    mut pages: Pages,
    op: &Operation,
    format: Format,
    columns: Option<Vec<String>>,
    max: Option<usize>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let progress = Progress::new();
    let mut sink = Sink::new(format, columns);
    let mut count = 0;

    'pages: while let Some(page) = pages.next().await {
        let page = page?;
        if count == 0
            && let Some(total) = op
                .pagination
                .as_ref()
                .and_then(|p| p.total)
                .and_then(|path| at(&page.body, path))
                .and_then(Value::as_u64)
        {
            progress.total(max.map_or(total, |m| total.min(m as u64)));
        }
        for item in &page.items {
            if max.is_some_and(|max| count >= max) {
                break 'pages;
            }
            sink.item(item, out)?;
            count += 1;
        }
        progress.advance(count);
        out.flush()?;
    }

    progress.finish();
    sink.end(out)?;
    out.flush()?;
    Ok(())
}

/// Where `--all`'s items go, format by format.
struct Sink {
    format: Format,
    columns: Option<Vec<String>>,
    /// Items held for a table, which needs them all to size its columns.
    held: Vec<Value>,
    started: bool,
}

impl Sink {
    fn new(format: Format, columns: Option<Vec<String>>) -> Self {
        Self {
            format,
            columns,
            held: Vec::new(),
            started: false,
        }
    }

    fn item(&mut self, item: &Value, out: &mut impl Write) -> Result<(), Failure> {
        let first = !self.started;
        self.started = true;
        match self.format {
            Format::Json { pretty } => {
                out.write_all(if first { b"[" } else { b"," })?;
                if pretty {
                    out.write_all(b"\n")?;
                    let text = serde_json::to_string_pretty(item).map_err(std::io::Error::from)?;
                    for (i, line) in text.lines().enumerate() {
                        if i > 0 {
                            out.write_all(b"\n")?;
                        }
                        write!(out, "  {line}")?;
                    }
                } else {
                    serde_json::to_writer(&mut *out, item).map_err(std::io::Error::from)?;
                }
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut *out, item).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
            Format::Table => self.held.push(item.clone()),
            Format::Csv => {
                // A stream cannot look ahead: the first item's fields are the columns.
                let columns = self
                    .columns
                    .get_or_insert_with(|| default_columns(&[item], false));
                let mut csv = csv::Writer::from_writer(&mut *out);
                if first {
                    write_csv_row(&mut csv, columns.iter().map(String::as_str))?;
                }
                write_csv_row(&mut csv, columns.iter().map(|c| cell(at(item, c), false)))?;
                csv.flush()?;
            }
        }
        Ok(())
    }

    fn end(self, out: &mut impl Write) -> Result<(), Failure> {
        match self.format {
            Format::Json { pretty } => {
                let close: &[u8] = match (self.started, pretty) {
                    (false, _) => b"[]\n",
                    (true, true) => b"\n]\n",
                    (true, false) => b"]\n",
                };
                out.write_all(close)?;
            }
            Format::Table => {
                let rows: Vec<&Value> = self.held.iter().collect();
                let chosen = self.columns.is_some();
                let columns = self.columns.unwrap_or_else(|| default_columns(&rows, true));
                write_table(&rows, &columns, chosen, out)?;
            }
            Format::Jsonl | Format::Csv => {}
        }
        Ok(())
    }
}

/// A progress bar on standard error while `--all` walks pages, when a person watches.
struct Progress(Option<ProgressBar>);

impl Progress {
    fn new() -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {human_pos} items {wide_bar} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Self(Some(bar))
    }

    fn total(&self, total: u64) {
        if let Some(bar) = &self.0 {
            bar.set_length(total);
        }
    }

    fn advance(&self, count: usize) {
        if let Some(bar) = &self.0 {
            bar.set_position(count as u64);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// The rows an answer holds: a paginated operation's items; else the answer's one array
/// of objects (`{"users": [...]}`); else the one object it wraps (`{"contact": {...}}`);
/// else the answer itself.
fn rows<'a>(body: &'a Value, op: &Operation) -> Vec<&'a Value> {
    if let Some(items) = op.pagination.as_ref().and_then(|p| at(body, p.items)) {
        return items
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
    }
    match body {
        Value::Array(items) => items.iter().collect(),
        Value::Object(object) => {
            let list = object.values().find(|v| {
                v.as_array()
                    .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_object))
            });
            if let Some(Value::Array(items)) = list {
                return items.iter().collect();
            }
            match object.values().collect::<Vec<_>>().as_slice() {
                [only @ Value::Object(_)] => vec![*only],
                _ => vec![body],
            }
        }
        _ => vec![body],
    }
}

/// The fields of `rows` in the order they first appear; for a table, only those that fit
/// in a cell (text, numbers, flags and lists of them).
fn default_columns(rows: &[&Value], simple_only: bool) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    let mut nested: Vec<String> = Vec::new();
    for row in rows {
        let Value::Object(object) = row else {
            continue;
        };
        for (key, value) in object {
            if simple_only && !is_simple(value) {
                nested.push(key.clone());
                continue;
            }
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    if simple_only {
        columns.retain(|c| !nested.contains(c));
    }
    if columns.is_empty() && rows.iter().any(|r| !r.is_object()) {
        columns.push(".".to_owned());
    }
    columns
}

fn is_simple(value: &Value) -> bool {
    match value {
        Value::Object(_) => false,
        Value::Array(items) => items.iter().all(|i| !i.is_object() && !i.is_array()),
        _ => true,
    }
}

/// The value at a dotted path (`meta.total`); `.` is the value itself.
fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    if path == "." {
        return Some(value);
    }
    path.split('.').try_fold(value, |v, key| match v {
        Value::Object(object) => object.get(key),
        Value::Array(items) => items.get(key.parse::<usize>().ok()?),
        _ => None,
    })
}

/// A value as cell text: text as is, lists joined by commas, objects as compact JSON.
fn cell(value: Option<&Value>, short: bool) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.iter().all(|i| !i.is_object() && !i.is_array()) => items
            .iter()
            .map(|i| cell(Some(i), false))
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    };
    if !short {
        return text;
    }
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= CELL_WIDTH {
        return flat;
    }
    flat.chars().take(CELL_WIDTH - 1).collect::<String>() + "…"
}

/// Prints `rows` as an aligned table. Chosen columns all show; default ones are left out
/// when empty in every row, and from the first that would pass the width onwards.
fn write_table(
    rows: &[&Value],
    columns: &[String],
    chosen: bool,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let mut columns = columns.to_vec();
    let mut cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| columns.iter().map(|c| cell(at(row, c), true)).collect())
        .collect();
    let mut widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let widest = cells
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0);
            widest.max(c.chars().count())
        })
        .collect();

    if !chosen {
        let keep = fit(&cells, &widths, table_width());
        let hidden = columns.len() - keep.len();
        columns = keep.iter().map(|&i| columns[i].clone()).collect();
        widths = keep.iter().map(|&i| widths[i]).collect();
        cells = cells
            .into_iter()
            .map(|row| keep.iter().map(|&i| row[i].clone()).collect())
            .collect();
        if hidden > 0 && std::io::stderr().is_terminal() {
            eprintln!("({hidden} more fields: choose them with --columns, or use --output json)");
        }
    }

    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    write_table_row(&columns, &widths, out)?;
    write_table_row(&rule, &widths, out)?;
    for row in &cells {
        write_table_row(row, &widths, out)?;
    }
    Ok(())
}

/// The indexes of the columns to show: those with a value in some row, up to `width`.
fn fit(cells: &[Vec<String>], widths: &[usize], width: usize) -> Vec<usize> {
    let mut keep = Vec::new();
    let mut used = 0;
    for (i, w) in widths.iter().enumerate() {
        if cells.iter().all(|row| row[i].is_empty()) {
            continue;
        }
        if !keep.is_empty() && used + w > width {
            break;
        }
        used += w + 2;
        keep.push(i);
    }
    keep
}

/// The terminal's width, or 120 columns when standard output is not a terminal.
fn table_width() -> usize {
    let term = console::Term::stdout();
    match term.is_term() {
        true => term.size_checked().map_or(120, |(_, w)| usize::from(w)),
        false => 120,
    }
}

fn write_table_row(
    cells: &[String],
    widths: &[usize],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let last = cells.len().saturating_sub(1);
    let mut line = String::new();
    for (i, (text, width)) in cells.iter().zip(widths).enumerate() {
        line.push_str(text);
        if i < last {
            let pad = width - text.chars().count() + 2;
            line.push_str(&" ".repeat(pad));
        }
    }
    writeln!(out, "{line}")
}

fn write_csv_row<W: Write, S: AsRef<[u8]>>(
    csv: &mut csv::Writer<W>,
    fields: impl Iterator<Item = S>,
) -> Result<(), Failure> {
    csv.write_record(fields).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(io) => Failure::Io(io),
        other => Failure::Io(std::io::Error::other(format!("{other:?}"))),
    })
}

fn write_json(value: &Value, pretty: bool, out: &mut impl Write) -> std::io::Result<()> {
    match pretty {
        true => serde_json::to_writer_pretty(out, value)?,
        false => serde_json::to_writer(out, value)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_are_cut_to_one_short_line() {
        let long = Value::String(format!("a\nb{}", "x".repeat(60)));
        let text = cell(Some(&long), true);

        assert_eq!(text.chars().count(), CELL_WIDTH);
        assert!(text.starts_with("a b"));
        assert!(text.ends_with('…'));
    }

    #[test]
    fn a_table_leaves_out_fields_that_do_not_fit_a_cell() {
        let a = json!({"id": "1", "tags": ["x", "y"], "address": {"city": "Paris"}});
        let b = json!({"id": "2", "email": "b@example.com"});

        assert_eq!(default_columns(&[&a, &b], true), ["id", "tags", "email"]);
        assert_eq!(
            default_columns(&[&a, &b], false),
            ["id", "tags", "address", "email"]
        );
    }

    #[test]
    fn dotted_paths_reach_inside_objects_and_lists() {
        let v = json!({"meta": {"total": 3}, "items": [{"id": "a"}]});

        assert_eq!(at(&v, "meta.total"), Some(&json!(3)));
        assert_eq!(at(&v, "items.0.id"), Some(&json!("a")));
        assert_eq!(at(&v, "meta.missing"), None);
    }
}
