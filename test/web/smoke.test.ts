/**
 * Browser smoke test: the real server on a small demo workspace, the built dashboard in Debian's Chromium.
 * Loads Overview and a Customer 360 page, asserts real content, and saves screenshots under test-results/.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsRun, SHOTS, startDashboard, type Dashboard } from './dashboard.js';

describe.runIf(browserTestsRun('browser smoke test'))('dashboard in Chromium', () => {
  let browser: Browser;
  let base: string;
  let dashboard: Dashboard | undefined;

  beforeAll(async () => {
    dashboard = await startDashboard('smoke', { customers: 300, seed: 7 });
    ({ browser, base } = dashboard);
  });

  afterAll(async () => dashboard?.close());

  it('shows the Overview with real figures and both charts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/#/overview`);
    const profiles = page.getByTestId('kpi-profiles-value');
    await expect
      .poll(async () => (await profiles.textContent())?.replace(/[^0-9]/g, '') ?? '', { timeout: 20_000 })
      .toMatch(/^[1-9]\d*$/);
    await page.getByTestId('chart-volumes').locator('canvas').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('chart-scores').locator('canvas').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('finds a customer and shows their Customer 360 page with identities and a timeline', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/#/customers`);
    await page.getByTestId('customer-row').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('customer-row').first().click();
    await page.getByTestId('profile-name').waitFor({ timeout: 20_000 });
    expect((await page.getByTestId('profile-name').textContent())?.trim().length).toBeGreaterThan(0);
    await page.getByTestId('identity-row').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('identity-row').count()).toBeGreaterThan(0);
    await page.getByTestId('timeline-item').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('timeline-item').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'customer-360.png'), fullPage: true });
    await page.close();
  });

  it('fits a phone screen: no page wider than the viewport, the KPIs readable', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const pageWidth = () => page.evaluate<number>('document.documentElement.scrollWidth');
    await page.goto(`${base}/#/overview`);
    await page.getByTestId('chart-volumes').locator('canvas').first().waitFor({ timeout: 20_000 });
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    const kpi = await page.getByTestId('kpi-profiles-value').boundingBox();
    expect(kpi?.width ?? 0).toBeGreaterThan(100);
    await page.screenshot({ path: join(SHOTS, 'overview-phone.png'), fullPage: true });
    await page.goto(`${base}/#/customers`);
    await page.getByTestId('customer-row').first().waitFor({ timeout: 20_000 });
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('says a customer does not exist, and names the page in the tab', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/#/customers/999999999`);
    await page.getByRole('heading', { name: 'Customer not found' }).waitFor({ timeout: 20_000 });
    expect(await page.title()).toBe('Customer 360 · Kept');
    await page.goto(`${base}/#/customers/1e3`);
    await page.getByText('Page not found').first().waitFor({ timeout: 20_000 });
    await page.close();
  });
});
