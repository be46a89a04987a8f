//! The real binary in a real terminal (tmux): start `cosell --demo`, wait for the opportunities to
//! fill, switch tabs, open help, quit — reading the screen at each step.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    session: String,
    state_dir: std::path::PathBuf,
}

/// A `cosell sandbox` process on a free port, stopped on drop.
struct SandboxProcess {
    child: std::process::Child,
    url: String,
}

impl SandboxProcess {
    fn start() -> SandboxProcess {
        SandboxProcess::start_with(&[])
    }

    /// A sandbox with extra flags (`--latency-ms`, …).
    fn start_with(extra: &[&str]) -> SandboxProcess {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_cosell"))
            .args([
                "sandbox",
                "--bind",
                "127.0.0.1:0",
                "--opportunities",
                "120",
                "--task-delay-ms",
                "300",
            ])
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("cosell sandbox listening on ")
            .expect("first line names the address")
            .to_string();
        SandboxProcess { child, url }
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fresh_state_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cosell-e2e-{}-{}",
        std::process::id(),
        fastrand::u32(..)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Tmux {
    fn start(args: &str) -> Tmux {
        Tmux::start_with_env("", args)
    }

    /// A 120x40 tmux session running `command(state_dir)`, with a fresh state directory.
    fn session(command: impl FnOnce(&std::path::Path) -> String) -> Tmux {
        Tmux::session_in(fresh_state_dir(), command)
    }

    /// The same in a state directory the test has prepared; it is removed with the session.
    fn session_in(
        state_dir: std::path::PathBuf,
        command: impl FnOnce(&std::path::Path) -> String,
    ) -> Tmux {
        assert!(
            Command::new("tmux").arg("-V").output().is_ok(),
            "tmux is required for the end-to-end tests (apt-get install tmux)"
        );
        let session = state_dir.file_name().unwrap().to_string_lossy().to_string();
        let command = command(&state_dir);
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                "120",
                "-y",
                "40",
                &command,
            ])
            .status()
            .unwrap();
        assert!(status.success());
        Tmux { session, state_dir }
    }

    /// Starts `cosell {args}` with extra `NAME=value` settings; after it exits, the pane says
    /// how it exited and whether the terminal was left in raw mode.
    fn start_with_env(env: &str, args: &str) -> Tmux {
        let bin = env!("CARGO_BIN_EXE_cosell");
        Tmux::session(|dir| {
            format!(
                "env XDG_STATE_HOME={dir} XDG_CONFIG_HOME={dir} COSELL_CONFIG= NO_COLOR=1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null {env} {bin} {args}; echo COSELL-EXITED-$?; {TERMINAL_MODE}; sleep 30",
                dir = dir.display()
            )
        })
    }

