//! The sandbox's request decoder and handlers on arbitrary bytes: the first byte picks the
//! operation, the rest is the body. Nothing may panic; every refusal is an AWS-shaped error.
#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;

const OPERATIONS: [&str; 12] = [
    "AWSPartnerCentralSelling.ListOpportunities",
    "AWSPartnerCentralSelling.GetOpportunity",
    "AWSPartnerCentralSelling.CreateOpportunity",
    "AWSPartnerCentralSelling.UpdateOpportunity",
    "AWSPartnerCentralSelling.AssociateOpportunity",
    "AWSPartnerCentralSelling.ListEngagementInvitations",
    "AWSPartnerCentralSelling.StartEngagementByAcceptingInvitationTask",
    "AWSPartnerCentralSelling.RejectEngagementInvitation",
    "AWSPartnerCentralSelling.ListSolutions",
    "PartnerCentralAccount.ListConnections",
    "PartnerCentralAccount.CreateConnectionInvitation",
    "PartnerCentralAccount.GetPartner",
];

fn state() -> &'static Mutex<cosell_sandbox::state::State> {
    static STATE: OnceLock<Mutex<cosell_sandbox::state::State>> = OnceLock::new();
    STATE.get_or_init(|| Mutex::new(cosell_sandbox::demo::generate(7, 20, 1_780_000_000_000)))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let operation = OPERATIONS[pick as usize % OPERATIONS.len()];
    let Ok(target) = cosell_sandbox::resolve_target(operation) else {
        return;
    };
    if let Ok(input) = cosell_sandbox::parse_input(&target, body) {
        let mut state = state().lock().unwrap();
        let _ = cosell_sandbox::dispatch(&mut state, &target, &input, 1_780_000_000_000);
    }
});
