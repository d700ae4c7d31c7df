// The approval editor's own checks. The backend checks again; when it refuses, its message wins.
// 核定金额 ≤ min(最高可补助额, 申请金额); a 核减理由 only below that (CLAUSES.md, revised).

import type { ApprovalBound } from '@/bindings/ApprovalBound'
import { compareMoney, parseMoney } from '@/format'
import { G } from '@/glossary'

export interface ApprovalCheck {
  ok: boolean
  amountError: string
  reasonError: string
  /** canonical amount ("1234.50") to send when ok */
  amount: string
}

/** The bound's name, as every face says it. */
export function boundLabel(bound: ApprovalBound): string {
  return bound.by === 'request' ? G.requested : G.ceiling
}

export function checkApproval(amountText: string, reason: string, bound: ApprovalBound | null): ApprovalCheck {
  const out: ApprovalCheck = { ok: false, amountError: '', reasonError: '', amount: '' }
  const parsed = parseMoney(amountText)
  if (!parsed.ok) {
    out.amountError = parsed.message
    return out
  }
  out.amount = parsed.text
  if (bound !== null) {
    const cmp = compareMoney(parsed.text, bound.amount)
    if (cmp > 0) {
      out.amountError = `${G.approved}不能超过${boundLabel(bound)}`
      return out
    }
    if (cmp < 0 && reason.trim() === '') {
      out.reasonError = `${G.approved}低于${boundLabel(bound)}，须填写${G.reductionReason}`
      return out
    }
  }
  out.ok = true
  return out
}