    /// An interactive bash with no rc files, for tests that need job control.
    fn start_shell() -> Tmux {
        let tmux = Tmux::session(|_| "env PS1='$ ' bash --norc --noprofile -i".into());
        tmux.wait_for("$");
        tmux
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// The screen with everything that scrolled off it.
    fn history(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-S", "-", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session.as_str()];
        args.extend_from_slice(keys);
        assert!(Command::new("tmux").args(&args).status().unwrap().success());
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_for_all(&[text])
    }

    /// Waits until the screen shows `text` and no longer shows `gone` (a dialog drawn over
    /// text that stays visible around it).
    fn wait_for_without(&self, text: &str, gone: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) && !screen.contains(gone) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("{text:?} never appeared without {gone:?}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until one screen shows every text: parts of the screen fill from separate
    /// responses, so asserting on a screen captured for another text races them.
    fn wait_for_all(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|text| screen.contains(text)) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("{texts:?} never appeared together; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Prints TERMINAL-RAW or TERMINAL-COOKED: whether line editing (icanon) is still off.
const TERMINAL_MODE: &str =
    "if stty -a | grep -q -- -icanon; then echo TERMINAL-RAW; else echo TERMINAL-COOKED; fi";

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
        let _ = std::fs::remove_dir_all(&self.state_dir);
    }
}

#[test]
fn demo_fills_switches_tabs_shows_help_and_quits() {
    let tmux = Tmux::start("--demo");
    // The partner name comes from GetPartner, the rows from ListOpportunities.
    tmux.wait_for_all(&["Opps 500", "DEMO", "Northwind Cloud"]);
    tmux.wait_for_all(&["/500 ", "Customer", "O41"]);
    // Against a local Partner Central the titles are read at once: the first screen's rows all
    // have one, none shows the placeholder. 40 lines hold 34
    // rows: header, tabs, bar, the table's borders and its column headings take the rest.
    wait_until("every title on the first screen", || {
        let screen = tmux.screen();
        let rows: Vec<&str> = screen.lines().filter(|l| l.starts_with("│O41")).collect();
        rows.len() == 34 && rows.iter().all(|r| !r.contains(" · "))
    });

    tmux.keys(&["2"]);
    tmux.wait_for_all(&["Time left", "[PENDING]"]);

    tmux.keys(&["3"]);
    tmux.wait_for("Northwind DataLake Accelerator");

    tmux.keys(&["4"]);
    tmux.wait_for_all(&["Connection invitations", "Contoso Data Partners"]);

    tmux.keys(&["1", "Enter"]);
    tmux.wait_for("AWS view");
    tmux.wait_for("AWS stage:");

    tmux.keys(&["?"]);
    // "Help" alone is already in the key bar; the overlay's own text proves it opened.
    tmux.wait_for("reload from Partner Central");
    tmux.keys(&["Escape"]);
    tmux.keys(&["q"]);
    tmux.wait_for_all(&["COSELL-EXITED-0", "TERMINAL-COOKED"]);
    assert!(!alternate_screen_on(&tmux));
}

fn alternate_screen_on(tmux: &Tmux) -> bool {
    let out = Command::new("tmux")
        .args(["display", "-p", "-t", &tmux.session, "#{alternate_on}"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "1"
}

#[test]
fn a_panic_on_the_ui_thread_or_in_a_task_restores_the_terminal() {
    for place in ["loop", "task"] {
        let tmux = Tmux::start_with_env(&format!("COSELL_TEST_PANIC={place}"), "--demo");
        tmux.wait_for("/500 ");
        assert!(alternate_screen_on(&tmux));
        tmux.keys(&["Z"]);
        let screen = tmux.wait_for_all(&["COSELL-EXITED-101", "TERMINAL-"]);
        assert!(screen.contains("TERMINAL-COOKED"), "{place}: {screen}");
        let history = tmux.history();
        assert!(
            history.contains(&format!("COSELL_TEST_PANIC={place}"))
                && history.contains("the terminal has been restored"),
            "{place}: the report is readable on the normal screen\n{history}"
        );
        assert!(!alternate_screen_on(&tmux), "{place}");
    }
}

/// The pid of the program the pane's shell is running.
fn shell_child(tmux: &Tmux) -> String {
    let out = Command::new("tmux")
        .args(["display", "-p", "-t", &tmux.session, "#{pane_pid}"])
        .output()
        .unwrap();
    let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
    std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or_else(|| panic!("the shell {shell} runs nothing"))
        .to_string()
}

fn process_state(pid: &str) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The state follows the command name, which is in parentheses.
    stat.rsplit(')')
        .next()
        .unwrap()
        .trim()
        .chars()
        .next()
        .unwrap()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{what} never happened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_z_suspends_to_an_interactive_shell_fg_returns_and_sigterm_quits_cleanly() {
    // Job control needs a real interactive shell: it gives the job its own process group, which
    // is what lets the kernel stop it.
    let tmux = Tmux::start_shell();
    let state = tmux.state_dir.display().to_string();
    type_text(
        &tmux,
        &format!(
            "env XDG_STATE_HOME={state} XDG_CONFIG_HOME={state} COSELL_CONFIG= NO_COLOR=1 {bin} --demo",
            bin = env!("CARGO_BIN_EXE_cosell")
        ),
    );
    tmux.keys(&["Enter"]);
    tmux.wait_for("/500 ");
    let pid = shell_child(&tmux);

    tmux.keys(&["C-z"]);
    wait_until("stopping on ctrl-z", || process_state(&pid) == 'T');
    let screen = tmux.wait_for("Stopped");
    assert!(
        !alternate_screen_on(&tmux),
        "the shell's screen is back\n{screen}"
    );

    type_text(&tmux, "fg");
    tmux.keys(&["Enter"]);
    wait_until("taking the screen back", || alternate_screen_on(&tmux));
    tmux.wait_for_all(&["/500 ", "Opps 500"]);
    tmux.keys(&["2"]);
    tmux.wait_for("Time left");

    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    wait_until("exiting on SIGTERM", || {
        !std::path::Path::new(&format!("/proc/{pid}")).exists()
    });
    assert!(!alternate_screen_on(&tmux));
    // `$?` is the status `fg` returned: cosell's own.
    type_text(&tmux, &format!("echo COSELL-EXITED-$?; {TERMINAL_MODE}"));
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["COSELL-EXITED-0", "TERMINAL-COOKED"]);
}

#[test]
fn sighup_ends_the_session_like_q() {
    let tmux = Tmux::start("--demo");
    tmux.wait_for("/500 ");
    let pid = shell_child(&tmux);
    assert!(
        Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .unwrap()
            .success()
    );
    let screen = tmux.wait_for_all(&["COSELL-EXITED-", "TERMINAL-"]);
    assert!(
        screen.contains("COSELL-EXITED-0") && screen.contains("TERMINAL-COOKED"),
        "{screen}"
    );
    assert!(!alternate_screen_on(&tmux));
}

#[test]
fn readonly_and_sandbox_catalog_are_visible() {
    let tmux = Tmux::start("--demo --readonly --catalog Sandbox");
    tmux.wait_for_all(&["Opps 125", "READ-ONLY", "Sandbox"]);
    tmux.keys(&["C-c"]);
    tmux.wait_for("COSELL-EXITED-0");
}

fn type_text(tmux: &Tmux, text: &str) {
    tmux.keys(&["-l", text]);
}

#[test]
fn create_change_stage_and_link_a_solution_against_a_sandbox() {
    let sandbox = SandboxProcess::start();
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    tmux.wait_for("/120 ");

    // Create.
    tmux.keys(&["n"]);
    tmux.wait_for("New opportunity");
    type_text(&tmux, "E2E Stores");
    tmux.keys(&["Tab", "Tab", "Right", "Tab"]);
    type_text(&tmux, "https://e2e-stores.example.com");
    tmux.keys(&["Tab"]);
    type_text(&tmux, "98101");
    tmux.keys(&["Tab"]);
    type_text(&tmux, "WA");
    tmux.keys(&["Tab"]);
    type_text(&tmux, "E2E Stores: inventory platform");
    tmux.keys(&["Tab"]);
    type_text(&tmux, "Forty stores need a single view of their stock.");
    tmux.keys(&["Tab"]);
    type_text(&tmux, "18000");
    tmux.keys(&["C-s"]);
    let screen = tmux.wait_for("Created O");
    let id = screen
        .split("Created ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .trim_end_matches('│')
        .to_string();
    tmux.wait_for("/121 ");

    // Change its stage: Prospect -> Qualified.
    tmux.keys(&["Escape", "/"]);
    type_text(&tmux, "E2E Stores");
    tmux.keys(&["Enter", "s"]);
    tmux.wait_for(&format!("Stage of {id}"));
    tmux.keys(&["j", "Enter"]);
    // The row's spinner reads "⟳ stage → Qualified" while it saves; the toast that says it is
    // done names the record.
    tmux.wait_for(&format!("{id}: stage → Qualified"));

    // Link the first active solution.
    tmux.keys(&["l"]);
    tmux.wait_for("Solutions linked to");
    tmux.wait_for("space ticks");
    tmux.keys(&["Space", "Enter"]);
    // The picker's own title says "Solutions linked to {id}" too: wait for the toast, whose
    // subject is a solution id.
    let linked_solution = |screen: &str| {
        let pieces: Vec<&str> = screen.split(&format!(" linked to {id}")).collect();
        // Every piece but the last ends just before an occurrence.
        pieces[..pieces.len() - 1]
            .iter()
            .filter_map(|before| {
                before
                    .rsplit(|c: char| c.is_whitespace() || c == '│')
                    .next()
            })
            .find(|word| word.starts_with("S-"))
            .map(str::to_string)
    };
    let mut solution = None;
    wait_until("the link's toast", || {
        solution = linked_solution(&tmux.screen());
        solution.is_some()
    });
    let solution = solution.unwrap();
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");

    // Read the sandbox back through the SDK.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = crate::client::selling(&sandbox.url);
        let got = client
            .get_opportunity()
            .catalog("AWS")
            .identifier(&id)
            .send()
            .await
            .unwrap();
        assert_eq!(
            got.customer().unwrap().account().unwrap().company_name(),
            "E2E Stores"
        );
        assert_eq!(
            got.life_cycle().unwrap().stage().unwrap().as_str(),
            "Qualified"
        );
        assert_eq!(
            got.related_entity_identifiers().unwrap().solutions(),
            [solution]
        );
        assert_eq!(
            got.project().unwrap().expected_customer_spend()[0].amount(),
            "18000"
        );
    });

    // Every change is in the audit log; ClientTokens only as a fingerprint.
    let audit = std::fs::read_to_string(tmux.state_dir.join("cosell").join("audit.log"))
        .expect("audit log written");
    let entries: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let operations: Vec<&str> = entries
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations,
        vec![
            "CreateOpportunity",
            "UpdateOpportunity",
            "AssociateOpportunity"
        ]
    );
    assert!(entries.iter().all(|e| e["outcome"] == "ok"));
    // A sandbox's changes say where they went, so they never read as production ones.
    assert!(
        entries
            .iter()
            .all(|e| e["endpoint"] == sandbox.url.as_str() && e.get("demo").is_none()),
        "{audit}"
    );
    assert_eq!(entries[1]["change"], "stage → Qualified");
    let token = entries[0]["client_token"].as_str().unwrap();
    assert!(
        token.starts_with("ct-") && !audit.contains("cosell-"),
        "tokens are fingerprinted: {audit}"
    );
}

fn word_after(screen: &str, marker: &str) -> String {
    screen
        .split(marker)
        .nth(1)
        .and_then(|rest| {
            rest.split(|c: char| c.is_whitespace() || c == ':' || c == '│')
                .find(|w| !w.is_empty())
        })
        .unwrap_or_default()
        .to_string()
}

#[test]
fn accept_one_referral_and_reject_another_against_a_sandbox() {
    let sandbox = SandboxProcess::start();
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    tmux.wait_for("/120 ");
    tmux.keys(&["2"]);
    // The title counts the selected row ("1/…") only once rows are shown.
    tmux.wait_for_all(&["[PENDING]", "Referrals 1/"]);

    tmux.keys(&["a"]);
    tmux.wait_for("Accept this referral?");
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("J jumps to it");
    let accepted = word_after(&screen, "Accepted ");
    let opportunity = word_after(&screen, "→ ");
    assert!(
        accepted.starts_with("engi-") && opportunity.starts_with('O'),
        "{screen}"
    );

    tmux.keys(&["Escape", "x"]);
    tmux.wait_for("Reject engi-");
    tmux.keys(&["Tab"]);
    type_text(&tmux, "Already working with them");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Reason sent to AWS");
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("Rejected engi-");
    let rejected = word_after(&screen, "Rejected ");
    assert_ne!(rejected, accepted);
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = crate::client::selling(&sandbox.url);
        let a = client
            .get_engagement_invitation()
            .catalog("AWS")
            .identifier(&accepted)
            .send()
            .await
            .unwrap();
        assert_eq!(a.status().unwrap().as_str(), "ACCEPTED");
        let r = client
            .get_engagement_invitation()
            .catalog("AWS")
            .identifier(&rejected)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().unwrap().as_str(), "REJECTED");
        assert_eq!(
            r.rejection_reason(),
            Some("Customer problem unclear: Already working with them")
        );
        let created = client
            .get_opportunity()
            .catalog("AWS")
            .identifier(&opportunity)
            .send()
            .await
            .unwrap();
        let payload_customer = a
            .payload()
            .unwrap()
            .as_opportunity_invitation()
            .unwrap()
            .customer()
            .unwrap()
            .company_name()
            .to_string();
        assert_eq!(
            created
                .customer()
                .unwrap()
                .account()
                .unwrap()
                .company_name(),
            payload_customer
        );
    });
}

