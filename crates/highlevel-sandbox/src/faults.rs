//! Fault injection and the request log: what a test sets up to see how a client copes with
//! a flaky service, and what it reads back to see what reached the service.

use parking_lot::Mutex;
use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{Value, json};

/// Something to go wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Wait this long before handling the request.
    Latency(Duration),
    /// Answer with this status (429, 500, 502, 503, 504...) without handling the request.
    Status(u16),
    /// Drop the connection before handling the request: nothing changed on the server.
    ResetBeforeProcessing,
    /// Handle the request, then drop the connection without answering: the change was made
    /// but the client cannot know it.
    ResetAfterProcessing,
    /// Handle the request, then send only the first half of the JSON answer.
    TruncatedJson,
    /// Handle the request, then send an answer that is not JSON at all.
    InvalidJson,
    /// Answer 502 with an HTML page, as a proxy in front of the service would, without
    /// handling the request.
    HtmlBadGateway,
}

impl FaultKind {
    /// Whether the request is handled before this fault shows.
    pub fn after_processing(&self) -> bool {
        matches!(
            self,
            Self::ResetAfterProcessing | Self::TruncatedJson | Self::InvalidJson
        )
    }
}

/// A fault, for one operation or all of them, for a number of requests or for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The operationId (`createContact`) it applies to; every operation when `None`.
    pub operation: Option<String>,
    /// What goes wrong.
    pub kind: FaultKind,
    /// How many matching requests it hits; every one when `None`.
    pub times: Option<u32>,
}

impl Fault {
    /// A fault on every request of `operation`, until cleared.
    pub fn on(operation: &str, kind: FaultKind) -> Self {
        Self {
            operation: Some(operation.to_owned()),
            kind,
            times: None,
        }
    }

    /// A fault on every request, until cleared.
    pub fn everywhere(kind: FaultKind) -> Self {
        Self {
            operation: None,
            kind,
            times: None,
        }
    }

    /// Limits the fault to the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Reads a fault from the control API's JSON:
    /// `{"operation": "createContact", "kind": "status", "status": 503, "times": 2}`.
    pub(crate) fn from_json(value: &Value) -> Result<Self, String> {
        let kind = match value["kind"].as_str() {
            Some("latency") => {
                let ms = value["latencyMs"]
                    .as_u64()
                    .ok_or("latency needs latencyMs")?;
                FaultKind::Latency(Duration::from_millis(ms))
            }
            Some("status") => {
                let status = value["status"]
                    .as_u64()
                    .ok_or("status needs a status code")?;
                match u16::try_from(status) {
                    Ok(s @ 400..=599) => FaultKind::Status(s),
                    _ => return Err("status must be between 400 and 599".into()),
                }
            }
            Some("reset-before") => FaultKind::ResetBeforeProcessing,
            Some("reset-after") => FaultKind::ResetAfterProcessing,
            Some("truncated-json") => FaultKind::TruncatedJson,
            Some("invalid-json") => FaultKind::InvalidJson,
            Some("html-502") => FaultKind::HtmlBadGateway,
            _ => {
                return Err(
                    "kind must be one of latency, status, reset-before, reset-after, \
                            truncated-json, invalid-json, html-502"
                        .into(),
                );
            }
        };
        let operation = value["operation"].as_str().map(str::to_owned);
        let times = match &value["times"] {
            Value::Null => None,
            n => Some(
                n.as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or("times must be a count")?,
            ),
        };
        Ok(Self {
            operation,
            kind,
            times,
        })
    }
}

/// The faults in force.
#[derive(Default)]
pub(crate) struct Faults {
    active: Mutex<Vec<Fault>>,
}

impl Faults {
    pub(crate) fn add(&self, fault: Fault) {
        self.active.lock().push(fault);
    }

    pub(crate) fn clear(&self) {
        self.active.lock().clear();
    }

    /// The faults that hit this request of `operation`, counting them down.
    pub(crate) fn take(&self, operation: &str) -> Vec<FaultKind> {
        let mut active = self.active.lock();
        let mut hit = Vec::new();
        for fault in active.iter_mut() {
            if fault.operation.as_deref().is_some_and(|o| o != operation) {
                continue;
            }
            if let Some(times) = &mut fault.times {
                *times -= 1;
            }
            hit.push(fault.kind.clone());
        }
        active.retain(|f| f.times != Some(0));
        hit
    }
}

/// One request as the sandbox saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// The HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, as sent.
    pub query: String,
    /// The operationId, when the path named one.
    pub operation: Option<String>,
    /// The `Maton-Connection` used (the default one when the header was absent).
    pub connection: Option<String>,
    /// The status answered; 0 when the connection was reset instead.
    pub status: u16,
    /// Whether the request reached its handler, so its effect (for a write) took place.
    pub processed: bool,
}

impl RequestRecord {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "operation": self.operation,
            "connection": self.connection,
            "status": self.status,
            "processed": self.processed,
        })
    }
}

/// The most recent requests; older ones are dropped so a benchmark cannot exhaust memory.
pub(crate) struct RequestLog {
    records: Mutex<VecDeque<RequestRecord>>,
    capacity: usize,
}

impl RequestLog {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            records: Mutex::new(VecDeque::new()),
            capacity,
        }
    }

    pub(crate) fn push(&self, record: RequestRecord) {
        let mut records = self.records.lock();
        if records.len() == self.capacity {
            records.pop_front();
        }
        records.push_back(record);
    }

    pub(crate) fn all(&self) -> Vec<RequestRecord> {
        self.records.lock().iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        self.records.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_wear_off_and_others_stay() {
        let faults = Faults::default();
        faults.add(Fault::on("createContact", FaultKind::Status(503)).times(2));
        faults.add(Fault::everywhere(FaultKind::Latency(
            Duration::from_millis(5),
        )));

        assert_eq!(
            faults.take("listContacts"),
            [FaultKind::Latency(Duration::from_millis(5))]
        );
        assert_eq!(faults.take("createContact").len(), 2);
        assert_eq!(faults.take("createContact").len(), 2);
        assert_eq!(
            faults.take("createContact").len(),
            1,
            "the 503s are used up"
        );
    }

    #[test]
    fn faults_read_from_json_name_what_is_wrong() {
        let fault =
            Fault::from_json(&json!({"kind": "status", "status": 429, "times": 3})).unwrap();
        assert_eq!(fault, Fault::everywhere(FaultKind::Status(429)).times(3));

        let err = Fault::from_json(&json!({"kind": "meltdown"})).unwrap_err();
        assert!(err.contains("reset-before"), "{err}");
        let err = Fault::from_json(&json!({"kind": "status", "status": 200})).unwrap_err();
        assert!(err.contains("between 400 and 599"), "{err}");
    }

    #[test]
    fn the_log_keeps_only_the_most_recent_requests() {
        let log = RequestLog::new(2);
        for status in [200, 201, 202] {
            log.push(RequestRecord {
                method: "GET".into(),
                path: "/".into(),
                query: String::new(),
                operation: None,
                connection: None,
                status,
                processed: true,
            });
        }
        let statuses: Vec<_> = log.all().iter().map(|r| r.status).collect();
        assert_eq!(statuses, [201, 202]);
    }
}
