//! Helpers shared by the integration tests: a reqwest client and a raw HTTP/1.1
//! socket client (the latter behaves like the C harness: `Connection: close`,
//! explicit `Content-Length`, read to EOF).

#![allow(dead_code)]

pub mod google;

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A reqwest client with a timeout, so a broken test fails instead of hanging.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

/// A parsed raw response.
#[derive(Debug)]
pub struct Raw {
    /// Status code.
    pub status: u16,
    /// Header lines, lower-cased names.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Everything received.
    pub bytes: Vec<u8>,
}

impl Raw {
    /// A header value by (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("json body")
    }
}

/// Sends one request with `Connection: close` and reads until EOF.
pub async fn raw_bytes(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let body = body.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut out)).await;
    match read {
        Ok(Ok(_)) => {}
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Ok(Err(e)) => panic!("read failed: {e}"),
        Err(_) => panic!("raw request timed out"),
    }
    out
}

/// Sends one request with `Connection: close` and parses the response.
pub async fn raw(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> Raw {
    let bytes = raw_bytes(addr, method, path, body).await;
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).to_string();
    let body = bytes[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Raw {
        status,
        headers,
        body,
        bytes,
    }
}

/// A small JSON client for API tests: every call returns (status, body as JSON or Null).
pub struct Api {
    /// Server URL without trailing slash.
    pub base: String,
    http: reqwest::Client,
}

impl Api {
    /// A client for `server`.
    pub fn new(server: &xerial_mock::MockServer) -> Api {
        Api {
            base: server.url(),
            http: client(),
        }
    }

    async fn finish(req: reqwest::RequestBuilder) -> (u16, Value) {
        let resp = req.send().await.expect("send");
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).expect("json body")
        };
        (status, body)
    }

    /// GET `path`, optionally with a bearer token.
    pub async fn get(&self, path: &str, bearer: Option<&str>) -> (u16, Value) {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        Api::finish(req).await
    }

    /// POST `path` with a JSON body, optionally with a bearer token.
    pub async fn post(&self, path: &str, bearer: Option<&str>, body: Value) -> (u16, Value) {
        let mut req = self.http.post(format!("{}{path}", self.base)).json(&body);
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        Api::finish(req).await
    }
}

/// The access token of a token pair.
pub fn access(pair: &Value) -> String {
    pair["access"]["token"]
        .as_str()
        .expect("access token")
        .to_owned()
}

/// Whether `v` is `{"transactionHash": "0x<64 hex>"}`.
pub fn is_hash(v: &Value) -> bool {
    let h = v["transactionHash"].as_str().unwrap_or("");
    h.len() == 66 && h.starts_with("0x") && h[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// `/api/wallet/{addr}/{chain}/{op}`.
pub fn tx(addr: &str, chain: &str, op: &str) -> String {
    format!("/api/wallet/{addr}/{chain}/{op}")
}

/// Native polygon balance of `addr`.
pub async fn native(api: &Api, addr: &str) -> Value {
    api.get(&format!("/api/wallet/{addr}/polygon/eth"), None)
        .await
        .1["balance"]
        .clone()
}

/// Number of demo-project NFTs `addr` holds on polygon.
pub async fn inventory_count(api: &Api, addr: &str) -> u64 {
    let path = format!(
        "/api/wallet/{addr}/polygon/project-inventory/{}",
        demo::PROJECT
    );
    let (_, inv) = api.get(&path, None).await;
    inv.as_array()
        .expect("array")
        .iter()
        .map(|e| e["quantity"].as_u64().unwrap_or(0))
        .sum()
}

/// Demo data (mirrors fixtures/demo.json).
pub mod demo {
    /// Demo player's wallet EOA.
    pub const ADDRESS: &str = "0x8e9DD3c1Db3254d968967CbC367542C343273629";
    /// Demo player's smart account.
    pub const SMART: &str = "0x3A7dA8e0B1cC2f9E4D6b5a8C7e9F0a1B2c3D4e5F";
    /// Rival's EOA.
    pub const RIVAL: &str = "0x1111111111111111111111111111111111111111";
    /// Rival's smart account (seller of market item 38).
    pub const RIVAL_SMART: &str = "0x2222222222222222222222222222222222222222";
    /// Rival's user id.
    pub const RIVAL_ID: &str = "65a1b2c3d4e5f60718293a4b";
    /// Demo project id.
    pub const PROJECT: &str = "6564b4f3fa203b318f65da05";
    /// Polygon collection.
    pub const GEAR: &str = "0xC011EC7100000000000000000000000000000001";
    /// Telos collection.
    pub const RELICS: &str = "0xC011EC7100000000000000000000000000000002";
    /// Polygon USDC.
    pub const USDC: &str = "0x3c499c542cef5e3811e1192ce70d8cc03d5c3359";
}