#[test]
fn accept_a_connection_invitation_and_send_one_against_a_sandbox() {
    let sandbox = SandboxProcess::start();
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    tmux.wait_for("/120 ");
    tmux.keys(&["4"]);
    tmux.wait_for_all(&["Connection invitations", "received", "PENDING"]);
    tmux.keys(&["w", "a"]);
    tmux.wait_for("Accept this invitation?");
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("you are connected");
    let accepted = word_after(&screen, "Accepted ");
    assert!(accepted.starts_with("pacinv-"), "{screen}");

    tmux.keys(&["n"]);
    // The inviter and a first message come from the partner profile (its alliance lead).
    tmux.wait_for_all(&[
        "Invite a partner to connect",
        "morgan.reyes@northwind.example.com",
        "would like to connect",
    ]);
    type_text(&tmux, "999988887777");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Invitation sent to 999988887777");
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use aws_sdk_partnercentralaccount as account;
        let config = account::Config::builder()
            .behavior_version(account::config::BehaviorVersion::latest())
            .region(account::config::Region::new("us-east-1"))
            .credentials_provider(account::config::Credentials::new(
                "t", "t", None, None, "e2e",
            ))
            .endpoint_url(&sandbox.url)
            .build();
        let client = account::Client::from_conf(config);
        let got = client
            .get_connection_invitation()
            .catalog("AWS")
            .identifier(&accepted)
            .send()
            .await
            .unwrap();
        assert_eq!(got.status().as_str(), "ACCEPTED");
        let connection = client
            .get_connection()
            .catalog("AWS")
            .identifier(got.connection_id().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(
            connection.other_participant_account_id(),
            got.other_participant_identifier()
        );
        let sent = client
            .list_connection_invitations()
            .catalog("AWS")
            .participant_type(account::types::ParticipantType::Sender)
            .status(account::types::InvitationStatus::Pending)
            .send()
            .await
            .unwrap();
        let ours = sent
            .connection_invitation_summaries()
            .iter()
            .find(|i| i.other_participant_identifier() == "999988887777")
            .expect("the new invitation is pending");
        let detail = client
            .get_connection_invitation()
            .catalog("AWS")
            .identifier(ours.id())
            .send()
            .await
            .unwrap();
        assert_eq!(
            detail.invitation_message(),
            "Northwind Cloud would like to connect in AWS Partner Central to co-sell together."
        );
        assert_eq!(detail.inviter_email(), "morgan.reyes@northwind.example.com");
    });
}

