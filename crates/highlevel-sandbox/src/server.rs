//! The request pipeline: accept, match the operation, authenticate, pick the connection,
//! inject faults, count against the rate limits, validate, handle, answer, log.

use std::collections::HashMap;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::Arc;

use parking_lot::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use highlevel::{Operation, ParamPlace, TokenType};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::control;
use crate::ctx::{Caller, Ctx, Handler, Token};
use crate::description;
use crate::error::ApiError;
use crate::faults::{FaultKind, Faults, RequestLog, RequestRecord};
use crate::handlers::{self, connections::ACCOUNT};
use crate::limits::{Limiter, RateLimits};
use crate::routes::{Match, Routes, query_pairs};
use crate::store::{Kind, Store};
use crate::validate;

/// The largest request body the sandbox reads.
const MAX_BODY: usize = 1 << 20;

/// What one operation needs at run time besides its handler.
pub(crate) struct OpRuntime {
    pub(crate) handler: Handler,
    pub(crate) query_schemas: HashMap<String, Value>,
    pub(crate) body_validator: Option<jsonschema::Validator>,
}

/// Everything the connections of one sandbox share.
pub(crate) struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) routes: Routes,
    pub(crate) ops: HashMap<&'static str, OpRuntime>,
    pub(crate) limiter: Limiter,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
    pub(crate) api_key: String,
    pub(crate) default_connection: String,
    pub(crate) seed: u64,
    pub(crate) contacts_per_location: usize,
}

impl Shared {
    pub(crate) fn new(
        store: Store,
        api_key: String,
        limits: RateLimits,
        seed: u64,
        contacts_per_location: usize,
    ) -> Result<Self, String> {
        let mut ops = HashMap::new();
        for op in highlevel::operations() {
            let handler =
                handlers::handler(op.name).ok_or_else(|| format!("no handler for {}", op.id))?;
            let runtime = OpRuntime {
                handler,
                query_schemas: description::query_schemas(op),
                body_validator: description::request_validator(op),
            };
            ops.insert(op.name, runtime);
        }
        Ok(Self {
            store: Mutex::new(store),
            routes: Routes::new(),
            ops,
            limiter: Limiter::new(limits),
            faults: Faults::default(),
            log: RequestLog::new(50_000),
            api_key,
            default_connection: crate::LOCATION_CONNECTIONS[0].to_owned(),
            seed,
            contacts_per_location,
        })
    }
}

/// Serves connections from `listener` until `stop` resolves.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    let accept = async {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            // A second handle on the socket, so a fault can turn its close into a reset.
            let socket = stream.as_fd().try_clone_to_owned().ok().map(Arc::new);
            let shared = shared.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let shared = shared.clone();
                    let socket = socket.clone();
                    async move { respond(&shared, req, socket.as_deref()).await }
                });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    };
    tokio::select! {
        () = accept => {}
        _ = stop => {}
    }
}

/// The error that makes hyper drop a connection without answering.
#[derive(Debug)]
pub(crate) struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by fault injection")
    }
}

impl std::error::Error for Reset {}

/// Drops the connection with a TCP reset rather than an orderly close.
fn reset(socket: Option<&OwnedFd>) -> Reset {
    if let Some(socket) = socket {
        let _ = socket2::SockRef::from(socket).set_linger(Some(std::time::Duration::ZERO));
    }
    Reset
}

type Answer = Result<Response<Full<Bytes>>, Reset>;

async fn respond(shared: &Shared, req: Request<Incoming>, socket: Option<&OwnedFd>) -> Answer {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or_default().to_owned();
    let headers = req.headers().clone();
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            return Ok(error(&ApiError::status(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body too large",
            )));
        }
    };

    if path.starts_with("/_sandbox") {
        return Ok(control::handle(shared, &method, &path, &body));
    }

    let mut record = RequestRecord {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        operation: None,
        connection: None,
        status: 0,
        processed: false,
    };
    let outcome = process(shared, &headers, &body, &mut record, socket).await;
    record.status = match &outcome {
        Ok(response) => response.status().as_u16(),
        Err(Reset) => 0,
    };
    shared.log.push(record);
    outcome
}

