//! Golden files: the help of the command and of every resource group, and table and CSV
//! output of the built-in sandbox's demo data, compared with `tests/golden/`. After a
//! deliberate change, `UPDATE_GOLDEN=1 cargo test -p highlevel-cli --test golden` rewrites
//! them; review the diff before committing it.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Runs the binary with no configuration at all: help and `--sandbox` need none.
fn run(args: &[&str]) -> String {
    let home = tempfile::tempdir().expect("a temporary folder");
    let output = Command::new(support::binary())
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .output()
        .expect("the command runs");
    assert!(
        output.status.success(),
        "highlevel {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the output is UTF-8")
}

/// Compares `actual` with the golden file `name`, or rewrites it under `UPDATE_GOLDEN`.
fn check(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("the golden file is written");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no golden file {name}; run with UPDATE_GOLDEN=1"));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .map_or_else(|| "the length".to_owned(), |i| format!("line {}", i + 1));
        panic!(
            "{name} differs from the output, first at {line}; run with UPDATE_GOLDEN=1 if \
             the change is meant\n--- expected\n{expected}\n--- actual\n{actual}"
        );
    }
}

/// The resource groups the top-level help lists.
fn groups(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        // A command's line starts with two spaces; a wrapped description with more.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| !["sandbox", "completions", "help"].contains(name))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_help_of_the_command_and_of_each_group() {
    let top = run(&["--help"]);
    check("help.txt", &top);

    let groups = groups(&top);
    assert_eq!(
        groups.len(),
        23,
        "every resource group is listed: {groups:?}"
    );
    for group in &groups {
        check(&format!("help-{group}.txt"), &run(&[group, "--help"]));
    }

    // A group that no longer exists must not leave its golden file behind.
    for entry in std::fs::read_dir(golden_dir()).expect("the golden folder") {
        let name = entry
            .expect("an entry")
            .file_name()
            .into_string()
            .expect("UTF-8");
        if let Some(group) = name
            .strip_prefix("help-")
            .and_then(|n| n.strip_suffix(".txt"))
        {
            assert!(groups.iter().any(|g| g == group), "{name} is stale");
        }
    }
}

#[test]
fn the_help_of_an_operation_is_the_description_s_documentation() {
    let help = run(&["contacts", "list", "--help"]);
    check("operation-contacts-list.txt", &help);

    assert!(help.contains("Lists the contacts of a location"), "{help}");
    assert!(help.contains("--start-after-id"), "{help}");
    assert!(help.contains("--all"), "{help}");
}

#[test]
fn contacts_as_a_table() {
    let table = run(&[
        "--sandbox",
        "contacts",
        "list",
        "--limit",
        "5",
        "--output",
        "table",
    ]);
    check("contacts.table.txt", &table);
    assert_eq!(
        table.lines().count(),
        2 + 5,
        "a header, a rule and five rows"
    );
}

#[test]
fn the_readme_shows_what_its_first_command_prints() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("the README");
    let section = readme
        .split("## First command")
        .nth(1)
        .expect("a First command section");
    let shown = section
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a text block");

    let printed = run(&[
        "--sandbox",
        "contacts",
        "list",
        "--limit",
        "5",
        "--output",
        "table",
    ]);
    assert!(
        section.contains("contacts list --limit 5 --output table"),
        "the README runs the command this test runs"
    );
    assert_eq!(shown, printed);
}

#[test]
fn chosen_columns_as_a_table_reach_inside_objects() {
    let args = [
        "--sandbox",
        "opportunities",
        "list-pipelines",
        "--output",
        "table",
        "--columns",
        "name,stages.0.name,stages.1.name",
    ];
    check("pipelines.table.txt", &run(&args));
}

#[test]
fn contacts_as_csv() {
    let csv = run(&[
        "--sandbox",
        "contacts",
        "list",
        "--limit",
        "5",
        "--output",
        "csv",
    ]);
    check("contacts.csv", &csv);
    assert_eq!(csv.lines().count(), 1 + 5, "a header and five rows");
}

#[test]
fn users_as_csv_with_chosen_columns() {
    let args = [
        "--sandbox",
        "users",
        "list",
        "--output",
        "csv",
        "--columns",
        "id,name,email,roles.role",
    ];
    check("users.csv", &run(&args));
}
