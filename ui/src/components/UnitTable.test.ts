import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { UnitTable as Table } from '@/bindings/UnitTable'
import UnitTable from './UnitTable.vue'

const table: Table = {
  title: '验收合同',
  list: 'contracts',
  columns: ['行号', '服务企业统一社会信用代码', '合同金额（元）'],
  rows: [
    ['1', '91442000MA5AT0C3M5', '200000'],
    ['2', '91442000MA5AT0D4NY', '200000'],
  ],
  refused: [null, '缺少验收报告'],
}

describe('UnitTable', () => {
  it('shows each refused unit with its reason, and offers 不予认定 or 撤销', async () => {
    const w = mount(UnitTable, { props: { table, canRefuse: true }, global: { plugins: [ElementPlus] } })
    expect(w.get('[data-testid="refused-contracts-1"]').text()).toBe('不予认定：缺少验收报告')
    expect(w.find('[data-testid="refused-contracts-0"]').exists()).toBe(false)
    await w.get('[data-testid="refuse-contracts-0"]').trigger('click')
    await w.get('[data-testid="undo-contracts-1"]').trigger('click')
    expect(w.emitted('refuse')).toEqual([
      ['contracts', 0, true],
      ['contracts', 1, false],
    ])
  })

  it('offers nothing when units cannot be refused (outside 核查、复核、审批)', () => {
    const w = mount(UnitTable, { props: { table, canRefuse: false }, global: { plugins: [ElementPlus] } })
    expect(w.find('[data-testid="refuse-contracts-0"]').exists()).toBe(false)
    expect(w.get('[data-testid="refused-contracts-1"]').text()).toContain('缺少验收报告')
  })
})
