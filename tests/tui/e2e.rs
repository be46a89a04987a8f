//! The real binary in a real terminal (tmux): start `cosell --demo`, wait for the opportunities to
//! fill, switch tabs, open help, quit — reading the screen at each step.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    session: String,
    state_dir: std::path::PathBuf,
}

impl Tmux {
    fn start(args: &str) -> Tmux {
        assert!(
            Command::new("tmux").arg("-V").output().is_ok(),
            "tmux is required for the end-to-end tests (apt-get install tmux)"
        );
        let session = format!("cosell-e2e-{}-{}", std::process::id(), fastrand::u32(..));
        let state_dir = std::env::temp_dir().join(&session);
        std::fs::create_dir_all(&state_dir).unwrap();
        let bin = env!("CARGO_BIN_EXE_cosell");
        let command = format!(
            "env XDG_STATE_HOME={dir} XDG_CONFIG_HOME={dir} COSELL_CONFIG= NO_COLOR=1 {bin} {args}; echo COSELL-EXITED-$?; sleep 30",
            dir = state_dir.display()
        );
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

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
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
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("'{text}' never appeared; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

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
    let screen = tmux.wait_for("Opportunities (500)");
    assert!(screen.contains("DEMO"));
    assert!(
        screen.contains("Northwind Cloud"),
        "the partner name from GetPartner\n{screen}"
    );
    let screen = tmux.wait_for("500 rows");
    assert!(
        screen.contains("Customer") && screen.contains("O41"),
        "{screen}"
    );

    tmux.keys(&["2"]);
    let screen = tmux.wait_for("Time left");
    assert!(screen.contains("PENDING"));

    tmux.keys(&["3"]);
    tmux.wait_for("Northwind DataLake Accelerator");

    tmux.keys(&["4"]);
    let screen = tmux.wait_for("Connection invitations");
    assert!(screen.contains("Contoso Data Partners"), "{screen}");

    tmux.keys(&["1", "Enter"]);
    tmux.wait_for("AWS view");
    tmux.wait_for("AWS stage:");

    tmux.keys(&["?"]);
    let screen = tmux.wait_for("Help");
    assert!(screen.contains("reload from Partner Central"));
    tmux.keys(&["Escape"]);
    tmux.keys(&["q"]);
    tmux.wait_for("COSELL-EXITED-0");
}

#[test]
fn readonly_and_sandbox_catalog_are_visible() {
    let tmux = Tmux::start("--demo --readonly --catalog Sandbox");
    let screen = tmux.wait_for("Opportunities (125)");
    assert!(
        screen.contains("READ-ONLY") && screen.contains("Sandbox"),
        "{screen}"
    );
    tmux.keys(&["C-c"]);
    tmux.wait_for("COSELL-EXITED-0");
}
