//! TUI benchmarks, at 1,000, 10,000 and 100,000 rows (COSELL_BENCH_SIZES): time to draw one
//! frame of the Opportunities tab, time to apply a filter keystroke over them; and
//! launch-to-first-full-screen of the real binary in demo mode (driven through tmux).
//!
//! Run: `cargo bench --bench tui` (needs tmux for the launch figure).

use std::process::Command;
use std::time::{Duration, Instant};

use cosell::app::keymap::Keymap;
use cosell::app::{self, Context, Model, Msg, Page};
use cosell::ui::{self, Theme};
use cosell_core::partner::types::{Money, OpportunitySummary};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW: i64 = 1_795_694_400_000;

fn rows(n: usize) -> Vec<OpportunitySummary> {
    let heads = [
        "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka",
    ];
    let tails = ["Corp", "Labs", "Bank", "Retail", "Health"];
    (0..n)
        .map(|i| OpportunitySummary {
            id: format!("O{}", 4_000_000 + i),
            customer: format!("{} {} {}", heads[i % 8], tails[(i / 8) % 5], i % 97),
            stage: Some(["Prospect", "Qualified", "Committed", "Launched"][i % 4].into()),
            review_status: Some(["Approved", "Pending Submission", "In review"][i % 3].into()),
            target_close: Some(format!("2027-{:02}-15", 1 + i % 12).into()),
            monthly_spend: Some(Money {
                amount: format!("{}", 500 + (i * 37) % 90_000),
                currency: "USD".into(),
            }),
            last_modified: Some(NOW - (i as i64) * 60_000),
            ..Default::default()
        })
        .collect()
}

fn loaded(n: usize, width: u16, height: u16) -> Model {
    let context = Context {
        region: "us-east-1".into(),
        catalog: "AWS".into(),
        demo: true,
        ..Default::default()
    };
    let mut model = Model::new(context, Keymap::default(), NOW, width, height);
    for effect in app::init(&mut model) {
        if let app::Effect::Load {
            request,
            list: app::ListId::Opportunities,
            ..
        } = effect
        {
            for chunk in rows(n).chunks(100) {
                app::update(
                    &mut model,
                    Msg::Page {
                        request,
                        page: Page::Opportunities(chunk.to_vec()),
                    },
                );
            }
            app::update(
                &mut model,
                Msg::ListDone {
                    request,
                    list: app::ListId::Opportunities,
                },
            );
        }
    }
    model
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let n = samples.len();
    let mean = samples.iter().sum::<Duration>().as_secs_f64() * 1e3 / n as f64;
    println!(
        "{label:<55} n={n:<5} mean={mean:>8.3}ms p50={:>8.3}ms p99={:>8.3}ms",
        samples[n / 2].as_secs_f64() * 1e3,
        samples[(n * 99) / 100].as_secs_f64() * 1e3
    );
}

fn key(c: char) -> Msg {
    Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::NONE,
    ))
}

/// Pipeline sizes to measure: COSELL_BENCH_SIZES, default 1,000, 10,000 and 100,000.
fn sizes() -> Vec<usize> {
    std::env::var("COSELL_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("sizes are numbers"))
        .collect()
}

fn main() {
    for n in sizes() {
        measure(n);
    }
    launch_to_first_screen();
}

fn measure(n: usize) {
    let start = Instant::now();
    let mut model = loaded(n, 120, 40);
    assert_eq!(
        model.opportunities.table.rows.len(),
        n,
        "the premise: every row is loaded"
    );
    println!(
        "{:<55} {:>8.1}ms",
        format!("fold {} pages ({n} rows) into the model", n.div_ceil(100)),
        start.elapsed().as_secs_f64() * 1e3
    );

    for (w, h) in [(120u16, 40u16), (200, 60)] {
        app::update(&mut model, Msg::Resize(w, h));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let theme = Theme { color: true };
        let mut samples = Vec::new();
        let mut previous = terminal.backend().buffer().clone();
        let mut identical = 0;
        let rows = model.table_rows();
        for i in 0..500 {
            // Jump the selection across the whole list so every frame draws a different window.
            let total = model.opportunities.table.visible.len();
            model.opportunities.table.selected = (i * 7_919 + 1) % total;
            model.opportunities.table.scroll_into_view(rows);
            let t = Instant::now();
            terminal.draw(|f| ui::view(&model, &theme, f)).unwrap();
            samples.push(t.elapsed());
            let buffer = terminal.backend().buffer();
            if *buffer == previous {
                identical += 1;
            }
            previous = buffer.clone();
        }
        assert_eq!(
            identical, 0,
            "the premise: every frame shows a different window"
        );
        report(
            &format!("draw Opportunities frame, {n} rows, {w}x{h}"),
            samples,
        );
    }

    let mut samples = Vec::new();
    for round in 0..20 {
        app::update(&mut model, key('/'));
        for c in ["acme", "globex 4", "zzz"][round % 3].chars() {
            let t = Instant::now();
            app::update(&mut model, key(c));
            samples.push(t.elapsed());
        }
        app::update(
            &mut model,
            Msg::Key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Esc,
                crossterm::event::KeyModifiers::NONE,
            )),
        );
    }
    report(&format!("filter keystroke over {n} rows"), samples);
}

fn launch_to_first_screen() {
    let bin = env!("CARGO_BIN_EXE_cosell");
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("launch to first full screen: skipped (tmux not installed)");
        return;
    }
    let state = std::env::temp_dir().join("cosell-bench-state");
    let mut samples = Vec::new();
    for run in 0..5 {
        let session = format!("cosell-bench-{}-{run}", std::process::id());
        let command = format!(
            "env XDG_STATE_HOME={} COSELL_CONFIG= {bin} --demo",
            state.display()
        );
        let t = Instant::now();
        Command::new("tmux")
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
        loop {
            let out = Command::new("tmux")
                .args(["capture-pane", "-p", "-t", &session])
                .output()
                .unwrap();
            let screen = String::from_utf8_lossy(&out.stdout);
            if screen.contains("/500 ")
                && screen.contains("Northwind Cloud")
                && !screen.contains("loading,")
            {
                break;
            }
            if t.elapsed() > Duration::from_secs(30) {
                panic!("demo never filled:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        samples.push(t.elapsed());
        Command::new("tmux")
            .args(["kill-session", "-t", &session])
            .status()
            .unwrap();
    }
    report(
        "launch --demo to first full screen (500 opps, tmux)",
        samples,
    );
}