#[test]
fn the_tui_opens_from_the_cache_and_works_offline() {
    let sandbox = SandboxProcess::start();
    let tmux_state = fresh_state_dir();
    let synced = Command::new(env!("CARGO_BIN_EXE_cosell"))
        .env("XDG_CACHE_HOME", tmux_state.join("cache"))
        .env("XDG_STATE_HOME", tmux_state.join("state"))
        .env("COSELL_CONFIG", "")
        .env("AWS_ACCESS_KEY_ID", "t")
        .env("AWS_SECRET_ACCESS_KEY", "t")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .args(["--endpoint-url", &sandbox.url, "sync"])
        .output()
        .unwrap();
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let url = sandbox.url.clone();
    drop(sandbox);

    let tmux = Tmux::session_in(tmux_state, |dir| {
        format!(
            "env XDG_CACHE_HOME={dir}/cache XDG_STATE_HOME={dir}/state COSELL_CONFIG= NO_COLOR=1 AWS_ACCESS_KEY_ID=t AWS_SECRET_ACCESS_KEY=t AWS_CONFIG_FILE=/dev/null {bin} --endpoint-url {url}; echo COSELL-EXITED-$?; sleep 30",
            dir = dir.display(),
            bin = env!("CARGO_BIN_EXE_cosell"),
        )
    });
    // The cached opportunities are shown with no network behind them.
    tmux.wait_for_all(&["OFFLINE", "/120 "]);
    tmux.keys(&["s"]);
    tmux.wait_for("changes are off");
    // The detail comes from the full record the sync kept.
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["Title", "Problem"]);
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");
    // The first session ends but its folder (and the cache in it) stays for the second one,
    // which removes it when it ends.
    let _ = Command::new("tmux")
        .args(["kill-session", "-t", &tmux.session])
        .status();
    let state = tmux.state_dir.clone();
    std::mem::forget(tmux);

    // Started --offline: nothing is asked of the network, the partner comes from the cache.
    let tmux = Tmux::session_in(state, |dir| {
        format!(
            "env XDG_CACHE_HOME={dir}/cache XDG_STATE_HOME={dir}/state COSELL_CONFIG= NO_COLOR=1 AWS_ACCESS_KEY_ID=t AWS_SECRET_ACCESS_KEY=t AWS_CONFIG_FILE=/dev/null {bin} --endpoint-url {url} --offline; echo COSELL-EXITED-$?; sleep 30",
            dir = dir.display(),
            bin = env!("CARGO_BIN_EXE_cosell"),
        )
    });
    let screen = tmux.wait_for_all(&["OFFLINE", "/120 ", "Northwind Cloud"]);
    assert!(!screen.contains("partner unknown"), "{screen}");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["Title", "Problem"]);
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");
}

