// The approval editor's own checks. The backend checks again; when it refuses, its message wins.

import { compareMoney, parseMoney } from '@/format'

export interface ApprovalCheck {
  ok: boolean
  amountError: string
  reasonError: string
  /** canonical amount ("1234.50") to send when ok */
  amount: string
}

export function checkApproval(amountText: string, reason: string, ceiling: string | null): ApprovalCheck {
  const out: ApprovalCheck = { ok: false, amountError: '', reasonError: '', amount: '' }
  const parsed = parseMoney(amountText)
  if (!parsed.ok) {
    out.amountError = parsed.message
    return out
  }
  out.amount = parsed.text
  if (ceiling !== null) {
    const cmp = compareMoney(parsed.text, ceiling)
    if (cmp > 0) {
      out.amountError = '核定额不能超过核定上限'
      return out
    }
    if (cmp < 0 && reason.trim() === '') {
      out.reasonError = '核定额低于核定上限，须填写核减理由'
      return out
    }
  }
  out.ok = true
  return out
}
