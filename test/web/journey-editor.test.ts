/**
 * Browser test of the designed-journey editor: the real server on a small demo workspace, the built dashboard in
 * Debian's Chromium. Creates a journey through the form (the API's field errors shown next to the fields first),
 * adds and reorders steps, sees it listed and measured on the Journeys page, reopens it for editing (screenshot
 * test-results/journey-editor.png, with the API's message for a bad target) and deletes it.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsRun, SHOTS, startDashboard, type Dashboard } from './dashboard.js';

interface StoredJourney {
  journey: {
    name: string;
    owner: string;
    case: { by: string; gap_days?: number };
    steps: {
      name: string;
      match: Record<string, unknown>;
      owner: { kind: string; name: string };
      target_to_next?: { value: number; unit: string };
    }[];
  };
}

async function fillStep(
  step: Locator,
  s: { name: string; type: string; owner: string; measure: string; target?: string; unit?: string },
) {
  await step.getByTestId('step-name').fill(s.name);
  await step.getByTestId('step-match-type').fill(s.type);
  await step.getByTestId('step-owner').fill(s.owner);
  await step.getByTestId('step-measure').fill(s.measure);
  if (s.target) await step.getByTestId('step-target').fill(s.target);
  if (s.unit) await step.getByTestId('step-target-unit').selectOption(s.unit);
}

describe.runIf(browserTestsRun('journey editor browser test'))('Designed-journey editor in Chromium', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let dashboard: Dashboard | undefined;
  const api = async <T>(path: string) => (await app.inject({ method: 'GET', url: `/api/v1${path}` })).json<T>();

  beforeAll(async () => {
    dashboard = await startDashboard('journey-editor', { customers: 400, seed: 7 });
    ({ app, browser, base } = dashboard);
  }, 120_000);

  afterAll(async () => dashboard?.close());

  it('creates a journey through the editor, shows the API field errors, lists it, edits and deletes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/#/journeys`);
    await page.getByTestId('journey-new').click();
    await page.getByTestId('journey-editor').waitFor({ timeout: 20_000 });

    await page.getByTestId('journey-name').fill('Browse to checkout');
    expect(await page.getByTestId('journey-id').inputValue()).toBe('browse-to-checkout');
    await page.getByTestId('journey-owner').fill('Head of ecommerce');
    await page.getByTestId('journey-case-by').selectOption('customer');
    await page.getByTestId('journey-gap-days').fill('2');
    const steps = page.getByTestId('step-editor');
    await fillStep(steps.nth(0), {
      name: 'Added to cart',
      type: 'add_to_cart',
      owner: 'ecommerce',
      measure: 'Cart kept across devices',
      target: '1',
      unit: 'days',
    });

    // Saved half-done: the API's problem+json names each missing field, shown next to it.
    await page.getByTestId('journey-save').click();
    await page.locator('[data-testid="field-error"][data-field="steps.1.match"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="field-error"][data-field="steps.1.match"]').textContent()).toMatch(
      /at least one matching rule/,
    );
    expect(await page.locator('[data-testid="field-error"][data-field="steps.1.name"]').count()).toBe(1);
    expect(await page.locator('[data-testid="field-error"][data-field="revenue_objective.description"]').count()).toBe(
      1,
    );
    expect(await page.getByTestId('error-banner').textContent()).toMatch(/Not saved/);
    expect((await api<{ items: unknown[] }>('/journeys/designed')).items).toHaveLength(2);

    await page.getByTestId('journey-objective').fill('Fewer abandoned carts');
    await fillStep(steps.nth(1), {
      name: 'Checkout completed',
      type: 'checkout_completed',
      owner: 'ecommerce',
      measure: 'Paid first time',
    });
    // A third step, added last and moved up between the two.
    await page.getByTestId('step-add').click();
    await fillStep(steps.nth(2), {
      name: 'Checkout started',
      type: 'checkout_started',
      owner: 'payments',
      measure: 'No payment errors',
      target: '2',
      unit: 'hours',
    });
    await steps.nth(2).getByTestId('step-up').click();
    expect(await steps.nth(1).getByTestId('step-name').inputValue()).toBe('Checkout started');
    // A fourth, removed again.
    await page.getByTestId('step-add').click();
    expect(await steps.count()).toBe(4);
    await steps.nth(3).getByTestId('step-remove').click();
    expect(await steps.count()).toBe(3);
    await page.getByTestId('journey-save').click();

    // Saved: back on the Journeys page with the new journey selected and measured.
    await page.waitForURL(/#\/journeys\?journey=browse-to-checkout$/, { timeout: 20_000 });
    expect(await page.getByTestId('journey-picker').inputValue()).toBe('browse-to-checkout');
    await expect.poll(async () => page.getByTestId('designed-step').count(), { timeout: 30_000 }).toBe(3);
    expect(await page.getByTestId('designed-step').nth(1).textContent()).toContain('Checkout started');
    const stored = await api<StoredJourney>('/journeys/designed/browse-to-checkout');
    expect(stored.journey.steps.map((s) => s.name)).toEqual([
      'Added to cart',
      'Checkout started',
      'Checkout completed',
    ]);
    expect(stored.journey.steps[1]).toMatchObject({
      match: { type: 'checkout_started' },
      owner: { kind: 'team', name: 'payments' },
      target_to_next: { value: 2, unit: 'hours' },
    });
    expect(stored.journey.steps[2]!.target_to_next).toBeUndefined();
    expect(stored.journey.case).toEqual({ by: 'customer', gap_days: 2 });

    // Reopened from the Journeys page: the stored definition fills the form.
    await page.getByTestId('journey-edit').click();
    await page.getByTestId('step-editor').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('journey-name').inputValue()).toBe('Browse to checkout');
    expect(await page.getByTestId('journey-id').isDisabled()).toBe(true);
    expect(await page.getByTestId('step-editor').count()).toBe(3);
    expect(await page.getByTestId('step-target').first().inputValue()).toBe('1');

    // An edit that the API rejects keeps the form and says why; a valid one saves.
    await page.getByTestId('step-target').nth(1).fill('-3');
    await page.getByTestId('journey-save').click();
    const targetError = page.locator('[data-testid="field-error"][data-field="steps.1.target_to_next"]');
    await targetError.waitFor({ timeout: 10_000 });
    expect(await targetError.textContent()).toMatch(/>0|greater than 0|positive/i);
    await page.screenshot({ path: join(SHOTS, 'journey-editor.png'), fullPage: true });
    await page.getByTestId('step-target').nth(1).fill('3');
    await page.getByTestId('journey-save').click();
    await page.waitForURL(/#\/journeys\?journey=browse-to-checkout$/, { timeout: 20_000 });
    expect(
      (await api<StoredJourney>('/journeys/designed/browse-to-checkout')).journey.steps[1]!.target_to_next,
    ).toEqual({ value: 3, unit: 'hours' });

    // Delete (with a confirmation step): gone from the API and the picker.
    await page.goto(`${base}/#/journeys/designed/browse-to-checkout/edit`);
    await page.getByTestId('journey-delete').click();
    await page.getByTestId('journey-delete-confirm').click();
    await page.waitForURL(/#\/journeys$/, { timeout: 20_000 });
    expect((await api<{ items: { id: string }[] }>('/journeys/designed')).items.map((i) => i.id)).toEqual([
      'online-order',
      'returns',
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
