//! The floor the SDK adds to: a bare reqwest client (the same reqwest, rustls and hyper as the
//! SDK) on its own runtime, driven two ways: by its own tasks, each issuing its next request as
//! soon as one is answered, and from a game's frame loop, as a game would use it without the SDK.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Instant;

use crate::drive::{end_frame, Ep, Stats, ADDRESS, CHAIN, RUN_LIMIT};

pub struct Bare {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
    logout_url: String,
    get_url: String,
}

const LOGOUT_BODY: &str = "{\"refreshToken\":\"bench-refresh-token-unknown-to-the-server\"}";

impl Bare {
    pub fn new(base_url: &str, workers: usize) -> Bare {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("bare-reqwest")
            .enable_all()
            .build()
            .expect("runtime");
        let client = {
            let _context = runtime.enter();
            reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("reqwest client")
        };
        Bare {
            runtime,
            client,
            logout_url: format!("{base_url}/api/auth/logout"),
            get_url: format!(
                "{base_url}/api/wallet/{}/{}/eth",
                ADDRESS.to_str().unwrap_or_default(),
                CHAIN.to_str().unwrap_or_default()
            ),
        }
    }

    /// One request of `ep`, to be sent: the URL is the client's text, parsed by reqwest.
    fn request(client: &reqwest::Client, ep: Ep, url: &str) -> reqwest::RequestBuilder {
        match ep {
            Ep::Logout => client
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(LOGOUT_BODY),
            Ep::Get => client.get(url),
        }
    }

    /// Sends `request` and reads its answer; whether it was the one `ep` expects.
    async fn exchange(request: reqwest::RequestBuilder, ep: Ep) -> bool {
        match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                response.bytes().await.is_ok() && status == ep.expected_status()
            }
            Err(_) => false,
        }
    }

    fn url(&self, ep: Ep) -> String {
        match ep {
            Ep::Logout => self.logout_url.clone(),
            Ep::Get => self.get_url.clone(),
        }
    }

    /// Spawns `n` logouts at once and lets them run (to be held in flight by the server).
    pub fn spawn_logouts(&self, n: usize) -> Vec<tokio::task::JoinHandle<()>> {
        (0..n)
            .map(|_| {
                let (client, url) = (self.client.clone(), self.logout_url.clone());
                self.runtime.spawn(async move {
                    Self::exchange(Self::request(&client, Ep::Logout, &url), Ep::Logout).await;
                })
            })
            .collect()
    }

    /// `inflight` tasks, each sending its next request as soon as its last one is answered.
    pub fn run(&self, ep: Ep, inflight: usize, total: usize) -> Stats {
        let issued = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let (latencies, errors) = self.runtime.block_on(async {
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..inflight.min(total) {
                let (issued, client, url) =
                    (Arc::clone(&issued), self.client.clone(), self.url(ep));
                tasks.spawn(async move {
                    let mut latencies = Vec::new();
                    let mut errors = 0usize;
                    while issued.fetch_add(1, Ordering::Relaxed) < total {
                        let t0 = Instant::now();
                        let ok = Self::exchange(Self::request(&client, ep, &url), ep).await;
                        latencies.push(t0.elapsed().as_nanos() as u64);
                        errors += usize::from(!ok);
                    }
                    (latencies, errors)
                });
            }
            let mut all = Vec::with_capacity(total);
            let mut errors = 0;
            while let Some(done) = tasks.join_next().await {
                if let Ok((latencies, e)) = done {
                    all.extend(latencies);
                    errors += e;
                }
            }
            (all, errors)
        });
        Stats::new(started.elapsed().as_secs_f64(), latencies, errors, false)
    }

    /// As a game without the SDK would use the client: each request a task started from the
    /// game thread, the answers taken once per frame (see [`end_frame`]; the thread asleep in between),
    /// and each answered request's successor started then — the frame loop the SDK's poll
    /// dispatch is measured in, around the bare client.
    pub fn run_frames(&self, ep: Ep, inflight: usize, total: usize) -> Stats {
        let (answered, answers) = mpsc::channel::<(u64, bool)>();
        let url = self.url(ep);
        let start = |t0: Instant| {
            let (answered, client, url) = (answered.clone(), self.client.clone(), url.clone());
            self.runtime.spawn(async move {
                let ok = Self::exchange(Self::request(&client, ep, &url), ep).await;
                let _ = answered.send((t0.elapsed().as_nanos() as u64, ok));
            });
        };
        let started = Instant::now();
        let mut issued = inflight.min(total);
        (0..issued).for_each(|_| start(Instant::now()));
        let (mut latencies, mut errors) = (Vec::with_capacity(total), 0);
        let (mut frame, mut polls) = (Instant::now(), 0);
        while latencies.len() < total {
            if started.elapsed() > RUN_LIMIT {
                return Stats::new(started.elapsed().as_secs_f64(), latencies, errors, true);
            }
            let before = latencies.len();
            while let Ok((latency, ok)) = answers.try_recv() {
                latencies.push(latency);
                errors += usize::from(!ok);
                if issued < total {
                    start(Instant::now());
                    issued += 1;
                }
            }
            polls += usize::from(latencies.len() > before);
            end_frame(&mut frame);
        }
        Stats::new(started.elapsed().as_secs_f64(), latencies, errors, false).polled(polls)
    }
}
