//! Routing the core's `tracing` records to a JavaScript function. Each record is a plain
//! object: `{level, target, message, span, fields}`, where `fields` merges the fields of the
//! request span it happened in (operation, method, attempt, status, duration, trace id)
//! with the event's own. The core never records headers, so the API key cannot show.

use std::sync::{Once, RwLock};

use napi::Status;
use napi::bindgen_prelude::Unknown;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde_json::{Map, Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// The user's function; weak, so that logging does not keep the process alive.
type Sink = ThreadsafeFunction<Value, Unknown<'static>, Value, Status, false, true>;

/// Where records go, and the most detailed level that is sent.
static SINK: RwLock<Option<(Sink, Level)>> = RwLock::new(None);
static INSTALL: Once = Once::new();

/// Sends the SDK's log records at `level` (`"debug"` unless given; `"trace"` adds request
/// bodies) and above to `callback`; `null` stops logging.
#[napi]
pub fn set_logger(
    #[napi(ts_arg_type = "((record: unknown) => void) | null")] callback: Option<Sink>,
    level: Option<String>,
) -> napi::Result<()> {
    let level = match level.as_deref().unwrap_or("debug") {
        "error" => Level::ERROR,
        "warn" => Level::WARN,
        "info" => Level::INFO,
        "debug" => Level::DEBUG,
        "trace" => Level::TRACE,
        other => {
            return Err(napi::Error::new(
                Status::InvalidArg,
                format!("unknown log level `{other}`: use error, warn, info, debug or trace"),
            ));
        }
    };

    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(JsLayer);
        // Fails only when the host already installed a subscriber; then records go there.
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
    let mut sink = SINK.write().unwrap_or_else(|e| e.into_inner());
    *sink = callback.map(|callback| (callback, level));
    Ok(())
}

/// Turns spans and events of the SDK's crates into records for the sink.
struct JsLayer;

/// The fields recorded on a span, kept in its extensions.
#[derive(Default)]
struct Fields(Map<String, Value>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_owned(), format!("{value:?}").into());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.into());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.into());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), value.into());
    }
}

impl<S> Layer<S> for JsLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        // The level can change at any time, so every callsite is asked each time.
        Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        let ours = metadata.target() == "highlevel" || metadata.target().starts_with("highlevel::");
        let sink = SINK.read().unwrap_or_else(|e| e.into_inner());
        ours && sink
            .as_ref()
            .is_some_and(|(_, level)| metadata.level() <= level)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<Fields>()
        {
            values.record(fields);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Map::new();
        let mut span_name = Value::Null;
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                span_name = span.name().into();
                if let Some(own) = span.extensions().get::<Fields>() {
                    fields.extend(own.0.clone());
                }
            }
        }
        let mut own = Fields::default();
        event.record(&mut own);
        let message = own.0.remove("message").unwrap_or_default();
        fields.extend(own.0);

        let metadata = event.metadata();
        let record = json!({
            "level": metadata.level().as_str().to_ascii_lowercase(),
            "target": metadata.target(),
            "message": message,
            "span": span_name,
            "fields": fields,
        });
        let sink = SINK.read().unwrap_or_else(|e| e.into_inner());
        if let Some((sink, _)) = sink.as_ref() {
            sink.call(record, ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}