#[test]
fn offline_with_no_cache_says_so_instead_of_showing_an_empty_pipeline() {
    let tmux = Tmux::session(|dir| {
        format!(
            "env XDG_CACHE_HOME={dir}/cache XDG_STATE_HOME={dir}/state COSELL_CONFIG= NO_COLOR=1 AWS_ACCESS_KEY_ID=t AWS_SECRET_ACCESS_KEY=t AWS_CONFIG_FILE=/dev/null {bin} --endpoint-url http://127.0.0.1:9 --offline; echo COSELL-EXITED-$?; sleep 30",
            dir = dir.display(),
            bin = env!("CARGO_BIN_EXE_cosell"),
        )
    });
    tmux.wait_for_all(&[
        "OFFLINE",
        "there is none for this profile",
        "Nothing cached",
    ]);
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");
    let cache = tmux.state_dir.join("cache").join("cosell");
    let files: Vec<_> = std::fs::read_dir(&cache)
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert_eq!(files.len(), 0, "--offline left no empty cache behind");
}

#[test]
fn quitting_asks_before_typed_text_or_changes_in_flight_are_lost() {
    // Ctrl-C in a form with text: a question that names the form; n keeps every character.
    let tmux = Tmux::start("--demo");
    tmux.wait_for("/500 ");
    tmux.keys(&["n"]);
    tmux.wait_for("New opportunity");
    type_text(&tmux, "Keep This Company");
    tmux.keys(&["C-c"]);
    tmux.wait_for_all(&["Quit cosell?", "the text typed into \"New opportunity\""]);
    tmux.keys(&["n"]);
    tmux.wait_for_without("Keep This Company", "Quit cosell?");
    // A second ctrl-c on the question quits anyway.
    tmux.keys(&["C-c"]);
    tmux.wait_for("Quit cosell?");
    tmux.keys(&["C-c"]);
    tmux.wait_for("COSELL-EXITED-0");
    drop(tmux);

    // q while an accept is still on its way: asked, and the accept finishes when the user stays.
    let sandbox = SandboxProcess::start_with(&["--latency-ms", "1500"]);
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    tmux.wait_for("/120 ");
    tmux.keys(&["2"]);
    tmux.wait_for_all(&["[PENDING]", "Referrals 1/"]);
    tmux.keys(&["a"]);
    tmux.wait_for("Accept this referral?");
    tmux.keys(&["y", "q"]);
    tmux.wait_for_all(&["Quit cosell?", "still being sent or followed"]);
    tmux.keys(&["n"]);
    tmux.wait_for("J jumps to it");
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");
}

/// The TUI against `sandbox`, on the attention filter that lists the records AWS sent back,
/// with its comments; the first of them selected.
fn on_action_required(sandbox: &SandboxProcess) -> Tmux {
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    tmux.wait_for("/120 ");
    tmux.keys(&["f"]);
    tmux.wait_for("Quick filters");
    tmux.keys(&["Space", "Enter"]);
    tmux.wait_for("AWS comments");
    tmux
}

#[test]
fn a_past_close_date_is_refused_and_answering_aws_review_is_confirmed() {
    let sandbox = SandboxProcess::start();
    let tmux = on_action_required(&sandbox);
    tmux.keys(&["t"]);
    tmux.wait_for("Target close date of");
    tmux.keys(&["BSpace"; 10]);
    type_text(&tmux, "2020-01-01");
    tmux.keys(&["C-s"]);
    tmux.wait_for("must not be in the past");
    tmux.keys(&["BSpace"; 10]);
    type_text(&tmux, "2031-06-30");
    tmux.keys(&["C-s"]);
    tmux.wait_for_all(&["back to AWS review?", "locked until AWS answers"]);
    tmux.keys(&["y"]);
    tmux.wait_for("it went back to AWS review");
}

