/**
 * Browser test of the Value page: the real server on a small demo workspace with customer value computed, the
 * built dashboard in Debian's Chromium. Asserts real content and saves test-results/value.png.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeValue } from '../../src/server/services/value-service.js';
import { browserTestsRun, SHOTS, startDashboard, type Dashboard } from './dashboard.js';

describe.runIf(browserTestsRun('Value page browser test'))('Value page in Chromium', () => {
  let browser: Browser;
  let base: string;
  let dashboard: Dashboard | undefined;

  beforeAll(async () => {
    dashboard = await startDashboard('value', { customers: 1500, seed: 42 }, async (e) => {
      const value = await computeValue(e, 'demo');
      if (!value.ok) throw new Error(value.error.detail);
    });
    ({ browser, base } = dashboard);
  });

  afterAll(async () => dashboard?.close());

  it('shows CLV figures, both charts, the silent-churn radar, revenue at risk, personas and actions', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/#/value`);
    const clv = page.getByTestId('kpi-clv-value');
    await expect
      .poll(async () => (await clv.textContent())?.replace(/[^0-9]/g, '') ?? '', { timeout: 30_000 })
      .toMatch(/^[1-9]\d*$/);
    await page.getByTestId('chart-clv').locator('canvas').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('chart-validation').locator('canvas').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('silent-churn-row').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('silent-churn-row').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('silent-churn-row').first().textContent()).toMatch(/scores look fine/);
    await page.getByTestId('risk-failures').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('risk-failures').textContent()).toMatch(/first-reply target/);
    // Revenue at risk per journey friction item: the planted late refunds (store-ops → billing) are among them.
    expect(await page.getByTestId('risk-friction-item').count()).toBeGreaterThan(1);
    expect(await page.locator('[data-testid="risk-friction-item"][data-to="Refund issued"]').textContent()).toMatch(
      /Return received → Refund issued.*owner store-ops/,
    );
    expect(await page.getByTestId('persona').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('nba-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('validation-models').textContent()).toMatch(/MAE/);
    expect(await page.getByTestId('nav-value').textContent()).not.toMatch(/soon/);
    await page.screenshot({ path: join(SHOTS, 'value.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('creates, edits and deletes a rule-based segment, with validation messages next to the fields and the live count', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/#/value`);
    const card = page.getByTestId('saved-segments-card');
    await card.waitFor({ timeout: 60_000 });
    await card.getByTestId('segment-new').click();
    const form = card.getByTestId('segment-form');
    // Invalid first: no name, and a number field compared with text. The API's problem+json lands by the fields.
    await form.getByLabel('Condition 1 value').fill('lots');
    await form.getByTestId('segment-save').click();
    await form.locator('[data-testid="segment-field-error"][data-slot="name"]').waitFor({ timeout: 10_000 });
    expect(await form.locator('[data-testid="segment-field-error"][data-slot="condition:0"]').textContent()).toMatch(
      /CLV percentile|clvPercentile compares with a number/,
    );
    // Then valid: top-quintile CLV and P(alive) below one half.
    await form.getByLabel('Segment name').fill('Valuable and fading');
    await form.getByLabel('Condition 1 value').fill('80');
    await form.getByRole('button', { name: '+ Condition' }).click();
    await form.getByLabel('Condition 2 field').selectOption('pAlive');
    await form.getByLabel('Condition 2 comparison').selectOption('<');
    await form.getByLabel('Condition 2 value').fill('0.5');
    await form.getByTestId('segment-save').click();
    const notice = card.getByTestId('segment-saved');
    await notice.waitFor({ timeout: 10_000 });
    const api = (await (await fetch(`${base}/api/v1/value/segments?workspace=demo`)).json()) as {
      segments: { id: string; name: string; customers: number }[];
    };
    const created = api.segments.find((x) => x.name === 'Valuable and fading')!;
    expect(created.customers).toBeGreaterThan(0);
    expect(await notice.textContent()).toContain(
      `Saved “Valuable and fading”: ${created.customers.toLocaleString('en-GB')} customers`,
    );
    const row = card.locator(`[data-testid="saved-segment"][data-id="${created.id}"]`);
    await expect
      .poll(async () => (await row.getByTestId('saved-segment-count').textContent())?.replace(/[^0-9]/g, ''))
      .toBe(String(created.customers));
    expect(await row.textContent()).toMatch(/CLV percentile ≥ 80.*P\(alive\) < 0\.5/);
    await card.screenshot({ path: join(SHOTS, 'value-segments.png') });

    // Edit: either condition instead of both widens the segment.
    await row.getByRole('button', { name: 'Edit' }).click();
    await card.getByTestId('segment-form').getByLabel('Match').selectOption('any');
    await card.getByTestId('segment-save').click();
    await expect
      .poll(async () =>
        Number((await row.getByTestId('saved-segment-count').textContent())?.replace(/[^0-9]/g, '') ?? 0),
      )
      .toBeGreaterThan(created.customers);
    // Delete.
    await row.getByRole('button', { name: 'Edit' }).click();
    await card.getByTestId('segment-delete').click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
