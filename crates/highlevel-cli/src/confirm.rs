//! Confirmation of writes: the core's write guard hands each create, update or delete to
//! [`ask`] before sending it, and nothing is sent unless a person at a terminal says yes.
//! Without a terminal to ask on, the write is refused and `--yes` is the way through.

use std::io::{BufRead, IsTerminal, Write};

use highlevel::WriteRequest;

use crate::table::Command;

/// The longest body the prompt shows, in characters.
const BODY_SHOWN: usize = 400;

/// What the prompt says about the command beyond the request itself.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    about: &'static str,
    location: Option<String>,
}

impl Context {
    pub(crate) fn new(command: &Command, location: Option<&str>) -> Self {
        Self {
            about: command.about,
            location: location.map(str::to_owned),
        }
    }
}

/// Asks on the terminal whether `write` may be sent; `Err` says why not.
pub(crate) async fn ask(write: WriteRequest, context: Context) -> Result<(), String> {
    let effect = format!("{} ({} {})", context.about, write.operation, write.method);
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "{effect} was not confirmed: standard input is not a terminal to ask on; pass \
             --yes to make changes without asking"
        ));
    }

    let prompt = prompt(&write, &context, &effect);
    let answer = tokio::task::spawn_blocking(move || {
        let mut stderr = std::io::stderr().lock();
        stderr.write_all(prompt.as_bytes())?;
        stderr.flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok::<_, std::io::Error>(line)
    })
    .await
    .map_err(|_| "the confirmation prompt stopped unexpectedly".to_owned())?
    .map_err(|e| format!("cannot read the answer to the confirmation prompt: {e}"))?;

    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(format!("{effect} was declined at the prompt")),
    }
}

fn prompt(write: &WriteRequest, context: &Context, effect: &str) -> String {
    let mut text = format!("About to {}:\n", effect_lowercase(effect));
    if let Some(location) = &context.location {
        text.push_str(&format!("  location: {location}\n"));
    }
    for (name, value) in &write.targets {
        text.push_str(&format!("  {name}: {value}\n"));
    }
    if let Some(body) = &write.body {
        let mut shown = body.to_string();
        if shown.chars().count() > BODY_SHOWN {
            shown = shown.chars().take(BODY_SHOWN).collect::<String>() + "…";
        }
        text.push_str(&format!("  body: {shown}\n"));
    }
    text.push_str("Proceed? [y/N] ");
    text
}

/// "Create a contact (...)" reads as "create a contact (...)" after "About to".
fn effect_lowercase(effect: &str) -> String {
    let mut chars = effect.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