#[test]
fn an_action_required_record_is_answered_in_place_and_goes_back_to_review() {
    let sandbox = SandboxProcess::start();
    let tmux = on_action_required(&sandbox);
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("Copied ");
    let id = word_after(&screen, "Copied ");
    tmux.keys(&["E"]);
    tmux.wait_for_all(&["Website and business problem of", "AWS asks:"]);
    let website = "https://www.answered-in-place.example.com";
    let problem = "Month-end reporting takes four days; the customer needs it within one.";
    tmux.keys(&["End"]);
    tmux.keys(&["BSpace"; 120]);
    type_text(&tmux, website);
    tmux.keys(&["Tab", "C-End"]);
    tmux.keys(&["BSpace"; 400]);
    type_text(&tmux, "Too vague");
    tmux.keys(&["C-s"]);
    tmux.wait_for("20 to 2000 characters (9 now)");
    tmux.keys(&["BSpace"; 9]);
    type_text(&tmux, problem);
    tmux.keys(&["C-s"]);
    tmux.wait_for_all(&["back to AWS review?", "the website and business problem"]);
    tmux.keys(&["y"]);
    tmux.wait_for("it went back to AWS review");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let record = runtime.block_on(async {
        crate::client::selling(&sandbox.url)
            .get_opportunity()
            .catalog("AWS")
            .identifier(id.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
            .send()
            .await
            .unwrap()
    });
    let account = record.customer().and_then(|c| c.account()).unwrap();
    assert_eq!(account.website_url(), Some(website));
    assert_eq!(
        record.project().and_then(|p| p.customer_business_problem()),
        Some(problem)
    );
    assert_eq!(
        record
            .life_cycle()
            .and_then(|l| l.review_status())
            .map(|r| r.as_str()),
        Some("In review")
    );
}

/// The record as the sandbox answers GetOpportunity, its own JSON with no mapping of cosell's
/// in between (a bare HTTP/1.1 POST).
fn raw_record(url: &str, id: &str) -> serde_json::Value {
    raw_get(url, "AWSPartnerCentralSelling.GetOpportunity", id)
}

/// A Get… call by `X-Amz-Target`, answered as the service's JSON.
fn raw_get(url: &str, target: &str, id: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let body = serde_json::json!({"Catalog": "AWS", "Identifier": id}).to_string();
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: {target}\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

#[test]
fn an_action_required_record_is_fixed_in_the_full_edit_with_only_the_edited_fields_changed() {
    let sandbox = SandboxProcess::start();
    let tmux = on_action_required(&sandbox);
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("Copied ");
    let id = word_after(&screen, "Copied ")
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    let before = raw_record(&sandbox.url, &id);
    tmux.keys(&["F"]);
    tmux.wait_for_all(&[
        &format!("Edit {id}"),
        "AWS asks:",
        "Locked while Action Required",
    ]);
    let website = "https://www.fixed-in-full.example.com";
    let street = "12 Harbour Road";
    tmux.keys(&["End"]);
    tmux.keys(&["BSpace"; 120]);
    type_text(&tmux, website);
    // Tab passes over the account id and DUNS, locked while Action Required.
    tmux.keys(&["Tab"]);
    tmux.wait_for(" Street address ");
    tmux.keys(&["End"]);
    tmux.keys(&["BSpace"; 120]);
    type_text(&tmux, street);
    tmux.keys(&["C-s"]);
    tmux.wait_for_all(&["back to AWS review?", "2 fields"]);
    tmux.keys(&["y"]);
    tmux.wait_for("it went back to AWS review");

    let after = raw_record(&sandbox.url, &id);
    assert_eq!(
        after["Customer"]["Account"]["WebsiteUrl"], website,
        "{after}"
    );
    assert_eq!(
        after["Customer"]["Account"]["Address"]["StreetAddress"],
        street
    );
    assert_eq!(after["LifeCycle"]["ReviewStatus"], "In review");
    let mut expected = before.clone();
    expected["Customer"]["Account"]["WebsiteUrl"] = website.into();
    expected["Customer"]["Account"]["Address"]["StreetAddress"] = street.into();
    expected.as_object_mut().unwrap().remove("LastModifiedDate");
    let mut after_rest = after.clone();
    after_rest
        .as_object_mut()
        .unwrap()
        .remove("LastModifiedDate");
    for owned in [
        "ReviewStatus",
        "ReviewComments",
        "ReviewStatusReason",
        "NextStepsHistory",
    ] {
        expected["LifeCycle"].as_object_mut().unwrap().remove(owned);
        after_rest["LifeCycle"]
            .as_object_mut()
            .unwrap()
            .remove(owned);
    }
    assert_eq!(after_rest, expected, "every other member as it was");
}

#[test]
fn a_lead_is_accepted_qualified_and_converted_into_an_opportunity_against_a_sandbox() {
    let sandbox = SandboxProcess::start();
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    tmux.wait_for("/120 ");
    tmux.keys(&["2"]);
    tmux.wait_for("Referrals 1/");
    // Pending leads only: the type filter's Lead value.
    tmux.keys(&["f"]);
    tmux.wait_for("Type: LeadInvitation");
    tmux.keys(&["j", "j", "j", "j", "j", "Space", "Enter"]);
    let screen = tmux.wait_for("LeadInvitation]");
    let company = screen
        .lines()
        .find(|l| l.contains("lead: "))
        .and_then(|l| l.split('│').nth(1))
        .map(|cell| {
            cell.split("  ")
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .nth(1)
                .unwrap_or_default()
                .trim_start_matches("⚠ ")
                .to_string()
        })
        .expect("a pending lead is listed");
    tmux.keys(&["a"]);
    tmux.wait_for("Accept this lead?");
    tmux.keys(&["y"]);
    tmux.wait_for("Accepted lead");
    // Accepted leads: tick ACCEPTED too.
    tmux.keys(&["f"]);
    tmux.wait_for("Status: ACCEPTED");
    tmux.keys(&["j", "Space", "Enter"]);
    tmux.wait_for("ACCEPTED  ");
    tmux.keys(&["Q"]);
    tmux.wait_for("Qualify the lead");
    tmux.keys(&["C-s"]);
    tmux.wait_for("marked Qualified");
    tmux.keys(&["c"]);
    tmux.wait_for("Convert the lead");
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("converted into O");
    let opportunity = word_after(&screen, "converted into ")
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    // Then shown: the Opportunities tab, with the new record selected.
    tmux.wait_for(&format!(
        "{opportunity}  {}",
        &company[..company.len().min(10)]
    ));
    let record = raw_record(&sandbox.url, &opportunity);
    assert_eq!(
        record["Customer"]["Account"]["CompanyName"],
        company.as_str()
    );
    assert_eq!(record["LifeCycle"]["ReviewStatus"], "Pending Submission");
}

#[test]
fn a_benefit_is_applied_for_from_an_opportunity_submitted_and_approved_against_a_sandbox() {
    let sandbox = SandboxProcess::start();
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    let screen = tmux.wait_for("/120 ");
    // The selected (first) opportunity's id, from its row.
    let opportunity = screen
        .lines()
        .find_map(|l| {
            l.trim_start_matches('│')
                .split_whitespace()
                .next()
                .filter(|w| w.starts_with('O') && w[1..].chars().all(|c| c.is_ascii_digit()))
        })
        .expect("an opportunity row")
        .to_string();
    tmux.keys(&["B"]);
    tmux.wait_for(&format!("Apply for a benefit for {opportunity}"));
    type_text(&tmux, "Proof of concept");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Apply for Proof of concept credits");
    tmux.keys(&["Tab", "Tab"]);
    type_text(&tmux, "15000");
    tmux.keys(&["C-s"]);
    let screen = tmux.wait_for(&format!(" created for {opportunity}"));
    let application = screen
        .lines()
        .find_map(|l| {
            l.split(&format!(" created for {opportunity}"))
                .next()
                .filter(|_| l.contains(" created for "))
                .and_then(|before| before.split(['│', ' ']).next_back())
        })
        .unwrap_or_default()
        .to_string();
    assert!(application.starts_with("benappl-"), "{screen}");

    // On the Benefits tab, the new draft alone under a filter by its id; submit it.
    tmux.keys(&["5"]);
    tmux.wait_for("Applications (w: Benefits, Allocations)");
    tmux.keys(&["/"]);
    type_text(&tmux, &application);
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["1 of ", "PENDING_SUBMISSION"]);
    tmux.keys(&["S"]);
    tmux.wait_for("Submit this application?");
    tmux.keys(&["y"]);
    tmux.wait_for(&format!("Submitted {application}"));
    // AWS's review is asynchronous: read again until it has answered.
    let start = Instant::now();
    while !tmux.screen().contains("APPROVED") {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "never approved:\n{}",
            tmux.screen()
        );
        tmux.keys(&["R"]);
        tmux.wait_for_without("Applications", "loading,");
    }
    let record = raw_get(
        &sandbox.url,
        "PartnerCentralBenefitsService.GetBenefitApplication",
        &application,
    );
    assert_eq!(record["Status"], "APPROVED");
    assert_eq!(
        record["BenefitApplicationDetails"]["RequestedAmount"],
        "15000"
    );
    assert!(
        record["AssociatedResources"][0]
            .as_str()
            .unwrap()
            .ends_with(&format!("/opportunity/{opportunity}")),
        "{record}"
    );
    // The approval's allocation, with the amount asked for.
    tmux.keys(&["Escape", "w"]);
    tmux.wait_for("Allocations (w: Benefits, Applications)");
    tmux.wait_for("15000 USD");
}

