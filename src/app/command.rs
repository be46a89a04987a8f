//! The `:` command line, typed like the filter and run on Enter: `:q`, a tab (`:2`,
//! `:referrals`), `:stage NAME`, `:catalog AWS|Sandbox`, `:profile [NAME]`, or an id to jump to.
//! It sits beside the router: it reads the line and hands the work to the feature it names.

use cosell_core::partner::types::Stage;

use super::core::keymap::{Action, Tab};
use super::core::shell::Level;
use super::features::{opportunities, profile};
use super::model::Model;
use super::msg::{Effect, ListId};
use super::shared;

/// What a line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    Help,
    Tab(Tab),
    /// The stage picker, or straight to the named stage.
    Stage(Option<Stage>),
    Catalog(String),
    /// The partner profile, or another AWS profile by name.
    Profile(Option<String>),
    /// A record by its id, on whichever list has it.
    Jump(String),
}

pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim().trim_start_matches(':').trim();
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    let rest = rest.trim();
    let tab = |t| Ok(Command::Tab(t));
    match word.to_lowercase().as_str() {
        "" => Err("type a command: q, 1…6, stage, catalog, profile, or an id".into()),
        "q" | "quit" | "q!" => Ok(Command::Quit),
        "h" | "help" => Ok(Command::Help),
        "1" | "opportunities" | "opps" | "opp" => tab(Tab::Opportunities),
        "2" | "referrals" | "ref" => tab(Tab::Referrals),
        "3" | "solutions" | "sol" => tab(Tab::Solutions),
        "4" | "connections" | "conn" => tab(Tab::Connections),
        "5" | "benefits" | "funding" => tab(Tab::Benefits),
        "6" | "channel" => tab(Tab::Channel),
        "stage" if rest.is_empty() => Ok(Command::Stage(None)),
        "stage" => Stage::parse_or_list(rest).map(|s| Command::Stage(Some(s))),
        "catalog" => match rest.to_lowercase().as_str() {
            "aws" => Ok(Command::Catalog("AWS".into())),
            "sandbox" => Ok(Command::Catalog("Sandbox".into())),
            _ => Err("catalog AWS or catalog Sandbox".into()),
        },
        "profile" => Ok(Command::Profile(
            (!rest.is_empty()).then(|| rest.to_string()),
        )),
        _ if rest.is_empty() => Ok(Command::Jump(word.to_string())),
        other => Err(format!("no command '{other}'; try :help")),
    }
}

/// Runs the line typed after `:`.
pub fn run(model: &mut Model, line: &str) -> Vec<Effect> {
    let command = match parse(line) {
        Ok(command) => command,
        Err(why) => {
            model.shell.toast(Level::Error, format!(":{line}: {why}"));
            return Vec::new();
        }
    };
    match command {
        Command::Quit => shared::request_quit(model),
        Command::Help => {
            model.help_open = true;
            model.help_scroll = 0;
        }
        Command::Tab(tab) => {
            model.tab = tab;
            model.keep_selection_in_view();
        }
        Command::Stage(None) => {
            model.tab = Tab::Opportunities;
            return opportunities::actions::start(model, Action::EditStage);
        }
        Command::Stage(Some(stage)) => {
            model.tab = Tab::Opportunities;
            return opportunities::picks::stage_of_selection(model, stage);
        }
        Command::Catalog(catalog) => {
            let profile = model.shell.context.profile.clone();
            return reconnect(model, profile, catalog);
        }
        Command::Profile(None) => profile::open(model),
        Command::Profile(Some(name)) => {
            let catalog = model.shell.context.catalog.clone();
            return reconnect(model, Some(name), catalog);
        }
        Command::Jump(id) => return jump(model, &id),
    }
    Vec::new()
}

fn reconnect(model: &mut Model, profile: Option<String>, catalog: String) -> Vec<Effect> {
    let context = &model.shell.context;
    if context.catalog == catalog && context.profile == profile {
        model
            .shell
            .toast(Level::Info, format!("Already on catalog {catalog}."));
        return Vec::new();
    }
    if context.demo && profile != context.profile {
        model.shell.toast(
            Level::Error,
            "The demo has no AWS profiles; it serves both catalogs (:catalog Sandbox).",
        );
        return Vec::new();
    }
    if !model.shell.pending.is_empty() {
        model.shell.toast(
            Level::Error,
            format!(
                "{} change(s) are still being sent; switch when they finish.",
                model.shell.pending.len()
            ),
        );
        return Vec::new();
    }
    vec![Effect::Reconnect { profile, catalog }]
}

/// Selects the record with `id` on the list that has it; an opportunity not loaded yet is
/// read and selected when it arrives.
fn jump(model: &mut Model, id: &str) -> Vec<Effect> {
    for list in ListId::ALL {
        if model.list(list).contains_key(id) {
            model.focus(list);
            let rows = model.table_rows();
            model.list_mut(list).select_key(id, rows);
            return Vec::new();
        }
    }
    if id.starts_with('O') && id[1..].chars().all(|c| c.is_ascii_digit()) && id.len() > 1 {
        model.opportunities.reveal_when_listed = Some(id.to_string());
        model.opportunities.reveal_moves_tab = true;
        model.shell.toast(
            Level::Info,
            format!("{id} is not loaded; reading it from Partner Central."),
        );
        return vec![shared::refetch_opportunity(model, id)];
    }
    model
        .shell
        .toast(Level::Error, format!("No record {id} on any list."));
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_into_commands() {
        assert_eq!(parse("q"), Ok(Command::Quit));
        assert_eq!(parse(":2"), Ok(Command::Tab(Tab::Referrals)));
        assert_eq!(parse("connections"), Ok(Command::Tab(Tab::Connections)));
        assert_eq!(parse("stage"), Ok(Command::Stage(None)));
        assert_eq!(
            parse("stage technical validation"),
            Ok(Command::Stage(Some(Stage::TechnicalValidation)))
        );
        assert!(parse("stage won").unwrap_err().contains("Closed Lost"));
        assert_eq!(
            parse("catalog sandbox"),
            Ok(Command::Catalog("Sandbox".into()))
        );
        assert!(parse("catalog prod").is_err());
        assert_eq!(parse("profile"), Ok(Command::Profile(None)));
        assert_eq!(
            parse("profile partner-prod"),
            Ok(Command::Profile(Some("partner-prod".into())))
        );
        assert_eq!(parse("O4100007"), Ok(Command::Jump("O4100007".into())));
        assert!(parse("frobnicate now").is_err());
        assert!(parse("").is_err());
    }
}
