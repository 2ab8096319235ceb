import type { Page } from '@playwright/test'

/** Console errors and uncaught exceptions of a page, for a test to expect none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
  return errors
}

/** Picks options of a Mantine MultiSelect by their labels. */
export async function pick(page: Page, testId: string, labels: string[]): Promise<void> {
  const input = page.getByTestId(testId)
  for (const label of labels) {
    await input.click()
    await page.getByRole('option', { name: label, exact: true }).click()
  }
  await page.keyboard.press('Escape')
}
