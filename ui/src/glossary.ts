// One word for one thing, as every face says it (src-tauri/crates/desk-policy/src/glossary.rs holds
// the same words; desk-policy's glossary test keeps the two equal). Never write these words by hand.
export const G = {
  ceiling: '最高可补助额',
  requested: '申请金额',
  approved: '核定金额',
  reductionReason: '核减理由',
  refused: '不予认定',
  paidInCapital: '实缴注册资本',
  fiscalPaidInCapital: '财政资金实缴出资',
} as const
