//! The terminal session: raw mode and the alternate screen (restored on every exit path, panics
//! included), the input thread, the tick, and the one event loop that folds messages into the
//! model, draws, and hands effects to the runner.

mod drafts;
mod effects;

use std::time::Duration;

use color_eyre::eyre::{Result, WrapErr};
use crossterm::event::{self, Event};
use tokio::sync::mpsc;

use crate::app::keymap::Keymap;
use crate::app::{self, Context, Model, Msg};
use crate::ui::{self, Theme};
use cosell_core::partner::PartnerClient;
use cosell_core::times::now_millis;

pub use effects::{Connector, Runner};

/// A panic anywhere, on the UI thread or in an effect task, restores the terminal, prints the
/// report (color-eyre's hook, installed earlier, runs after this one restores), and ends the
/// process. Without the exit, a panic in a task would leave the UI running in a cooked terminal.
fn restore_and_exit_on_panic() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        tracing::error!(%info, "panic");
        report(info);
        eprintln!(
            "cosell stopped on an internal error; the terminal has been restored. \
             The log (`cosell info` prints its path) has the details."
        );
        std::process::exit(101);
    }));
}

/// Debug builds only: `COSELL_TEST_PANIC=loop|task` makes the key `Z` panic on the UI thread or
/// in a spawned task, so the end-to-end tests can prove the terminal comes back either way.
fn test_panic_requested(msg: &Msg) {
    if !cfg!(debug_assertions) {
        return;
    }
    let Msg::Key(key) = msg else { return };
    if key.code != crossterm::event::KeyCode::Char('Z') {
        return;
    }
    match std::env::var("COSELL_TEST_PANIC").as_deref() {
        Ok("loop") => panic!("test panic on the UI thread (COSELL_TEST_PANIC=loop)"),
        Ok("task") => {
            tokio::spawn(async { panic!("test panic in a task (COSELL_TEST_PANIC=task)") });
        }
        _ => {}
    }
}

