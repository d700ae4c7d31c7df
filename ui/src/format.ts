// Money arrives as decimal strings ("1234567.8"). Everything here works on the string (or on
// integer cents as BigInt) so that no amount is ever rounded by binary floating point.

import type { JsonValue } from '@/bindings/serde_json/JsonValue'

const FULL_WIDTH = /[０-９．，－＋]/g

/** Turn full-width digits and punctuation, as typed by a Chinese IME, into ASCII. */
export function toHalfWidth(text: string): string {
  return text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/

/** Split a decimal string into sign, integer digits and fraction digits, or null. */
function splitDecimal(text: string): { neg: boolean; int: string; frac: string } | null {
  const m = DECIMAL.exec(text.trim())
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return null
  const int = m[2].replace(/^0+(?=\d)/, '') || '0'
  return { neg: m[1] === '-', int, frac: m[3] ?? '' }
}

/** Add one to a string of digits ("0999" → "1000"), keeping its length unless it overflows. */
function incrementDigits(digits: string): string {
  const out = digits.split('')
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === '9') {
      out[i] = '0'
    } else {
      out[i] = String(Number(out[i]) + 1)
      return out.join('')
    }
  }
  return '1' + out.join('')
}

function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * "1234567.8" → "1,234,567.80". Rounds to the cent half away from zero (as the backend does),
 * null/undefined/"" → "—", and anything that is not a decimal is shown as it came.
 */
export function formatYuan(value: string | null | undefined): string {
  if (value === null || value === undefined || value.trim() === '') return '—'
  const d = splitDecimal(value)
  if (!d) return value
  let int = d.int
  let frac = (d.frac + '00').slice(0, 2)
  if (d.frac.length > 2 && d.frac[2] >= '5') {
    const bumped = incrementDigits(int + frac)
    int = bumped.slice(0, -2) || '0'
    frac = bumped.slice(-2)
  }
  const zero = /^0+$/.test(int + frac)
  return `${d.neg && !zero ? '-' : ''}${groupThousands(int)}.${frac}`
}

/** A decimal string × 100, exactly, without trailing zeros: "0.125" → "12.5", "2" → "200". */
function timesHundred(d: { int: string; frac: string }): string {
  const frac = d.frac.padEnd(2, '0')
  const int = (d.int + frac.slice(0, 2)).replace(/^0+(?=\d)/, '')
  const rest = frac.slice(2).replace(/0+$/, '')
  return rest ? `${int}.${rest}` : int
}

/**
 * A policy parameter with its unit, as the settings page shows it: a share as a percentage
 * ("0.10", "比例" → "10%"), amounts grouped ("1500000", "元" → "1,500,000 元"), counts as they are.
 */
export function formatParam(value: string | null | undefined, unit: string): string {
  if (value === null || value === undefined || value.trim() === '') return '—'
  const d = splitDecimal(value)
  if (!d) return value
  if (unit === '比例') return `${d.neg ? '-' : ''}${timesHundred(d)}%`
  const frac = d.frac.replace(/0+$/, '')
  const number = `${d.neg ? '-' : ''}${groupThousands(d.int)}${frac ? '.' + frac : ''}`
  return unit ? `${number} ${unit}` : number
}

/** Yuan → 万元 for chart axes only (display, so a float is fine here). */
export function yuanToWan(value: string | null | undefined): number {
  const n = Number.parseFloat(value ?? '')
  return Number.isFinite(n) ? Math.round(n / 100) / 100 : 0
}

export type MoneyParse = { ok: true; cents: bigint; text: string } | { ok: false; message: string }

/**
 * Read an amount as an officer types it: "1,234.5", "１２３４", " 0.5 ". Returns integer cents
 * and the canonical string ("1234.50") to send to the backend.
 */
export function parseMoney(input: string): MoneyParse {
  const text = toHalfWidth(input).replace(/[,\s]/g, '')
  if (text === '') return { ok: false, message: '请输入金额' }
  const d = splitDecimal(text)
  if (!d) return { ok: false, message: '金额必须是数字' }
  if (d.neg) return { ok: false, message: '金额不能为负数' }
  if (d.frac.length > 2) return { ok: false, message: '金额最多保留两位小数（分）' }
  const cents = BigInt(d.int) * 100n + BigInt((d.frac + '00').slice(0, 2))
  return { ok: true, cents, text: centsToText(cents) }
}

/** 123450n → "1234.50" */
export function centsToText(cents: bigint): string {
  const neg = cents < 0n
  const abs = neg ? -cents : cents
  const int = (abs / 100n).toString()
  const frac = (abs % 100n).toString().padStart(2, '0')
  return `${neg ? '-' : ''}${int}.${frac}`
}

/** Compare two decimal strings exactly: -1, 0 or 1. Throws on a non-decimal. */
export function compareMoney(a: string, b: string): number {
  const x = toCents(a)
  const y = toCents(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Exact cents of a decimal string from the backend (at most 2 decimals, may be negative). */
export function toCents(value: string): bigint {
  const d = splitDecimal(value)
  if (!d || d.frac.length > 2) throw new Error(`不是金额：${value}`)
  const cents = BigInt(d.int) * 100n + BigInt((d.frac + '00').slice(0, 2))
  return d.neg ? -cents : cents
}

/** Sum of decimal strings, exact. */
export function sumMoney(values: Array<string | null | undefined>): string {
  let total = 0n
  for (const v of values) if (v) total += toCents(v)
  return centsToText(total)
}

/** "逾期 3 天" / "今日到期" / "剩 5 天" */
export function daysLeftLabel(value: number | bigint): string {
  const days = Number(value)
  if (days < 0) return `逾期 ${-days} 天`
  if (days === 0) return '今日到期'
  return `剩 ${days} 天`
}

/** 12345678 → "11.8 MB" */
export function formatBytes(value: number | bigint): string {
  const bytes = Number(value)
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** "2024-05-06T09:30:12Z" or "2024-05-06 09:30:12" → "2024-05-06 09:30" */
export function formatDateTime(at: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(at)
  return m ? `${m[1]} ${m[2]}` : at
}

function short(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '空'
  if (typeof value === 'string') return value === '' ? '空' : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const s = JSON.stringify(value)
  return s.length > 60 ? s.slice(0, 57) + '…' : s
}

function isObject(v: JsonValue | null): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/**
 * An audit entry's before/after in one line: only the fields that changed,
 * "status: received → verifying；amount: 空 → 1000.00".
 */
export function auditChange(before: JsonValue | null, after: JsonValue | null): string {
  if (isObject(before) && isObject(after)) {
    const keys = Array.from(new Set([...Object.keys(before), ...Object.keys(after)]))
    const parts = keys
      .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
      .map((k) => `${k}: ${short(before[k])} → ${short(after[k])}`)
    return parts.length ? parts.join('；') : '无变化'
  }
  if (before === null && isObject(after)) {
    return Object.entries(after)
      .map(([k, v]) => `${k}: ${short(v)}`)
      .join('；')
  }
  if (before === null && after === null) return ''
  return `${short(before ?? null)} → ${short(after ?? null)}`
}
