//! Loan interest.

use super::*;

/// 6.5: Σ min(interest × d/D, principal × 2% × d/L) over the days counted in Y ∩ V ∩ W.
pub(super) fn loan_interest(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
) -> Draft {
    let param = |name: &str| ctx.param(clause, name).unwrap_or(Money::ZERO);
    let mut total = Money::ZERO;
    let mut counted = 0usize;
    // The maximums inside the formula that bound, each named once, in the order they first did.
    let mut bound: Vec<UnitCap> = Vec::new();
    let rate = param("rate");
    // Each counted day at rate ÷ the days of its calendar year; every counted day lies in Y.
    let year_days = ctx.year.days();
    let days_in_year = Money::from(year_days);
    for item in items {
        for row in item.units("loans") {
            if d.refused(unit(item, "loans", row), row) {
                continue;
            }
            let (Some(from), Some(to)) = (row.date("from"), row.date("to")) else {
                continue;
            };
            let period = Span { from, to };
            // The days in Y, then in V, then in W: the first that leaves none says why.
            let counted_span = match period.intersect(ctx.year) {
                None => Err(Reason::NotApplicationYear),
                Some(s) => match s.intersect(ctx.validity) {
                    None => Err(Reason::OutsideValidity),
                    Some(s) if clause.window == WindowRule::Units => ctx
                        .window
                        .and_then(|w| s.intersect(w))
                        .ok_or(Reason::OutsideWindow),
                    Some(s) => Ok(s),
                },
            };
            let span = match counted_span {
                Ok(span) => span,
                Err(reason) => {
                    d.exclude(unit(item, "loans", row), reason);
                    continue;
                }
            };
            counted += 1;
            let (days, all_days) = (Money::from(span.days()), Money::from(period.days()));
            let interest = row.money("interest_paid").unwrap_or_default();
            let principal = row.money("principal").unwrap_or_default();
            let by_interest = interest * days / all_days;
            let by_rate = principal * rate * days / days_in_year;
            if by_rate < by_interest {
                bind(&mut bound, UnitCap::InterestRate);
            }
            let amount = by_interest.min(by_rate);
            total += amount;
            // Why the days before and after the counted span do not count.
            let before = span
                .from
                .pred_opt()
                .filter(|_| span.from > period.from)
                .and_then(|dt| ctx.date_reason(clause, dt));
            let after = span
                .to
                .succ_opt()
                .filter(|_| span.to < period.to)
                .and_then(|dt| ctx.date_reason(clause, dt));
            d.step(
                What::Loan {
                    interest_paid: interest,
                    principal,
                    rate,
                    year_days,
                    period,
                    counted: span,
                    before,
                    after,
                },
                Some(unit(item, "loans", row)),
                amount,
            );
        }
    }
    d.formula_done(total, counted, bound)
}
