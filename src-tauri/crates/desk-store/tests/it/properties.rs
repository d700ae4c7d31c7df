//! Properties of the record over generated inputs (proptest).

use desk_policy::{Money, Programme};
use desk_store::{Approval, CaseStatus, Store, approval_bound};
use proptest::prelude::*;

use crate::common::*;

fn cents(n: i64) -> Money {
    Money::new(n, 2)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// 核定金额 ≤ min(最高可补助额, 申请金额); a reason only below it; no request, nothing above 0.
    #[test]
    fn approved_never_exceeds_the_ceiling_or_the_request(
        ceiling in 0i64..2_000_000,
        requested in prop::option::of(0i64..2_000_000),
        amount in 0i64..2_500_000,
        reason in prop::bool::ANY,
    ) {
        let (ceiling, amount) = (cents(ceiling), cents(amount));
        let requested = requested.map(cents);
        // Without a request: an item imported before the request was required.
        let (mut store, id) = verifying_item(requested.is_some());
        store
            .set_item_ceiling(id, ceiling, &serde_json::json!([]), &editor())
            .expect("ceiling");
        if let Some(r) = requested {
            store.set_item_request(id, r, &editor()).expect("request");
        }
        check(&mut store, id, ceiling, requested, amount, reason)?;
    }
}

/// One item in 核查, with a request or (imported before it was required) without one.
fn verifying_item(with_request: bool) -> (Store, i64) {
    let mut store = Store::open_in_memory().expect("memory store");
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let p = ptsp_platform(&mut store, &owner, 5);
    let mut new_item = item(Programme::ZsPtsp2018, "6.6", "1");
    if !with_request {
        new_item.declared_amount = None;
    }
    let c = case(&mut store, &p, 2020, &[new_item]);
    store
        .set_case_status(c.id, CaseStatus::Verifying, &editor())
        .expect("verify");
    let id = store.items(c.id).expect("items")[0].id;
    (store, id)
}

fn check(
    store: &mut Store,
    id: i64,
    ceiling: Money,
    requested: Option<Money>,
    amount: Money,
    reason: bool,
) -> Result<(), TestCaseError> {
    let bound = approval_bound(ceiling, requested);
    let approval = Approval {
        amount,
        reason: if reason {
            "部分单元不予认定".into()
        } else {
            String::new()
        },
        covered_enterprises: Vec::new(),
        active_count: None,
        projects: None,
    };
    let allowed = amount <= bound.amount
        && (amount == bound.amount || reason)
        && (requested.is_some() || amount.is_zero());
    match store.approve_item(id, &approval, &editor()) {
        Ok(item) => {
            prop_assert!(allowed, "{amount} approved against {bound:?}");
            let approved = item.approved.expect("approved");
            prop_assert!(approved <= ceiling);
            prop_assert!(requested.is_none_or(|r| approved <= r));
        }
        Err(e) => {
            prop_assert!(!allowed, "{amount} refused against {bound:?}: {e}");
            let message = e.to_string();
            prop_assert!(
                message.starts_with("核定金额：")
                    || message.starts_with("核减理由：")
                    || message.starts_with("申请金额："),
                "{message}"
            );
        }
    }
    Ok(())
}
