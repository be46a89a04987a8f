//! Every screen rendered with ratatui's TestBackend at 80x24 and 120x40, compared with reviewed
//! snapshots (monochrome theme: the text is what is compared).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use cosell::app::{self, Detail, DetailKey, Effect, Level, ListId, Model, Msg, Page};
use cosell::ui::{self, Theme};
use cosell_core::partner::types::*;

use crate::fixtures::{NOW, loaded, opportunity};

fn render(model: &Model) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(model.shell.width, model.shell.height)).unwrap();
    terminal
        .draw(|f| ui::view(model, &Theme::mono(), f))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn press(model: &mut Model, c: char) -> Vec<Effect> {
    app::update(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

fn both_sizes(name: &str, setup: impl Fn(&mut Model)) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut model = loaded(w, h, 60);
        setup(&mut model);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&model));
    }
}

#[test]
fn opportunities_tab() {
    both_sizes("opportunities", |_| {});
}

#[test]
fn referrals_tab() {
    both_sizes("referrals", |m| {
        press(m, '2');
    });
}

#[test]
fn solutions_tab() {
    both_sizes("solutions", |m| {
        press(m, '3');
    });
}

#[test]
fn connections_tab() {
    both_sizes("connections", |m| {
        press(m, '4');
    });
}

#[test]
fn benefits_tab_applications() {
    both_sizes("benefits", |m| {
        press(m, '5');
    });
}

