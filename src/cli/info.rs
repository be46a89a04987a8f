//! `cosell info`: every path cosell uses and the settings in effect.

use super::Resolved;
use crate::config::Paths;

pub fn print(paths: &Paths, resolved: &Resolved, demo: bool) {
    let exists = |p: &std::path::Path| if p.exists() { "" } else { " (not created yet)" };
    let s = &resolved.settings;
    println!(
        "config file  {}{}",
        paths.config.display(),
        exists(&paths.config)
    );
    println!(
        "state dir    {}{}",
        paths.state.display(),
        exists(&paths.state)
    );
    println!(
        "log file     {}{}",
        paths.log_file().display(),
        exists(&paths.log_file())
    );
    println!(
        "audit log    {}{}",
        paths.audit_log().display(),
        exists(&paths.audit_log())
    );
    println!(
        "cache dir    {}{}",
        paths.cache.display(),
        exists(&paths.cache)
    );
    println!(
        "profile      {}",
        s.profile.as_deref().unwrap_or("(default credential chain)")
    );
    println!("region       {}", s.region);
    println!("catalog      {}", s.catalog);
    println!("readonly     {}", resolved.readonly);
    let endpoint = if demo {
        "embedded demo sandbox".to_string()
    } else {
        s.endpoint_url
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
            .unwrap_or_else(|| format!("https://partnercentral-selling.{}.api.aws (AWS)", s.region))
    };
    println!("endpoint     {endpoint}");
}