/// Reads terminal events on a plain thread (crossterm's reader blocks) and forwards them.
fn spawn_input(tx: mpsc::UnboundedSender<Msg>) {
    std::thread::spawn(move || {
        loop {
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => {
                    let msg = match event::read() {
                        Ok(Event::Key(key)) => Msg::Key(key),
                        Ok(Event::Mouse(mouse)) => match pointer(mouse) {
                            Some(pointer) => Msg::Mouse(pointer),
                            None => continue,
                        },
                        Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                        Ok(_) => continue,
                        Err(_) => break,
                    };
                    if tx.send(msg).is_err() {
                        break;
                    }
                }
                Ok(false) => {
                    if tx.is_closed() {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    });
}

fn pointer(mouse: event::MouseEvent) -> Option<app::Pointer> {
    let (column, row) = (mouse.column, mouse.row);
    match mouse.kind {
        event::MouseEventKind::ScrollDown => Some(app::Pointer::WheelDown { column, row }),
        event::MouseEventKind::ScrollUp => Some(app::Pointer::WheelUp { column, row }),
        event::MouseEventKind::Down(event::MouseButton::Left) => {
            Some(app::Pointer::Click { column, row })
        }
        _ => None,
    }
}

/// Raw mode, the alternate screen, and mouse reports (the wheel scrolls what is under it).
fn init_terminal() -> Result<ratatui::DefaultTerminal> {
    let terminal =
        ratatui::try_init().wrap_err("cannot start the terminal UI (is this a terminal?)")?;
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);
    Ok(terminal)
}

/// Undoes `init_terminal`; safe to call more than once.
fn restore_terminal() {
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
    ratatui::restore();
}

/// Runs the TUI until the user quits.
pub async fn run(
    client: PartnerClient,
    context: Context,
    keymap: Keymap,
    theme: Theme,
    notes: Vec<String>,
    cache: Option<cosell_core::store::Cache>,
    connector: Option<Connector>,
) -> Result<()> {
    let mut terminal = init_terminal()?;
    restore_and_exit_on_panic();
    let session = Session {
        client,
        context,
        keymap,
        notes,
        cache,
        connector,
    };
    let result = event_loop(&mut terminal, session, theme).await;
    restore_terminal();
    result
}

/// What a TUI session starts from.
struct Session {
    client: PartnerClient,
    context: Context,
    keymap: Keymap,
    notes: Vec<String>,
    cache: Option<cosell_core::store::Cache>,
    connector: Option<Connector>,
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    session: Session,
    theme: Theme,
) -> Result<()> {
    let Session {
        client,
        context,
        keymap,
        notes,
        cache,
        connector,
    } = session;
    let size = terminal.size()?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    spawn_input(tx.clone());
    spawn_terminate_on_signal(tx.clone());
    spawn_tick(tx.clone());
    let mut model = Model::new(context, keymap, now_millis(), size.width, size.height);
    model.shell.session = fastrand::u64(..);
    for note in notes {
        model.shell.toast(app::Level::Error, note);
    }
    let mut drafts = connector
        .as_ref()
        .and_then(|c| c.drafts.clone())
        .map(drafts::Drafts::load);
    if let Some(drafts) = &drafts {
        app::update(&mut model, Msg::Drafts(drafts.kept()));
    }
    let effects = app::init(&mut model);
    warn_if_offline_without_cache(&mut model, cache.as_ref());
    let cache = start_from_cache(&mut model, cache, &tx);
    let runner = Runner::new(client, tx, cache, connector);
    for effect in effects {
        runner.run(effect);
    }
    loop {
        let mut measured = model.measured;
        terminal.draw(|frame| measured = ui::draw(&model, &theme, frame))?;
        if measured != model.measured {
            // The layout moved (a pane opened, content grew): update learns where scrolling
            // ends, then the frame is drawn again with what it decided.
            app::update(&mut model, Msg::Measured(measured));
            continue;
        }
        let Some(msg) = rx.recv().await else { break };
        test_panic_requested(&msg);
        let mut effects = app::update(&mut model, msg);
        // Fold everything already queued (a burst of pages, a held key) before drawing again.
        while !model.should_quit {
            match rx.try_recv() {
                Ok(msg) => {
                    test_panic_requested(&msg);
                    effects.extend(app::update(&mut model, msg))
                }
                Err(_) => break,
            }
        }
        for effect in effects {
            runner.run(effect);
        }
        if let Some(drafts) = &mut drafts {
            drafts.observe(&model);
        }
        if model.should_quit {
            break;
        }
        if model.suspend_requested {
            model.suspend_requested = false;
            suspend(terminal)?;
        }
    }
    Ok(())
}

/// `--offline` with no synced cache would show empty lists; it says why instead.
fn warn_if_offline_without_cache(model: &mut Model, cache: Option<&cosell_core::store::Cache>) {
    let never_synced = cache.is_none_or(|c| {
        c.meta_millis(cosell_core::store::sync::LAST_SYNC_KEY)
            .ok()
            .flatten()
            .is_none()
            && c.opportunities().map(|o| o.is_empty()).unwrap_or(true)
    });
    if model.shell.context.offline && never_synced {
        model.shell.toast(
            app::Level::Error,
            "--offline shows the local cache, and there is none for this profile and catalog yet: the lists stay empty. Run `cosell sync`, or press R to read Partner Central now.",
        );
    }
}

/// Time arrives as a message four times a second: countdowns tick and toasts fade.
fn spawn_tick(tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_millis(250));
        loop {
            interval.tick().await;
            if tx.send(Msg::Tick(now_millis())).is_err() {
                break;
            }
        }
    });
}

/// Shows the cache's rows at once: the first screen's opportunities now, the rest of a large
/// cache read off the UI thread so the first frame does not wait. The cache is then shared
/// with the runner, which writes finished loads back.
fn start_from_cache(
    model: &mut Model,
    cache: Option<cosell_core::store::Cache>,
    tx: &mpsc::UnboundedSender<Msg>,
) -> Option<std::sync::Arc<std::sync::Mutex<cosell_core::store::Cache>>> {
    let cache = cache?;
    let first = cached_messages(&cache, true);
    let more_cached = first.iter().any(|m| {
        matches!(m, Msg::Cached { page: app::Page::Opportunities(rows), .. } if rows.len() == FIRST_SCREEN_ROWS)
    });
    for msg in first {
        app::update(model, msg);
    }
    let cache = std::sync::Arc::new(std::sync::Mutex::new(cache));
    if more_cached {
        let (cache, tx) = (cache.clone(), tx.clone());
        tokio::task::spawn_blocking(move || {
            let cache = cache.lock().expect("cache lock");
            for msg in cached_messages(&cache, false) {
                if matches!(
                    msg,
                    Msg::Cached {
                        page: app::Page::Opportunities(_),
                        ..
                    }
                ) {
                    let _ = tx.send(msg);
                }
            }
        });
    }
    Some(cache)
}

