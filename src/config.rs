//! Where cosell keeps things (XDG directories, overridable) and the config file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Settings for one profile; top-level values are the defaults every profile starts from.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    pub catalog: Option<String>,
    pub region: Option<String>,
    pub readonly: Option<bool>,
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The AWS profile used when --profile is not given.
    pub profile: Option<String>,
    pub catalog: Option<String>,
    pub region: Option<String>,
    pub readonly: Option<bool>,
    pub endpoint_url: Option<String>,
    /// `default` or `mono`.
    pub theme: Option<String>,
    /// Where `b` opens a record; `{region}`, `{catalog}`, `{kind}` and `{id}` are filled in.
    pub console_url: Option<String>,
    /// The most one call to Partner Central may take, retries included (default 60).
    pub timeout_seconds: Option<u64>,
    /// Who "Mine" means in the quick filters: your name as opportunity teams show the owner
    /// (e.g. `Alex Rivera`; a part of it is enough).
    pub me: Option<String>,
    /// Key bindings, in the format of `assets/keymap.toml`: `refresh = "f5"`, and per tab or
    /// mode tables such as `[keys.opportunities]`.
    #[serde(default)]
    pub keys: toml::Table,
    /// Per AWS profile overrides, e.g. `[profiles.prod] readonly = true`.
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileConfig>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paths {
    pub config: PathBuf,
    pub state: PathBuf,
    pub cache: PathBuf,
}

fn xdg(var: &str, fallback: &str) -> PathBuf {
    match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("."));
            home.join(fallback)
        }
    }
}

impl Paths {
    pub fn from_env() -> Paths {
        let config = std::env::var_os("COSELL_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                xdg("XDG_CONFIG_HOME", ".config")
                    .join("cosell")
                    .join("config.toml")
            });
        Paths {
            config,
            state: xdg("XDG_STATE_HOME", ".local/state").join("cosell"),
            cache: xdg("XDG_CACHE_HOME", ".cache").join("cosell"),
        }
    }

    pub fn log_file(&self) -> PathBuf {
        self.state.join("cosell.log")
    }

    pub fn audit_log(&self) -> PathBuf {
        self.state.join("audit.log")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
}

impl Config {
    /// Reads the config; a missing file is an empty config, a broken one an error naming the line.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Config::parse(&text).map_err(|message| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        })
    }

    /// The config a file's text says, or what is wrong with it (the line and the problem).
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The settings for `profile`: its own section over the top-level defaults.
    pub fn for_profile(&self, profile: Option<&str>) -> ProfileConfig {
        let base = ProfileConfig {
            catalog: self.catalog.clone(),
            region: self.region.clone(),
            readonly: self.readonly,
            endpoint_url: self.endpoint_url.clone(),
        };
        match profile.and_then(|p| self.profiles.get(p)) {
            Some(p) => ProfileConfig {
                catalog: p.catalog.clone().or(base.catalog),
                region: p.region.clone().or(base.region),
                readonly: p.readonly.or(base.readonly),
                endpoint_url: p.endpoint_url.clone().or(base.endpoint_url),
            },
            None => base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_sections_override_defaults() {
        let config: Config = toml::from_str(
            r#"
            catalog = "Sandbox"
            readonly = false
            [keys]
            refresh = "f5"
            [profiles.prod]
            catalog = "AWS"
            readonly = true
            "#,
        )
        .unwrap();
        assert_eq!(config.for_profile(Some("prod")).readonly, Some(true));
        assert_eq!(
            config.for_profile(Some("prod")).catalog.as_deref(),
            Some("AWS")
        );
        assert_eq!(config.for_profile(None).catalog.as_deref(), Some("Sandbox"));
        assert_eq!(config.keys["refresh"].as_str(), Some("f5"));
    }

    #[test]
    fn unknown_settings_are_reported() {
        let path = std::env::temp_dir().join(format!("cosell-config-{}.toml", std::process::id()));
        std::fs::write(&path, "catalogue = \"AWS\"\n").unwrap();
        let err = Config::load(&path).unwrap_err().to_string();
        std::fs::remove_file(&path).unwrap();
        assert!(err.contains("catalogue"), "{err}");
        assert_eq!(
            Config::load(Path::new("/nonexistent/cosell.toml")).unwrap(),
            Config::default()
        );
    }
}
