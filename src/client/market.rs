//! Marketplace reads, on `marketplace_url`.

use std::future::Future;

use super::call::Request;
use super::endpoint::{COLLECTIONS, PRIMARY_LISTINGS, PROJECT, SECONDARY_LISTINGS};
use super::models::{Collections, PrimaryListing, Project, SecondaryListing};
use super::validate;
use super::{Client, Error, Response};

type Answer<T> = Result<Response<T>, Error>;

impl Client {
    /// A project's collections (`None`: the configured project):
    /// `GET {marketplace_url}/collections?project={projectId}`.
    pub fn collections(
        &self,
        project_id: Option<&str>,
    ) -> impl Future<Output = Answer<Collections>> + Send + 'static {
        let request = self.project_id_or_configured(project_id).map(|project| {
            Request::new(&COLLECTIONS, COLLECTIONS.fill(&[("projectId", &project)]))
        });
        self.run(request)
    }

    /// Primary listings: `GET {marketplace_url}/marketplace/{projectId}/{chain}/primary`.
    pub fn primary_listings(
        &self,
        project_id: Option<&str>,
        chain: &str,
    ) -> impl Future<Output = Answer<Vec<PrimaryListing>>> + Send + 'static {
        let request = self
            .project_id_or_configured(project_id)
            .and_then(|project| {
                validate::chain("chain", chain)?;
                Ok(Request::new(
                    &PRIMARY_LISTINGS,
                    PRIMARY_LISTINGS.fill(&[("projectId", &project), ("chain", chain)]),
                ))
            });
        self.run(request)
    }

    /// Community listings, optionally of one seller:
    /// `GET {marketplace_url}/marketplace/{projectId}/{chain}/secondary[?seller=…]`.
    pub fn secondary_listings(
        &self,
        project_id: Option<&str>,
        chain: &str,
        seller: Option<&str>,
    ) -> impl Future<Output = Answer<Vec<SecondaryListing>>> + Send + 'static {
        let request = self
            .project_id_or_configured(project_id)
            .and_then(|project| {
                validate::chain("chain", chain)?;
                let mut path =
                    SECONDARY_LISTINGS.fill(&[("projectId", &project), ("chain", chain)]);
                if let Some(seller) = seller {
                    validate::address("seller", seller)?;
                    path.push_str("?seller=");
                    path.push_str(seller);
                }
                Ok(Request::new(&SECONDARY_LISTINGS, path))
            });
        self.run(request)
    }

    /// A project's public data by its marketplace domain: `GET {marketplace_url}/marketplace/{domain}`.
    pub fn project(&self, domain: &str) -> impl Future<Output = Answer<Project>> + Send + 'static {
        let request = validate::path_id("domain", domain)
            .map(|()| Request::new(&PROJECT, PROJECT.fill(&[("domain", domain)])));
        self.run(request)
    }
}

/// The `Error` type is part of every signature above.
#[cfg(test)]
mod tests {
    use super::super::{ClientConfig, ErrorKind, SessionStoreKind};
    use super::*;

    #[tokio::test]
    async fn marketplace_calls_need_a_marketplace_url() {
        let client = Client::new(ClientConfig {
            project_id: Some("p1".into()),
            session_store: SessionStoreKind::Memory,
            ..ClientConfig::default()
        })
        .unwrap();
        let error: Error = client.collections(None).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(
            error.message().starts_with("marketplace_url"),
            "{}",
            error.message()
        );
    }
}