async fn process(
    shared: &Shared,
    headers: &hyper::HeaderMap,
    body: &Bytes,
    record: &mut RequestRecord,
    socket: Option<&OwnedFd>,
) -> Answer {
    let (op, params) = match shared.routes.find(&record.method, &record.path) {
        Match::Found { op, params } => (op, params),
        Match::WrongMethod | Match::NotFound => {
            let message = format!("Cannot {} {}", record.method, record.path);
            return Ok(error(&ApiError::not_found(message)));
        }
    };
    record.operation = Some(op.id.to_owned());

    let expected = format!("Bearer {}", shared.api_key);
    if headers.get(AUTHORIZATION).map(HeaderValue::as_bytes) != Some(expected.as_bytes()) {
        return Ok(error(&ApiError::unauthorized(
            "Invalid or missing API key: send Authorization: Bearer <MATON_API_KEY>",
        )));
    }

    let caller = match caller(shared, op, headers) {
        Ok(caller) => caller,
        Err(err) => return Ok(error(&err)),
    };
    record.connection = caller.as_ref().map(|c| c.connection.clone());

    let faults = shared.faults.take(op.id);
    for fault in &faults {
        match fault {
            FaultKind::Latency(wait) => tokio::time::sleep(*wait).await,
            FaultKind::Status(status) => return Ok(fault_status(*status)),
            FaultKind::ResetBeforeProcessing => return Err(reset(socket)),
            FaultKind::HtmlBadGateway => return Ok(bad_gateway_page()),
            _ => {}
        }
    }

    let query = match query_pairs(&record.query) {
        Some(pairs) => pairs,
        None => {
            return Ok(error(&ApiError::bad_request(
                "the query string is not valid UTF-8",
            )));
        }
    };

    let mut limit_headers = None;
    if let Some(caller) = &caller {
        let key = format!(
            "{}:{}",
            caller.connection,
            rate_scope(op, caller, &params, &query, body)
        );
        let verdict = shared.limiter.check(&key, Instant::now());
        if !verdict.allowed {
            let mut response = error(&ApiError::status(
                StatusCode::TOO_MANY_REQUESTS,
                "Too Many Requests",
            ));
            add_headers(&mut response, &verdict.headers);
            return Ok(response);
        }
        limit_headers = Some(verdict.headers);
    }

    let runtime = &shared.ops[op.name];
    let result = validate::request(op, runtime, &query, body).and_then(|json| {
        let mut store = shared.store.lock();
        let mut ctx = Ctx {
            op,
            params,
            query,
            body: json,
            store: &mut store,
            caller,
            now: now_ms(),
        };
        record.processed = true;
        // A handler bug answers 500, as a real service would, instead of dropping the
        // connection; the store stays usable because its lock does not poison.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (runtime.handler)(&mut ctx)))
            .unwrap_or_else(|_| {
                Err(ApiError::status(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal server error",
                ))
            })
    });

    let mut response = match result {
        Ok(reply) => {
            let mut text = serde_json::to_vec(&reply.body).unwrap_or_default();
            for fault in &faults {
                match fault {
                    FaultKind::ResetAfterProcessing => return Err(reset(socket)),
                    FaultKind::TruncatedJson => text.truncate(text.len() / 2),
                    FaultKind::InvalidJson => text = b"{\"contacts\": [oops".to_vec(),
                    _ => {}
                }
            }
            json_response(reply.status, text)
        }
        Err(err) => error(&err),
    };
    if let Some(headers) = &limit_headers {
        add_headers(&mut response, headers);
    }
    Ok(response)
}

/// Who is calling, from `Maton-Connection` or the default connection. `None` for Maton's
/// own operations.
fn caller(
    shared: &Shared,
    op: &Operation,
    headers: &hyper::HeaderMap,
) -> Result<Option<Caller>, ApiError> {
    if op.token == TokenType::Maton {
        return Ok(None);
    }
    let id = match headers.get("maton-connection") {
        Some(value) => value
            .to_str()
            .map_err(|_| ApiError::bad_request("Maton-Connection is not a valid connection id"))?
            .to_owned(),
        None => shared.default_connection.clone(),
    };

    let store = shared.store.lock();
    let connection = store
        .get(Kind::Connection, &id)
        .filter(|_| store.scope_of(Kind::Connection, &id) == Some(ACCOUNT))
        .ok_or_else(|| ApiError::bad_request(format!("connection {id} does not exist")))?;
    if connection["status"] != "ACTIVE" {
        return Err(ApiError::bad_request(format!(
            "connection {id} is not active; enter its token first"
        )));
    }

    let meta = &connection["metadata"];
    let text = |key: &str| meta[key].as_str().unwrap_or_default().to_owned();
    let token = match meta["tokenType"].as_str() {
        Some("agency") => Token::Agency {
            company: text("companyId"),
        },
        _ => Token::SubAccount {
            location: text("locationId"),
        },
    };

    match (op.token, &token) {
        (TokenType::SubAccount, Token::Agency { .. }) => Err(ApiError::unauthorized(
            "The token is not authorized for this scope.",
        )),
        (TokenType::Agency, Token::SubAccount { .. }) => {
            Err(ApiError::unauthorized("Token's user type mismatch"))
        }
        _ => Ok(Some(Caller {
            connection: id,
            token,
        })),
    }
}

/// The location or company a request is counted against: the location it names, or else
/// the one its token belongs to.
fn rate_scope(
    op: &Operation,
    caller: &Caller,
    params: &[(&'static str, String)],
    query: &[(String, String)],
    body: &Bytes,
) -> String {
    let named = op.location.as_ref().and_then(|loc| match loc.place {
        ParamPlace::Path => params
            .iter()
            .find(|(n, _)| *n == loc.name)
            .map(|(_, v)| v.clone()),
        ParamPlace::Query => query
            .iter()
            .find(|(n, _)| n == loc.name)
            .map(|(_, v)| v.clone()),
        ParamPlace::Body => serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|b| b.get(loc.name)?.as_str().map(str::to_owned)),
    });
    named.unwrap_or_else(|| match &caller.token {
        Token::Agency { company } => company.clone(),
        Token::SubAccount { location } => location.clone(),
    })
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

pub(crate) fn error(err: &ApiError) -> Response<Full<Bytes>> {
    let mut body = err.body.clone();
    body["traceId"] = trace_id().into();
    json_response(err.status, serde_json::to_vec(&body).unwrap_or_default())
}

fn trace_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("sandbox-{:016x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn fault_status(status: u16) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = status.canonical_reason().unwrap_or("Injected fault");
    error(&ApiError::status(status, message))
}

fn bad_gateway_page() -> Response<Full<Bytes>> {
    let page = "<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad \
                Gateway</h1></center><hr><center>nginx</center></body></html>\n";
    let mut response = Response::new(Full::new(Bytes::from(page)));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

fn add_headers(response: &mut Response<Full<Bytes>>, headers: &[(&'static str, String)]) {
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(value) {
            response.headers_mut().insert(*name, value);
        }
    }
}

/// Answers `{}` for control-API convenience.
pub(crate) fn empty_ok() -> Response<Full<Bytes>> {
    json_response(StatusCode::OK, json!({}).to_string().into_bytes())
}
