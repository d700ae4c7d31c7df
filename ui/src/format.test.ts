import { describe, expect, it } from 'vitest'
import {
  auditChange,
  compareMoney,
  daysLeftLabel,
  formatBytes,
  formatDateTime,
  formatParam,
  formatYuan,
  parseMoney,
  sumMoney,
  toCents,
  yuanToWan,
} from './format'

describe('formatYuan', () => {
  it.each([
    ['1234567.8', '1,234,567.80'],
    ['0', '0.00'],
    ['0.5', '0.50'],
    ['.5', '0.50'],
    ['12', '12.00'],
    ['123', '123.00'],
    ['1234', '1,234.00'],
    ['999999.99', '999,999.99'],
    ['1000000', '1,000,000.00'],
    ['-1234.5', '-1,234.50'],
    ['00012.30', '12.30'],
    ['  42.1 ', '42.10'],
    ['+7', '7.00'],
  ])('%s → %s', (input, out) => {
    expect(formatYuan(input)).toBe(out)
  })

  it('keeps amounts beyond float precision exact', () => {
    expect(formatYuan('12345678901234567.89')).toBe('12,345,678,901,234,567.89')
    expect(formatYuan('0.1')).toBe('0.10')
  })

  it('rounds a third decimal half away from zero', () => {
    expect(formatYuan('1.005')).toBe('1.01')
    expect(formatYuan('1.004')).toBe('1.00')
    expect(formatYuan('999.995')).toBe('1,000.00')
    expect(formatYuan('-0.005')).toBe('-0.01')
    expect(formatYuan('-0.004')).toBe('0.00')
  })

  it('shows a dash for no amount and passes other text through', () => {
    expect(formatYuan(null)).toBe('—')
    expect(formatYuan(undefined)).toBe('—')
    expect(formatYuan('')).toBe('—')
    expect(formatYuan('约200')).toBe('约200')
    expect(formatYuan('.')).toBe('.')
  })
})

describe('parseMoney', () => {
  it('reads what officers type', () => {
    expect(parseMoney('1,234.5')).toEqual({ ok: true, cents: 123450n, text: '1234.50' })
    expect(parseMoney('１２３４．５')).toEqual({ ok: true, cents: 123450n, text: '1234.50' })
    expect(parseMoney(' 0 ')).toEqual({ ok: true, cents: 0n, text: '0.00' })
  })
  it('refuses what is not an amount', () => {
    expect(parseMoney('').ok).toBe(false)
    expect(parseMoney('abc').ok).toBe(false)
    expect(parseMoney('-1').ok).toBe(false)
    expect(parseMoney('1.234').ok).toBe(false)
    expect(parseMoney('1e5').ok).toBe(false)
  })
})

describe('exact arithmetic', () => {
  it('compares decimal strings', () => {
    expect(compareMoney('100', '100.00')).toBe(0)
    expect(compareMoney('100.01', '100')).toBe(1)
    expect(compareMoney('99.99', '100')).toBe(-1)
    expect(compareMoney('-1', '0')).toBe(-1)
  })
  it('sums without float drift', () => {
    expect(sumMoney(['0.1', '0.2', null, '1000000'])).toBe('1000000.30')
    expect(toCents('-12.3')).toBe(-1230n)
  })
})

describe('small labels', () => {
  it('days left', () => {
    expect(daysLeftLabel(-3)).toBe('逾期 3 天')
    expect(daysLeftLabel(0)).toBe('今日到期')
    expect(daysLeftLabel(5)).toBe('剩 5 天')
  })
  it('bytes, dates, 万元', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(2048)).toBe('2.0 KB')
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB')
    expect(formatDateTime('2024-05-06T09:30:12Z')).toBe('2024-05-06 09:30')
    expect(formatDateTime('昨天')).toBe('昨天')
    expect(yuanToWan('1234567.8')).toBe(123.46)
    expect(yuanToWan(null)).toBe(0)
  })
})

describe('auditChange', () => {
  it('lists only the fields that changed', () => {
    expect(auditChange({ status: 'received', officer: '张' }, { status: 'verifying', officer: '张' })).toBe(
      'status: received → verifying',
    )
  })
  it('shows a creation as its fields', () => {
    expect(auditChange(null, { amount: '100.00', reason: '' })).toBe('amount: 100.00；reason: 空')
  })
  it('handles scalars and nothing', () => {
    expect(auditChange(null, null)).toBe('')
    expect(auditChange('a', 'b')).toBe('a → b')
    expect(auditChange({ a: 1 }, { a: 1 })).toBe('无变化')
  })
})

describe('formatParam', () => {
  it.each([
    ['0.10', '比例', '10%'],
    ['0.125', '比例', '12.5%'],
    ['0.02', '比例', '2%'],
    ['1', '比例', '100%'],
    ['0', '比例', '0%'],
    ['1500000', '元', '1,500,000 元'],
    ['1500000.00', '元', '1,500,000 元'],
    ['50', '元/m²·月', '50 元/m²·月'],
    ['12.50', '元/m²·月', '12.5 元/m²·月'],
    ['36', '个月', '36 个月'],
    ['100', '', '100'],
  ])('%s %s → %s', (value, unit, out) => {
    expect(formatParam(value, unit)).toBe(out)
  })

  it('shows a missing value as a dash and anything else as it came', () => {
    expect(formatParam(null, '元')).toBe('—')
    expect(formatParam('约50', '元')).toBe('约50')
  })
})
