//! The `highlevel` binary end to end against a sandbox served from the test process: one
//! operation of every resource group, `--all` across many pages, bodies from flags, files
//! and standard input, the write guard (confirmation, refusal, `--read-only`), exit codes
//! and redaction of the API key.

mod support;

use std::collections::HashSet;

use highlevel_sandbox::{COMPANY_ID, Fault, FaultKind};
use rexpect::session::spawn_command;
use serde_json::Value;
use support::{Cli, KEY};

type Test = Result<(), Box<dyn std::error::Error>>;

/// Arguments, extra environment, the exit code and a text standard error must hold.
type Case = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    i32,
    &'static str,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_operation_of_every_resource_group_succeeds() -> Test {
    let cli = Cli::start().await;
    let runs: [&[&str]; 23] = [
        &["businesses", "list"],
        &["calendars", "list"],
        &["campaigns", "list"],
        &["connections", "list"],
        &["contacts", "list", "--limit", "3"],
        &["conversations", "search"],
        &["custom-fields", "list"],
        &["custom-values", "list"],
        &["forms", "list"],
        &["funnels", "list"],
        &[
            "invoices",
            "list",
            "--alt-type",
            "location",
            "--limit",
            "5",
            "--offset",
            "0",
        ],
        &["links", "list"],
        &["locations", "search", "--company", COMPANY_ID],
        &[
            "medias",
            "list-files",
            "--type",
            "file",
            "--alt-type",
            "location",
        ],
        &["opportunities", "list-pipelines"],
        &["payments", "list-orders"],
        &["products", "list"],
        &["snapshots", "list", "--company-id", COMPANY_ID],
        &["social-media", "list-accounts"],
        &["surveys", "list"],
        &["tags", "list"],
        &["users", "list"],
        &["workflows", "list"],
    ];

    let mut groups = HashSet::new();
    for args in runs {
        let run = cli.run(args).await;
        assert_eq!(run.code, 0, "highlevel {args:?}: {run:?}");
        assert!(run.json().is_object(), "highlevel {args:?}: {run:?}");
        groups.insert(args[0]);
    }
    assert_eq!(groups.len(), 23, "every group once");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_walks_every_page_and_streams_each_contact_once() -> Test {
    let cli = Cli::start().await;

    let args = [
        "contacts", "list", "--all", "--limit", "7", "--output", "jsonl",
    ];
    let run = cli.run(&args).await.ok();

    let ids: Vec<String> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).map(|c| c["id"].to_string()))
        .collect::<Result<_, _>>()?;
    assert_eq!(ids.len(), 300, "every seeded contact");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 300, "none twice");
    assert_eq!(cli.sandbox.processed("listContacts"), 300usize.div_ceil(7));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_with_max_items_stops_early_and_json_stays_one_array() -> Test {
    let cli = Cli::start().await;

    let args = [
        "contacts",
        "list",
        "--all",
        "--limit",
        "10",
        "--max-items",
        "25",
    ];
    let run = cli.run(&args).await.ok();

    let items = run.json();
    assert_eq!(items.as_array().map(Vec::len), Some(25));
    assert!(
        cli.sandbox.processed("listContacts") <= 4,
        "at most one page ahead"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_without_a_terminal_or_yes_is_refused_and_not_sent() -> Test {
    let cli = Cli::start().await;

    let run = cli
        .run(&["contacts", "create", "--first-name", "Ada"])
        .await;

    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("pass --yes"), "{run:?}");
    assert!(run.stderr.contains("Create a contact"), "{run:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(cli.sandbox.processed("createContact"), 0);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yes_makes_the_change_once_and_the_tour_finds_it_again() -> Test {
    let cli = Cli::start().await;

    let created = cli
        .run(&[
            "contacts",
            "create",
            "--first-name",
            "Ada",
            "--email",
            "ada@example.com",
            "-y",
        ])
        .await
        .ok()
        .json();
    let id = created["contact"]["id"].as_str().ok_or("no id")?.to_owned();
    assert_eq!(
        created["contact"]["locationId"], "demo-location-1",
        "from --location's env"
    );

    cli.run(&[
        "contacts",
        "add-tags",
        "--contact-id",
        &id,
        "--tags",
        "vip,2026",
        "--yes",
    ])
    .await
    .ok();
    cli.run(&[
        "contacts",
        "create-note",
        "--contact-id",
        &id,
        "--body-field",
        "Met at the fair",
        "-y",
    ])
    .await
    .ok();
    let found = cli
        .run(&["contacts", "list", "--query", "ada@example.com"])
        .await
        .ok()
        .json();
    let contact = &found["contacts"][0];
    assert_eq!(contact["id"], id.as_str());
    assert_eq!(contact["tags"], serde_json::json!(["vip", "2026"]));
    let notes = cli
        .run(&["contacts", "list-notes", "--contact-id", &id])
        .await
        .ok()
        .json();
    assert_eq!(notes["notes"][0]["body"], "Met at the fair");

    assert_eq!(cli.sandbox.processed("createContact"), 1);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_at_a_terminal_confirms_or_declines_each_write() -> Test {
    let cli = Cli::start().await;

    let command = cli.command(&["contacts", "create", "--first-name", "Grace"]);
    let mut session = spawn_command(command, Some(20_000))?;
    session.exp_string("About to create a contact (createContact POST):")?;
    session.exp_string("location: demo-location-1")?;
    session.exp_string("\"firstName\":\"Grace\"")?;
    session.exp_string("Proceed? [y/N]")?;
    session.send_line("y")?;
    session.exp_string("\"firstName\": \"Grace\"")?;
    session.exp_eof()?;
    assert_eq!(cli.sandbox.processed("createContact"), 1);

    let command = cli.command(&["contacts", "create", "--first-name", "Linus"]);
    let mut session = spawn_command(command, Some(20_000))?;
    session.exp_string("Proceed? [y/N]")?;
    session.send_line("n")?;
    session.exp_string("was declined at the prompt")?;
    let status = session.process.wait()?;
    assert!(
        matches!(status, rexpect::process::wait::WaitStatus::Exited(_, 4)),
        "{status:?}"
    );
    assert_eq!(
        cli.sandbox.processed("createContact"),
        1,
        "the declined one was not sent"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_writes_even_with_yes() -> Test {
    let cli = Cli::start().await;

    let run = cli
        .run(&[
            "--read-only",
            "contacts",
            "delete",
            "--contact-id",
            "anything",
            "--yes",
        ])
        .await;

    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("read-only"), "{run:?}");
    assert!(
        cli.sandbox.requests().is_empty(),
        "nothing reached the sandbox"
    );
    let read = cli.run(&["--read-only", "users", "list"]).await;
    assert_eq!(read.code, 0, "reads still work: {read:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_comes_from_a_file_or_standard_input_and_flags_win() -> Test {
    let cli = Cli::start().await;
    let file = cli.home().join("contact.json");
    std::fs::write(&file, r#"{"firstName": "File", "lastName": "Body"}"#)?;
    let from_file = format!("@{}", file.display());

    let run = cli
        .run(&[
            "contacts",
            "create",
            "--body",
            &from_file,
            "--first-name",
            "Flag",
            "-y",
        ])
        .await
        .ok();
    assert_eq!(run.json()["contact"]["firstName"], "Flag");
    assert_eq!(run.json()["contact"]["lastName"], "Body");

    let stdin = r#"{"firstName": "Piped", "tags": ["stdin"]}"#;
    let run = cli
        .run_with(
            &["contacts", "create", "--body", "-", "--yes"],
            &[],
            Some(stdin),
        )
        .await
        .ok();
    assert_eq!(run.json()["contact"]["tags"], serde_json::json!(["stdin"]));

    let run = cli
        .run(&["contacts", "create", "--body", "{not json", "-y"])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("the body in --body is not JSON"),
        "{run:?}"
    );
    assert_eq!(cli.sandbox.processed("createContact"), 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_error_kind_has_its_exit_code_and_one_line() -> Test {
    let cli = Cli::start().await;
    let cases: [Case; 7] = [
        (
            &["contacts", "get", "--contact-id", "missing"],
            &[],
            14,
            "error[not_found 404]",
        ),
        (
            &["contacts", "list"],
            &[("MATON_API_KEY", "wrong")],
            11,
            "error[unauthorized 401]",
        ),
        (
            &["--connection", "conn-agency", "contacts", "list"],
            &[],
            12,
            "error[wrong_token_type 401]",
        ),
        (
            &["contacts", "list", "--location-id", "demo-location-2"],
            &[],
            13,
            "error[forbidden_location 403]",
        ),
        (
            &["contacts", "list", "--limit", "many"],
            &[],
            2,
            "invalid value 'many'",
        ),
        (
            &["contacts", "list"],
            &[("MATON_API_KEY", "")],
            3,
            "--sandbox",
        ),
        (&["tags", "create", "-y"], &[], 2, "needs --name"),
    ];

    for (args, env, code, text) in cases {
        let run = cli.run_with(args, env, None).await;
        assert_eq!(run.code, code, "highlevel {args:?}: {run:?}");
        assert!(run.stderr.contains(text), "highlevel {args:?}: {run:?}");
        assert_eq!(run.stdout, "", "highlevel {args:?}");
    }

    let run = cli
        .run_with(&["contacts", "list"], &[("MATON_API_KEY", "")], None)
        .await;
    assert_eq!(run.stderr.lines().count(), 1, "one line: {run:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_and_gateway_failures_of_a_write_are_not_retried() -> Test {
    let cli = Cli::start().await;

    cli.sandbox
        .add_fault(Fault::on("createLocationTag", FaultKind::Status(500)).times(1));
    let run = cli.run(&["tags", "create", "--name", "x", "-y"]).await;
    assert_eq!(run.code, 17, "{run:?}");

    cli.sandbox
        .add_fault(Fault::on("createLocationTag", FaultKind::HtmlBadGateway).times(1));
    let run = cli.run(&["tags", "create", "--name", "y", "-y"]).await;
    assert_eq!(run.code, 18, "{run:?}");
    assert!(
        run.stderr.starts_with("highlevel: error[gateway 502]"),
        "{run:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_key_never_reaches_the_output_or_the_logs() -> Test {
    let cli = Cli::start().await;

    let runs = [
        cli.run(&["-vv", "users", "list"]).await,
        cli.run(&["-vv", "contacts", "get", "--contact-id", "missing"])
            .await,
        cli.run(&["-vv", "contacts", "create", "--first-name", "A"])
            .await,
        cli.run_with(
            &["-vv", "users", "list"],
            &[("MATON_BASE_URL", "not a url")],
            None,
        )
        .await,
    ];

    for run in &runs {
        assert!(
            !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
            "{run:?}"
        );
        assert!(!run.stderr.contains("Bearer"), "{run:?}");
    }
    assert!(
        runs[0].stderr.contains("list_users"),
        "-vv logs the request: {:?}",
        runs[0]
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_config_file_configures_and_the_environment_and_flags_win() -> Test {
    let cli = Cli::start().await;
    let config = cli.home().join("highlevel.toml");
    std::fs::write(
        &config,
        format!(
            "api_key = \"{KEY}\"\nbase_url = \"{}\"\nlocation = \"demo-location-2\"\n\
             connection = \"conn-location-2\"\noutput = \"csv\"\n",
            cli.sandbox.proxy_url()
        ),
    )?;
    let config = config.display().to_string();
    let only_the_file = [
        ("MATON_API_KEY", ""),
        ("HIGHLEVEL_BASE_URL", ""),
        ("MATON_CONNECTION", ""),
        ("HIGHLEVEL_LOCATION_ID", ""),
    ];

    let run = cli
        .run_with(
            &[
                "--config",
                &config,
                "tags",
                "list",
                "--columns",
                "locationId",
            ],
            &only_the_file,
            None,
        )
        .await
        .ok();
    assert_eq!(
        run.stdout.lines().nth(1),
        Some("demo-location-2"),
        "{run:?}"
    );

    let env_wins = [("MATON_CONNECTION", "conn-location-1")];
    let run = cli
        .run_with(
            &[
                "--config",
                &config,
                "--location",
                "demo-location-1",
                "tags",
                "list",
            ],
            &env_wins,
            None,
        )
        .await
        .ok();
    assert_eq!(
        run.stdout
            .lines()
            .nth(1)
            .map(|l| l.contains("demo-location-1")),
        Some(true)
    );

    let typo = cli.home().join("typo.toml");
    std::fs::write(&typo, format!("api_kee = \"{KEY}\"\n"))?;
    let run = cli
        .run(&["--config", &typo.display().to_string(), "users", "list"])
        .await;
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stderr.contains("api_kee"),
        "the message names the key: {run:?}"
    );
    assert!(!run.stderr.contains(KEY), "{run:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_cover_bash_zsh_and_fish() -> Test {
    let cli = Cli::start().await;
    for shell in ["bash", "zsh", "fish"] {
        let run = cli.run(&["completions", shell]).await.ok();
        assert!(run.stdout.contains("contacts"), "{shell}");
        assert!(run.stdout.contains("list-pipelines"), "{shell}");
    }
    Ok(())
}