/// Hands the terminal back to the shell and stops the process, as ctrl-z does in any terminal
/// program (raw mode swallows the key, so the TUI raises the signal itself); on `fg`, takes the
/// terminal back and redraws everything. Tasks in flight carry on once the process resumes.
#[cfg(unix)]
fn suspend(terminal: &mut ratatui::DefaultTerminal) -> Result<()> {
    restore_terminal();
    // SAFETY: raise only delivers a signal to this process; SIGTSTP's default action stops it
    // and the call returns after SIGCONT.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::event::EnableMouseCapture
    )?;
    terminal.clear()?;
    Ok(())
}

#[cfg(not(unix))]
fn suspend(_terminal: &mut ratatui::DefaultTerminal) -> Result<()> {
    Ok(())
}

/// SIGTERM and SIGHUP end the session the way `q` does, so the terminal is restored (when it
/// still exists) and the cache keeps what was written.
fn spawn_terminate_on_signal(tx: mpsc::UnboundedSender<Msg>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hangup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hangup.recv() => {}
        }
        let _ = tx.send(Msg::Terminate);
    });
    #[cfg(not(unix))]
    drop(tx);
}

fn non_empty<R>(
    rows: Result<Vec<R>, cosell_core::store::StoreError>,
    page: fn(Vec<R>) -> app::Page,
) -> Option<app::Page> {
    rows.ok().filter(|r| !r.is_empty()).map(page)
}

/// Opportunities read from the cache for the first frame; the rest follow in the background.
pub const FIRST_SCREEN_ROWS: usize = 300;

/// The cached lists as messages, so the first frame shows the last known data at once. With
/// `first_screen`, only the most recent opportunities are read (the default order shows them
/// first); the full read can follow.
pub fn cached_messages(cache: &cosell_core::store::Cache, first_screen: bool) -> Vec<Msg> {
    let Ok(Some(at)) = cache.meta_millis(cosell_core::store::sync::LAST_SYNC_KEY) else {
        return Vec::new();
    };
    let mut pages = Vec::new();
    let opportunities = if first_screen {
        cache.recent_opportunities(FIRST_SCREEN_ROWS)
    } else {
        cache.opportunities()
    };
    match opportunities {
        Ok(rows) if !rows.is_empty() => pages.push(app::Page::Opportunities(rows)),
        Err(err) => tracing::warn!(%err, "could not read cached opportunities"),
        _ => {}
    }
    if let Ok(rows) = cache.referrals() {
        pages.push(app::Page::Referrals(rows));
    }
    if let Ok(rows) = cache.solutions() {
        pages.push(app::Page::Solutions(rows));
    }
    if let Ok(rows) = cache.connections() {
        pages.push(app::Page::Connections(rows));
    }
    if let Ok(rows) = cache.invitations() {
        pages.push(app::Page::Invitations(rows));
    }
    // The benefits and channel lists; a list this account never read stays out (its tab
    // then loads, or says the API is not available).
    let mut kept = |page: Option<app::Page>| pages.extend(page);
    kept(non_empty(cache.kept(), app::Page::Benefits));
    kept(non_empty(cache.kept(), app::Page::Applications));
    kept(non_empty(cache.kept(), app::Page::Allocations));
    kept(non_empty(cache.kept(), app::Page::ProgramAccounts));
    kept(non_empty(cache.kept(), app::Page::Relationships));
    kept(non_empty(cache.kept(), app::Page::Handshakes));
    pages
        .into_iter()
        .map(|page| Msg::Cached { page, at })
        .collect()
}
