import fs from 'node:fs';
import { useTestEnv, type TestEnv, type TestEnvOptions } from './env';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * Headless Chromium from Debian's `chromium` package, driven by playwright-core
 * (no browser download). Each test gets a fresh context (its own cookies and
 * sessionStorage); a page fails its test on any console error but failed
 * requests, so a CSP violation or an uncaught exception cannot pass unnoticed.
 */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // playwright gives each launch a fresh temporary profile of its own
      '--disable-quic', '--no-first-run',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** console errors and page errors seen so far */
  errors: string[];
}

export async function openPage(browser: Browser, baseURL: string): Promise<TestPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    // Chromium logs every 4xx/5xx fetch; the tests provoke some (a 404 rotation, a 422 policy) and assert on what the page shows instead
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

/** Wait until the locator is visible (Playwright's auto-wait), failing with what was expected. */
export async function expectVisible(locator: Locator, what?: string): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible' });
  } catch (err) {
    throw new Error(`expected to see ${what ?? String(locator)}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}

/** Poll an assertion until it passes (Playwright's auto-waiting covers elements; this covers values). */
export async function eventuallyExpect(assertion: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Sign in to the console with an admin key, as a person would. */
export async function signInToConsole(page: Page, key: string): Promise<void> {
  await page.goto('/console/');
  await page.getByLabel('Admin key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export interface BrowserSuite {
  /** the file's TestEnv (the same instance from the start: it is ready once the tests run) */
  env: () => TestEnv;
  /** a fresh page (its own cookies and sessionStorage) */
  open: () => Promise<TestPage>;
  /** a fresh page signed in to the console with the platform key, at `/console{path}`, once `ready` has seen it */
  openConsole: (path: string, ready: (p: TestPage) => Promise<void>) => Promise<TestPage>;
  /** the console's page of a user (and `tab`, e.g. `/sessions`), once its Actions menu is there */
  openUser: (tenant: string, userId: string, tab?: string) => Promise<TestPage>;
}

/**
 * The set-up every browser test file shares: one TestEnv and one Chromium for the
 * file, a fresh page per `open()`, and after each test a check that no page saw a
 * console error (a CSP violation or an uncaught exception fails the test).
 */
export function browserSuite(options: TestEnvOptions = {}): BrowserSuite {
  let launched: { browser: Browser; close: () => Promise<void> } | undefined;
  const pages: TestPage[] = [];
  // the browser starts before the environment and closes before it (hooks run in the order declared)
  beforeAll(async () => {
    launched = await launchBrowser();
  });
  afterAll(async () => {
    await launched?.close();
  });
  const env = useTestEnv(options);
  afterEach(() => {
    for (const p of pages.splice(0)) expect({ url: p.page.url(), errors: p.errors }).toEqual({ url: p.page.url(), errors: [] });
  });
  const open = async (): Promise<TestPage> => {
    const p = await openPage(launched!.browser, env.baseUrl);
    pages.push(p);
    return p;
  };
  const openConsole = async (path: string, ready: (p: TestPage) => Promise<void>): Promise<TestPage> => {
    const p = await open();
    await signInToConsole(p.page, env.adminKey);
    await expectVisible(p.page.getByRole('heading', { name: 'Choose a tenant' }));
    await p.page.goto(`/console${path}`);
    await ready(p);
    return p;
  };
  return {
    env: () => env,
    open,
    openConsole,
    openUser: (tenant, userId, tab = '') =>
      openConsole(`/tenants/${tenant}/users/${userId}${tab}`, (p) => expectVisible(p.page.getByRole('button', { name: 'Actions' }))),
  };
}