#[test]
fn benefits_tab_allocations_with_the_detail() {
    both_sizes("benefit_allocations", |m| {
        press(m, '5');
        press(m, 'w');
        app::update(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
    });
}

#[test]
fn channel_tab_handshakes() {
    both_sizes("channel", |m| {
        press(m, '6');
    });
}

#[test]
fn channel_tab_relationships_with_the_detail() {
    both_sizes("channel_relationships", |m| {
        press(m, '6');
        press(m, 'w');
        press(m, 'w');
        app::update(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
    });
}

#[test]
fn channel_tab_of_an_account_in_no_program() {
    both_sizes("channel_no_program", |m| {
        press(m, '6');
        let reads = press(m, 'R');
        let mut answered = 0;
        for effect in reads {
            if let Effect::Load { request, list, .. } = effect {
                let page = match list {
                    ListId::ProgramAccounts => Page::ProgramAccounts(vec![]),
                    ListId::Relationships => Page::Relationships(vec![]),
                    ListId::Handshakes => Page::Handshakes(vec![]),
                    other => panic!("R on Channel read {other:?}"),
                };
                app::update(m, Msg::Page { request, page });
                app::update(m, Msg::ListDone { request, list });
                answered += 1;
            }
        }
        assert_eq!(answered, 3);
    });
}

#[test]
fn benefits_tab_of_an_account_the_api_refuses() {
    both_sizes("benefits_unavailable", |m| {
        press(m, '5');
        let reads = press(m, 'R');
        let mut refused = 0;
        for effect in reads {
            if let Effect::Load { request, list, .. } = effect {
                app::update(
                    m,
                    Msg::ListFailed {
                        request,
                        list,
                        error: "AccessDeniedException: this account is not enrolled in Partner Central benefits. Ask your Partner Central administrator for access.".into(),
                        unreachable: false,
                        denied: true,
                    },
                );
                refused += 1;
            }
        }
        assert_eq!(refused, 3);
    });
}

#[test]
fn apply_for_a_benefit_form() {
    both_sizes("apply_form", |m| {
        press(m, 'B');
        for c in "MAP".chars() {
            press(m, c);
        }
        app::update(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
    });
}

#[test]
fn help_overlay() {
    both_sizes("help", |m| {
        press(m, '?');
    });
}

#[test]
fn help_scrolled_on_a_small_screen() {
    let mut model = loaded(80, 24, 10);
    press(&mut model, '?');
    for _ in 0..200 {
        press(&mut model, 'j');
    }
    let screen = render(&model);
    let last = model
        .keymap
        .help(cosell::app::keymap::Mode::Normal)
        .last()
        .unwrap()
        .1
        .clone();
    assert!(
        screen.contains(&last[..30.min(last.len())]),
        "the last entry ({last}) is reachable:\n{screen}"
    );
    insta::assert_snapshot!("help_scrolled_80x24", screen);
}

#[test]
fn error_toast() {
    both_sizes("toast", |m| {
        m.shell.toast(Level::Error, "ListSolutions was throttled by Partner Central (reads 10/s, writes 1/s per account): Rate exceeded. cosell already retried with backoff; wait a moment and press R.");
    });
}

#[test]
fn filter_in_progress() {
    both_sizes("filter", |m| {
        press(m, '/');
        for c in "globex".chars() {
            press(m, c);
        }
    });
}

#[test]
fn opportunity_detail() {
    both_sizes("detail", |m| {
        let effects = app::update(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        for effect in effects {
            let Effect::Fetch { request, key, .. } = effect else {
                continue;
            };
            let detail = match &key {
                DetailKey::Opportunity(_) => Detail::Opportunity(Box::new(Opportunity {
                    summary: opportunity(0),
                    title: Some("Acme Corp: data lake modernization".into()),
                    business_problem: Some("Reporting runs on an overloaded warehouse.".into()),
                    primary_needs: vec!["Co-Sell - Architectural Validation".into()],
                    team: vec![Contact {
                        first_name: Some("Alex".into()),
                        last_name: Some("Rivera".into()),
                        email: Some("alex@northwind.example.com".into()),
                        title: Some("OpportunityOwner".into()),
                        phone: None,
                    }],
                    solutions: vec!["S-0001000".into()],
                    next_steps_history: vec![NextStep {
                        value: "Book a discovery call".into(),
                        time: Some(NOW - 86_400_000),
                    }],
                    ..Default::default()
                })),
                DetailKey::AwsView(id) => Detail::AwsView(AwsView {
                    opportunity_id: id.clone(),
                    origin: Some("Partner Referral".into()),
                    stage: Some("Not Started".into()),
                    next_best_actions: Some(
                        "Submit the opportunity to AWS to start co-selling.".into(),
                    ),
                    ..Default::default()
                }),
                _ => continue,
            };
            app::update(
                m,
                Msg::Detail {
                    request,
                    key,
                    detail: Box::new(detail),
                },
            );
        }
    });
}

#[test]
fn too_small_screen() {
    let mut model = loaded(120, 40, 10);
    app::update(&mut model, Msg::Resize(50, 12));
    insta::assert_snapshot!("too_small", render(&model));
}

#[test]
fn large_tables_draw_only_the_window() {
    // 100,000 rows render the same visible window as 60 would.
    let model = loaded(120, 40, 100_000);
    let screen = render(&model);
    assert!(screen.contains("Opportunities 1/100000 "), "{screen}");
    assert_eq!(
        screen.lines().filter(|l| l.contains("O41")).count(),
        model.table_rows()
    );
}

#[test]
fn stage_picker() {
    both_sizes("stage_picker", |m| {
        press(m, 's');
    });
}

#[test]
fn create_form() {
    both_sizes("create_form", |m| {
        press(m, 'n');
        for c in "Brand New Stores".chars() {
            press(m, c);
        }
        app::update(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        );
    });
}

#[test]
fn conflict_offer() {
    both_sizes("conflict", |m| {
        press(m, 's');
        press(m, 'j');
        let effects = app::update(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let Some(Effect::Mutate { request, intent }) = effects.into_iter().next() else {
            panic!()
        };
        let mut latest = opportunity(0);
        latest.stage = Some("Committed".into());
        latest.last_modified = Some(NOW + 3_600_000);
        let latest = Opportunity {
            summary: latest,
            ..Default::default()
        };
        app::update(
            m,
            Msg::Mutated {
                request,
                intent,
                result: Ok(app::Outcome::Conflict(Box::new(latest))),
            },
        );
    });
}

#[test]
fn reject_form() {
    both_sizes("reject_form", |m| {
        press(m, '2');
        press(m, 'x');
        app::update(m, Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
        for c in "Already working with them".chars() {
            press(m, c);
        }
    });
}

#[test]
fn referral_detail() {
    both_sizes("referral_detail", |m| {
        press(m, '2');
        app::update(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
    });
}

#[test]
fn profile_popup() {
    both_sizes("profile", |m| {
        press(m, 'p');
    });
}

#[test]
fn invite_form() {
    both_sizes("invite_form", |m| {
        press(m, '4');
        press(m, 'n');
        for c in "123456789012".chars() {
            press(m, c);
        }
    });
}

#[test]
fn link_solution_picker_narrows_as_you_type() {
    both_sizes("link_from_solution", |m| {
        press(m, '3');
        press(m, 'l');
        for c in "acme".chars() {
            press(m, c);
        }
    });
}

#[test]
fn a_change_in_flight_shows_in_its_row() {
    let mut model = loaded(120, 40, 10);
    press(&mut model, 's');
    press(&mut model, 'j');
    app::update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let screen = render(&model);
    let row = screen.lines().find(|l| l.contains("O4100000")).unwrap();
    assert!(row.contains("⟳ stage → Qualified"), "{row}");
}

#[test]
fn opportunities_read_under_quick_filters() {
    both_sizes("read_under_quick_filters", |m| {
        m.opportunities.table.set_quick(vec![(
            cosell::app::core::column::Facet::Stage,
            "Qualified".into(),
        )]);
        let Some(Effect::Load { request, .. }) = press(m, 'R').into_iter().next() else {
            panic!("R reloads")
        };
        let qualified: Vec<OpportunitySummary> = (0..200)
            .map(opportunity)
            .filter(|o| o.stage == Some(Stage::Qualified))
            .take(5)
            .collect();
        app::update(
            m,
            Msg::Page {
                request,
                page: app::Page::Opportunities(qualified),
            },
        );
        app::update(
            m,
            Msg::ListDone {
                request,
                list: app::ListId::Opportunities,
            },
        );
    });
}

/// The Owner column is the first to go on a narrower screen, so it shows at 140 columns; rows
/// whose full record has not been read yet show a dim dot.
#[test]
fn owners_on_a_wide_screen() {
    let mut model = loaded(140, 40, 60);
    for n in 0..3 {
        let mut row = opportunity(n);
        row.title = Some(format!("Project {n}").into());
        row.owner = Some(["Alex Rivera", "Sam Okafor", "Jo Tanaka"][n].into());
        model.opportunities.table.upsert(row);
    }
    insta::assert_snapshot!("owners_140x40", render(&model));
}

#[test]
fn products_picker_searched() {
    both_sizes("products_picker_searched", |m| {
        let effects = press(m, 'P');
        // Answer the read of the record's current links: none linked yet.
        if let Some(Effect::Fetch { request, key, .. }) = effects.first().cloned() {
            let row = m.opportunities.table.selected_row().unwrap().clone();
            app::update(
                m,
                Msg::Detail {
                    request,
                    key,
                    detail: Box::new(app::Detail::Opportunity(Box::new(Opportunity {
                        summary: row,
                        ..Default::default()
                    }))),
                },
            );
        }
        for c in "analytics".chars() {
            press(m, c);
        }
    });
}

/// Selects the first row with `review` as its review status.
fn select_review(m: &mut Model, review: &str) -> OpportunitySummary {
    let table = &mut m.opportunities.table;
    let position = table
        .visible
        .iter()
        .position(|&i| table.rows[i].review_status.as_ref().map(|r| r.as_str()) == Some(review))
        .expect("the fixtures have one");
    table.selected = position;
    table.selected_row().unwrap().clone()
}

#[test]
fn full_edit_form_of_an_action_required_record() {
    both_sizes("full_edit", |m| {
        let row = select_review(m, "Action Required");
        let effects = press(m, 'F');
        for effect in effects {
            let Effect::Fetch { request, key, .. } = effect else {
                continue;
            };
            let mut summary = row.clone();
            summary.review_comments = Some(
                "Please add the customer's website and a more specific business problem.".into(),
            );
            let full = Opportunity {
                summary,
                document: serde_json::json!({
                    "Customer": {"Account": {"CompanyName": row.customer.to_string(), "Industry": "Retail",
                                             "WebsiteUrl": "acme", "Address": {"CountryCode": "US"}}},
                    "Project": {"Title": "Data lake", "CustomerBusinessProblem": "Needs cloud"},
                    "LifeCycle": {"Stage": "Qualified", "TargetCloseDate": "2027-03-31"},
                }),
                ..Default::default()
            };
            app::update(
                m,
                Msg::Detail {
                    request,
                    key,
                    detail: Box::new(Detail::Opportunity(Box::new(full))),
                },
            );
        }
    });
}

#[test]
fn opportunity_detail_with_its_engagement() {
    both_sizes("detail_engagement", |m| {
        select_review(m, "Approved");
        let effects = app::update(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        for effect in effects {
            let Effect::Fetch { request, key, .. } = effect else {
                continue;
            };
            let detail = match &key {
                DetailKey::Engagement(_) => Detail::Engagement(Some(Box::new(Engagement {
                    id: "eng-o0000004100003".into(),
                    title: Some("Umbrella Corp: data lake".into()),
                    members: vec![
                        EngagementMember {
                            account_id: Some("123456789012".into()),
                            company: Some("Northwind Cloud".into()),
                            website: None,
                        },
                        EngagementMember {
                            account_id: Some("aws".into()),
                            company: Some("Amazon Web Services".into()),
                            website: None,
                        },
                    ],
                    contexts: vec![EngagementContext {
                        id: "1".into(),
                        kind: "CustomerProject".into(),
                        lead: None,
                        project_title: Some("Umbrella Corp: data lake".into()),
                    }],
                    sent: vec![Referral {
                        id: "engi-0000000000042".into(),
                        status: Some(InvitationStatus::Pending),
                        receiver: Some("210987654321".into()),
                        ..Default::default()
                    }],
                    snapshots: vec![("OpportunitySummary".into(), 2)],
                    ..Default::default()
                }))),
                DetailKey::Funding(_) => Detail::Funding(vec![BenefitApplication {
                    id: "benappl-00000000000001".into(),
                    name: Some("POC credits for the data lake".into()),
                    status: "IN_REVIEW".into(),
                    requested: Some("15000".into()),
                    ..Default::default()
                }]),
                DetailKey::Opportunity(_) | DetailKey::AwsView(_) => continue,
                other => panic!("{other:?}"),
            };
            app::update(
                m,
                Msg::Detail {
                    request,
                    key,
                    detail: Box::new(detail),
                },
            );
        }
    });
}
