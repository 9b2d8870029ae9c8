import type { Stopper } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const stoppers = (globalThis as { __rampartStoppers?: Stopper[] }).__rampartStoppers ?? [];
  // Last started, first stopped: the template database lives on the PostgreSQL started earlier.
  for (const stop of stoppers.reverse()) {
    await stop().catch((error: unknown) => console.error('teardown:', error));
  }
}