#[test]
fn an_aws_product_is_found_by_name_linked_and_shown_by_name() {
    let sandbox = SandboxProcess::start();
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    tmux.wait_for("/120 ");
    tmux.keys(&["P"]);
    // The picker ticks what is linked once the record is read; keys wait for that.
    tmux.wait_for_all(&["AWS products linked to", "enter applies"]);
    type_text(&tmux, "agent registry");
    tmux.wait_for("AWS Agent Registry (AWSAgentRegistry)");
    tmux.keys(&["Tab", "Enter"]);
    tmux.wait_for("AWSAgentRegistry linked to");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["Linked", "AWS Agent Registry (AWSAgentRegistry)"]);
}

#[test]
fn a_prospect_is_submitted_after_a_warning_against_a_sandbox() {
    use aws_sdk_partnercentralselling::types::{
        Account, Address, CountryCode, CurrencyCode, Customer, ExpectedCustomerSpend, Industry,
        LifeCycle, OpportunityType, PaymentFrequency, PrimaryNeedFromAws, Project, Stage,
    };
    let sandbox = SandboxProcess::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = crate::client::selling(&sandbox.url);
    let company = "Prospect Submitters";
    let id = runtime.block_on(async {
        client
            .create_opportunity()
            .catalog("AWS")
            .client_token("e2e-prospect")
            .customer(
                Customer::builder()
                    .account(
                        Account::builder()
                            .company_name(company)
                            .industry(Industry::Retail)
                            .website_url("https://prospect-submitters.example.com")
                            .address(
                                Address::builder()
                                    .country_code(CountryCode::Us)
                                    .postal_code("98101")
                                    .state_or_region("WA")
                                    .build(),
                            )
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .project(
                Project::builder()
                    .title("Prospect Submitters: stock view")
                    .customer_business_problem("Forty stores need a single view of their stock.")
                    .expected_customer_spend(
                        ExpectedCustomerSpend::builder()
                            .amount("9000")
                            .currency_code(CurrencyCode::Usd)
                            .frequency(PaymentFrequency::Monthly)
                            .target_company("AWS")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .opportunity_type(OpportunityType::NetNewBusiness)
            .primary_needs_from_aws(PrimaryNeedFromAws::CoSellDealSupport)
            .life_cycle(
                LifeCycle::builder()
                    .stage(Stage::Prospect)
                    .target_close_date("2099-06-30")
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .id
    });
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    tmux.wait_for("/121 ");
    tmux.keys(&["/"]);
    type_text(&tmux, company);
    tmux.keys(&["Enter"]);
    tmux.wait_for("1 of 121");
    tmux.keys(&["S"]);
    tmux.wait_for(&format!("Submit {id} to AWS: involvement"));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!("Submit {id} to AWS: visibility"));
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&[&format!("Submit {id} to AWS?"), "⚠ Stage Prospect"]);
    tmux.keys(&["y"]);
    tmux.wait_for(&format!("{id} submitted to AWS"));
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");

    runtime.block_on(async {
        let got = client
            .get_opportunity()
            .catalog("AWS")
            .identifier(&id)
            .send()
            .await
            .unwrap();
        let lifecycle = got.life_cycle().unwrap();
        assert_eq!(lifecycle.stage().unwrap().as_str(), "Prospect");
        assert!(
            matches!(
                lifecycle.review_status().unwrap().as_str(),
                "Submitted" | "In review"
            ),
            "{:?}",
            lifecycle.review_status()
        );
    });
}

#[test]
fn a_stalled_endpoint_ends_in_an_error_not_an_endless_spinner() {
    // A listener that accepts and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let held = std::thread::spawn(move || {
        let mut streams = Vec::new();
        for stream in listener.incoming().take(50) {
            streams.push(stream);
        }
    });
    let tmux = Tmux::session(|dir| {
        std::fs::write(dir.join("cosell.toml"), "timeout_seconds = 3\n").unwrap();
        format!(
            "env XDG_CACHE_HOME={dir}/cache XDG_STATE_HOME={dir}/state COSELL_CONFIG={dir}/cosell.toml NO_COLOR=1 AWS_ACCESS_KEY_ID=t AWS_SECRET_ACCESS_KEY=t AWS_CONFIG_FILE=/dev/null {bin} --endpoint-url {url}; echo COSELL-EXITED-$?; sleep 30",
            dir = dir.display(),
            bin = env!("CARGO_BIN_EXE_cosell"),
        )
    });
    tmux.wait_for_all(&["timed out", "load failed (R retries)"]);
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");
    drop(held);
}

#[test]
fn a_forms_text_survives_an_accidental_quit() {
    let sandbox = SandboxProcess::start();
    let tmux = Tmux::start(&format!("--endpoint-url {}", sandbox.url));
    tmux.wait_for("/120 ");
    tmux.keys(&["n"]);
    tmux.wait_for("New opportunity");
    type_text(&tmux, "Draft Keepers Ltd");
    // Quit anyway, as a tired user would.
    tmux.keys(&["C-c"]);
    tmux.wait_for("Quit cosell?");
    tmux.keys(&["y"]);
    tmux.wait_for("COSELL-EXITED-0");
    let state = tmux.state_dir.clone();
    let _ = Command::new("tmux")
        .args(["kill-session", "-t", &tmux.session])
        .status();
    std::mem::forget(tmux);

    let bin = env!("CARGO_BIN_EXE_cosell");
    let url = sandbox.url.clone();
    let tmux = Tmux::session_in(state, |dir| {
        format!(
            "env XDG_STATE_HOME={dir} XDG_CONFIG_HOME={dir} COSELL_CONFIG= NO_COLOR=1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_CONFIG_FILE=/dev/null {bin} --endpoint-url {url}; echo COSELL-EXITED-$?; sleep 30",
            dir = dir.display()
        )
    });
    tmux.wait_for("/120 ");
    tmux.keys(&["n"]);
    tmux.wait_for_all(&["A draft was kept", "Put it back?"]);
    tmux.keys(&["y"]);
    tmux.wait_for("Draft Keepers Ltd");
    // Sent or discarded on purpose, a draft is forgotten.
    tmux.keys(&["Escape"]);
    tmux.wait_for("Discard the form?");
    tmux.keys(&["y", "n"]);
    let screen = tmux.wait_for("New opportunity");
    assert!(!screen.contains("A draft was kept"), "{screen}");
}
